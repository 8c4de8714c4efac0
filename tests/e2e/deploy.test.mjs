// deploy.test.mjs — the county deployment of docs/deploy.md, run for
// real: nginx with deploy/nginx.conf (only its ports, certificate paths
// and upstream servers replaced) on loopback as the current user, TLS
// ending there, in front of two `fangyi serve` on one PostgreSQL
// database.  Login, reads and writes go through nginx to both servers,
// oversized bodies stop at nginx, plain HTTP is redirected, and when one
// server is killed nginx keeps serving from the other with no
// acknowledged write lost.  Then the county recipe: a second town of the
// same database behind the same nginx on a host name of its own.  PostgreSQL test cluster only (make
// test-e2e-pg); skipped without it or without nginx (scripts/deps.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Client, PG, ADMIN_PASSWORD, runCli, spawnServer, stopServer, pgTown,
} from './harness.mjs';
import { assertError, assertStatus, sleep, waitFor } from './lib.mjs';
import {
  startCluster, setupPoint, passBody, traffic, assertStoredOnce, assertAuditChain,
} from './cluster.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((f) => existsSync(f));
const skip = !PG ? 'needs the PostgreSQL test cluster (make test-e2e-pg)'
  : !NGINX ? 'needs nginx (scripts/deps.sh installs nginx-light)' : false;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir; let c; let nginx; let ca; let tlsPort; let httpPort;
const acked = [];

// a free loopback port (closed again; nginx takes it right after)
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// replace `from` in text, asserting the config still has it
function must(text, from, to) {
  assert.ok(text.includes(from), `deploy/nginx.conf no longer has: ${from}`);
  return text.split(from).join(to);
}

