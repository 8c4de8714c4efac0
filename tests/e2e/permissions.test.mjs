// permissions.test.mjs — the permission matrix (issue 10): every route of
// the binary's own route table (`fangyi routes`) is called by every role of
// its own role table (GET /roles), each as an account of 甲村 (A) and as
// one of 乙村 (B), then by the town-wide admin and by no one, and each
// answer is held against the tables:
//   - no one signed in: 401 (a public route: 2xx for everyone);
//   - a role without the route's capability: 403 forbidden;
//   - a role with it, working in A: a 2xx on A's records (never 401/403);
//   - a role with it, working in B: 403/404 on A's records, and no 2xx of
//     a B account (or of anyone without the capability) shows anything of A.
// Every route needs a rule in RULES (how to fill its path and body); a
// route added to src/api/routes.c without one fails the test by name.
// Last, every unsafe route refuses the session cookie without its
// X-CSRF-Token (403 csrf_required).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, Client, runCli, startServer } from './harness.mjs';
import {
  assertStatus, show, createPlace, newUser, loginAs, finish, idNumber, rawSend,
} from './lib.mjs';

const MARK = '甲村'; // in a text of every record of A; nowhere else
const PW = 'user-pass-123';

let s;
let routes;           // the binary's route table
let roles;            // the binary's role table: [{code, capabilities}]
const f = {};         // fixtures: ids of records of A (and a few of B)
// {name, role, village ('A'|'B'|'town'|null), caps, password, cookie, csrf,
// addr: the account's own client address in 127/8, as if each were its own
// phone (the public form's limit is per address)}
const accounts = [];
let seq = 0;          // makes names, ID numbers and client ids unique
const next = () => ++seq;

// ---- fixtures (made by the town-wide admin) ----------------------------------

const post = async (p, body, want = [200, 201]) => {
  const r = await s.admin.post(p, body);
  assertStatus(r, want, `fixture POST ${p} ${JSON.stringify(body)}`);
  return r.body;
};
const idA = () => {
  const n = next();
  return idNumber('370724', `${1950 + Math.floor(n / 1000)}0101`, n % 1000);
};
const phoneA = () => `1390${String(next()).padStart(7, '0')}`;
const person = async (village = f.A, grid = f.gridA, name = `${MARK}人${next()}`) =>
  (await post('/people', { name, id_number: idA(), phone: phoneA(), village_id: village,
    grid_id: grid, address: `${name}家` })).person.id;
const measure = async (pid) => (await post(`/people/${pid}/measures`,
  { type: 'home_isolation', basis: 'start' })).id;
const token = async () => (await s.admin.get(`/points/${f.pointA}/qr`)).body.token;
// a public self-registration at A's point, from an address of its own
const checkin = async () => {
  const r = await rawSend(s.url, { path: `/api/v1/checkin/${f.qr}`,
    headers: { 'content-type': 'application/json' }, localAddress: `127.0.1.${next() % 250 + 1}`,
    body: JSON.stringify({ name: `${MARK}自助`, id_number: idA(), phone: phoneA(),
      from: '湖北省武汉市', to_village_id: f.A, vehicle: 'on_foot' }) });
  assertStatus(r, 201, 'fixture POST /checkin');
  const q = await s.admin.get(`/points/${f.pointA}/checkins`);
  return q.body.items.at(-1).id;
};

