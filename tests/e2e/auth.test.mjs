// auth.test.mjs — login, sessions, logout, lockout, disabled accounts,
// password changes and bearer tokens (docs/api.md "Authentication").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_PASSWORD } from './harness.mjs';
import {
  assertError, assertStatus, show, newUser, loginAs, sessionCookieSet,
  placesSnapshot, assertHealthy,
  finish, sql,
} from './lib.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await finish(s); });

test('health is public', async () => {
  const c = new Client(s.url);
  const r = await c.get('/health');
  assertStatus(r, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(typeof r.body.version, 'string');
  assert.ok(r.body.version.length > 0);
});

test('login sets an HttpOnly SameSite=Strict session cookie and answers the session', async () => {
  const c = new Client(s.url);
  const r = await c.post('/login', { username: 'admin', password: ADMIN_PASSWORD });
  assertStatus(r, 200);
  const sc = r.headers.get('set-cookie') || '';
  assert.match(sc, /^fangyi_session=[^;\s]+/, `Set-Cookie: ${sc}`);
  assert.match(sc, /;\s*HttpOnly/i, `Set-Cookie lacks HttpOnly: ${sc}`);
  assert.match(sc, /;\s*SameSite=Strict/i, `Set-Cookie lacks SameSite=Strict: ${sc}`);
  assert.match(sc, /;\s*Path=\//i, `Set-Cookie lacks Path=/: ${sc}`);
  const b = r.body;
  assert.equal(b.user.username, 'admin');
  assert.equal(b.user.role, 'admin');
  assert.equal(b.user.scope_all, true);
  assert.deepEqual(b.user.villages, []);
  assert.equal(typeof b.user.id, 'number');
  assert.ok(Array.isArray(b.capabilities));
  for (const cap of ['places.read', 'places.write', 'users.manage', 'audit.read'])
    assert.ok(b.capabilities.includes(cap), `admin lacks ${cap}: ${show(r)}`);
  assert.equal(typeof b.csrf_token, 'string');
  assert.ok(b.csrf_token.length >= 16, 'csrf token too short');
  assert.equal(b.town.name, '测试镇');
  assert.equal(b.town.tz, 'Asia/Shanghai');
  assert.ok(!/password|hash/i.test(JSON.stringify(b.user)), `user leaks secrets: ${show(r)}`);
  c.csrf = b.csrf_token;
  const me = await c.get('/me');
  assertStatus(me, 200);
  assert.equal(me.body.user.username, 'admin');
  assert.equal(me.body.csrf_token, b.csrf_token, '/me answers the same session');
});

test('wrong password → 401 bad_credentials and no session', async () => {
  await newUser(s.admin, { username: 'wrongpw', role: 'viewer' });
  const c = new Client(s.url);
  const r = await c.post('/login', { username: 'wrongpw', password: 'not-the-password' });
  assertError(r, 401, 'bad_credentials');
  assert.ok(!sessionCookieSet(r), `a failed login set a session cookie: ${r.headers.get('set-cookie')}`);
  assertError(await c.get('/me'), 401, 'unauthenticated');
  // Unknown user: same answer (does not reveal which accounts exist).
  const r2 = await c.post('/login', { username: 'no-such-user', password: 'whatever-123' });
  assertError(r2, 401, 'bad_credentials');
  assert.ok(!sessionCookieSet(r2));
});

test('login with a bad body: 415 for form posts, 400 for broken JSON, no session', async () => {
  const c = new Client(s.url);
  const form = await c.post('/login', 'username=admin&password=' + ADMIN_PASSWORD,
    { contentType: 'application/x-www-form-urlencoded' });
  assertError(form, 415, 'unsupported_media_type');
  assert.ok(!sessionCookieSet(form), 'a form post logged in');
  const plain = await c.post('/login', JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    { contentType: 'text/plain' });
  assertError(plain, 415, 'unsupported_media_type');
  assert.ok(!sessionCookieSet(plain), 'a text/plain post logged in');
  assertError(await c.post('/login', '{"username":'), 400, 'invalid_json');
  const empty = await c.post('/login', {});
  assertError(empty, [401, 422], ['bad_credentials', 'missing_field']);
  assert.ok(!sessionCookieSet(empty));
  const nonstr = await c.post('/login', { username: 'admin', password: 12345678 });
  assertError(nonstr, [401, 422], ['bad_credentials', 'invalid_field']);
  assert.equal(c.cookie, null);
  assertError(await c.post('/logout', {}), 401, 'unauthenticated', undefined, 'logout without a session');
});

test('a login without a password is answered 422 and writes nothing; unknown names are counted up to 10000', async () => {
  const loginRows = () => Number(sql(s.db, "SELECT count(*) FROM rate_hits WHERE substr(client, 1, 6) = 'login:'"));
  const before = loginRows();
  for (const [i, body] of [{ password: '' }, {}, { password: null }].entries()) {
    const r = await new Client(s.url).post('/login', { username: `nopw-${i}`, ...body });
    assertError(r, 422, 'missing_field', 'password');
    assert.ok(!sessionCookieSet(r));
  }
  assertError(await new Client(s.url).post('/login', { username: '', password: 'some-pass-1' }),
    422, 'missing_field', 'username');
  assert.equal(loginRows(), before, 'a login without a password was counted');
  // an unknown name with a password is counted, one row per name
  assertError(await new Client(s.url).post('/login', { username: 'ghost-a', password: 'wrong-pass-1' }),
    401, 'bad_credentials');
  assert.equal(loginRows(), before + 1);
  // with 10000 names counted, a new one is answered alike but not stored
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  sql(s.db, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${10000 - before - 1})
    INSERT INTO rate_hits (client, bucket, n) SELECT 'login:fill' || i, '${now}', 1 FROM k`);
  assert.equal(loginRows(), 10000);
  assertError(await new Client(s.url).post('/login', { username: 'ghost-b', password: 'wrong-pass-1' }),
    401, 'bad_credentials');
  assert.equal(loginRows(), 10000, 'a new unknown name was stored beyond the cap');
  // a name already counted still is
  assertError(await new Client(s.url).post('/login', { username: 'ghost-a', password: 'wrong-pass-1' }),
    401, 'bad_credentials');
  assert.equal(sql(s.db, "SELECT max(n) FROM rate_hits WHERE substr(client, 1, 6) = 'login:'"), '2');
  sql(s.db, "DELETE FROM rate_hits WHERE client LIKE 'login:fill%'");
});

test('/me without a session or with a made-up cookie → 401 unauthenticated', async () => {
  const c = new Client(s.url);
  assertError(await c.get('/me'), 401, 'unauthenticated');
  c.cookie = 'fangyi_session=deadbeefdeadbeefdeadbeefdeadbeef';
  assertError(await c.get('/me'), 401, 'unauthenticated');
  // Protected routes too, and nothing is written.
  const before = await placesSnapshot(s.admin);
  const anon = new Client(s.url);
  assertError(await anon.post('/places', { type: 'village', name: '匿名村' }), 401, 'unauthenticated');
  assertError(await anon.get('/places'), 401, 'unauthenticated');
  assert.deepEqual(await placesSnapshot(s.admin), before);
});

test('logout ends the session (the old cookie no longer works), other sessions stay', async () => {
  await newUser(s.admin, { username: 'leaver', role: 'viewer' });
  const c = await loginAs(s.url, 'leaver', 'user-pass-123');
  const other = await loginAs(s.url, 'leaver', 'user-pass-123');
  const saved = c.cookie;
  const r = await c.post('/logout', {});
  assertStatus(r, 200, 'POST /logout');
  assert.equal(r.body?.ok, true, show(r));
  const replay = new Client(s.url);
  replay.cookie = saved;
  assertError(await replay.get('/me'), 401, 'unauthenticated', undefined, 'old cookie after logout');
  const me = await other.get('/me');
  assertStatus(me, 200, 'the other session survives logout of one');
});

test('5 failed logins in a row lock the account: 429 account_locked even with the right password', async () => {
  await newUser(s.admin, { username: 'locky', role: 'viewer' });
  const c = new Client(s.url);
  for (let i = 1; i <= 5; i++) {
    const r = await c.post('/login', { username: 'locky', password: `wrong-${i}-xxxx` });
    if (i < 5) assertError(r, 401, 'bad_credentials', undefined, `failure ${i}`);
    else assertError(r, [401, 429], ['bad_credentials', 'account_locked'], undefined, `failure ${i}`);
    assert.ok(!sessionCookieSet(r));
  }
  const r = await c.post('/login', { username: 'locky', password: 'user-pass-123' });
  assertError(r, 429, 'account_locked', undefined, 'right password on a locked account');
  assert.ok(!sessionCookieSet(r), 'a locked account got a session');
  assertError(await c.get('/me'), 401, 'unauthenticated');
  // Other accounts are not affected.
  await loginAs(s.url, 'admin', ADMIN_PASSWORD);
});

test('failures not in a row (a success between) do not lock', async () => {
  await newUser(s.admin, { username: 'forgetful', role: 'viewer' });
  const c = new Client(s.url);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 4; i++)
      assertError(await c.post('/login', { username: 'forgetful', password: 'nope-nope-1' }),
        401, 'bad_credentials');
    await loginAs(s.url, 'forgetful', 'user-pass-123');
  }
});

test('a disabled account cannot log in and its sessions and tokens end; enabling lets it in again', async () => {
  const u = await newUser(s.admin, { username: 'dimmed', role: 'viewer' });
  const c = await loginAs(s.url, 'dimmed', 'user-pass-123');
  const t = await c.post('/tokens', { name: 'phone' });
  assertStatus(t, 201, 'POST /tokens');
  const r = await s.admin.patch(`/users/${u.id}`, { disabled: true });
  assertStatus(r, 200, 'PATCH disabled');
  assert.equal(r.body.disabled, true);
  const c2 = new Client(s.url);
  const l = await c2.post('/login', { username: 'dimmed', password: 'user-pass-123' });
  assertError(l, [401, 403], undefined, undefined, 'login of disabled account');
  assert.ok(!sessionCookieSet(l), 'disabled account got a session');
  assertError(await c.get('/me'), 401, 'unauthenticated', undefined, 'old session of disabled account');
  const b = new Client(s.url);
  b.bearer = t.body.token;
  assertError(await b.get('/me'), 401, 'unauthenticated', undefined, 'token of disabled account');
  assertStatus(await s.admin.patch(`/users/${u.id}`, { disabled: false }), 200);
  await loginAs(s.url, 'dimmed', 'user-pass-123');
});

test('password change: too short → 422, wrong old → refused, then the old password stops working', async () => {
  await newUser(s.admin, { username: 'changer', role: 'viewer', password: 'first-pass-1' });
  const c = await loginAs(s.url, 'changer', 'first-pass-1');
  assertError(await c.post('/me/password', { old_password: 'first-pass-1', new_password: 'short' }),
    422, 'invalid_field', 'new_password');
  assertError(await c.post('/me/password', { old_password: 'first-pass-1' }),
    422, 'missing_field', 'new_password');
  const wrong = await c.post('/me/password', { old_password: 'not-my-password', new_password: 'second-pass-2' });
  assertError(wrong, [401, 403, 422], undefined, undefined, 'wrong old password');
  // Nothing changed so far.
  await loginAs(s.url, 'changer', 'first-pass-1');
  const ok = await c.post('/me/password', { old_password: 'first-pass-1', new_password: 'second-pass-2' });
  assertStatus(ok, [200, 204], 'POST /me/password');
  const x = new Client(s.url);
  assertError(await x.post('/login', { username: 'changer', password: 'first-pass-1' }), 401, 'bad_credentials');
  await loginAs(s.url, 'changer', 'second-pass-2');
});

test('admin sets a password: the new one works, the old one not, the account\'s sessions end', async () => {
  const u = await newUser(s.admin, { username: 'resetme', role: 'viewer', password: 'old-pass-111' });
  const c = await loginAs(s.url, 'resetme', 'old-pass-111');
  assertError(await s.admin.post(`/users/${u.id}/password`, { password: 'short' }), 422, 'invalid_field', 'password');
  await loginAs(s.url, 'resetme', 'old-pass-111');
  assertStatus(await s.admin.post(`/users/${u.id}/password`, { password: 'new-pass-222' }), [200, 204]);
  assertError(await c.get('/me'), 401, 'unauthenticated', undefined, 'session after admin reset');
  const x = new Client(s.url);
  assertError(await x.post('/login', { username: 'resetme', password: 'old-pass-111' }), 401, 'bad_credentials');
  await loginAs(s.url, 'resetme', 'new-pass-222');
});

test('password length counts characters, not bytes (4 Chinese characters are too short)', async () => {
  const u = await newUser(s.admin, { username: 'zhpw', role: 'viewer', password: 'zh-pass-123' });
  const c = await loginAs(s.url, 'zhpw', 'zh-pass-123');
  assertError(await c.post('/me/password', { old_password: 'zh-pass-123', new_password: '密码密码' }),
    422, 'invalid_field', 'new_password', 'POST /me/password 密码密码:');
  assertError(await s.admin.post(`/users/${u.id}/password`, { password: '密码密码' }),
    422, 'invalid_field', 'password', 'POST /users/{id}/password 密码密码:');
  await loginAs(s.url, 'zhpw', 'zh-pass-123');
  assertStatus(await c.post('/me/password', { old_password: 'zh-pass-123', new_password: '防疫密码防疫密码' }), [200, 204]);
  await loginAs(s.url, 'zhpw', '防疫密码防疫密码');
});

test('bearer token from POST /tokens works without CSRF header; revoked token → 401', async () => {
  const r = await s.admin.post('/tokens', { name: 'integration' });
  assertStatus(r, 201, 'POST /tokens');
  assert.equal(r.body.name, 'integration');
  assert.equal(typeof r.body.id, 'number');
  assert.equal(typeof r.body.token, 'string');
  assert.ok(r.body.token.length >= 20, 'token too short');
  const token = r.body.token;
  const list = await s.admin.get('/tokens');
  assertStatus(list, 200);
  assert.ok(list.body.items.some((t) => t.id === r.body.id && t.name === 'integration'), show(list));
  assert.ok(!JSON.stringify(list.body).includes(token), 'GET /tokens shows the secret');

  const b = new Client(s.url);
  b.bearer = token;
  const me = await b.get('/me');
  assertStatus(me, 200, 'GET /me with bearer');
  assert.equal(me.body.user.username, 'admin');
  const made = await b.post('/places', { type: 'village', name: '令牌村' });
  assertStatus(made, 201, 'POST /places with bearer and no CSRF header');

  assertStatus(await s.admin.del(`/tokens/${r.body.id}`), [200, 204], 'DELETE /tokens/id');
  assert.ok(!(await s.admin.get('/tokens')).body.items.some((t) => t.id === r.body.id));
  const before = await placesSnapshot(s.admin);
  assertError(await b.get('/me'), 401, 'unauthenticated', undefined, 'revoked token');
  assertError(await b.post('/places', { type: 'village', name: '吊销村' }), 401, 'unauthenticated');
  assert.deepEqual(await placesSnapshot(s.admin), before);

  const junk = new Client(s.url);
  junk.bearer = 'not-a-real-token-0123456789abcdef';
  assertError(await junk.get('/me'), 401, 'unauthenticated');
  assertError(await s.admin.post('/tokens', {}), 422, 'missing_field', 'name');
});

test('a user cannot revoke someone else\'s token', async () => {
  await newUser(s.admin, { username: 'tokowner', role: 'viewer' });
  const c = await loginAs(s.url, 'tokowner', 'user-pass-123');
  const t = await c.post('/tokens', { name: 'mine' });
  assertStatus(t, 201);
  assertError(await s.admin.del(`/tokens/${t.body.id}`), [403, 404], ['forbidden', 'not_found'], undefined, 'admin deleting another\'s token');
  const b = new Client(s.url);
  b.bearer = t.body.token;
  const me = await b.get('/me');
  assertStatus(me, 200, 'token still works');
  assert.equal(me.body.user.username, 'tokowner');
});

test('server still healthy', async () => { await assertHealthy(s.url); });
