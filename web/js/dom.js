// dom.js — the element helpers: every page builds its DOM with h() (and
// charts with svg()): text goes in as text nodes (never innerHTML),
// attributes as attributes, so data from the server can never become
// markup or script.

// Properties that must be set as DOM properties rather than attributes.
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected',
  'multiple', 'required', 'readOnly', 'noValidate']);

// h(tag, props, ...children) creates an element.  props: `class` (string or
// array, falsy entries dropped), `text`, `on<event>` functions, `dataset`,
// DOM properties from PROPS, anything else as an attribute (true → "").
// Children: nodes, strings (as text), arrays of those; null/false skipped.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'style' || k.endsWith('HTML')) {
      // inline styles break the CSP; markup would bypass escaping
      throw new Error(`h(): ${k} is not allowed; use a class or text`);
    }
    if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (PROPS.has(k)) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

// append adds children (nodes, strings, nested arrays) to el.
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// svg(tag, attrs, ...children) creates an SVG element (charts, curves):
// every attribute as an attribute (geometry, class, data-*; never style,
// which the CSP forbids), children as for h().
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'style') throw new Error('svg(): style is not allowed; use a class');
    el.setAttribute(k, String(v));
  }
  return append(el, children);
}

let counter = 0;

// uid returns a document-unique id for pairing labels with inputs.
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}
