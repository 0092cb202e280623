// The reader page: routes, the status line, live updates, note actions and keyboard shortcuts.
// Views build their elements (views.js, reading.js); this module decides which one shows and
// carries out what the reader asks of a note.

import { api } from "./api.js";
import { h, replace } from "./dom.js";
import { field } from "./text.js";
import { state, editorKey } from "./state.js";
import { readingView } from "./reading.js";
import { reportsView, searchView, reviewView, judgmentsView } from "./views.js";
import {
  initToolbar, openForm, openWholeForm, closeToolbar, saveHighlight, placeHere, afterRender,
  toolbarOpen, updateFromSelection,
} from "./toolbar.js";
import { caretKey, syncCaretFromSelection, resetCaret, selectedRange } from "./selection.js";
import { hasConflict } from "./words.js";

const $ = (id) => document.getElementById(id);
const view = () => $("view");

// ---- status line -----------------------------------------------------------------------

function say(text) {
  const s = $("status");
  s.classList.remove("error");
  replace(s, text);
}

/** An API failure in the status line: the server's `error`, and its `hint` on what to do. */
function fail(error) {
  const s = $("status");
  s.classList.add("error");
  replace(s, field(error.message || String(error), "span", "error-text"),
    error.hint ? h("span", { class: "hint" }, " — ", field(error.hint)) : null);
}

// ---- routes ----------------------------------------------------------------------------

/** `#/report/ID?note=N` → {name: "report", id, params: {note}}. */
function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  const params = Object.fromEntries(new URLSearchParams(query));
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "report" && parts[1]) return { name: "report", id: parts[1], params };
  if (parts[0] === "review") return { name: "review", params };
  if (parts[0] === "judgments") return { name: "judgments", params };
  if (parts[0] === "search") return { name: "search", params };
  return { name: "reports", params };
}

async function buildView(route) {
  switch (route.name) {
    case "report": return readingView(route.id);
    case "review": return reviewView(route.params.report);
    case "judgments": return judgmentsView(route.params.report);
    case "search": return searchView(route.params.q ?? "");
    default: return reportsView();
  }
}

let rendering = Promise.resolve();

/**
 * Builds the current route's view. `keep` (a refresh of the same view) keeps the scroll
 * position, the focused control with its caret, and the open editors (state.editors).
 */
function render(keep = false) {
  rendering = rendering.then(() => renderNow(keep)).catch((e) => fail(e));
  return rendering;
}

async function renderNow(keep) {
  const route = parseRoute();
  const sameReport = route.name === "report" && state.route.name === "report" && route.id === state.route.id;
  if (!keep && !sameReport) {
    state.editors.clear();
    if (route.name !== "report") state.report = null;
    state.filters = { tag: "", author: "", status: "" }; // another report has other tags and authors
    closeToolbar();
    resetCaret();
    if (!state.retarget) say("");
  }
  state.route = route;
  markNav(route.name);
  let built;
  try {
    built = await buildView(route);
  } catch (error) {
    fail(error);
    return;
  }
  // Where the reader is, taken now, not before the view's data was fetched: she may have
  // typed meanwhile, and a caret put back where it was before that scrambled her words.
  const focus = keep ? rememberFocus() : null;
  const scroll = window.scrollY;
  replace(view(), built);
  if (route.name === "report") { resetCaret(keep); afterRender(); }
  if (keep) {
    window.scrollTo(0, scroll);
    restoreFocus(focus);
  } else if (route.params.note) {
    focusNote(route.params.note);
  } else {
    window.scrollTo(0, 0);
    view().querySelector("h1")?.setAttribute("tabindex", "-1");
  }
}

