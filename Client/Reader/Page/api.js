// The page's only way to the server (the contract: notes/reader-api.md). Reads are GET, writes
// are POST with a JSON body; a failure throws ApiError carrying the server's `error` and `hint`.

export class ApiError extends Error {
  constructor(message, hint, status) {
    super(message);
    this.hint = hint || "";
    this.status = status;
  }
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...options });
  } catch {
    throw new ApiError("The gloss server does not answer.", "Is `gloss open` still running? Start it again and open the address it prints.", 0);
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    if (body && body.error) throw new ApiError(body.error, body.hint, response.status);
    if (response.status === 403) {
      throw new ApiError("This page is not signed in.", "Open the address `gloss open` printed (with its secret) again.", 403);
    }
    throw new ApiError(`The server answered ${response.status}.`, "", response.status);
  }
  return body;
}

const get = (path) => request(path);
const post = (path, body = {}) => request(path, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

const q = encodeURIComponent;
const forReport = (report) => (report ? `?report=${q(report)}` : "");

export const api = {
  me: () => get("/api/me"),
  reports: () => get("/api/reports"),
  report: (id) => get(`/api/reports/${q(id)}`),
  search: (text) => get(`/api/search?q=${q(text)}`),
  review: (report) => get(`/api/review${forReport(report)}`),
  judgments: (report) => get(`/api/judgments${forReport(report)}`),
  digest: () => get("/api/digest"),
  exportURL: (format, report) => `/api/export?format=${q(format)}${report ? `&report=${q(report)}` : ""}`,

  annotate: (body) => post("/api/annotations", body),
  reply: (id, comment) => post(`/api/annotations/${q(id)}/reply`, { comment }),
  edit: (id, comment) => post(`/api/annotations/${q(id)}/edit`, { comment }),
  tags: (id, add, remove) => post(`/api/annotations/${q(id)}/tags`, { add, remove }),
  resolve: (id) => post(`/api/annotations/${q(id)}/resolve`),
  reopen: (id) => post(`/api/annotations/${q(id)}/reopen`),
  remove: (id) => post(`/api/annotations/${q(id)}/delete`),
  judge: (id, judgment) => post(`/api/annotations/${q(id)}/judge`, judgment),
  // The server takes these as note actions (ReaderAPI.swift: /api/annotations/:id/:action).
  accept: (id) => post(`/api/annotations/${q(id)}/accept`),
  retarget: (id, report, start, end) => post(`/api/annotations/${q(id)}/retarget`, { report, start, end }),
  sync: () => post("/api/sync"),
};
