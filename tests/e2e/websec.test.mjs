// websec.test.mjs — web security of the server (issue 10): a new session
// id at every login (a cookie sent before is never adopted), logout ends
// the session on the server, the security headers on every kind of answer
// (pages, API, errors of the gate and of handlers, streams), and a failed
// login that does not tell an unknown user from a wrong password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from './harness.mjs';
import {
  assertError, assertStatus, show, newUser, loginAs, createPlace, rawSend, finish,
  startObservationServer, shanghai,
} from './lib.mjs';

let s;
let viewer;   // a signed-in viewer (no users.manage)
before(async () => {
  s = await startServer();
  await newUser(s.admin, { username: 'viewer1', role: 'viewer', password: 'viewer-pass-1' });
  viewer = await loginAs(s.url, 'viewer1', 'viewer-pass-1');
});
after(async () => { await finish(s); });

const cookieOf = (r) => (r.headers.get('set-cookie') || '').split(';')[0];

// ---- sessions ---------------------------------------------------------------

test('login ignores a session cookie the browser already sends: a made-up one stays unknown', async () => {
  const planted = 'fangyi_session=attacker-chosen-value-0123456789abcdef';
  const c = new Client(s.url);
  c.cookie = planted;
  const r = await c.post('/login', { username: 'viewer1', password: 'viewer-pass-1' });
  assertStatus(r, 200);
  const got = cookieOf(r);
  assert.match(got, /^fangyi_session=[^;]{32,}$/);
  assert.notEqual(got, planted, 'the planted id was adopted');
  const stale = new Client(s.url);
  stale.cookie = planted;
  assertError(await stale.get('/me'), 401, 'unauthenticated', undefined, 'planted id after login');
});

test('every login gets a new session id, also when the browser holds a valid one (its own or someone else\'s)', async () => {
  const a = await loginAs(s.url, 'viewer1', 'viewer-pass-1');
  const first = a.cookie;
  const r = await a.post('/login', { username: 'viewer1', password: 'viewer-pass-1' });
  assertStatus(r, 200);
  assert.notEqual(cookieOf(r), first, 'the old session id was kept at a new login');
  assert.notEqual(r.body.csrf_token, (await new Client(s.url).get('/me')).body?.csrf_token);
  // an attacker's valid session planted in the victim's browser is not
  // turned into the victim's: it stays the attacker's
  await newUser(s.admin, { username: 'mallory', role: 'viewer', password: 'mallory-pass-1' });
  const mallory = await loginAs(s.url, 'mallory', 'mallory-pass-1');
  const victim = new Client(s.url);
  victim.cookie = mallory.cookie;
  const v = await victim.login('admin', ADMIN_PASSWORD);
  assertStatus(v, 200);
  assert.notEqual(victim.cookie, mallory.cookie);
  assert.equal((await victim.get('/me')).body.user.username, 'admin');
  assert.equal((await mallory.get('/me')).body.user.username, 'mallory',
    'the planted session became the victim\'s');
});

test('logout ends the session on the server: the old cookie then gets 401 for reads and writes', async () => {
  const c = await loginAs(s.url, 'viewer1', 'viewer-pass-1');
  const saved = { cookie: c.cookie, csrf: c.csrf };
  assertStatus(await c.post('/logout', {}), 200);
  assert.equal(c.cookie, null, 'logout did not clear the cookie');
  const replay = new Client(s.url);
  Object.assign(replay, saved);
  assertError(await replay.get('/me'), 401, 'unauthenticated');
  assertError(await replay.post('/tokens', { name: 'after-logout' }), 401, 'unauthenticated');
  assertError(await replay.post('/logout', {}), 401, 'unauthenticated');
});

// ---- headers on every answer ---------------------------------------------------

// checkHeaders returns what is missing on one answer (a list).
function checkHeaders(what, h, api) {
  const bad = [];
  const want = (name, re) => {
    const v = h.get(name);
    if (!v || !re.test(v)) bad.push(`${what}: ${name}: ${v}`);
  };
  want('x-content-type-options', /^nosniff$/);
  want('referrer-policy', /^(no-referrer|same-origin|strict-origin)/);
  want('x-frame-options', /^DENY$/);
  const csp = h.get('content-security-policy') || '';
  for (const d of [/default-src 'self'/, /script-src 'self'(;|$)/, /frame-ancestors 'none'/,
    /object-src 'none'/, /base-uri 'none'/])
    if (!d.test(csp)) bad.push(`${what}: CSP lacks ${d}: ${csp}`);
  if (/unsafe-(inline|eval)/.test(csp)) bad.push(`${what}: CSP allows unsafe-*: ${csp}`);
  if (api) want('cache-control', /no-store/);
  return bad;
}