// Records made anew for one call of a route that uses them up (deletes,
// one-way steps); `who` is the account about to call.
const fresh = {
  grid: async () => ({ grid: (await post('/places', { type: 'grid', name: `${MARK}组${next()}`,
    village_id: f.A })).id }),
  token: async (who) => {
    if (!who.cookie) return { token: f.adminToken };
    const c = accountClient(who);
    const r = await c.post('/tokens', { name: `t${next()}` });
    assertStatus(r, 201, 'fixture POST /tokens');
    return { token: r.body.id };
  },
  session: async (who) => {
    if (!who.cookie) return {};
    const c = await loginAs(s.url, who.name, who.password);
    return { session: { cookie: c.cookie, csrf: c.csrf } };
  },
  person: async () => ({ person: await person() }),
  measure: async () => ({ measure: await measure(await person()) }),
  alert: async () => {
    const m = await measure(await person());
    const r = await post(`/measures/${m}/checks`, { temperature: 38.6, slot: 1 });
    return { alert: r.alert.id };
  },
  contact: async () => {
    const p = await person();
    await post(`/people/${p}/contacts`, { source_id: f.personA2, last_exposure: '2020-02-01',
      relationship: 'family' });
    const g = await s.admin.get(`/people/${p}`);
    return { person: p, contact: g.body.exposed_to[0].id };
  },
  duplicate: async () => ({ dup: (await post('/people', { name: `${MARK}重${next()}`,
    village_id: f.A })).person.id }),
  issue: async () => ({ move: (await post('/supplies', { kind: 'issue', item_id: f.item,
    quantity: 1, place_id: f.pointA, recipient: `${MARK}收` })).id }),
  shift: async () => ({ shift: (await post('/shifts', shiftBody())).id }),
  checkin: async () => ({ checkin: await checkin() }),
  worker: async () => {
    const p = await person();
    const r = await post(`/enterprises/${f.entA}/workers`, { person_id: p });
    return { worker: r.workers.find((w) => w.person_id === p).id };
  },
};

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const shiftBody = () => ({ point_id: f.pointA, staff: `${MARK}值守`,
  starts_at: `${today()}T08:00`, ends_at: `${today()}T12:00` });
const csv = (head, row) => `${head}\n${row}\n`;
// sign-offs: each call signs a day of its own (a day signed twice with
// nothing changed is 409); SIGNED_DAY is signed by the fixtures
const pastDay = (n) => new Date(Date.UTC(2019, 0, 1) + n * 86400e3).toISOString().slice(0, 10);
const SIGNED_DAY = '2018-12-31';

