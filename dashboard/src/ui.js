// Small DOM and formatting helpers shared by the views.

/** Creates an element: h("td", { class: "num" }, "12", otherNode). `on*` attributes bind events. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: `columns` are [heading, cell(row), class?]; `rows` an array; `empty` shown when none. */
export function table(columns, rows, empty = "none yet", attrs = {}) {
  return h(
    "table",
    attrs,
    // A key-value table (no headings) has no head row.
    columns.some(([title]) => title) ? h("thead", {}, h("tr", {}, columns.map(([title, , cls]) => h("th", { class: cls }, title)))) : null,
    h(
      "tbody",
      {},
      rows.length === 0
        ? h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, empty))
        : rows.map((row) => h("tr", {}, columns.map(([, cell, cls]) => h("td", { class: cls }, cell(row))))),
    ),
  );
}

export function card(label, value, attrs = {}) {
  return h("div", { class: "card", ...attrs }, h("div", { class: "label" }, label), h("div", { class: "value" }, value));
}

export const SNO_DECIMALS = 18n;
const ONE = 10n ** SNO_DECIMALS;

/** An amount in the smallest unit (bigint, number or decimal string) as SNO, trimmed to `digits`. */
export function sno(amount, digits = 4) {
  const value = BigInt(amount ?? 0);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ONE;
  let fraction = (abs % ONE).toString().padStart(Number(SNO_DECIMALS), "0").slice(0, digits).replace(/0+$/, "");
  const text = whole.toLocaleString("en-US") + (fraction ? `.${fraction}` : "");
  return `${negative ? "-" : ""}${text}`;
}

/** Parses a decimal amount of SNO ("3", "0.25") into the smallest unit; null if it is not one. */
export function parseSno(text) {
  const trimmed = String(text).trim();
  if (!/^\d*(\.\d*)?$/.test(trimmed) || trimmed === "" || trimmed === ".") return null;
  const [whole, fraction = ""] = trimmed.split(".");
  if (fraction.length > Number(SNO_DECIMALS)) return null;
  return BigInt(whole || "0") * ONE + BigInt(fraction.padEnd(Number(SNO_DECIMALS), "0") || "0");
}

export function short(text, head = 8, tail = 6) {
  const s = String(text ?? "");
  return s.length <= head + tail + 1 ? s : `${s.slice(0, head)}…${s.slice(-tail)}`;
}

export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function pill(text, kind = "") {
  return h("span", { class: `pill ${kind}` }, text);
}

export function link(href, text) {
  return h("a", { href }, text);
}

/** Shows an error in `el` without losing what the user typed elsewhere. */
export function showError(el, error) {
  fill(el, h("div", { class: "error" }, error?.message ?? String(error)));
}
