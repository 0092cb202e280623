// A tiny element builder. Children are elements or strings; strings become text nodes, so
// nothing passed here is ever parsed as HTML. (Text someone wrote goes through text.js
// `field` first, to be shown and isolated.)

/**
 * h("button", {class: "x", dataset: {action: "reply"}, "aria-label": "Reply", on: {click}}, "Reply")
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "on") for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === "text") el.textContent = value;
    else if (key === "value") el.value = value; // the live value (a textarea has no value attribute)
    else if (key in el && typeof value !== "string") el[key] = value; // checked, disabled, value…
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

/** Empties an element and fills it again. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