// ---- the rules: one per route ----------------------------------------------
// A new route gets one line here: 'METHOD /pattern': { ids, body } at least.
// ids(x): the values of the path's {id}/{key} segments, in order (x: the
//   fixtures f, plus what `fresh` made for this call).
// body(x, n, who): the JSON body (n is unique per call); csv(x, n): a CSV
//   body.  query: appended to the path.
// fresh: a fresh.* maker run before each call (for routes that use their
//   record up: deletes, one-way steps, one-per-record creations).
// Kinds of route (default: the request names records of A, so B's
// accounts get 403/404, or bStatus with `why`):
//   list: a read over the caller's scope (B gets 2xx, shows nothing of A);
//   self: the caller's own things (session, password, tokens);
//   town: 'reason' — scoped accounts get 403 even with the capability;
//   anyOf: [caps] — the capability checked in the handler (route: none);
//   seesA: 'reason' — B may see A's names in a 2xx (by design).
// Public routes (public in the table) answer everyone 2xx.
const RULES = {
  'GET /api/v1/health': {},
  'POST /api/v1/login': { body: (x) => ({ username: x.userName, password: PW }) },
  'POST /api/v1/logout': { self: true, fresh: fresh.session },
  'GET /api/v1/me': { self: true },
  'POST /api/v1/me/password': { self: true, body: (x, n, who) => ({ old_password: who.password,
    new_password: who.password }) },
  'GET /api/v1/town': { list: true },
  'GET /api/v1/roles': { list: true },
  'GET /api/v1/tokens': { self: true },
  'POST /api/v1/tokens': { self: true, body: (x, n) => ({ name: `tok${n}` }) },
  'DELETE /api/v1/tokens/{id}': { self: true, fresh: fresh.token, ids: (x) => [x.token] },
  'GET /api/v1/places': { list: true },
  'POST /api/v1/places': { body: (x, n) => ({ type: 'grid', name: `${MARK}组${n}`, village_id: x.A }) },
  'GET /api/v1/places/{id}': { ids: (x) => [x.gridA] },
  'PATCH /api/v1/places/{id}': { ids: (x) => [x.gridA], body: () => ({ name: `${MARK}一组` }) },
  'DELETE /api/v1/places/{id}': { fresh: fresh.grid, ids: (x) => [x.grid] },
  'GET /api/v1/users': { town: 'only a town-wide account manages accounts' },
  'POST /api/v1/users': { town: 'only a town-wide account manages accounts',
    body: (x, n) => ({ username: `u${n}`, display_name: `${MARK}u${n}`, password: PW,
      role: 'viewer', villages: [x.A] }) },
  'GET /api/v1/users/{id}': { town: 'only a town-wide account manages accounts', ids: (x) => [x.user] },
  'PATCH /api/v1/users/{id}': { town: 'only a town-wide account manages accounts',
    ids: (x) => [x.user], body: () => ({ display_name: 'fx2' }) },
  'POST /api/v1/users/{id}/password': { town: 'only a town-wide account manages accounts',
    ids: (x) => [x.user], body: () => ({ password: PW }) },
  'GET /api/v1/staff': { list: true },
  'GET /api/v1/audit': { list: true, town: 'entries are not tagged with a village' },
  'GET /api/v1/audit/verify': { list: true, town: 'the audit log is the town\'s' },
  'GET /api/v1/people': { list: true },
  'POST /api/v1/people': { body: (x, n) => ({ name: `${MARK}新${n}`, id_number: idA(),
    village_id: x.A, grid_id: x.gridA }) },
  'GET /api/v1/people/duplicates': { list: true },
  'GET /api/v1/people/{id}': { ids: (x) => [x.personA] },
  'PATCH /api/v1/people/{id}': { ids: (x) => [x.personA], body: () => ({ notes: `${MARK}备注` }) },
  'POST /api/v1/people/{id}/travels': { ids: (x) => [x.personA],
    body: () => ({ origin: '武汉', left_date: '2020-01-20', return_date: '2020-01-21' }) },
  'PATCH /api/v1/people/{id}/travels/{id}': { ids: (x) => [x.personA, x.travelA],
    body: () => ({ via: '济南' }) },
  'POST /api/v1/people/{id}/contacts': { fresh: fresh.person, ids: (x) => [x.person],
    body: (x) => ({ source_id: x.personA2, last_exposure: '2020-02-01', relationship: 'family' }) },
  'DELETE /api/v1/people/{id}/contacts/{id}': { fresh: fresh.contact,
    ids: (x) => [x.person, x.contact] },
  'POST /api/v1/people/{id}/merge': { fresh: fresh.duplicate, ids: (x) => [x.personA2],
    body: (x) => ({ from_id: x.dup }) },
  'GET /api/v1/policies': { list: true },
  'PATCH /api/v1/policies/{key}': { town: 'only a town-wide account sets the policy',
    ids: (x) => [x.policy.kind], body: (x) => ({ period_days: x.policy.period_days }) },
  'GET /api/v1/regions': { list: true, query: `?q=${encodeURIComponent('武汉')}` },
  'GET /api/v1/risk-areas': { list: true },
  'POST /api/v1/risk-areas': { town: 'only a town-wide account sets risk areas',
    body: () => ({ region_code: '420100', level: 'high', start_date: '2020-01-20' }) },
  'PATCH /api/v1/risk-areas/{id}': { town: 'only a town-wide account sets risk areas',
    ids: (x) => [x.risk], body: () => ({ level: 'high' }) },
  'POST /api/v1/people/import': { csv: (x, n) => csv('姓名,身份证号,所属村',
    `${MARK}导${n},${idA()},${MARK}`), bStatus: [422], why: 'a row of another village is a bad row' },
  'GET /api/v1/people/export': { list: true },
  'POST /api/v1/measures/{id}/checks': { fresh: fresh.measure, ids: (x) => [x.measure],
    body: () => ({ temperature: 36.5, slot: 1 }) },
  'GET /api/v1/round': { list: true },
  'GET /api/v1/alerts': { list: true },
  'POST /api/v1/alerts/{id}/steps': { fresh: fresh.alert, ids: (x) => [x.alert],
    body: () => ({ step: 'report' }) },
  'GET /api/v1/board': { list: true },
  'GET /api/v1/reports/daily': { list: true },
  'GET /api/v1/reports/daily/export': { list: true },
  'GET /api/v1/reports/series': { list: true, query: '?days=3' },
  'POST /api/v1/reports/daily/signoff': { town: 'signed versions are the town\'s',
    body: (x, n) => ({ date: pastDay(n) }) },
  'GET /api/v1/reports/daily/versions': { list: true, town: 'signed versions are the town\'s',
    query: `?date=${SIGNED_DAY}` },
  'GET /api/v1/reports/daily/versions/{id}': { town: 'signed versions are the town\'s',
    ids: () => [1], query: `?date=${SIGNED_DAY}` },
  'GET /api/v1/people/{id}/measures': { ids: (x) => [x.personA] },
  'POST /api/v1/people/{id}/measures': { fresh: fresh.person, ids: (x) => [x.person],
    body: () => ({ type: 'home_isolation', basis: 'start' }) },
  'GET /api/v1/measures/{id}': { ids: (x) => [x.measureA] },
  'POST /api/v1/measures/{id}/changes': { fresh: fresh.measure, ids: (x) => [x.measure],
    body: () => ({ action: 'extend', days: 1, reason: '复核' }) },
  'GET /api/v1/release-due': { list: true },
  'GET /api/v1/chain-roles': { list: true },
  'PUT /api/v1/chain-roles/{key}': { town: 'only a town-wide account names chain roles',
    ids: () => ['fx_role'], body: () => ({ name_zh: '测试角色', name_en: 'test role' }) },
  'GET /api/v1/people/{id}/chain': { ids: (x) => [x.personA] },
  'POST /api/v1/people/{id}/chain': { ids: (x) => [x.personA],
    body: (x) => ({ role: 'medical', account_id: x.medicA }) },
  'POST /api/v1/chain/bulk': { body: (x) => ({ role: 'medical', account_id: x.medicA,
    village_id: x.A }) },
  'GET /api/v1/passes': { list: true },
  'POST /api/v1/passes': { body: (x, n) => ({ client_id: `perm-${n}`, point_id: x.pointA,
    direction: 'in', vehicle: 'on_foot', persons: [{ name: `${MARK}客${n}`, temperature: 36.5,
      outcome: 'admitted' }] }) },
  'GET /api/v1/passes/known': { list: true, query: `?plate=${encodeURIComponent('鲁G11111')}` },
  'GET /api/v1/passes/stats': { list: true },
  'GET /api/v1/passes/villages': { list: true,
    seesA: 'every active village is a destination (docs/api-checkpoints.md)' },
  'GET /api/v1/roster': { list: true },
  'POST /api/v1/shifts': { body: () => shiftBody() },
  'DELETE /api/v1/shifts/{id}': { fresh: fresh.shift, ids: (x) => [x.shift] },
  'GET /api/v1/points/{id}/qr': { ids: (x) => [x.pointA] },
  'GET /api/v1/points/{id}/qr.svg': { ids: (x) => [x.pointA] },
  'GET /api/v1/points/{id}/checkins': { ids: (x) => [x.pointA] },
  'POST /api/v1/checkins/{id}/reject': { fresh: fresh.checkin, ids: (x) => [x.checkin] },
  'GET /api/v1/checkin/{key}': { ids: (x) => [x.qr],
    seesA: 'the public form of A\'s point lists the villages to choose from' },
  'POST /api/v1/checkin/{key}': { ids: (x) => [x.qr],
    body: (x) => ({ name: `${MARK}自助`, id_number: idA(), phone: phoneA(), from: '武汉',
      to_village_id: x.A, vehicle: 'on_foot' }) },
  'GET /api/v1/supply-items': { list: true },
  'POST /api/v1/supply-items': { town: 'supply items are the town store\'s',
    body: (x, n) => ({ name: `物资${n}`, unit: '个' }) },
  'PATCH /api/v1/supply-items/{id}': { town: 'supply items are the town store\'s',
    ids: (x) => [x.item], body: () => ({ low_stock: 5 }) },
  'GET /api/v1/supplies': { list: true },
  'POST /api/v1/supplies': { body: (x) => ({ kind: 'issue', item_id: x.item, quantity: 1,
    place_id: x.pointA, recipient: `${MARK}收` }) },
  'GET /api/v1/supplies/stock': { list: true },
  'POST /api/v1/supplies/import': { csv: () => csv('类型,物资,数量,发放对象,所属村,领取人',
    `出库,fx口罩,1,${MARK}北卡口,${MARK},${MARK}收`), bStatus: [422],
  why: 'a row of another village is a bad row' },
  'GET /api/v1/supplies/export': { list: true },
  'GET /api/v1/supplies/{id}': { ids: (x) => [x.moveA] },
  'POST /api/v1/supplies/{id}/reverse': { fresh: fresh.issue, ids: (x) => [x.move],
    body: () => ({ note: '录错' }) },
  'GET /api/v1/disinfection': { list: true },
  'POST /api/v1/disinfection': { body: (x) => ({ place_id: x.pointA, area: 10, agent: '84',
    method: 'spray', operator: `${MARK}员` }) },
  'GET /api/v1/disinfection/totals': { list: true },
  'POST /api/v1/disinfection/import': { csv: (x) => csv('日期,地点,所属村,面积,消毒剂,方式,操作人',
    `${today()},${MARK}北卡口,${MARK},10,84,喷洒,${MARK}员`), bStatus: [422],
  why: 'a row of another village is a bad row' },
  'GET /api/v1/disinfection/export': { list: true },
  'GET /api/v1/disinfection/{id}': { ids: (x) => [x.disinfA] },
  'GET /api/v1/visitors': { list: true },
  'POST /api/v1/visitors': { body: (x) => ({ place_id: x.venueA, name: `${MARK}访客`,
    temperature: 36.5 }) },
  'POST /api/v1/visitors/import': { csv: () => csv('场所,所属村,姓名,体温',
    `${MARK}超市,${MARK},${MARK}访客,36.5`), bStatus: [422],
  why: 'a row of another village is a bad row' },
  'GET /api/v1/visitors/export': { list: true },
  'GET /api/v1/visitors/{id}': { ids: (x) => [x.visitorA] },
  'GET /api/v1/inspection-rounds': { list: true },
  'POST /api/v1/inspection-rounds': { town: 'a round covers the town',
    body: (x, n) => ({ name: `第${n}轮`, full_coverage: true }) },
  'GET /api/v1/inspection-rounds/{id}': { list: true, ids: (x) => [x.round],
    why: 'a round is the town\'s; its sites are listed within the caller\'s villages' },
  'GET /api/v1/inspection-visits': { list: true },
  'POST /api/v1/inspection-visits': { body: (x) => ({ round_id: x.round, place_id: x.pointA,
    inspector: `${MARK}督查` }) },
  'PATCH /api/v1/inspection-visits/{id}': { ids: (x) => [x.visitA],
    body: () => ({ accountability: `${MARK}问责` }) },
  'GET /api/v1/inspections/overdue': { list: true },
  'POST /api/v1/inspections/import': { csv: (x) => csv('督查轮次,点位,所属村,检查人',
    `${x.roundName},${MARK}北卡口,${MARK},${MARK}督查`), bStatus: [422],
  why: 'a row of another village is a bad row' },
  'GET /api/v1/inspections/export': { list: true },
  'GET /api/v1/enterprises': { list: true, anyOf: ['ledger.read', 'enterprise.write'] },
  'POST /api/v1/enterprises': { body: (x, n) => ({ name: `${MARK}厂${n}`, village_id: x.A }) },
  'POST /api/v1/enterprises/import': { csv: (x, n) => csv('企业名称,所属村',
    `${MARK}导入厂${n},${MARK}`), bStatus: [422], why: 'a row of another village is a bad row' },
  'GET /api/v1/enterprises/export': { list: true, anyOf: ['ledger.read', 'enterprise.write'] },
  'GET /api/v1/enterprises/{id}': { ids: (x) => [x.entA], anyOf: ['ledger.read', 'enterprise.write'] },
  'PATCH /api/v1/enterprises/{id}': { ids: (x) => [x.entA], body: () => ({ note: `${MARK}备注` }) },
  'POST /api/v1/enterprises/{id}/workers': { fresh: fresh.person, ids: (x) => [x.entA],
    body: (x) => ({ person_id: x.person }) },
  'DELETE /api/v1/enterprises/{id}/workers/{id}': { fresh: fresh.worker,
    ids: (x) => [x.entA, x.worker] },
};

