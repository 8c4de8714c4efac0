// soak.mjs — a bounded load test of the real server on loopback: sign-ins,
// list reads, temperature check entries and checkpoint registrations mixed
// at a fixed rate for SOAK_SECONDS, then: no answer other than 2xx, no
// failed connection, the server's memory (RSS) after the run within
// SOAK_RSS_MB of what it was after the warm-up, and p50/p99 latency and
// the rate reached printed.  `make soak` runs it for minutes, `make
// test-soak` (part of `make test`) for ~20 s.
//
// Environment: SOAK_SECONDS (default 300), SOAK_RATE (requests/s, default
// 150: well under what bench/ measures for this mix on a 2-core machine,
// so a refusal or a queue means a fault, not a full box), SOAK_RSS_MB
// (default 24), FANGYI_BIN (the binary, as for the e2e tests).
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  makeDb, runCli, spawnServer, stopServer, Client, ADMIN_PASSWORD,
} from '../e2e/harness.mjs';
import { sqlite, sleep } from '../e2e/lib.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 300);
const RATE = Number(process.env.SOAK_RATE || 150);
const RSS_MB = Number(process.env.SOAK_RSS_MB || 24);
const WARMUP = Math.max(5, Math.min(30, SECONDS * 0.2));
const MAX_IN_FLIGHT = 64;
const STAFF_PASSWORD = 'soak-pass-123';
// the share of each kind of request (they add up to 1)
const MIX = [['login', 0.02], ['read', 0.58], ['check', 0.2], ['pass', 0.2]];

const fail = (msg) => { console.error(`soak: FAIL: ${msg}`); process.exitCode = 1; };
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const townDay = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3)
  .toISOString().slice(0, 10); // Asia/Shanghai, the town's zone

// The town: the demo places, a medical worker and a checkpoint volunteer,
// and enough people under home isolation (counted from 3 days ago: 8 free
// check slots each) for every check entry of the run to fill a new slot.
async function setUp() {
  const { dir, db, cleanup } = makeDb('压测镇');
  const run = (args) => {
    const r = runCli(args, { FANGYI_PASSWORD: STAFF_PASSWORD });
    if (r.status !== 0) throw new Error(`fangyi ${args.join(' ')}: ${r.stderr}`);
  };
  run(['import', db, 'places', 'demo/places.csv']);
  run(['user', 'add', db, 'med1', '--role', 'medical']);
  run(['user', 'add', db, 'gate1', '--role', 'volunteer']);
  const server = await spawnServer(db, ['--quiet', '--threads', '4']);
  const admin = new Client(server.url);
  if ((await admin.login('admin', ADMIN_PASSWORD)).status !== 200) throw new Error('admin login');
  const r = await admin.post('/risk-areas', { region_code: '420000', level: 'high',
    start_date: townDay(-30) });
  if (r.status !== 201) throw new Error(`risk area: ${JSON.stringify(r.body)}`);
  const people = Math.ceil((SECONDS * RATE * 0.2) / 8 * 1.2) + 50;
  const villages = sqlite(db, "SELECT name FROM places WHERE type = 'village' ORDER BY id").split('\n');
  const csv = ['姓名,所属村,详细住址,返乡来源地,返乡日期',
    ...Array.from({ length: people }, (_, i) =>
      `压测${i},${villages[i % villages.length]},${i}号,武汉,${townDay(-3)}`)].join('\r\n');
  const imp = await admin.post('/people/import', csv, { contentType: 'text/csv' });
  if (imp.status !== 200) throw new Error(`import: ${JSON.stringify(imp.body).slice(0, 300)}`);
  const measures = sqlite(db, "SELECT id FROM measures WHERE status = 'active' ORDER BY id")
    .split('\n').map(Number);
  if (measures.length < people) throw new Error(`only ${measures.length} measures started`);
  const points = sqlite(db, "SELECT id FROM places WHERE type = 'point' AND active = 1 ORDER BY id")
    .split('\n').map(Number);
  const med = new Client(server.url);
  const gate = new Client(server.url);
  if ((await med.login('med1', STAFF_PASSWORD)).status !== 200) throw new Error('med1 login');
  if ((await gate.login('gate1', STAFF_PASSWORD)).status !== 200) throw new Error('gate1 login');
  return { dir, db, cleanup, server, admin, med, gate, measures, points };
}

// The requests of the mix.  Each check fills a slot nobody filled (the
// evening and morning of today, then of the days before); each pass has
// its own client_id and a valid plate.
function requests(t) {
  const slots = [];
  for (const day of [townDay(0), townDay(-1), townDay(-2), townDay(-3)])
    for (const slot of [2, 1]) slots.push([day, slot]);
  let nCheck = 0;
  let nPass = 0;
  const plateChars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const plate = (n) => '鲁G' + Array.from({ length: 5 }, (_, i) =>
    plateChars[Math.floor(n / plateChars.length ** i) % plateChars.length]).join('');
  const reads = ['/people?limit=50', '/places?limit=100', '/board', '/passes?limit=50',
    '/alerts?limit=50', '/me'];
  let nRead = 0;
  let nLogin = 0;
  return {
    login: async () => {
      const c = new Client(t.server.url);
      const [u, p] = nLogin++ % 2 ? ['med1', STAFF_PASSWORD] : ['gate1', STAFF_PASSWORD];
      return c.login(u, p);
    },
    read: () => t.admin.get(reads[nRead++ % reads.length]),
    check: () => {
      const n = nCheck++;
      const [day, slot] = slots[Math.floor(n / t.measures.length)];
      const m = t.measures[n % t.measures.length];
      return t.med.post(`/measures/${m}/checks`, { temperature: 36.5, slot, day, method: 'phone' });
    },
    pass: () => {
      const n = nPass++;
      return t.gate.post('/passes', { client_id: `soak-${n}`, point_id: t.points[n % t.points.length],
        direction: n % 2 ? 'out' : 'in', vehicle: 'car', plate: plate(n),
        persons: [{ name: `过客${n}`, temperature: 36.4, outcome: 'admitted' }] });
    },
  };
}

