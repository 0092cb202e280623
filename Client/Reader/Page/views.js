// The views other than reading: the reports list, search results, the review queue, and
// judgments with the digest. Each fetches what it shows and returns an element.

import { h } from "./dom.js";
import { field } from "./text.js";
import { api } from "./api.js";
import { noteCard, threads } from "./notes.js";
import { confidenceWords, likelihoodWords, parentOf, plural, short, day } from "./words.js";

const reportHref = (id, note) => `#/report/${encodeURIComponent(id)}${note ? `?note=${encodeURIComponent(note)}` : ""}`;

export const FORMATS = [["html", "HTML brief"], ["markdown", "Markdown"], ["w3c", "W3C JSON-LD"], ["json", "Gloss JSON"], ["csv", "CSV"]];

/** Export links as a disclosure (the server answers with an attachment). */
export function exportLinks(report) {
  return h("details", { class: "exports" },
    h("summary", {}, report ? "Export this report" : "Export"),
    h("ul", {}, FORMATS.map(([format, label]) =>
      h("li", {}, h("a", { href: api.exportURL(format, report), download: "", dataset: { export: format } }, label)))));
}

function searchForm(value = "") {
  const input = h("input", { type: "search", id: "search-q", name: "q", value, "aria-label": "Search reports and notes",
    placeholder: "Search reports and notes" });
  return h("form", { id: "search-form", role: "search", class: "search" },
    input, h("button", { type: "submit" }, "Search"));
}

// ---- reports ---------------------------------------------------------------------------

export async function reportsView() {
  const reports = await api.reports();
  const list = h("ul", { id: "reports", class: "report-list", "aria-label": "Reports" });
  const titles = new Map(reports.map((r) => [r.id, r.title]));
  for (const r of reports) list.append(reportItem(r, titles));
  return h("div", { class: "reports" },
    h("h1", {}, "Reports"),
    searchForm(),
    reports.length ? list : h("p", { class: "empty" }, "No reports yet. Import one with `gloss import FILE`."));
}

function reportItem(r, titles) {
  const link = (id) => h("a", { href: reportHref(id) }, titles.has(id) ? field(titles.get(id)) : short(id));
  const meta = h("p", { class: "meta" },
    r.source ? field(r.source, "span", "source") : null,
    r.source ? " · " : "",
    plural(r.annotations ?? 0, "note"),
    r.local ? " · local only" : "");
  const revision = h("p", { class: "revision" });
  if (r.revises) revision.append("revises ", link(r.revises));
  if (r.revisedBy) revision.append(r.revises ? " · " : "", "revised by ", link(r.revisedBy));
  if (r.claim) {
    revision.append(" · claimed by ", field(r.claim.by), ` on ${day(r.claim.at)}`);
    if (!r.claim.confirmed) revision.append(h("span", { class: "unconfirmed" }, ", not confirmed by you"));
  }
  return h("li", { class: "report-item", dataset: { reportId: r.id } },
    h("h2", {}, h("a", { class: "report-link", href: reportHref(r.id) }, field(r.title))),
    r.new ? h("span", { class: "badge new", "aria-label": `${r.new} notes new or changed in your last sync`,
      title: "notes the last sync brought or changed" }, `${r.new} new`) : null,
    meta,
    revision.childNodes.length ? revision : null);
}

// ---- search ----------------------------------------------------------------------------

export async function searchView(q) {
  const results = q ? await api.search(q) : [];
  const list = h("ol", { id: "search-results", class: "results" }, results.map((r) =>
    h("li", { dataset: { reportId: r.report, annotationId: r.annotation ?? "" } },
      h("a", { href: reportHref(r.report, r.annotation) }, field(r.title)),
      r.annotation ? h("span", { class: "meta" }, ` · note ${short(r.annotation)}`) : null,
      r.snippet ? field(r.snippet, "p", "snippet") : null)));
  return h("div", { class: "search-view" },
    h("nav", { class: "crumbs" }, h("a", { href: "#/" }, "Reports"), " / Search"),
    searchForm(q),
    h("h1", {}, q ? `${plural(results.length, "result")} for “` : "Search", q ? field(q) : null, q ? "”" : null),
    results.length ? list : (q ? h("p", { class: "empty" }, "Nothing found.") : null));
}

// ---- review ----------------------------------------------------------------------------

export async function reviewView(report) {
  const groups = await api.review(report);
  const view = h("div", { class: "review" }, h("h1", {}, "Review carried notes"),
    h("p", { class: "lede" }, "Notes carried to a newer version of their report whose place Gloss could not be sure of. Accept the proposed passage, or place the note anew by selecting text."));
  if (!groups.length || groups.every((g) => !g.notes.length)) {
    view.append(h("p", { class: "empty" }, "Nothing to review."));
    return view;
  }
  for (const g of groups) {
    const children = threads(g.notes, parentOf);
    view.append(h("section", { class: "review-group", dataset: { reportId: g.report.id } },
      h("h2", {}, h("a", { href: reportHref(g.report.id) }, field(g.report.title))),
      h("ul", { class: "review-notes" }, g.notes.filter((n) => !parentOf(n)).map((n) =>
        h("li", { dataset: { reviewReport: g.report.id } }, noteCard(n, children, { quote: true }))))));
  }
  return view;
}

// ---- judgments and digest --------------------------------------------------------------

export async function judgmentsView(report) {
  const [passages, digest] = await Promise.all([api.judgments(report), api.digest().catch(() => null)]);
  const view = h("div", { class: "judgments" }, h("h1", {}, "Judgments"));
  if (!passages.length) view.append(h("p", { class: "empty" }, "No judgments yet."));
  for (const p of passages) {
    view.append(h("section", { class: p.disagree ? "passage disagree" : "passage", dataset: { reportId: p.report } },
      h("blockquote", { class: "quote" }, field(p.quote ?? "")),
      h("p", { class: "meta" }, h("a", { href: reportHref(p.report) }, "Open the report")),
      p.disagree ? h("p", { class: "flag" }, h("strong", {}, "Disagreement:"), " analysts judge this passage differently.") : null,
      h("table", { class: "side-by-side" },
        h("caption", { class: "visually-hidden" }, "Judgments of this passage"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Analyst"), h("th", { scope: "col" }, "Confidence"), h("th", { scope: "col" }, "Likelihood"))),
        h("tbody", {}, (p.judgments ?? []).map((j) =>
          h("tr", { dataset: { annotationId: j.annotation ?? "" } },
            h("th", { scope: "row" }, h("a", { href: reportHref(p.report, j.annotation) }, field(j.author))),
            h("td", {}, confidenceWords(j.confidence) || "—"),
            h("td", {}, likelihoodWords(j.likelihood) || "—")))))));
  }
  view.append(h("section", { class: "digest" }, h("h2", {}, "Digest since the last sync"),
    digest?.text ? field(digest.text, "pre", "digest-text") : h("p", { class: "empty" }, "Nothing new.")));
  return view;
}
