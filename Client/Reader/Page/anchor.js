// Offsets between the browser and Gloss.
//
// Gloss counts positions in Unicode code points of `report.text` (what `gloss annotate` and
// the W3C TextPositionSelector use). The DOM counts UTF-16 code units, inside text nodes that
// the rendering splits across elements (a highlight starts a new <mark>, a control character
// is shown by its own element). So every text-bearing element of the report body carries
// `data-cp`, the code point where its text starts; an element that also has `data-atom` shows
// one code point by a stand-in ("^[" for ESC), and counts as exactly one.
//
// The first half of this module is pure (strings and numbers: testable in node); the second
// half reads the DOM but never changes it.

// ---- pure: code points in strings ------------------------------------------------------

const isHigh = (u) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u) => u >= 0xdc00 && u <= 0xdfff;
const clamp = (n, lo, hi) => Math.max(lo, Math.min(hi, n));

/** The number of code points in `str` between UTF-16 offsets `from` and `to`. */
export function cpCount(str, from = 0, to = str.length) {
  let n = 0;
  for (let i = from; i < to; i++) {
    // A low surrogate right after a high one is the second half of one code point.
    if (i > from && isLow(str.charCodeAt(i)) && isHigh(str.charCodeAt(i - 1))) continue;
    n++;
  }
  return n;
}

/**
 * A UTF-16 offset moved off the middle of a surrogate pair: `back` to the pair's start (a
 * selection's start keeps the whole character), `forward` past it (a selection's end).
 */
export function snapUtf16(str, offset, direction = "back") {
  if (offset > 0 && offset < str.length &&
      isHigh(str.charCodeAt(offset - 1)) && isLow(str.charCodeAt(offset))) {
    return direction === "back" ? offset - 1 : offset + 1;
  }
  return offset;
}

/** The code point index of UTF-16 `offset` in `str`, snapped so it never splits a pair. */
export function utf16ToCp(str, offset, direction = "back") {
  return cpCount(str, 0, snapUtf16(str, clamp(offset, 0, str.length), direction));
}

