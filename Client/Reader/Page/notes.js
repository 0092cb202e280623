// A note as a card: who, when, what kind, its text, tags, judgment, conflict, what became of
// its anchor, its actions, open editors, and the thread of replies under it.
//
// Cards are built from data only; clicks reach app.js through `data-action` (event
// delegation), so a card is the same wherever it shows (margin, review queue, search).

import { h, append } from "./dom.js";
import { field } from "./text.js";
import { state, editorKey } from "./state.js";
import {
  CONFIDENCE, LIKELIHOOD, MOTIVATION, REANCHOR, confidenceWords, likelihoodWords, judgmentWords,
  when, iso, day, short, hasConflict,
} from "./words.js";

/**
 * The card of `note` and, nested, its replies (`children`: id → replies).
 * `options.quote` shows the passage quoted (outside the reading view, where it is not beside it).
 */
export function noteCard(note, children, options = {}) {
  const mine = note.author === state.me.user;
  const classes = ["note", mine ? "mine" : "others"];
  if (note.visibility === "private") classes.push("private");
  if (note.status === "resolved") classes.push("resolved");
  if (hasConflict(note)) classes.push("conflict");
  if (note.deleted) classes.push("deleted");
  if (note.reanchor) classes.push(`carried-${note.reanchor.status}`);
  if (state.selectedNote === note.id) classes.push("selected");

  const card = h("article", {
    class: classes.join(" "),
    tabindex: "0",
    dataset: { noteId: note.id, author: note.author, status: note.status },
    "aria-label": `${note.deleted ? "Deleted note" : "Note"} by ${note.author}`,
  });

  if (note.deleted) {
    // A tombstone keeps its replies readable.
    card.append(h("p", { class: "tombstone" }, "This note was deleted."));
  } else {
    card.append(header(note, mine));
    if (options.quote && note.target?.quote?.exact) {
      card.append(quote(note.target.quote.exact, note.reanchor ? "Was on" : "On", "quote-target"));
    }
    if (note.reanchor) card.append(...carried(note.reanchor));
    if (hasConflict(note)) card.append(conflict(note, mine));
    else if (note.body) card.append(field(note.body, "div", "body"));
    if (note.tags?.length) card.append(tagList(note.tags));
    if (note.judgment && (note.judgment.confidence || note.judgment.likelihood)) {
      card.append(h("p", { class: "judgment" }, field(judgmentWords(note.judgment))));
    }
    card.append(actions(note, mine));
    for (const kind of ["reply", "edit", "tag", "judge", "delete"]) {
      const values = state.editors.get(editorKey(note.id, kind));
      if (values) card.append(editor(note, kind, values));
    }
  }

  const replies = children.get(note.id) ?? [];
  if (replies.length) {
    card.append(h("ol", { class: "thread", "aria-label": `Replies to ${note.author}` },
      replies.map((reply) => h("li", {}, noteCard(reply, children)))));
  }
  return card;
}

function header(note, mine) {
  const head = h("header", { class: "note-head" },
    field(note.author, "span", "author"),
    mine ? h("span", { class: "you" }, " (you)") : null,
    " ",
    h("time", { datetime: iso(note.created), title: `changed ${when(note.updated)}` }, when(note.created)),
    " ",
    h("span", { class: "motivation" }, MOTIVATION[note.motivation] ?? note.motivation ?? ""),
  );
  if (note.visibility === "private") head.append(" ", h("span", { class: "badge private" }, "private"));
  if (note.status === "resolved") head.append(" ", h("span", { class: "badge resolved" }, "resolved"));
  if (hasConflict(note)) head.append(" ", h("span", { class: "badge conflict" }, "conflict"));
  return head;
}

/** What became of a carried note's anchor, and on whose word the revision link stands. */
function carried(reanchor) {
  const out = [];
  const mark = h("p", { class: `carried carried-${reanchor.status}`, dataset: { reanchor: reanchor.status } },
    REANCHOR[reanchor.status] ?? reanchor.status);
  if (reanchor.reason) mark.append(": ", field(reanchor.reason));
  out.push(mark);
  if (reanchor.proposal?.quote?.exact) out.push(quote(reanchor.proposal.quote.exact, "Gloss proposes", "quote-proposal"));
  if (reanchor.claim) {
    const c = reanchor.claim;
    out.push(h("p", { class: "claim" },
      "carried across ", field(c.by), `'s claim (${day(c.at)}) that this revises `,
      h("a", { href: `#/report/${encodeURIComponent(reanchor.from)}` }, short(c.link ?? reanchor.from)),
      " — not confirmed by you"));
  }
  return out;
}

/** A quoted passage with a visible label ("Was on", "Gloss proposes"). */
function quote(text, label, className = "") {
  return h("div", { class: `quoted ${className}`.trim() },
    h("span", { class: "quote-label" }, `${label}: `),
    h("blockquote", { class: "quote" }, field(text)));
}