// deploy/nginx.conf with the test's ports, certificate and app servers
// (apps: two HOST:PORT)
function site(apps) {
  let text = readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  text = must(text, 'server 127.0.0.1:8081 ', `server ${apps[0]} `);
  text = must(text, 'server 127.0.0.1:8082 ', `server ${apps[1]} `);
  text = must(text, 'listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`);
  text = must(text, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  text = must(text, '/etc/letsencrypt/live/fangyi.example.cn/fullchain.pem', `${dir}/tls.crt`);
  return must(text, '/etc/letsencrypt/live/fangyi.example.cn/privkey.pem', `${dir}/tls.key`);
}

// The county recipe of docs/deploy.md: a copy of the upstream and the
// server blocks per town, with the town's own upstream name and host.
function townSite(apps, town) {
  let text = must(site(apps), 'upstream fangyi_app ', `upstream fangyi_${town} `);
  text = must(text, 'proxy_pass http://fangyi_app;', `proxy_pass http://fangyi_${town};`);
  return must(text, 'server_name fangyi.example.cn;', `server_name ${town}.fangyi.example.cn;`);
}

// the main config keeping pid, logs and temporary files in dir, around
// the site's text (deploy/nginx.conf's as the test uses it by default)
function writeConfig(apps, siteText = site(apps)) {
  writeFileSync(`${dir}/fangyi.conf`, siteText);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${dir}/${t};`).join('\n  ');
  writeFileSync(`${dir}/nginx.conf`, `user ${userInfo().username};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  log_format up '$status|$upstream_addr|$request_uri';
  access_log ${dir}/access.log up;
  ${temp}
  include ${dir}/fangyi.conf;
}
`);
}

// a Client that speaks HTTPS to nginx, trusting only the test's certificate
class TlsClient extends Client {
  // host: the Host header (nginx picks a town's server block by it)
  constructor(url, host) {
    super(url);
    this.host = host;
  }

  request(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.host) headers.host = this.host;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && opts.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let body;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType || 'application/json';
    }
    return new Promise((resolve, reject) => {
      // a town's host name is not in the test's certificate (made for
      // 127.0.0.1): the chain is still checked against ca, the name not
      const names = this.host ? { checkServerIdentity: () => undefined } : {};
      const req = https.request({ host: '127.0.0.1', port: tlsPort, method, path: p, headers,
        ca, agent: false, ...names }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch { json = text; }
          const set = (res.headers['set-cookie'] || [])[0];
          if (set && set.startsWith('fangyi_session=')) {
            const v = set.split(';')[0];
            this.cookie = v === 'fangyi_session=' ? null : v;
          }
          resolve({ status: res.statusCode, body: json, headers: res.headers, setCookie: set });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

async function tlsLogin(username, password) {
  const cl = new TlsClient(`https://127.0.0.1:${tlsPort}`);
  const r = await cl.login(username, password);
  assertStatus(r, 200, `login ${username} through nginx`);
  return cl;
}

// which upstream answered each logged request since `from` lines
const upstreams = (from = 0) => readFileSync(`${dir}/access.log`, 'utf8').trim().split('\n')
  .slice(from).map((l) => l.split('|')[1]);
const logLines = () => readFileSync(`${dir}/access.log`, 'utf8').trim().split('\n').length;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-nginx-'));
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec',
    '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-keyout', `${dir}/tls.key`, '-out', `${dir}/tls.crt`,
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(ssl.status, 0, `openssl: ${ssl.stderr}`);
  ca = readFileSync(`${dir}/tls.crt`, 'utf8');
  c = await startCluster(2);
  tlsPort = await freePort();
  httpPort = await freePort();
  writeConfig(c.servers.map((s) => new URL(s.url).host));
});
after(async () => {
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((r) => nginx.once('exit', r));
    nginx.kill('SIGQUIT');
    await gone;
  }
  if (c) await c.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('nginx accepts the config (nginx -t) and starts on loopback', { skip }, async () => {
  const args = ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`];
  const t = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
  assert.equal(t.status, 0, `nginx -t: ${t.stderr}`);
  nginx = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nginx.stderr.on('data', (d) => { err += d; });
  const pub = new TlsClient(`https://127.0.0.1:${tlsPort}`);
  const up = await waitFor(async () => {
    assert.equal(nginx.exitCode, null, `nginx exited: ${err}`);
    try { return (await pub.get('/health')).status === 200; } catch { return false; }
  }, 10000);
  assert.ok(up.value, `nginx did not answer within 10 s: ${err}`);
});

test('login, reads and writes through nginx reach both servers; the cookie is Secure', { skip }, async () => {
  const from = logLines();
  const admin = new TlsClient(`https://127.0.0.1:${tlsPort}`);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  assertStatus(r, 200, 'login through nginx');
  assert.match(r.setCookie, /;\s*Secure/i, 'X-Forwarded-Proto https makes the cookie Secure');
  assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
  const { village, point } = await setupPoint(admin);
  const ka = await tlsLogin('ka1', 'user-pass-123');
  for (let i = 0; i < 10; i++) {
    const w = await ka.post('/passes', passBody(`ng-${i}`, point, village));
    assertStatus(w, 201, `pass ${i} through nginx`);
    acked.push({ cid: `ng-${i}`, id: w.body.pass.id });
    const list = await ka.get(`/passes?point_id=${point.id}&limit=50`);
    assertStatus(list, 200);
    assert.ok(list.body.items.some((p) => p.id === w.body.pass.id), 'a pass just written not listed');
  }
  const used = new Set(upstreams(from));
  for (const s of c.servers)
    assert.ok(used.has(new URL(s.url).host), `round robin never reached ${s.url}: ${[...used]}`);
  assertStoredOnce(c.db, acked);
});

test('bodies over 32 MiB stop at nginx; a 2 MiB JSON body reaches fangyi and its 1 MiB limit', { skip }, async () => {
  const ka = await tlsLogin('ka1', 'user-pass-123');
  const big = await new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: tlsPort, method: 'POST',
      path: '/api/v1/passes', ca, agent: false, headers: {
        'content-type': 'application/json', 'content-length': 33 * 1024 * 1024,
        cookie: ka.cookie, 'x-csrf-token': ka.csrf } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.write('x'.repeat(1024));   // the rest never comes: nginx answers on the length
  });
  assert.equal(big, 413, 'nginx let a 33 MiB body through');
  const mid = await ka.post('/passes', `{"x":"${'y'.repeat(2 * 1024 * 1024)}"}`);
  assertError(mid, 413, 'body_too_large');
});

test('plain HTTP is redirected to HTTPS', { skip }, async () => {
  const r = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: httpPort, path: '/api/v1/health' }, (res) => {
      res.resume();
      resolve(res);
    }).on('error', reject);
  });
  assert.equal(r.statusCode, 301);
  assert.match(r.headers.location, /^https:\/\/[^/]+\/api\/v1\/health$/);
});