test('the security headers are on every kind of answer: pages, 304, API, gate errors, handler errors, streams', async () => {
  const village = await createPlace(s.admin, { type: 'village', name: '头村' });
  const point = await createPlace(s.admin, { type: 'point', name: '头村口', village_id: village.id });
  const etag = (await fetch(s.url + '/')).headers.get('etag');
  const anon = new Client(s.url);
  const samples = [];
  const add = (what, r, status, api = true) => samples.push({ what, r, status, api });
  // pages and assets
  for (const p of ['/', '/index.html', '/checkin.html', '/js/app.js', '/css/app.css', '/favicon.svg'])
    add(`GET ${p}`, await anon.request('GET', p), 200, false);
  add('GET / If-None-Match', await anon.request('GET', '/', { headers: { 'if-none-match': etag } }), 304, false);
  add('HEAD /', await anon.request('HEAD', '/'), 200, false);
  add('GET missing page', await anon.request('GET', '/no-such-page.html'), 404);
  add('POST a page', await anon.request('POST', '/index.html', { body: {} }), 405);
  // the API: answers and the gate's refusals
  add('GET /health', await anon.get('/health'), 200);
  add('GET /roles', await viewer.get('/roles'), 200);
  add('GET a path with a bad id', await viewer.get('/places/abc'), 404);
  add('PUT a page', await anon.request('PUT', '/', { body: {} }), 405);
  add('GET unknown route', await anon.get('/no-such-route'), 404);
  add('DELETE /health', await anon.del('/health'), 405);
  add('OPTIONS /me', await anon.request('OPTIONS', '/api/v1/me'), 405);
  add('GET /me signed out', await anon.get('/me'), 401);
  add('GET /me', await viewer.get('/me'), 200);
  add('GET /users as viewer', await viewer.get('/users'), 403);
  add('POST without CSRF', await s.admin.post('/tokens', { name: 'x' }, { csrf: false }), 403);
  add('POST text/plain', await s.admin.post('/tokens', 'name=x', { contentType: 'text/plain' }), 415);
  add('POST broken JSON', await s.admin.post('/tokens', '{"name":'), 400);
  add('POST bad field', await s.admin.post('/places', { type: 'castle', name: 'x' }), 422);
  add('POST 201', await s.admin.post('/tokens', { name: 'hdr' }), 201);
  add('GET bad query', await s.admin.get('/places?limit=0'), 400);
  add('GET record outside', await s.admin.get('/places/999999'), 404);
  add('POST /login wrong', await anon.post('/login', { username: 'viewer1', password: 'nope-nope-1' }), 401);
  const big = await rawSend(s.url, { path: '/api/v1/login', body: 'x'.repeat(40 * 1024),
    headers: { 'content-type': 'application/json' } });
  add('POST /login too large', big, 413);
  // streamed and non-JSON answers
  add('GET export (stream)', await s.admin.get('/people/export?format=csv'), 200);
  add('GET QR svg', await s.admin.get(`/points/${point.id}/qr.svg`), 200);
  // a locked account (429)
  await newUser(s.admin, { username: 'lockme', role: 'viewer' });
  let locked;
  for (let i = 0; i < 6; i++)
    locked = await anon.post('/login', { username: 'lockme', password: `wrong-${i}-pass` });
  add('POST /login locked', locked, 429);

  const bad = [];
  for (const { what, r, status, api } of samples) {
    if (r.status !== status) bad.push(`${what}: expected ${status}, got ${show(r)}`);
    bad.push(...checkHeaders(what, r.headers, api));
  }
  assert.deepEqual(bad, [], `${samples.length} answers sampled:\n${bad.join('\n')}`);
  assert.ok(samples.length >= 30, `only ${samples.length} samples`);
});

// ---- login failures ------------------------------------------------------------

