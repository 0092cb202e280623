// The selection toolbar (#toolbar): select text in the report, then highlight it, comment on
// it, tag it or judge it (or, while a carried note is being placed anew, "Place here").
//
// The passage is kept as code points in state.pending as soon as the toolbar opens on it, so
// typing in the form (which takes the browser's selection away) or a re-render of the body
// (a teammate's change arriving) does not lose it. While the form is open the passage stays
// marked through the CSS Custom Highlight API where the browser has it (no DOM change).

import { api } from "./api.js";
import { shown } from "./text.js";
import { cpRangeToDom } from "./anchor.js";
import { state } from "./state.js";
import { selectedRange, selectCp } from "./selection.js";

const $ = (id) => document.getElementById(id);
let hooks = { refresh: async () => {}, say: () => {}, fail: () => {} };
let formOpen = false;

export function initToolbar(appHooks) {
  hooks = appHooks;
  $("tb-highlight").addEventListener("click", () => saveHighlight());
  $("tb-comment").addEventListener("click", () => openForm("tb-text"));
  $("tb-tag").addEventListener("click", () => openForm("tb-tags"));
  $("tb-judge").addEventListener("click", () => openForm("tb-confidence"));
  $("tb-place").addEventListener("click", () => placeHere());
  $("tb-cancel").addEventListener("click", () => closeToolbar());
  $("tb-form").addEventListener("submit", (e) => { e.preventDefault(); saveForm(); });
  $("tb-form").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); saveForm(); }
  });
  document.addEventListener("selectionchange", () => schedule());
}

export const toolbarOpen = () => !$("toolbar").hidden;

let timer = 0;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => updateFromSelection(), 120);
}

/** Shows the toolbar's buttons over a fresh selection in the body, or hides them. */
export function updateFromSelection() {
  if (formOpen || state.route.name !== "report") return;
  const range = selectedRange();
  if (!range) {
    // Keep the toolbar when focus merely moved into it (its buttons hold no selection).
    if (!$("toolbar").contains(document.activeElement)) hide();
    return;
  }
  state.pending = range;
  show();
}

function show() {
  const bar = $("toolbar");
  bar.hidden = false;
  $("tb-place").hidden = !state.retarget;
  $("tb-quote").textContent = shown(quotePreview()); // report text too may hold controls
  position(bar);
}

function hide() {
  $("toolbar").hidden = true;
  if (!formOpen) state.pending = null;
}

/**
 * Next to the selection on a wide window, in page coordinates (so it scrolls with the text it
 * belongs to); a sheet at the bottom on a narrow one (app.css).
 */
function position(bar) {
  const root = document.getElementById("report-body");
  if (window.matchMedia("(max-width: 40em)").matches || !state.pending || !root) {
    bar.style.left = ""; bar.style.top = "";
    return;
  }
  // A note on the whole report opens under its button; a passage's under the passage.
  const rect = state.pending.whole
    ? (document.getElementById("note-whole") ?? root).getBoundingClientRect()
    : cpRangeToDom(root, state.pending.start, state.pending.end).getBoundingClientRect();
  const width = bar.offsetWidth || 320;
  const left = Math.min(Math.max(8, rect.left), document.documentElement.clientWidth - width - 8);
  bar.style.left = `${left + window.scrollX}px`;
  bar.style.top = `${rect.bottom + window.scrollY + 8}px`;
}

function quotePreview() {
  const p = state.pending;
  if (!p) return "";
  if (p.whole) return "The whole report";
  const text = state.cpText.slice(p.start, p.end).replace(/\s+/g, " ");
  const cut = Array.from(text);
  return `“${cut.length > 80 ? cut.slice(0, 80).join("") + "…" : text}”`;
}

/** Opens the form (comment, tags, judgment, private) with focus on one of its fields. */
export function openForm(focusId) {
  if (!state.pending) {
    const range = selectedRange();
    if (!range) { hooks.say("Select a passage first (with the mouse, or Shift+arrows in the report)."); return; }
    state.pending = range;
  }
  formOpen = true;
  show();
  $("tb-form").hidden = false;
  markPending();
  position($("toolbar"));
  $(focusId).focus();
}

/** A note on the whole report: the form without a passage. */
export function openWholeForm() {
  state.pending = { whole: true };
  openForm("tb-text");
}

export function closeToolbar() {
  formOpen = false;
  $("tb-form").hidden = true;
  $("tb-form").reset();
  if (CSS.highlights) CSS.highlights.delete("pending");
  hide();
  state.pending = null;
}

/** After the body was rebuilt: mark the pending passage again, or reselect it. */
export function afterRender() {
  if (!state.pending || state.pending.whole || !document.getElementById("report-body")) return;
  if (formOpen) markPending();
  else if (toolbarOpen()) { selectCp(state.pending.start, state.pending.end); position($("toolbar")); }
}

function markPending() {
  const root = document.getElementById("report-body");
  if (!CSS.highlights || !root || !state.pending || state.pending.whole) return;
  CSS.highlights.set("pending", new Highlight(cpRangeToDom(root, state.pending.start, state.pending.end)));
}

function passage() {
  const p = state.pending;
  const body = { report: state.report.report.id };
  if (p && !p.whole) { body.start = p.start; body.end = p.end; }
  return body;
}

export async function saveHighlight() {
  if (!state.pending) state.pending = selectedRange();
  if (!state.pending || state.pending.whole) { hooks.say("Select a passage to highlight."); return; }
  await write(() => api.annotate(passage()), "Highlighted.");
}

async function saveForm() {
  const body = passage();
  const comment = $("tb-text").value.trim();
  const tags = $("tb-tags").value.split(",").map((t) => t.trim()).filter(Boolean);
  if (comment) body.comment = comment;
  if (tags.length) body.tags = tags;
  if ($("tb-confidence").value) body.confidence = $("tb-confidence").value;
  if ($("tb-likelihood").value) body.likelihood = $("tb-likelihood").value;
  if ($("tb-private").checked) body.private = true;
  if (!("start" in body) && !comment && !tags.length && !body.confidence && !body.likelihood) {
    hooks.say("A note on the whole report needs a comment, a tag or a judgment.");
    return;
  }
  await write(() => api.annotate(body), body.private ? "Private note saved." : "Note saved.");
}

/** Retarget: the carried note being placed goes to the selected passage. */
export async function placeHere() {
  const r = state.retarget;
  if (!r) return;
  const range = state.pending && !state.pending.whole ? state.pending : selectedRange();
  if (!range) { hooks.say("Select the passage the note belongs to, then press Place here."); return; }
  await write(() => api.retarget(r.id, state.report.report.id, range.start, range.end), "Note placed.", () => {
    state.retarget = null;
  });
}

async function write(call, done, after) {
  $("tb-save").disabled = true;
  try {
    const result = await call();
    after?.(result);
    closeToolbar();
    document.getSelection().removeAllRanges();
    hooks.say(done);
    await hooks.refresh();
    if (result?.id) hooks.focusNote?.(result.id);
  } catch (error) {
    hooks.fail(error);
  } finally {
    $("tb-save").disabled = false;
  }
}