function tagList(tags) {
  return h("ul", { class: "tags", "aria-label": "Tags" }, tags.map((t) => h("li", { class: "tag" }, field(t))));
}

/** Both versions side by side, each with "keep this"; "merge" opens the editor with both. */
function conflict(note, mine) {
  const box = h("div", { class: "conflict-box", role: "group", "aria-label": "Conflicting versions" },
    h("p", { class: "conflict-why" },
      `${note.bodyVersions.length} versions were written at the same time. `,
      mine ? "Keep one, or merge them into one." : "Only its author can settle it."));
  note.bodyVersions.forEach((v, i) => {
    box.append(h("div", { class: "version", dataset: { version: String(i) } },
      h("p", { class: "version-head" }, `Version ${i + 1} · `, field(v.author), " · ", when(v.hlc)),
      field(v.text, "div", "body"),
      mine ? h("button", { type: "button", dataset: { action: "keep", version: String(i) },
        "aria-label": `Keep version ${i + 1}` }, "Keep this version") : null));
  });
  if (mine) box.append(h("button", { type: "button", dataset: { action: "merge" } }, "Merge…"));
  return box;
}

/** The buttons a note offers this reader (only its author edits, judges, deletes). */
function actions(note, mine) {
  const button = (action, label, aria) =>
    h("button", { type: "button", dataset: { action }, "aria-label": aria ?? `${label} (note by ${note.author})` }, label);
  const bar = h("div", { class: "actions", role: "group", "aria-label": "Note actions" },
    button("reply", "Reply"),
    mine ? button("edit", "Edit") : null,
    button("tag", "Tags"),
    mine ? button("judge", "Judge") : null,
    note.status === "resolved" ? button("reopen", "Reopen") : button("resolve", "Resolve"),
    // No "Share with team": a private note stays private (no operation changes its visibility;
    // the server has no share action, and the button could only fail).
    mine ? button("delete", "Delete") : null);
  const r = note.reanchor;
  if (r && r.status === "review" && r.proposal) bar.append(button("accept", "Accept proposal"));
  if (r && r.status !== "exact") bar.append(button("retarget", "Place anew…"));
  return bar;
}

/** An editor open on a note; its values come from state.editors, so a re-render keeps them. */
function editor(note, kind, values) {
  const form = h("form", { class: `editor editor-${kind}`, dataset: { editor: kind } });
  if (kind === "delete") {
    // Asked in place rather than with window.confirm: calmer, and reachable by keyboard.
    return append(form, [h("p", { class: "confirm" }, "Delete this note? Its replies stay readable."),
      h("div", { class: "editor-buttons" },
        h("button", { type: "submit", class: "danger", dataset: { action: "confirm-delete" } }, "Delete"),
        h("button", { type: "button", dataset: { action: "cancel" } }, "Keep it"))]);
  }
  const done = h("div", { class: "editor-buttons" },
    h("button", { type: "submit", dataset: { action: "save" } }, {
      reply: "Reply", edit: "Save", tag: "Add tags", judge: "Save judgment" }[kind]),
    h("button", { type: "button", dataset: { action: "cancel" } }, "Cancel"));
  if (kind === "reply" || kind === "edit") {
    form.append(h("label", {}, kind === "reply" ? "Your reply" : "Note text",
      h("textarea", { dataset: { field: kind }, rows: "3", dir: "auto", value: values[kind] ?? "" })));
    form.append(h("p", { class: "hint" }, "Ctrl+Enter saves · Escape cancels"));
  } else if (kind === "tag") {
    if (note.tags?.length) {
      form.append(h("ul", { class: "tags editable", "aria-label": "Current tags" }, note.tags.map((t) =>
        h("li", { class: "tag" }, field(t),
          h("button", { type: "button", class: "untag", dataset: { action: "untag", tag: t },
            "aria-label": `Remove tag ${t}` }, "×")))));
    }
    form.append(h("label", {}, "Add tags (comma separated)",
      h("input", { type: "text", dataset: { field: "tags" }, value: values.tags ?? "" })));
  } else if (kind === "judge") {
    form.append(select("confidence", "Confidence", CONFIDENCE, confidenceWords, values.confidence ?? note.judgment?.confidence ?? ""));
    form.append(select("likelihood", "Likelihood", LIKELIHOOD, likelihoodWords, values.likelihood ?? note.judgment?.likelihood ?? ""));
  }
  form.append(done);
  return form;
}

function select(name, label, options, words, value) {
  const el = h("select", { dataset: { field: name } },
    h("option", { value: "" }, "—"),
    options.map((o) => h("option", { value: o }, words(o))));
  el.value = value;
  return h("label", {}, label, " ", el);
}

/** Replies grouped by the note they answer, oldest first. */
export function threads(annotations, parentOf) {
  const children = new Map();
  const byTime = [...annotations].sort((a, b) => (a.created?.wall ?? 0) - (b.created?.wall ?? 0));
  for (const a of byTime) {
    const p = parentOf(a);
    if (!p) continue;
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(a);
  }
  return children;
}
