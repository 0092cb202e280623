// The report body: its blocks as title, summary, headings and paragraphs, highlights inline,
// and each passage's notes in a margin beside it (under it on a narrow window: app.css).
//
// Every piece of report text is a text node alone in an element carrying `data-cp` (its first
// code point in report.text); anchor.js relies on that to turn a selection into code points.

import { h } from "./dom.js";
import { shownChar } from "./text.js";
import { segmentsFor, splitAtoms } from "./anchor.js";
import { noteCard } from "./notes.js";
import { state } from "./state.js";

const BLOCK_TAG = { title: "h1", summary: "p", heading: "h2", paragraph: "p" };

/** Where a note's passage is, or null for a note on the whole report (or one left orphaned). */
export function position(note) {
  const p = note.target?.position;
  if (!p || note.deleted || note.reanchor?.status === "orphan") return null;
  return p.end > p.start ? p : null;
}

/**
 * The rows of the body: `{ body, whole }` where `whole` holds the notes on the whole report.
 * `notes` are the top-level notes that pass the filters; `children` their replies.
 */
export function renderBody(blocks, notes, children) {
  const ranges = [];
  const margins = blocks.map(() => []);
  const whole = [];
  const authorOf = new Map(notes.map((n) => [n.id, n.author]));

  for (const note of notes) {
    const p = position(note);
    if (!p) { whole.push(note); continue; }
    // A highlight-only note with nothing to say still shows in the margin, to be found and removed.
    ranges.push({ id: note.id, start: p.start, end: p.end });
    margins[blockAt(blocks, p.start)].push(note);
  }

  const body = h("div", { id: "report-body", tabindex: "0", role: "region",
    "aria-label": "Report text: select a passage (Shift+arrows) to annotate it" });
  blocks.forEach((block, i) => {
    const el = h(BLOCK_TAG[block.kind] ?? "p", {
      class: `block block-${block.kind}`,
      dataset: { block: String(i), kind: block.kind, start: String(block.start), end: String(block.end) },
    });
    for (const seg of segmentsFor(block.start, block.end, ranges)) el.append(...[segment(seg, authorOf)].flat());
    const row = h("div", { class: `row row-${block.kind}`, dataset: { row: String(i) } }, el);
    const here = margins[i].sort((a, b) => position(a).start - position(b).start);
    if (here.length) {
      row.classList.add("has-notes");
      row.append(h("aside", { class: "margin", "aria-label": `Notes on ${block.kind} ${i + 1}` },
        here.map((n) => noteCard(n, children))));
    }
    body.append(row);
  });
  return { body, whole };
}

/** The block a code point belongs to: the last one starting at or before it. */
function blockAt(blocks, cp) {
  let found = 0;
  blocks.forEach((b, i) => { if (b.start <= cp) found = i; });
  return found;
}

/** One piece of text under one set of highlights. */
function segment(seg, authorOf) {
  const text = state.cpText.slice(seg.start, seg.end);
  const pieces = splitAtoms(text, seg.start);
  if (!seg.ids.length) return pieces.map(piece);
  const mine = seg.ids.some((id) => authorOf.get(id) === state.me.user);
  const mark = h("mark", {
    class: ["hl", mine ? "hl-mine" : "hl-others", seg.ids.length > 1 ? "hl-overlap" : "",
      seg.ids.includes(state.selectedNote) ? "hl-selected" : ""].filter(Boolean).join(" "),
    dataset: { annotationId: seg.ids[0], annotationIds: seg.ids.join(" ") },
  });
  if (pieces.length === 1 && !pieces[0].atom) {
    // The common case: the mark itself holds the text.
    mark.dataset.cp = String(pieces[0].start);
    mark.textContent = pieces[0].text;
  } else {
    mark.append(...pieces.map(piece));
  }
  return mark;
}

/** A run of plain text, or a control character shown by its stand-in (one code point). */
function piece(p) {
  if (!p.atom) return h("span", { dataset: { cp: String(p.start) } }, p.text);
  const code = p.text.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
  return h("span", { class: "ctl", dataset: { cp: String(p.start), atom: "" }, title: `control character U+${code}` },
    shownChar(p.text.codePointAt(0)));
}