function markNav(name) {
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** Where focus was, in terms that survive a rebuild: the note, the field, the caret in it. */
function rememberFocus() {
  const el = document.activeElement;
  if (!el || !view().contains(el)) return null;
  const note = el.closest("[data-note-id]")?.dataset.noteId;
  return {
    note, id: el.id || null,
    field: el.dataset?.field ?? null, action: el.dataset?.action ?? null, filter: el.dataset?.filter ?? null,
    start: el.selectionStart ?? null, end: el.selectionEnd ?? null,
    // What the field holds now: the rebuilt one was drawn from the draft as it stood when
    // the view's data was read, a few keystrokes ago.
    value: el.matches("textarea, input[type=text], input:not([type])") ? el.value : null,
  };
}

function restoreFocus(f) {
  if (!f) return;
  let el = null;
  if (f.id) el = $(f.id);
  else {
    const scope = f.note ? view().querySelector(`[data-note-id="${CSS.escape(f.note)}"]`) : view();
    if (!scope) return;
    if (f.field) el = scope.querySelector(`[data-field="${CSS.escape(f.field)}"]`);
    else if (f.action) el = scope.querySelector(`:scope > .actions [data-action="${CSS.escape(f.action)}"]`) ?? scope;
    else if (f.filter) el = scope.querySelector(`[data-filter="${CSS.escape(f.filter)}"]`);
    else el = scope;
  }
  if (!el) return;
  if (f.value !== null && "value" in el && el.value !== f.value) {
    el.value = f.value;
    el.dispatchEvent(new Event("input", { bubbles: true })); // the draft in state.editors too
  }
  el.focus({ preventScroll: true });
  if (f.start !== null && typeof el.setSelectionRange === "function") {
    try { el.setSelectionRange(f.start, f.end); } catch { /* not a text field */ }
  }
}

/** Focuses a note's card and marks its highlights. */
export function focusNote(id) {
  const card = view().querySelector(`[data-note-id="${CSS.escape(id)}"]`);
  if (!card) return;
  selectNote(id);
  card.focus({ preventScroll: true });
  card.scrollIntoView({ block: "center" });
}

function selectNote(id) {
  if (state.selectedNote === id) return;
  state.selectedNote = id;
  for (const el of document.querySelectorAll(".hl-selected, .note.selected")) el.classList.remove("hl-selected", "selected");
  if (!id) return;
  for (const m of document.querySelectorAll("mark[data-annotation-ids]")) {
    if (m.dataset.annotationIds.split(" ").includes(id)) m.classList.add("hl-selected");
  }
  document.querySelector(`[data-note-id="${CSS.escape(id)}"]`)?.classList.add("selected");
}

/** Rebuilds what shows after a change (ours, or news from /api/events). */
const refresh = () => render(true);

// ---- note actions ----------------------------------------------------------------------

function findNote(id) {
  if (state.report) return state.report.annotations.find((a) => a.id === id);
  return null;
}

function openEditor(id, kind, values = {}) {
  state.editors.set(editorKey(id, kind), values);
  return refresh().then(() => {
    const card = view().querySelector(`[data-note-id="${CSS.escape(id)}"]`);
    const form = card?.querySelector(`:scope > form[data-editor="${kind}"]`);
    (form?.querySelector("textarea, input, select") ?? form?.querySelector("button"))?.focus();
  });
}

async function write(call, done) {
  try {
    const result = await call();
    say(done);
    await refresh();
    return result;
  } catch (error) {
    fail(error);
    return null;
  }
}

/** A click on a [data-action] inside a note (or the reading view's own buttons). */
async function act(action, target) {
  const card = target.closest("[data-note-id]");
  const id = card?.dataset.noteId;
  switch (action) {
    case "note-whole": return openWholeForm();
    case "place-here": return placeHere();
    case "cancel-retarget": state.retarget = null; say("Placing cancelled."); return refresh();
    case "reply": return openEditor(id, "reply", { reply: "" });
    case "edit": return openEditor(id, "edit", { edit: findNote(id)?.body ?? card.querySelector(":scope > .body")?.textContent ?? "" });
    case "merge": {
      const note = findNote(id);
      const merged = note && hasConflict(note) ? note.bodyVersions.map((v) => v.text).join("\n\n") : "";
      return openEditor(id, "edit", { edit: merged });
    }
    case "keep": {
      const note = findNote(id);
      const version = note?.bodyVersions?.[Number(target.dataset.version)];
      if (!version) return;
      return write(() => api.edit(id, version.text), "Conflict settled: the version you kept is the note now.");
    }
    case "tag": return openEditor(id, "tag", { tags: "" });
    case "judge": return openEditor(id, "judge", {});
    case "untag": return write(() => api.tags(id, [], [target.dataset.tag]), "Tag removed.");
    case "resolve": return write(() => api.resolve(id), "Resolved.");
    case "reopen": return write(() => api.reopen(id), "Reopened.");
    case "delete": return openEditor(id, "delete", {});
    case "accept": return write(() => api.accept(id), "Proposal accepted: the note is placed there.");
    case "retarget": {
      const report = target.closest("[data-review-report]")?.dataset.reviewReport ?? state.report?.report.id;
      state.retarget = { id, report };
      say("Select the passage this note belongs to, then press Place here.");
      if (state.route.name === "report" && state.route.id === report) return refresh();
      location.hash = `#/report/${encodeURIComponent(report)}`;
      return;
    }
    case "cancel": {
      const kind = target.closest("form[data-editor]")?.dataset.editor;
      state.editors.delete(editorKey(id, kind));
      await refresh();
      view().querySelector(`[data-note-id="${CSS.escape(id)}"]`)?.focus();
      return;
    }
  }
}

/** An editor's form sent (button, Enter in an input, Ctrl+Enter in a textarea). */
async function submitEditor(form) {
  const card = form.closest("[data-note-id]");
  const id = card.dataset.noteId;
  const kind = form.dataset.editor;
  const value = (name) => form.querySelector(`[data-field="${name}"]`)?.value ?? "";
  let call, done;
  if (kind === "reply") {
    if (!value("reply").trim()) return say("Write a reply first.");
    call = () => api.reply(id, value("reply").trim()); done = "Reply saved.";
  } else if (kind === "edit") {
    if (!value("edit").trim()) return say("A note's text cannot be empty; delete the note instead.");
    call = () => api.edit(id, value("edit")); done = "Note saved.";
  } else if (kind === "tag") {
    const add = value("tags").split(",").map((t) => t.trim()).filter(Boolean);
    if (!add.length) return say("Type a tag to add.");
    call = () => api.tags(id, add, []); done = "Tags added.";
  } else if (kind === "delete") {
    call = () => api.remove(id); done = "Deleted.";
  } else if (kind === "judge") {
    const j = {};
    if (value("confidence")) j.confidence = value("confidence");
    if (value("likelihood")) j.likelihood = value("likelihood");
    call = () => api.judge(id, j); done = "Judgment saved.";
  }
  state.editors.delete(editorKey(id, kind));
  const result = await write(call, done);
  if (result === null) state.editors.set(editorKey(id, kind), readEditor(form)); // keep the draft on failure
  else if (kind !== "delete") focusNote(kind === "reply" && result?.id ? result.id : id);
}

function readEditor(form) {
  const values = {};
  for (const el of form.querySelectorAll("[data-field]")) values[el.dataset.field] = el.value;
  return values;
}

// ---- wiring ----------------------------------------------------------------------------

function wire() {
  const main = view();
  main.addEventListener("click", (e) => {
    const button = e.target.closest("[data-action]");
    // A form's submit button is left to the form (its submit event saves).
    if (button && main.contains(button) && button.type !== "submit") { e.preventDefault(); act(button.dataset.action, button); return; }
    if (button) return;
    // A click (not a drag) on a highlight opens its note.
    const mark = e.target.closest("mark[data-annotation-id]");
    if (mark && document.getSelection().isCollapsed) focusNote(mark.dataset.annotationId);
  });
  main.addEventListener("submit", (e) => {
    e.preventDefault();
    if (e.target.id === "search-form") {
      const q = new FormData(e.target).get("q")?.toString().trim() ?? "";
      location.hash = `#/search?q=${encodeURIComponent(q)}`;
    } else if (e.target.matches("form[data-editor]")) submitEditor(e.target);
  });
  // Drafts live in state.editors so a refresh puts them back.
  main.addEventListener("input", (e) => {
    const form = e.target.closest("form[data-editor]");
    const id = e.target.closest("[data-note-id]")?.dataset.noteId;
    if (form && id) state.editors.set(editorKey(id, form.dataset.editor), readEditor(form));
  });
  main.addEventListener("change", (e) => {
    const name = e.target.dataset?.filter;
    if (name) { state.filters[name] = e.target.value; refresh(); }
  });
  main.addEventListener("focusin", (e) => {
    const card = e.target.closest(".note[data-note-id]");
    if (card) selectNote(card.dataset.noteId);
  });
  main.addEventListener("keydown", (e) => {
    const form = e.target.closest?.("form[data-editor]");
    if (form && e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    if (form && e.key === "Escape") { e.preventDefault(); e.stopPropagation(); act("cancel", form); }
  });
  document.addEventListener("mouseup", () => setTimeout(() => { syncCaretFromSelection(); updateFromSelection(); }, 0));
  document.addEventListener("keydown", shortcuts);
  window.addEventListener("hashchange", () => render());
  $("help-button").addEventListener("click", () => $("help").showModal());
  $("help-close").addEventListener("click", () => $("help").close());
  $("sync").addEventListener("click", () => sync());
}

const typing = (el) => el && (el.matches("textarea, input, select, [contenteditable]") || el.isContentEditable);

/** Keys: c h t j on a selection, r e on a focused note, ? for help, Escape to close. */
function shortcuts(e) {
  if (e.defaultPrevented) return;
  const active = document.activeElement;
  if (e.key === "Escape") {
    if (toolbarOpen()) { e.preventDefault(); closeToolbar(); $("report-body")?.focus(); }
    return;
  }
  if (typing(active) || e.metaKey) return;
  // The body's own caret: arrows, with Shift to select.
  if (active?.id === "report-body" && caretKey(e)) { e.preventDefault(); return; }
  if (e.ctrlKey || e.altKey) return;
  const key = e.key;
  if (key === "?") { e.preventDefault(); $("help").showModal(); return; }
  const onText = state.route.name === "report" && (state.pending || selectedRange());
  if (onText) {
    const map = { c: "tb-text", t: "tb-tags", j: "tb-confidence" };
    if (map[key]) { e.preventDefault(); openForm(map[key]); return; }
    if (key === "h") { e.preventDefault(); saveHighlight(); return; }
    if ((key === "p" || key === "P") && state.retarget) { e.preventDefault(); placeHere(); return; }
  }
  const card = active?.closest?.("[data-note-id]");
  if (card && active === card) {
    const map = { r: "reply", e: "edit", x: "resolve" };
    const action = map[key];
    const button = action && (card.querySelector(`:scope > .actions [data-action="${action}"]`) ??
      (action === "resolve" ? card.querySelector(':scope > .actions [data-action="reopen"]') : null));
    if (button) { e.preventDefault(); act(button.dataset.action, button); }
  }
}

// ---- sync and live updates ---------------------------------------------------------------

async function sync() {
  const button = $("sync");
  button.disabled = true;
  say("Syncing…");
  try {
    const result = await api.sync();
    say("Synced.");
    const out = $("sync-result");
    replace(out, h("h2", {}, "Sync"), field(result.summary ?? "", "pre", "sync-summary"),
      result.digest ? h("h3", {}, "Digest") : null, result.digest ? field(result.digest, "pre", "sync-digest") : null,
      h("button", { type: "button", id: "sync-close" }, "Close"));
    out.hidden = false;
    $("sync-close").addEventListener("click", () => { out.hidden = true; button.focus(); });
    await refresh();
  } catch (error) {
    fail(error);
  } finally {
    button.disabled = false;
  }
}

function live() {
  if (!window.EventSource) return;
  const events = new EventSource("/api/events");
  let timer = 0;
  events.addEventListener("changed", () => {
    // Several changes in a row (a sync applying pages) make one refresh.
    clearTimeout(timer);
    timer = setTimeout(() => refresh(), 150);
  });
  events.addEventListener("open", () => $("live").classList.remove("offline"));
  events.addEventListener("error", () => $("live").classList.add("offline"));
}

async function start() {
  initToolbar({ refresh, say, fail, focusNote });
  wire();
  try {
    state.me = await api.me();
    replace($("me"), field(state.me.user), state.me.workspace ? h("span", { class: "workspace" }, " · ", field(state.me.workspace)) : null);
    $("sync").hidden = !state.me.remote;
  } catch (error) {
    fail(error);
  }
  live();
  await render();
}

start();
