// tls.test.mjs — `fangyi serve --tls-cert FILE --tls-key FILE` (docs/cli.md):
// HTTPS with a self-signed certificate made here with openssl, checked by
// the client against that certificate; the session cookie gets Secure and
// every answer HSTS; plain HTTP on the port gets no answer; missing,
// unreadable, non-PEM and mismatched files are refused naming the option.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, makeDb, runCli, spawnServer, stopServer } from './harness.mjs';
import { assertHealthy } from './lib.mjs';

let d;        // {dir, db, cleanup}
let srv;      // {proc, url, stderr}
let ca;       // the certificate (PEM): the only CA the client trusts
const file = (name) => path.join(d.dir, name);

// openssl makes a P-256 key and a self-signed certificate for 127.0.0.1.
function selfSigned(stem, cn = '127.0.0.1') {
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec',
    '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-keyout', file(`${stem}.key`), '-out', file(`${stem}.crt`),
    '-subj', `/CN=${cn}`, '-addext', `subjectAltName=IP:${cn}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl (scripts/deps.sh installs it): ${r.stderr}`);
  return { cert: file(`${stem}.crt`), key: file(`${stem}.key`) };
}

// get/post over HTTPS, verifying the server against `ca`.
function request(method, p, { body, cookie, csrf } = {}) {
  const u = new URL(srv.url);
  const headers = {};
  if (body) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: u.port, method, path: p, headers,
      ca, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: data ? JSON.parse(data) : null, tls: res.socket.getProtocol?.() }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

before(async () => {
  d = makeDb();
  const { cert, key } = selfSigned('server');
  ca = readFileSync(cert, 'utf8');
  srv = await spawnServer(d.db, ['--tls-cert', cert, '--tls-key', key]);
});
after(async () => {
  if (srv) assert.equal(await stopServer(srv.proc), 0, `server exit: ${srv.stderr()}`);
  d?.cleanup();
});

test('the server says https and answers over TLS 1.2 or later, verified against the certificate', async () => {
  assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const r = await request('GET', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.match(r.tls || '', /^TLSv1\.[23]$/, `protocol ${r.tls}`);
  assert.match(r.headers['strict-transport-security'] || '', /max-age=\d{7,}/,
    'HSTS over TLS');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('login over HTTPS: the session cookie is Secure, HttpOnly, SameSite=Strict; it works; logout clears it Secure too', async () => {
  const r = await request('POST', '/api/v1/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const sc = String(r.headers['set-cookie'] || '');
  assert.match(sc, /^fangyi_session=[^;\s]+/, sc);
  for (const attr of [/;\s*Secure/i, /;\s*HttpOnly/i, /;\s*SameSite=Strict/i])
    assert.match(sc, attr, `Set-Cookie: ${sc}`);
  const cookie = sc.split(';')[0];
  const me = await request('GET', '/api/v1/me', { cookie });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'admin');
  const out = await request('POST', '/api/v1/logout', { cookie, csrf: r.body.csrf_token });
  assert.equal(out.status, 200);
  assert.match(String(out.headers['set-cookie']), /^fangyi_session=;.*;\s*Secure/i);
  assert.equal((await request('GET', '/api/v1/me', { cookie })).status, 401);
});

test('plain HTTP on the TLS port gets no answer in clear', async () => {
  const u = new URL(srv.url);
  const outcome = await new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/api/v1/health',
      agent: false, timeout: 5000 }, (res) => resolve(`status ${res.statusCode}`));
    req.on('error', (e) => resolve(`error ${e.code}`));
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.end();
  });
  assert.ok(!/^status 2/.test(outcome), `plain HTTP was answered: ${outcome}`);
  assert.equal((await request('GET', '/api/v1/health')).status, 200, 'TLS still fine');
});

test('a client that trusts another certificate refuses the server', async () => {
  const other = selfSigned('other');
  const saved = ca;
  ca = readFileSync(other.cert, 'utf8');
  try {
    await assert.rejects(request('GET', '/api/v1/health'), /self[- ]signed|certificate/i);
  } finally { ca = saved; }
});

test('bad TLS options: exit 2 for one without the other, 1 naming the option for unusable files', () => {
  const good = { cert: file('server.crt'), key: file('server.key') };
  const other = selfSigned('mismatch');
  writeFileSync(file('junk.pem'), 'hello\n');
  writeFileSync(file('broken.key'), readFileSync(good.key, 'utf8').replace(/\n[A-Za-z0-9+/]{8}/, '\n!!!!!!!!'));
  const serve = (...args) => runCli(['serve', d.db, '--listen', '127.0.0.1:0', ...args]);
  let r = serve('--tls-cert', good.cert);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--tls-cert and --tls-key go together/);
  const cases = [
    [['--tls-cert', file('missing.crt'), '--tls-key', good.key], /--tls-cert .*missing\.crt: No such file/],
    [['--tls-cert', good.cert, '--tls-key', file('missing.key')], /--tls-key .*missing\.key: No such file/],
    [['--tls-cert', file('junk.pem'), '--tls-key', good.key], /--tls-cert .*junk\.pem: not a PEM file with a CERTIFICATE/],
    [['--tls-cert', good.cert, '--tls-key', good.cert], /--tls-key .*server\.crt: not a PEM file with a PRIVATE KEY/],
    [['--tls-cert', good.cert, '--tls-key', other.key], /--tls-cert .* \/ --tls-key .*: .*do not match/],
    [['--tls-cert', good.cert, '--tls-key', file('broken.key')], /--tls-key .*: the certificate and key are not usable/],
  ];
  for (const [args, re] of cases) {
    r = serve(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status} ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.ok(!/listening/.test(r.stdout), `${args.join(' ')} started anyway`);
  }
});

test('plain HTTP serving sets no Secure flag unless a TLS proxy says https', async () => {
  const { startServer, Client } = await import('./harness.mjs');
  const s = await startServer();
  try {
    await assertHealthy(s.url);
    const c = new Client(s.url);
    let r = await c.post('/login', { username: 'admin', password: ADMIN_PASSWORD });
    assert.doesNotMatch(r.headers.get('set-cookie'), /Secure/i, 'plain HTTP');
    assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS without TLS');
    r = await c.post('/login', { username: 'admin', password: ADMIN_PASSWORD },
      { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(r.headers.get('set-cookie'), /;\s*Secure/i, 'behind a TLS proxy');
  } finally { await s.stop(); }
});
