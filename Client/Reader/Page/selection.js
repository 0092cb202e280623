// The reader's selection in the report body, by mouse or keyboard, as code points.
//
// Browsers only move a caret through text that is not editable when caret browsing is on
// (F7). So the focusable body (#report-body, tabindex=0) keeps a caret of its own, in code
// points: arrows move it a character (a grapheme: a flag or a ZWJ family is one), Ctrl/Alt
// with an arrow a word, Up/Down a block, Home/End to the block's ends; Shift with any of them
// extends the selection. The real DOM selection is set from it, so mouse and keyboard
// selections are one thing to the rest of the page.

import { cpToPoint, pointToCp, rangeToCp, step } from "./anchor.js";
import { state } from "./state.js";

let caret = null; // {anchor, focus} in code points
let caretEl = null;

const body = () => document.getElementById("report-body");

/** The selection as code points of report.text, or null (none, or outside the body). */
export function selectedRange() {
  const root = body();
  const sel = document.getSelection();
  if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== root) return null;
  return rangeToCp(root, range);
}

/** Keeps the keyboard caret where the mouse left the selection. */
export function syncCaretFromSelection() {
  const root = body();
  const sel = document.getSelection();
  if (!root || !sel || sel.rangeCount === 0 || !root.contains(sel.anchorNode)) return;
  caret = {
    anchor: pointToCp(root, sel.anchorNode, sel.anchorOffset, "start"),
    focus: pointToCp(root, sel.focusNode, sel.focusOffset, "start"),
  };
  drawCaret();
}

/** Selects code points [start, end) in the body (after a re-render, or a keyboard move). */
export function selectCp(start, end, backwards = false) {
  const root = body();
  if (!root) return;
  const a = cpToPoint(root, backwards ? end : start, backwards ? "end" : "start");
  const b = cpToPoint(root, backwards ? start : end, backwards ? "start" : "end");
  document.getSelection().setBaseAndExtent(a.node, a.offset, b.node, b.offset);
}

/** The block [start, end] that holds code point cp (between blocks: the next one). */
function blockOf(cp) {
  const blocks = state.report?.blocks ?? [];
  for (let i = 0; i < blocks.length; i++) if (cp <= blocks[i].end) return i;
  return blocks.length - 1;
}

/**
 * A key pressed while the body has focus. Returns true when it moved the caret or selection
 * (the caller then prevents the browser's default).
 */
export function caretKey(event) {
  const blocks = state.report?.blocks;
  if (!blocks?.length || !state.cpText) return false;
  const keys = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"];
  if (!keys.includes(event.key) || event.metaKey) return false;
  if (!caret) caret = { anchor: blocks[0].start, focus: blocks[0].start };

  let cp = caret.focus;
  let i = blockOf(cp);
  const b = blocks[i];
  const word = event.ctrlKey || event.altKey;
  switch (event.key) {
    case "ArrowRight":
      if (cp >= b.end && i + 1 < blocks.length) cp = blocks[i + 1].start;
      else cp = step(state.cpText, Math.max(cp, b.start), +1, word ? "word" : "char", b.start, b.end);
      break;
    case "ArrowLeft":
      if (cp <= b.start && i > 0) cp = blocks[i - 1].end;
      else cp = step(state.cpText, Math.min(cp, b.end), -1, word ? "word" : "char", b.start, b.end);
      break;
    case "ArrowDown":
      // To the end of this block, then on to the end of the next.
      if (cp < b.end) cp = b.end;
      else if (i + 1 < blocks.length) cp = blocks[i + 1].end;
      break;
    case "ArrowUp":
      if (cp > b.start) cp = b.start;
      else if (i > 0) cp = blocks[i - 1].start;
      break;
    case "Home": cp = b.start; break;
    case "End": cp = b.end; break;
  }
  caret = { anchor: event.shiftKey ? caret.anchor : cp, focus: cp };
  applyCaret();
  return true;
}

function applyCaret() {
  const { anchor, focus } = caret;
  if (anchor === focus) {
    document.getSelection().removeAllRanges();
  } else {
    selectCp(Math.min(anchor, focus), Math.max(anchor, focus), focus < anchor);
  }
  drawCaret();
  const p = cpToPoint(body(), focus, "start");
  (p.node.nodeType === 3 ? p.node.parentElement : p.node)?.scrollIntoView?.({ block: "nearest" });
}

/** A thin line where the keyboard caret is (a selection that is not editable shows none). */
function drawCaret() {
  const root = body();
  if (!root || !caret) return;
  if (!caretEl || !root.contains(caretEl)) {
    caretEl = document.createElement("div");
    caretEl.className = "kbd-caret";
    caretEl.setAttribute("aria-hidden", "true");
    root.append(caretEl);
  }
  const p = cpToPoint(root, caret.focus, "start");
  const r = document.createRange();
  r.setStart(p.node, p.offset);
  const rect = r.getClientRects()[0] ?? (p.node.nodeType === 3 ? p.node.parentElement : p.node).getBoundingClientRect();
  const base = root.getBoundingClientRect();
  caretEl.style.left = `${rect.left - base.left}px`;
  caretEl.style.top = `${rect.top - base.top}px`;
  caretEl.style.height = `${rect.height || 18}px`;
}

/** Forget the caret (a new report, a new render). */
export function resetCaret(keep = false) {
  caretEl = null;
  if (!keep) caret = null;
  else drawCaret();
}