test('one server killed mid-traffic: nginx serves from the other, no acknowledged write lost', { skip }, async () => {
  const admin = await tlsLogin('admin', ADMIN_PASSWORD);
  const point = (await admin.get('/places?type=point')).body.items[0];
  const village = { id: point.village_id };
  const ka = await tlsLogin('ka1', 'user-pass-123');
  let go = true;
  const runs = [0, 1, 2, 3].map((w) => traffic(ka, `ngk${w}`, point, village, () => go));
  await sleep(800);
  const [s1, s2] = c.servers;
  await stopServer(s2.proc, 'SIGKILL');
  const from = logLines();
  await sleep(1500);
  go = false;
  const res = await Promise.all(runs);
  for (const r of res) {
    acked.push(...r.acked);
    assert.equal(r.failed, 0, 'nginx itself failed a request');
    // at most the request each writer had in flight at the kill
    assert.ok(r.errors.every((s) => s === 502) && r.errors.length <= 1,
      `answers other than 2xx: ${r.errors}`);
  }
  const after = upstreams(from + 8);   // past the requests in flight at the kill
  assert.ok(after.length > 10, `only ${after.length} requests after the kill`);
  assert.ok(after.every((u) => u === new URL(s1.url).host), `after the kill: ${after}`);
  assertStoredOnce(c.db, acked);
  // reads and a login still work through nginx
  assertStatus(await ka.get(`/passes?point_id=${point.id}&limit=5`), 200);
  await tlsLogin('admin', ADMIN_PASSWORD);
  assertAuditChain(c.db);
});

test("a county's towns behind one nginx: each town's host name reaches its own servers only", { skip }, async () => {
  // a second town in the cluster's database, with a server of its own
  const { url } = pgTown(c.db);
  const xishanDb = `${url}${url.includes('?') ? '&' : '?'}town=xishan`;
  const init = runCli(['init', xishanDb, '--town', '西山镇'], { FANGYI_ADMIN_PASSWORD: 'xishan-admin-789' });
  assert.equal(init.status, 0, init.stderr);
  const xs = await spawnServer(xishanDb);
  try {
    const live = c.servers.find((s) => s.proc.exitCode === null && s.proc.signalCode === null);
    const first = pgTown(c.db).town;
    const hosts = [new URL(live.url).host, new URL(xs.url).host];
    writeConfig(hosts, `${townSite([hosts[0], hosts[0]], first)}\n${townSite([hosts[1], hosts[1]], 'xishan')}`);
    const args = ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`];
    const t = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
    assert.equal(t.status, 0, `nginx -t: ${t.stderr}`);
    nginx.kill('SIGHUP');   // reload: the running nginx takes the county config
    const base = `https://127.0.0.1:${tlsPort}`;
    const ok = await waitFor(async () => (await new TlsClient(base, 'xishan.fangyi.example.cn')
      .login('admin', 'xishan-admin-789')).status === 200, 10000);
    assert.ok(ok.value, 'the reloaded nginx never routed xishan.fangyi.example.cn to 西山镇');
    const a = new TlsClient(base, `${first}.fangyi.example.cn`);
    assertStatus(await a.login('admin', ADMIN_PASSWORD), 200, "the first town's admin on its host");
    const b = new TlsClient(base, 'xishan.fangyi.example.cn');
    assertStatus(await b.login('admin', 'xishan-admin-789'), 200, "西山镇's admin on its host");
    assert.equal((await new TlsClient(base, 'xishan.fangyi.example.cn')
      .login('admin', ADMIN_PASSWORD)).status, 401, "the first town's password on 西山镇's host");
    // each host answers with its own town, from its own servers (the
    // access log's lines of GET /town, asked nowhere else here)
    assert.equal((await b.get('/town')).body?.name, '西山镇');
    assert.notEqual((await a.get('/town')).body?.name, '西山镇');
    await sleep(200);   // nginx logs a request after answering it
    const town = readFileSync(`${dir}/access.log`, 'utf8').trim().split('\n')
      .filter((l) => l.endsWith('|/api/v1/town')).map((l) => l.split('|')[1]);
    assert.deepEqual(town, [hosts[1], hosts[0]]);
    // the first town's session is nothing on 西山镇's host
    const stolen = new TlsClient(base, 'xishan.fangyi.example.cn');
    Object.assign(stolen, { cookie: a.cookie, csrf: a.csrf });
    assert.equal((await stolen.get('/places')).status, 401);
  } finally {
    await stopServer(xs.proc);
  }
});
