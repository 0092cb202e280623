// What the page remembers between renders. Views are rebuilt from the server's answers on
// every change (a teammate's sync, another `gloss` command), so anything the reader is in the
// middle of — an open editor and its text, the selection waiting for the toolbar, a note being
// placed — lives here, not in the DOM, and is put back after each render.

export const state = {
  me: { user: "", workspace: null, remote: null },
  route: { name: "reports", params: {} },
  /** The open report: the /api/reports/ID answer, and its text indexed by code point. */
  report: null,
  cpText: null,
  /** Reading-view filters. */
  filters: { tag: "", author: "", status: "" },
  /** Open note editors: "NOTEID:kind" → { field: value }. */
  editors: new Map(),
  /** The passage the toolbar acts on: {start, end} in code points, or {whole: true}. */
  pending: null,
  /** A carried note being placed anew: {id, report, label}. */
  retarget: null,
  /** The note the reader last focused (its highlights show as selected). */
  selectedNote: null,
};

export const editorKey = (id, kind) => `${id}:${kind}`;