/** The UTF-16 offset of code point index `cp` in `str` (clamped to the string). */
export function cpToUtf16(str, cp) {
  let i = 0;
  for (let n = 0; n < cp && i < str.length; n++) {
    i += isHigh(str.charCodeAt(i)) && isLow(str.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/**
 * A text indexed by code point: the report's canonical text, sliced as Gloss counts.
 * Built once per report; `utf16[cp]` is where code point `cp` starts.
 */
export class CodePointText {
  constructor(text) {
    this.text = text;
    const starts = [];
    for (let i = 0; i < text.length; i++) {
      starts.push(i);
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) i++;
    }
    starts.push(text.length);
    this.utf16 = Uint32Array.from(starts);
    this.length = starts.length - 1;
  }
  /** The text between code points `start` and `end`. */
  slice(start, end) {
    return this.text.slice(this.utf16[clamp(start, 0, this.length)], this.utf16[clamp(end, 0, this.length)]);
  }
  /** The code point that starts at or contains UTF-16 `offset`. */
  cpAt(offset) {
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.utf16[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * Where a block's text must be cut so every piece is covered by the same set of highlights.
 * `ranges` are `{id, start, end}` in code points (overlaps allowed, any order). Returns the
 * pieces `{start, end, ids}` that tile [blockStart, blockEnd), `ids` ordered shortest range
 * first (the most specific highlight is the one a click means).
 */
export function segmentsFor(blockStart, blockEnd, ranges) {
  const inside = ranges
    .map((r) => ({ id: r.id, start: Math.max(r.start, blockStart), end: Math.min(r.end, blockEnd) }))
    .filter((r) => r.start < r.end);
  const cuts = new Set([blockStart, blockEnd]);
  for (const r of inside) { cuts.add(r.start); cuts.add(r.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i], end = points[i + 1];
    const ids = inside
      .filter((r) => r.start <= start && r.end >= end)
      .sort((a, b) => (a.end - a.start) - (b.end - b.start))
      .map((r) => r.id);
    out.push({ start, end, ids });
  }
  return out;
}

/** Whether a code point is shown by a visible stand-in (text.js `shownChar`). */
export function isAtom(c) {
  return (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
    c === 0x200e || c === 0x200f || c === 0x061c;
}

/**
 * The pieces a piece of report text is rendered as: each control or bidi control alone (an
 * atom, shown by a visible stand-in), the rest in runs. `{start, end, text, atom}`, code points
 * counted from `start`.
 */
export function splitAtoms(text, start) {
  const out = [];
  let run = "", runStart = start, cp = start;
  for (const ch of text) {
    if (isAtom(ch.codePointAt(0))) {
      if (run) out.push({ start: runStart, end: cp, text: run, atom: false });
      out.push({ start: cp, end: cp + 1, text: ch, atom: true });
      run = "";
      runStart = cp + 1;
    } else {
      run += ch;
    }
    cp++;
  }
  if (run) out.push({ start: runStart, end: cp, text: run, atom: false });
  return out;
}

// Grapheme and word steps, for the keyboard caret: a flag, a ZWJ family, e + combining accent
// are each one step, as they are one character to the reader.
const segmenter = (granularity) =>
  typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity }) : null;
const graphemes = segmenter("grapheme");
const words = segmenter("word");

/**
 * The code point one step from `cp` inside [lo, hi] of a CodePointText: the next grapheme
 * (`unit` "char") or the next word start or end (`unit` "word"), `dir` +1 or -1.
 */
export function step(cpText, cp, dir, unit = "char", lo = 0, hi = cpText.length) {
  const piece = cpText.slice(lo, hi);
  const at = cpText.utf16[cp] - cpText.utf16[lo];
  const seg = unit === "word" ? words : graphemes;
  const bounds = [0];
  if (seg) {
    for (const s of seg.segment(piece)) {
      if (unit === "char") bounds.push(s.index);
      else if (s.isWordLike) bounds.push(s.index, s.index + s.segment.length);
    }
  } else {
    // No Intl.Segmenter: code points at least never split a surrogate pair.
    for (let i = 1; i < piece.length; i = snapUtf16(piece, i + 1, "forward")) bounds.push(i);
  }
  bounds.push(piece.length);
  const target = dir > 0
    ? (bounds.find((b) => b > at) ?? piece.length)
    : (bounds.filter((b) => b < at).pop() ?? 0);
  return lo + cpCount(piece, 0, target);
}

// ---- DOM: reading positions (never changing the document) --------------------------------

/** The code points an element of the body stands for: [data-cp, end). */
export function spanRange(el) {
  const start = Number(el.dataset.cp);
  const len = el.hasAttribute("data-atom") ? 1 : cpCount(el.textContent);
  return { start, end: start + len };
}

/** The text-bearing elements of `root`, in document order (which is code point order). */
export function spansOf(root) {
  return Array.from(root.querySelectorAll("[data-cp]"));
}

/**
 * The code point of a DOM point (`node`, `offset`), as a selection reports it.
 * `edge` "start" or "end" says which way to snap: inside a surrogate pair, or on something
 * that is not report text (a note in the margin, the gap between blocks).
 */
export function pointToCp(root, node, offset, edge = "start") {
  const owner = (node.nodeType === 3 ? node.parentElement : node)?.closest?.("[data-cp]");
  if (owner && root.contains(owner)) {
    const { start, end } = spanRange(owner);
    // A stand-in ("^["): any point past its beginning is past its one code point.
    if (owner.hasAttribute("data-atom")) return offset > 0 ? end : start;
    if (node.nodeType === 3) {
      return start + utf16ToCp(node.data, offset, edge === "start" ? "back" : "forward");
    }
    return offset === 0 ? start : end; // the span element itself: before or after its text
  }
  // Not on report text: a start moves on to the next text, an end back to the previous text.
  const spans = spansOf(root);
  if (spans.length === 0) return 0;
  const here = document.createRange();
  here.setStart(node, offset);
  // The first span that begins at or after the point (spans are in order: binary search).
  let lo = 0, hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (here.comparePoint(spans[mid], 0) >= 0) hi = mid; else lo = mid + 1;
  }
  if (edge === "start") {
    return lo < spans.length ? spanRange(spans[lo]).start : spanRange(spans[spans.length - 1]).end;
  }
  return lo > 0 ? spanRange(spans[lo - 1]).end : spanRange(spans[0]).start;
}

/**
 * A DOM Range over the body as `{start, end}` code points of report.text, or null when it
 * holds no report text (collapsed, or wholly outside the text).
 */
export function rangeToCp(root, range) {
  if (!range || range.collapsed) return null;
  const start = pointToCp(root, range.startContainer, range.startOffset, "start");
  const end = pointToCp(root, range.endContainer, range.endOffset, "end");
  return end > start ? { start, end } : null;
}

/** The DOM point of code point `cp` (the inverse of pointToCp): `{node, offset}`. */
export function cpToPoint(root, cp, edge = "start") {
  const spans = spansOf(root);
  if (spans.length === 0) return { node: root, offset: 0 };
  // The last span that starts at or before cp.
  let lo = 0, hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Number(spans[mid].dataset.cp) <= cp) lo = mid; else hi = mid - 1;
  }
  let span = spans[lo];
  let { start, end } = spanRange(span);
  if (cp >= end && edge === "start" && lo + 1 < spans.length) {
    // At the end of this span or in the gap after it: a start belongs to the next text.
    span = spans[lo + 1];
    ({ start, end } = spanRange(span));
  }
  cp = clamp(cp, start, end);
  const text = span.firstChild;
  if (!text || text.nodeType !== 3) return { node: span, offset: cp > start ? 1 : 0 };
  if (span.hasAttribute("data-atom")) return { node: text, offset: cp > start ? text.data.length : 0 };
  return { node: text, offset: cpToUtf16(text.data, cp - start) };
}

/** A DOM Range for code points [start, end) of the body. */
export function cpRangeToDom(root, start, end) {
  const a = cpToPoint(root, start, "start");
  const b = cpToPoint(root, end, "end");
  const range = document.createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}