const key = (rt) => `${rt.method} ${rt.pattern}`;

// accountClient: a harness Client sharing the account's session (for
// fixture calls made as that account).
function accountClient(who) {
  const c = new Client(s.url);
  c.cookie = who.cookie;
  c.csrf = who.csrf;
  return c;
}

// ---- calling --------------------------------------------------------------

function fillPath(pattern, ids) {
  let i = 0;
  const p = pattern.replace(/\{(id|key)\}/g, () => {
    assert.ok(i < ids.length, `${pattern}: its rule gives ${ids.length} path values`);
    return encodeURIComponent(String(ids[i++]));
  });
  assert.equal(i, ids.length, `${pattern}: its rule gives ${ids.length} path values`);
  return p;
}

// call sends the route's request as `who`; opts.csrf false leaves out the
// CSRF header.  Resolves {status, body, headers, path}.
async function call(rt, who, { csrf = true } = {}) {
  const rule = RULES[key(rt)];
  const x = { ...f, ...(rule.fresh ? await rule.fresh(who) : {}) };
  const p = fillPath(rt.pattern, rule.ids ? rule.ids(x) : []) + (rule.query || '');
  const n = next();
  const session = x.session || who;
  const headers = {};
  if (session.cookie) headers.cookie = session.cookie;
  if (session.csrf && csrf && rt.method !== 'GET') headers['x-csrf-token'] = session.csrf;
  let body = null;
  if (rule.csv) {
    headers['content-type'] = 'text/csv';
    body = rule.csv(x, n);
  } else if (rule.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(rule.body(x, n, who));
  }
  const r = await rawSend(s.url, { method: rt.method, path: p, headers, body,
    localAddress: who.addr });
  return { ...r, path: p };
}