async function timedLogin(username, password) {
  const t0 = performance.now();
  const r = await new Client(s.url).post('/login', { username, password });
  return { r, ms: performance.now() - t0 };
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('an unknown user and a wrong password get the same answer, both held back alike', async () => {
  await newUser(s.admin, { username: 'known1', role: 'viewer', password: 'known-pass-1' });
  const dis = await newUser(s.admin, { username: 'gone1', role: 'viewer', password: 'gone-pass-1' });
  assertStatus(await s.admin.patch(`/users/${dis.id}`, { disabled: true }), 200);
  const unknown = []; const wrong = []; const disabled = [];
  for (let i = 0; i < 4; i++) {   // 4 failures: below the lock
    unknown.push(await timedLogin(`nobody${i}`, 'some-pass-1'));
    wrong.push(await timedLogin('known1', `bad-pass-${i}`));
    disabled.push(await timedLogin('gone1', `bad-pass-${i}`));
  }
  const body = JSON.stringify(unknown[0].r.body);
  for (const x of [...unknown, ...wrong, ...disabled]) {
    assertError(x.r, 401, 'bad_credentials');
    assert.equal(JSON.stringify(x.r.body), body, 'the bodies differ');
    assert.equal(x.r.headers.get('set-cookie'), null, 'a failed login set a cookie');
    assert.ok(x.ms >= 600, `a failed login answered after ${x.ms.toFixed(0)} ms (not held back)`);
  }
  const mu = median(unknown.map((x) => x.ms));
  const mw = median(wrong.map((x) => x.ms));
  // the machine is shared, so only a gross difference (one path not held
  // back, or not hashing) is told from noise
  assert.ok(Math.abs(mu - mw) < 400,
    `unknown user ${mu.toFixed(0)} ms vs wrong password ${mw.toFixed(0)} ms`);
  console.log(`failed login: unknown user ${mu.toFixed(0)} ms, wrong password ${mw.toFixed(0)} ms (medians)`);
});

test('a username no account has locks after 5 failures like an account: the lock tells nothing', async () => {
  await newUser(s.admin, { username: 'real5', role: 'viewer', password: 'real5-pass-1' });
  const answers = {};
  for (const name of ['real5', 'ghost5']) {
    const seen = [];
    for (let i = 0; i < 7; i++)
      seen.push(await new Client(s.url).post('/login', { username: name, password: `wrong-${i}-pass` }));
    answers[name] = seen;
  }
  const shape = (r) => `${r.status} ${r.body?.error?.code} `
    + `${(r.body?.error?.message || '').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, 'T')}`;
  assert.deepEqual(answers.ghost5.map(shape), answers.real5.map(shape));
  assert.deepEqual(answers.real5.map((r) => r.status), [401, 401, 401, 401, 401, 429, 429]);
  for (const name of ['real5', 'ghost5']) {
    const until = Date.parse(/locked until (\S+)/.exec(answers[name][6].body.error.message)[1]);
    const minutes = (until - Date.now()) / 60000;
    assert.ok(minutes > 13 && minutes <= 15.1, `${name}: locked for ${minutes.toFixed(1)} minutes`);
  }
  // the right password does not get through a lock either
  assertError(await new Client(s.url).post('/login', { username: 'real5', password: 'real5-pass-1' }),
    429, 'account_locked');
});

test('the lock of a username without an account ends after 15 minutes, as an account\'s does', async () => {
  const t = await startObservationServer({ clock: shanghai('2020-02-10 09:00'), sweepSeconds: 60 });
  try {
    await newUser(t.admin, { username: 'real6', role: 'viewer', password: 'real6-pass-1' });
    const login = (username, password) => new Client(t.url).post('/login', { username, password });
    for (const name of ['real6', 'ghost6']) {
      for (let i = 0; i < 5; i++) await login(name, `wrong-${i}-pass`);
      assertError(await login(name, 'wrong-x-pass'), 429, 'account_locked', undefined, name);
    }
    t.setClock(shanghai('2020-02-10 09:14'));
    assertError(await login('ghost6', 'wrong-y-pass'), 429, 'account_locked', undefined, 'ghost6 at 14 min');
    t.setClock(shanghai('2020-02-10 09:16'));
    assertStatus(await login('real6', 'real6-pass-1'), 200, 'real6 after the lock');
    // the count starts anew: four more failures, then the fifth locks again
    for (let i = 0; i < 4; i++)
      assertError(await login('ghost6', `again-${i}-pass`), 401, 'bad_credentials', undefined, `ghost6 #${i + 1}`);
    await login('ghost6', 'again-5-pass');
    assertError(await login('ghost6', 'again-6-pass'), 429, 'account_locked', undefined, 'ghost6 locked again');
  } finally { await finish(t); }
});
