// fangyi.mjs — the system under test: serving a database with the
// optimised ./fangyi, and signing in to get a bearer token for wrk.
import { start } from './proc.mjs';

export const ADMIN_PASSWORD = 'bench-pass-1';

// serve(db, port, log) → a started Server: 2 pool threads (one per core,
// as the baselines get), the sweeper out of the way of the figures.
export function serve(db, port, log) {
  return start('fangyi', './fangyi', ['serve', db, '--listen', `127.0.0.1:${port}`,
    '--quiet', '--threads', '2', '--sweep-seconds', '3600'], {
    url: `http://127.0.0.1:${port}/api/v1/health`, log,
  });
}

// token(base, username, password) → a new API token of that account
// (signing in, then POST /api/v1/tokens with the session and its CSRF).
export async function token(base, username, password = ADMIN_PASSWORD) {
  const r = await fetch(`${base}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const me = await r.json();
  if (!r.ok) throw new Error(`login as ${username}: ${JSON.stringify(me)}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const t = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie,
      'x-csrf-token': me.csrf_token },
    body: JSON.stringify({ name: 'bench' }),
  });
  const body = await t.json();
  if (!t.ok) throw new Error(`token for ${username}: ${JSON.stringify(body)}`);
  return body.token;
}

// get(base, path, token) → the parsed JSON answer (throws unless 2xx)
export async function get(base, path, tok) {
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${tok}` } });
  const body = await r.json();
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}