// ---- judging --------------------------------------------------------------

// leak: what of A a 2xx shows (null when nothing): the mark, or a record
// whose village_id is A's.
function leak(body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  if (text.includes(MARK)) return `"${MARK}" at …${text.slice(Math.max(0, text.indexOf(MARK) - 80),
    text.indexOf(MARK) + 40)}…`;
  let found = null;
  const walk = (v) => {
    if (found || !v || typeof v !== 'object') return;
    for (const [k, w] of Object.entries(v)) {
      if ((k === 'village_id' || k === 'to_village_id') && w === f.A) found = `${k}: ${w}`;
      else walk(w);
    }
  };
  walk(body);
  return found;
}

const has = (who, rt, rule) => {
  if (rule.anyOf) return rule.anyOf.some((c) => who.caps.includes(c));
  return rt.capability === null || who.caps.includes(rt.capability);
};
const ok2xx = (r) => r.status >= 200 && r.status < 300;

// judge returns a problem (a string) or null.
function judge(rt, rule, who, r) {
  const what = `${rt.method} ${r.path} as ${who.name}: ${show(r)}`;
  if (r.status >= 500) return `server error — ${what}`;
  if (!rt.public && !who.cookie) {
    if (r.status !== 401 || r.body?.error?.code !== 'unauthenticated')
      return `no session must get 401 unauthenticated — ${what}`;
    return null;
  }
  if (!rt.public && !has(who, rt, rule)) {
    if (r.status !== 403 || r.body?.error?.code !== 'forbidden')
      return `role ${who.role} lacks ${rule.anyOf?.join('|') || rt.capability}: expected 403 forbidden — ${what}`;
    return null;
  }
  if (!rt.public && rule.town && who.village !== 'town') {
    if (r.status !== 403) return `town-wide only (${rule.town}): expected 403 — ${what}`;
    return null;
  }
  if (!rt.public && who.village === 'B' && !rule.list && !rule.self) {
    const want = rule.bStatus || [403, 404];
    if (!want.includes(r.status))
      return `an account of B on A's records: expected ${want.join('/')} — ${what}`;
    return null;
  }
  if (!ok2xx(r)) return `expected 2xx (${rt.public ? 'public' : `${who.role} holds the capability`}) — ${what}`;
  // B's accounts, and everyone on public routes: nothing of A in a 2xx
  if (!rule.seesA && who.village !== 'A' && who.village !== 'town') {
    const l = leak(r.body);
    if (l) return `a 2xx shows A's records (${l}) — ${what}`;
  }
  return null;
}

