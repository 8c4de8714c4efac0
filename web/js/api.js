// api.js — the only module that talks HTTP.  A fetch wrapper for
// /api/v1 (docs/api.md): JSON in and out, the X-CSRF-Token header on every
// unsafe request, errors turned into ApiError, and the current session
// (from /login or /me).  A 401 on any call ends the session and hands
// control to the handler set by onUnauthenticated (the router → login).

import { t } from './i18n.js';

const BASE = '/api/v1';
const SAFE = new Set(['GET', 'HEAD']);

let session = null;
let unauthenticated = () => {};

// ApiError carries the server's {"error": {code, message, field}} and the
// HTTP status; status 0 means the server could not be reached.
export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.body = body || null; // the whole answer (e.g. an import's report)
  }
}

export function getSession() {
  return session;
}

// can tells whether the logged-in account has capability cap.
export function can(cap) {
  return !!session && (session.capabilities || []).includes(cap);
}

export function onUnauthenticated(fn) {
  unauthenticated = fn;
}

function queryString(query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// request sends one API call and resolves with the parsed JSON body;
// rejects with ApiError.  opts: {query, body} or {query, raw, contentType}
// (raw: bytes sent as they are, e.g. a CSV file).
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.raw !== undefined) {
    headers['Content-Type'] = opts.contentType || 'application/octet-stream';
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (!SAFE.has(method) && session && session.csrf_token) {
    headers['X-CSRF-Token'] = session.csrf_token;
  }
  let res;
  try {
    res = await fetch(BASE + path + queryString(opts.query), {
      method, headers, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || res.statusText || t('error.generic'), e.field, data);
    if (res.status === 401 && path !== '/login') {
      session = null;
      unauthenticated();
    }
    throw err;
  }
  return data;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body: body ?? {} }),
  patch: (path, body) => request('PATCH', path, { body }),
  del: (path) => request('DELETE', path),
  // upload sends bytes (a File or ArrayBuffer) with a content type.
  upload: (path, raw, contentType, query) => request('POST', path,
    { raw, contentType, query }),
};

// apiUrl: the address of an API call, for links (downloads).
export function apiUrl(path, query) {
  return BASE + path + queryString(query);
}

// fetchAll follows next_cursor to the end and resolves with all items
// (for small lists such as the villages in a select).
export async function fetchAll(path, query = {}) {
  const items = [];
  let cursor;
  do {
    const page = await api.get(path, { ...query, limit: 500, cursor });
    items.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

// login starts a session; rejects with ApiError (bad_credentials,
// account_locked, ...).
export async function login(username, password) {
  session = await api.post('/login', { username, password });
  return session;
}

// logout ends the session on the server (best effort) and here.
export async function logout() {
  try {
    await api.post('/logout');
  } finally {
    session = null;
  }
}

// loadSession asks /me who is logged in; resolves with the session or null.
export async function loadSession() {
  try {
    session = await api.get('/me');
  } catch (e) {
    session = null;
    if (e.status !== 401) throw e;
  }
  return session;
}
