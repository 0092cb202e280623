// What others wrote, as the page shows it.
//
// Notes, tags, names, titles and report text are data, never markup: they reach the DOM only
// as text nodes (textContent / createTextNode), never through innerHTML. On top of that,
// characters that could hide or reorder text are made visible, as `gloss` shows them in a
// terminal (GlossCore's TerminalText): C0 controls as ^X (ESC ^[, DEL ^?), C1 controls and
// bidi controls and marks as <U+202E>. Each field sits in its own element with dir="auto"
// and `unicode-bidi: isolate` (class "field"), so right-to-left text cannot pull its
// neighbours along.

/** How one code point is shown, or null when it is shown as itself. */
export function shownChar(c) {
  if (c === 0x0a || c === 0x09) return null;
  if (c < 0x20) return "^" + String.fromCharCode(c + 0x40);
  if (c === 0x7f) return "^?";
  if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
      c === 0x200e || c === 0x200f || c === 0x061c) {
    return "<U+" + c.toString(16).toUpperCase().padStart(4, "0") + ">";
  }
  return null;
}

// Quick test: most text has none of these.
const NEEDS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The text with every control and bidi control made visible (CR LF kept as a line break). */
export function shown(text) {
  const s = String(text ?? "");
  if (!NEEDS.test(s)) return s;
  let out = "";
  for (const ch of s.replace(/\r\n/g, "\n")) out += shownChar(ch.codePointAt(0)) ?? ch;
  return out;
}

/**
 * An element holding one field someone wrote: isolated, direction from its own text.
 * `tag` span by default; `className` adds to "field".
 */
export function field(text, tag = "span", className = "") {
  const el = document.createElement(tag);
  el.className = className ? `field ${className}` : "field";
  el.dir = "auto";
  el.textContent = shown(text);
  return el;
}
