// The reading view (#/report/ID): the report's facts, filters, notes on the whole report, and
// the body with highlights and margin notes.

import { h } from "./dom.js";
import { field, shown } from "./text.js";
import { api } from "./api.js";
import { CodePointText } from "./anchor.js";
import { renderBody } from "./render.js";
import { noteCard, threads } from "./notes.js";
import { state } from "./state.js";
import { parentOf, short, day, plural } from "./words.js";
import { exportLinks } from "./views.js";

/** Fetches the report and builds the view. */
export async function readingView(id) {
  const data = await api.report(id);
  if (!state.report || state.report.report.text !== data.report.text) {
    state.cpText = new CodePointText(data.report.text);
  }
  state.report = data;
  return build(data);
}

/** The notes that show: top-level ones through the filters, replies under their note. */
export function visibleNotes(annotations) {
  const ids = new Set(annotations.map((a) => a.id));
  const children = threads(annotations.filter((a) => !a.deleted || hasReplies(a, annotations)), parentOf);
  const f = state.filters;
  const top = annotations.filter((a) => {
    const p = parentOf(a);
    if (p && ids.has(p)) return false; // shown in its thread
    if (a.deleted && !children.has(a.id)) return false;
    if (f.tag && !(a.tags ?? []).includes(f.tag)) return false;
    if (f.author && a.author !== f.author) return false;
    if (f.status && a.status !== f.status) return false;
    return true;
  });
  return { top, children };
}

const hasReplies = (a, all) => all.some((b) => parentOf(b) === a.id);

function build(data) {
  const { report, blocks, annotations, revision } = data;
  const { top, children } = visibleNotes(annotations);
  const { body, whole } = renderBody(blocks, top, children);

  const view = h("div", { class: "reading" });
  view.append(h("nav", { class: "crumbs", "aria-label": "Breadcrumb" },
    h("a", { href: "#/" }, "Reports"), " / ", field(report.title)));

  const facts = h("div", { class: "report-facts" },
    h("span", {}, `Report ${short(report.id)}`), " · ",
    h("span", {}, plural(annotations.filter((a) => !a.deleted).length, "note")));
  if (revision) facts.append(" · ", revisionLine(revision));
  view.append(facts);

  view.append(tools(annotations, report.id));
  if (state.retarget) view.append(retargetBanner());

  if (whole.length) {
    view.append(h("section", { class: "whole-notes", "aria-label": "Notes on the whole report" },
      h("h2", { class: "small-heading" }, "On the whole report"),
      whole.map((n) => noteCard(n, children, { quote: true }))));
  }
  view.append(body);
  return view;
}

/** "revises X · claimed by bob on DATE, not confirmed by you". */
export function revisionLine(rev) {
  const line = h("span", { class: "revision" });
  if (rev.revises) line.append("revises ", h("a", { href: `#/report/${encodeURIComponent(rev.revises)}` }, short(rev.revises)));
  if (rev.revisedBy) line.append(rev.revises ? " · " : "", "revised by ",
    h("a", { href: `#/report/${encodeURIComponent(rev.revisedBy)}` }, short(rev.revisedBy)));
  if (rev.claim) line.append(" · ", claimWords(rev.claim));
  return line;
}

export function claimWords(claim) {
  return h("span", { class: claim.confirmed ? "claim" : "claim unconfirmed" },
    "claimed by ", field(claim.by), ` on ${day(claim.at)}`, claim.confirmed ? "" : ", not confirmed by you");
}

/** Filters, a note on the whole report, exports of this report. */
function tools(annotations, reportId) {
  const live = annotations.filter((a) => !a.deleted);
  const tags = [...new Set(live.flatMap((a) => a.tags ?? []))].sort();
  const authors = [...new Set(live.map((a) => a.author))].sort();
  const filter = (id, label, options, value) => {
    const sel = h("select", { id, dataset: { filter: id.replace("filter-", "") } },
      h("option", { value: "" }, "all"),
      options.map(([v, text]) => h("option", { value: v }, shown(text))));
    sel.value = options.some(([v]) => v === value) ? value : "";
    return h("label", { class: "filter" }, label, " ", sel);
  };
  return h("div", { class: "tools" },
    h("div", { class: "filters", role: "group", "aria-label": "Filter notes" },
      filter("filter-tag", "Tag", tags.map((t) => [t, t]), state.filters.tag),
      filter("filter-author", "Author", authors.map((a) => [a, a]), state.filters.author),
      filter("filter-status", "Status", [["open", "open"], ["resolved", "resolved"]], state.filters.status)),
    h("div", { class: "tool-buttons" },
      h("button", { type: "button", id: "note-whole", dataset: { action: "note-whole" } }, "Note on the whole report"),
      exportLinks(reportId)));
}

function retargetBanner() {
  const r = state.retarget;
  return h("div", { id: "retarget-banner", class: "banner", role: "status" },
    h("p", {}, "Placing note ", h("code", {}, short(r.id)), " anew: select the passage it belongs to, then press ",
      h("strong", {}, "Place here"), " (or P)."),
    h("button", { type: "button", id: "place-here", dataset: { action: "place-here" } }, "Place here"),
    h("button", { type: "button", dataset: { action: "cancel-retarget" } }, "Cancel"));
}