// ---- set-up ---------------------------------------------------------------

before(async () => {
  const t = runCli(['routes']);
  assert.equal(t.status, 0, `fangyi routes: ${t.stderr}`);
  routes = JSON.parse(t.stdout).routes;
  s = await startServer();
  roles = (await s.admin.get('/roles')).body.items;

  f.A = (await createPlace(s.admin, { type: 'village', name: MARK })).id;
  f.B = (await createPlace(s.admin, { type: 'village', name: '乙村' })).id;
  f.gridA = (await createPlace(s.admin, { type: 'grid', name: `${MARK}一组`, village_id: f.A })).id;
  f.gridB = (await createPlace(s.admin, { type: 'grid', name: '乙村一组', village_id: f.B })).id;
  f.pointA = (await createPlace(s.admin, { type: 'point', name: `${MARK}北卡口`, village_id: f.A })).id;
  f.pointB = (await createPlace(s.admin, { type: 'point', name: '乙村北卡口', village_id: f.B })).id;
  f.venueA = (await createPlace(s.admin, { type: 'venue', name: `${MARK}超市`, village_id: f.A,
    venue_kind: 'supermarket' })).id;

  // an account of each role in A and in B (the display name of A's has the mark)
  let addr = 10;
  for (const role of roles) {
    for (const v of ['A', 'B']) {
      const name = `${role.code}_${v.toLowerCase()}`;
      const u = await newUser(s.admin, { username: name, role: role.code, villages: [f[v]],
        display_name: v === 'A' ? `${MARK}${role.code}` : `乙村${role.code}` });
      const c = await loginAs(s.url, name, PW);
      accounts.push({ name, id: u.id, role: role.code, village: v, caps: role.capabilities,
        password: PW, cookie: c.cookie, csrf: c.csrf, addr: `127.0.0.${addr++}` });
    }
  }
  const adminRole = roles.find((r) => r.code === 'admin');
  accounts.unshift({ name: 'admin', role: 'admin', village: 'town', caps: adminRole.capabilities,
    password: ADMIN_PASSWORD, cookie: s.admin.cookie, csrf: s.admin.csrf, addr: '127.0.0.2' });
  accounts.push({ name: '(no one)', role: null, village: null, caps: [], addr: '127.0.0.3' });
  f.medicA = accounts.find((a) => a.name === 'medical_a').id;
  const fx = await newUser(s.admin, { username: 'fx_user', role: 'viewer', villages: [f.A],
    display_name: 'fx' });
  f.user = fx.id;
  f.userName = 'fx_user';

  f.personA = await person();
  f.personA2 = await person();
  await post(`/people/${f.personA}/travels`, { origin: '武汉', left_date: '2020-01-20',
    return_date: '2020-01-22' });
  f.travelA = (await s.admin.get(`/people/${f.personA}`)).body.travels[0].id;
  f.measureA = await measure(f.personA);
  await post(`/people/${f.personA}/chain`, { role: 'medical', account_id: f.medicA });
  await person(f.B, f.gridB, '乙村人');
  f.policy = (await s.admin.get('/policies')).body.items[0];
  f.risk = (await post('/risk-areas', { region_code: '420000', level: 'high',
    start_date: '2020-01-20' })).id;
  await post('/passes', { client_id: 'fx-pass', point_id: f.pointA, direction: 'in',
    vehicle: 'car', plate: '鲁G11111', persons: [{ name: `${MARK}旅客`, temperature: 36.5,
      outcome: 'admitted' }] });
  await post('/shifts', shiftBody());
  f.qr = await token();
  await checkin();
  f.item = (await post('/supply-items', { name: 'fx口罩', unit: '个' })).id;
  await post('/supplies', { kind: 'receipt', item_id: f.item, quantity: 100000, source: 'allocated' });
  f.moveA = (await fresh.issue()).move;
  f.disinfA = (await post('/disinfection', { place_id: f.pointA, area: 10, agent: '84',
    method: 'spray', operator: `${MARK}员` })).id;
  f.visitorA = (await post('/visitors', { place_id: f.venueA, name: `${MARK}访客`,
    temperature: 36.5 })).visit.id;
  f.roundName = '第一轮';
  f.round = (await post('/inspection-rounds', { name: f.roundName, full_coverage: true })).round.id;
  f.visitA = (await post('/inspection-visits', { round_id: f.round, place_id: f.pointA,
    inspector: `${MARK}督查` })).id;
  f.entA = (await post('/enterprises', { name: `${MARK}厂`, village_id: f.A })).enterprise.id;
  f.adminToken = (await post('/tokens', { name: 'fx' })).id;
  await post('/reports/daily/signoff', { date: SIGNED_DAY });
});
after(async () => { await finish(s); });

