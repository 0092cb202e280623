// The page's words for Gloss's values: ICD 203 judgments, times, and small facts about notes.

export const CONFIDENCE = ["low", "moderate", "high"];
export const LIKELIHOOD = ["almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance",
  "likely", "very-likely", "almost-certain"];

/** "moderate confidence", "almost certain", "high confidence · likely". */
export function confidenceWords(c) { return c ? `${c} confidence` : ""; }
export function likelihoodWords(l) { return l ? l.replaceAll("-", " ") : ""; }
export function judgmentWords(j) {
  if (!j) return "";
  return [confidenceWords(j.confidence), likelihoodWords(j.likelihood)].filter(Boolean).join(" · ");
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A note's time ({wall ms, logical}, ms, or ISO text) as the reader's locale writes it. */
export function when(t) {
  const ms = typeof t === "object" && t ? t.wall : t;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? "" : dateTime.format(d);
}
export function day(t) {
  // A stamp may come as ISO text, milliseconds, or an HLC ({wall, logical}).
  const d = new Date(typeof t === "object" && t ? t.wall : t);
  return Number.isNaN(d.getTime()) ? String(t ?? "") : dateOnly.format(d);
}
/** Machine-readable form for <time datetime>. */
export function iso(t) {
  const ms = typeof t === "object" && t ? t.wall : t;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}

/** Ids are hashes: shown short, git style. */
export const short = (id) => String(id ?? "").slice(0, 8);

/** The note a reply answers (the contract says replyTo; `gloss show --json` says parent). */
export const parentOf = (a) => a.replyTo ?? a.parent ?? null;

export const hasConflict = (a) => Array.isArray(a.bodyVersions) && a.bodyVersions.length > 1;

export const MOTIVATION = {
  highlighting: "highlight", commenting: "comment", questioning: "question", assessing: "judgment",
  tagging: "tags", replying: "reply", bookmarking: "bookmark", describing: "description", linking: "link",
};

export const REANCHOR = {
  exact: "carried over unchanged",
  changed: "carried over — the passage changed",
  review: "needs review — Gloss could not place it for sure",
  orphan: "orphaned — the passage is gone",
};

/** "s" when n is not 1. */
export const plural = (n, word, many = word + "s") => `${n} ${n === 1 ? word : many}`;
