// i18n.js — translations.  Every user-visible string comes from
// i18n/zh-CN.json or i18n/en.json (same keys), and from the parts of an
// area kept in files of their own (i18n/zh-CN.checkpoints.json, ...), so
// that areas are translated without touching one another's files.  The
// language is zh-CN unless the user chose English; the choice is kept in
// localStorage.

export const LANGS = ['zh-CN', 'en'];
export const PARTS = ['', '.checkpoints', '.ledgers', '.dashboard', '.report'];
const STORAGE_KEY = 'fangyi.lang';
const cache = new Map();
let lang = 'zh-CN';
let dict = {};

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: use the default
  }
}

// load fetches (once) and returns the dictionary of one language: its
// parts merged.
async function load(code) {
  if (!cache.has(code)) {
    const parts = await Promise.all(PARTS.map(async (part) => {
      const url = new URL(`../i18n/${code}${part}.json`, import.meta.url);
      const res = await fetch(url, { cache: 'no-cache' });
      if (!res.ok) throw new Error(`i18n ${code}${part}: ${res.status}`);
      return res.json();
    }));
    cache.set(code, Object.assign({}, ...parts));
  }
  return cache.get(code);
}

// initI18n loads the remembered language (or zh-CN).
export async function initI18n() {
  const want = stored();
  await setLang(LANGS.includes(want) ? want : 'zh-CN', false);
}

// setLang switches the language; remember=true stores the choice.
export async function setLang(code, remember = true) {
  dict = await load(code);
  lang = code;
  document.documentElement.lang = code;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch { /* not remembered, still switched */ }
  }
}

export function getLang() {
  return lang;
}

// t returns the string for key with {name} placeholders filled from params.
// A missing key shows as the key itself, so it is noticed.
export function t(key, params) {
  const s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) =>
    (params[name] === undefined ? m : String(params[name])));
}

// tOr returns the translation of key, or fallback when there is none
// (for codes from the server such as audit actions).
export function tOr(key, fallback, params) {
  return Object.prototype.hasOwnProperty.call(dict, key) ? t(key, params) : fallback;
}