// Send requests at `rate` per second for `seconds`, open loop (the next
// one is due whatever the answers), at most MAX_IN_FLIGHT at once.
async function drive(make, seconds, rate, stats) {
  const start = performance.now();
  const end = start + seconds * 1000;
  const cumulative = [];
  let acc = 0;
  for (const [kind, share] of MIX) { acc += share; cumulative.push([kind, acc]); }
  let due = start;
  let inFlight = 0;
  let k = 0;
  const pending = new Set();
  while (performance.now() < end) {
    const now = performance.now();
    while (due <= now && inFlight < MAX_IN_FLIGHT) {
      // a fixed, evenly spread sequence of kinds (golden-ratio stepping)
      const x = (k++ * 0.6180339887) % 1;
      const kind = cumulative.find(([, c]) => x < c)[0];
      const t0 = performance.now();
      inFlight++;
      const p = make[kind]().then((r) => {
        stats.record(kind, performance.now() - t0, r.status, r.body);
      }, (e) => stats.error(kind, e)).finally(() => { inFlight--; pending.delete(p); });
      pending.add(p);
      due += 1000 / rate;
    }
    if (due <= now) stats.behind++;
    await sleep(2);
  }
  await Promise.all(pending);
  return (performance.now() - start) / 1000;
}

function newStats() {
  const s = {
    lat: {}, counts: {}, bad: [], errors: [], behind: 0,
    record(kind, ms, status, body) {
      (s.lat[kind] ||= []).push(ms);
      s.counts[kind] = (s.counts[kind] || 0) + 1;
      if (status < 200 || status > 299) s.bad.push(`${kind} ${status} ${JSON.stringify(body).slice(0, 200)}`);
    },
    error(kind, e) { s.errors.push(`${kind}: ${e.message}`); },
  };
  return s;
}

const pct = (xs, p) => {
  const a = xs.slice().sort((x, y) => x - y);
  return a.length ? a[Math.min(a.length - 1, Math.floor(a.length * p / 100))] : NaN;
};

async function main() {
  const t = await setUp();
  try {
    const make = requests(t);
    const pid = t.server.proc.pid;
    const warm = newStats();
    await drive(make, WARMUP, RATE, warm);
    await sleep(1000);
    const rss0 = rssKiB(pid);
    const stats = newStats();
    const secs = await drive(make, SECONDS, RATE, stats);
    await sleep(1000);
    const rss1 = rssKiB(pid);
    const all = Object.values(stats.lat).flat();
    const n = all.length;
    console.log(`soak: ${SECONDS} s at ${RATE} req/s asked (after ${WARMUP} s of warm-up):`
      + ` ${n} requests, ${(n / secs).toFixed(1)} req/s reached`);
    for (const [kind] of MIX) {
      const xs = stats.lat[kind] || [];
      console.log(`  ${kind.padEnd(6)} ${String(xs.length).padStart(7)}  p50 ${pct(xs, 50).toFixed(1)} ms`
        + `  p99 ${pct(xs, 99).toFixed(1)} ms`);
    }
    console.log(`  all    ${String(n).padStart(7)}  p50 ${pct(all, 50).toFixed(1)} ms  p99 ${pct(all, 99).toFixed(1)} ms`);
    console.log(`  server RSS ${(rss0 / 1024).toFixed(1)} MiB after warm-up, ${(rss1 / 1024).toFixed(1)} MiB`
      + ` after the run (${((rss1 - rss0) / 1024).toFixed(1)} MiB; bound ${RSS_MB} MiB)`);
    const warmBad = warm.bad.length + warm.errors.length;
    if (warmBad) fail(`${warmBad} failures during warm-up: ${[...warm.bad, ...warm.errors].slice(0, 5).join('; ')}`);
    if (stats.bad.length) fail(`${stats.bad.length} answers were not 2xx: ${stats.bad.slice(0, 5).join('; ')}`);
    if (stats.errors.length) fail(`${stats.errors.length} requests failed: ${stats.errors.slice(0, 5).join('; ')}`);
    if ((rss1 - rss0) / 1024 > RSS_MB) fail(`the server grew by ${((rss1 - rss0) / 1024).toFixed(1)} MiB`);
    if (n / secs < RATE * 0.9) fail(`only ${(n / secs).toFixed(1)} of ${RATE} req/s reached`);
    const checks = Number(sqlite(t.db, 'SELECT count(*) FROM checks'));
    const passes = Number(sqlite(t.db, 'SELECT count(*) FROM passes'));
    const wantChecks = (warm.counts.check || 0) + (stats.counts.check || 0);
    const wantPasses = (warm.counts.pass || 0) + (stats.counts.pass || 0);
    if (checks !== wantChecks || passes !== wantPasses)
      fail(`stored ${checks} checks and ${passes} passes, answered ${wantChecks} and ${wantPasses}`);
    const code = await stopServer(t.server.proc);
    if (code !== 0) fail(`the server exited ${code}: ${t.server.stderr().slice(-1000)}`);
    const v = runCli(['audit', 'verify', t.db]);
    if (v.status !== 0) fail(`audit chain: ${v.stderr}`);
    if (!process.exitCode) console.log('soak: ok');
  } finally {
    await stopServer(t.server.proc, 'SIGKILL');
    rmSync(t.dir, { recursive: true, force: true });
  }
}

main().catch((e) => { fail(e.stack || e.message); });
