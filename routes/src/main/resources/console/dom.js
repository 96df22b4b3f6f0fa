// Building the page without innerHTML: every value is a text node, every attribute set one by one.

/**
 * h("td", {class: "num"}, "12") creates an element. Children: strings and numbers become text nodes, null and
 * false are skipped, arrays are flattened. Attributes: "on<event>" take functions, everything else is set as text.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A link inside the console: #/<parts>, each part URL-encoded (ids and session ids may hold anything). */
export function link(text, ...parts) {
  return h("a", { href: "#/" + parts.map(encodeURIComponent).join("/") }, text);
}

/**
 * A table in a scrolling wrapper. columns: [{label, value: row => text|Node, cls}], rows: objects.
 */
export function table(columns, rows, options = {}) {
  const head = h("tr", {}, columns.map(c => h("th", { class: c.cls, scope: "col" }, c.label)));
  const body = rows.map(row => h("tr", { class: options.rowClass ? options.rowClass(row) : null },
    columns.map(c => h("td", { class: c.cls, "data-label": c.label }, c.value(row)))));
  const empty = rows.length === 0
    ? h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, options.empty || "Nothing yet."))
    : null;
  return h("div", { class: "table-wrap" },
    h("table", { id: options.id, class: options.cls }, h("thead", {}, head), h("tbody", {}, body, empty)));
}

export function time(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function ago(seconds) {
  if (seconds === null || seconds === undefined) return "never";
  const s = Math.max(0, Math.round(Date.now() / 1000 - seconds));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  if (s < 86400) return Math.round(s / 3600) + " h ago";
  return Math.round(s / 86400) + " d ago";
}

export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function ms(value) {
  return value === null || value === undefined ? "–" : num(value, value < 10 ? 1 : 0) + " ms";
}

/** A small form field: label and input. */
export function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

/** A message line (error or notice) that can be filled later. */
export function message(id) {
  return h("p", { id, class: "message", role: "status", hidden: true });
}

export function show(el, text, kind = "error") {
  el.textContent = text;
  el.className = "message " + kind;
  el.hidden = !text;
}