// ---- the tests ------------------------------------------------------------

test('every route of the table has a rule here, and every rule a route', () => {
  const keys = new Set(routes.map(key));
  const missing = routes.map(key).filter((k) => !RULES[k]);
  assert.deepEqual(missing, [], `routes without a rule in tests/e2e/permissions.test.mjs `
    + `(add one line to RULES for each): ${missing.join(', ')}`);
  const stale = Object.keys(RULES).filter((k) => !keys.has(k));
  assert.deepEqual(stale, [], `rules for routes the table no longer has: ${stale.join(', ')}`);
  assert.ok(roles.length >= 10, `roles: ${roles.length}`);
});

test('every route × every account answers as the role and scope tables say', async () => {
  const problems = [];
  let calls = 0;
  // reads first, deletes last: the shared fixtures stay for the reads
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const todo = routes.filter((rt) => RULES[key(rt)])
    .sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  for (const rt of todo) {
    const rule = RULES[key(rt)];
    for (const who of accounts) {
      const r = await call(rt, who);
      calls++;
      const p = judge(rt, rule, who, r);
      if (p) problems.push(p);
    }
  }
  console.log(`permission matrix: ${todo.length} routes × ${accounts.length} accounts`
    + ` (${roles.length} roles × 2 villages, the town-wide admin, no one) = ${calls} calls`);
  assert.deepEqual(problems, [], `${problems.length} answers disagree with the tables:\n`
    + problems.join('\n'));
});

test('every unsafe route refuses the session cookie without X-CSRF-Token', async () => {
  const problems = [];
  const admin = accounts[0];
  const unsafe = routes.filter((rt) => rt.method !== 'GET' && !rt.public && RULES[key(rt)]);
  for (const rt of unsafe) {
    const r = await call(rt, admin, { csrf: false });
    if (r.status !== 403 || r.body?.error?.code !== 'csrf_required')
      problems.push(`${rt.method} ${r.path}: ${show(r)}`);
  }
  console.log(`csrf: ${unsafe.length} unsafe routes checked`);
  assert.deepEqual(problems, [], `without X-CSRF-Token, expected 403 csrf_required:\n`
    + problems.join('\n'));
});
