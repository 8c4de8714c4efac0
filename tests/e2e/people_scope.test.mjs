// people_scope.test.mjs — who may see and change which people: a village
// cadre works only on the people of its villages; roles without
// people.write cannot change the register (docs/api.md "The people
// register", docs/roles.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  finish, idNumber, peopleSnapshot, auditWrites,
} from './lib.mjs';

let s;
const A = {};   // 甲村
const B = {};   // 乙村
let cadre;      // village_cadre scoped to A
let medic;      // medical: people.read, no people.write
let vol;        // volunteer: people.read, no people.write
let checker;    // checkpoint staff: no people.read

let seq = 201;
const freshId = () => idNumber('370724', '19720202', seq++);
let phoneN = 1;
const freshPhone = () => `1370000${String(phoneN++).padStart(4, '0')}`;

async function register(client, body, what = `POST /people ${body.name}`) {
  const r = await client.post('/people', body);
  assertStatus(r, 201, what);
  assert.equal(r.body?.created, true, `${what}: ${show(r)}`);
  return r.body.person;
}

// assertHidden: a record outside the caller's villages is refused as
// forbidden or not found.
function assertHidden(r, what) {
  assertError(r, [403, 404], ['forbidden', 'not_found'], undefined, what);
}

async function getPerson(id, client = s.admin) {
  const r = await client.get(`/people/${id}`);
  assertStatus(r, 200, `GET /people/${id}`);
  return r.body;
}

// unchanged: fn changes neither the people list nor any of ids' records nor
// the audit log of people.
async function unchanged(fn, ids) {
  const list0 = await peopleSnapshot(s.admin);
  const audit0 = (await auditWrites(s.admin)).length;
  const recs0 = [];
  for (const id of ids) recs0.push(await getPerson(id));
  await fn();
  assert.deepEqual(await peopleSnapshot(s.admin), list0, 'the people list changed');
  assert.equal((await auditWrites(s.admin)).length, audit0, 'a refused write was audited');
  for (let i = 0; i < ids.length; i++)
    assert.deepEqual(await getPerson(ids[i]), recs0[i], `person ${ids[i]} changed`);
}

const ids = (items) => items.map((p) => p.id).sort((a, b) => a - b);

before(async () => {
  s = await startServer();
  for (const [o, n] of [[A, '甲村'], [B, '乙村']]) {
    o.village = await createPlace(s.admin, { type: 'village', name: n });
    o.grid = await createPlace(s.admin, { type: 'grid', name: `${n}一组`, village_id: o.village.id });
  }
  await newUser(s.admin, { username: 'cadre_a', role: 'village_cadre', villages: [A.village.id] });
  await newUser(s.admin, { username: 'medic', role: 'medical', villages: [A.village.id] });
  await newUser(s.admin, { username: 'vol', role: 'volunteer', villages: [A.village.id] });
  await newUser(s.admin, { username: 'gate', role: 'checkpoint', villages: [A.village.id] });
  cadre = await loginAs(s.url, 'cadre_a', 'user-pass-123');
  medic = await loginAs(s.url, 'medic', 'user-pass-123');
  vol = await loginAs(s.url, 'vol', 'user-pass-123');
  checker = await loginAs(s.url, 'gate', 'user-pass-123');

  A.people = [];
  for (let i = 0; i < 5; i++)
    A.people.push((await register(s.admin, { name: `甲村人${i}`, id_number: freshId(), phone: freshPhone(),
      village_id: A.village.id, grid_id: A.grid.id,
      travel: { origin: '武汉', left_date: '2020-01-20', return_date: '2020-01-21' } })).id);
  B.idNumber = freshId();
  B.phone = freshPhone();
  B.case = (await register(s.admin, { name: '乙村病例', id_number: B.idNumber, phone: B.phone,
    village_id: B.village.id, grid_id: B.grid.id, address: '乙村秘密地址9号',
    travel: { origin: '武汉', left_date: '2020-01-20', return_date: '2020-01-21' } })).id;
  assertStatus(await s.admin.patch(`/people/${B.case}`, { is_case: true }), 200, 'mark B\'s case');
  B.other = (await register(s.admin, { name: '乙村人', id_number: freshId(), phone: freshPhone(),
    village_id: B.village.id })).id;
  // an exposure inside B, to have a link to try to remove
  const r = await s.admin.post(`/people/${B.other}/contacts`, { source_id: B.case,
    last_exposure: '2020-02-01', relationship: 'family' });
  assertStatus(r, 201, 'B\'s contact');
  B.link = (await getPerson(B.other)).exposed_to[0].id;
  B.travel = (await getPerson(B.case)).travels[0].id;
});
after(async () => { await finish(s); });

test('a village cadre registers people in its village, not in another', async () => {
  const p = await register(cadre, { name: '甲村新登记', id_number: freshId(), phone: freshPhone(),
    village_id: A.village.id, grid_id: A.grid.id });
  A.people.push(p.id);
  assert.equal(p.village_id, A.village.id);
  await unchanged(async () => {
    assertHidden(await cadre.post('/people', { name: '越界登记', id_number: freshId(),
      village_id: B.village.id }), 'create a person in B');
    assertHidden(await cadre.post('/people', { name: '越界登记', id_number: freshId(),
      village_id: B.village.id, travel: { origin: '武汉' } }), 'create a person with a travel in B');
    const r = await cadre.post('/people', { name: '越界网格', id_number: freshId(),
      village_id: A.village.id, grid_id: B.grid.id });
    assertError(r, [403, 404, 422], undefined, undefined, 'A\'s person in B\'s grid');
  }, [B.case]);
});

test('the cadre\'s list shows only A\'s people, also page by page and with filters', async () => {
  const adminA = ids(await listAll(s.admin, `/people?village_id=${A.village.id}`));
  assert.deepEqual(adminA, [...A.people].sort((a, b) => a - b));
  assert.deepEqual(ids(await listAll(cadre, '/people')), adminA);
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const r = await cadre.get(`/people?limit=2${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assertStatus(r, 200);
    assert.ok(r.body.items.every((p) => p.village_id === A.village.id), `page ${i}: ${show(r)}`);
    seen.push(...r.body.items.map((p) => p.id));
    cursor = r.body.next_cursor;
    if (cursor === null || cursor === undefined) break;
  }
  assert.equal(new Set(seen).size, seen.length, 'someone listed twice');
  assert.deepEqual(seen.sort((a, b) => a - b), adminA);
  for (const q of [`village_id=${B.village.id}`, `grid_id=${B.grid.id}`, `q=${B.phone}`,
    `q=${B.idNumber}`, `q=${encodeURIComponent('乙村')}`, 'risk=high&limit=500',
    'origin=420000']) {
    const r = await cadre.get(`/people?${q}`);
    if (r.status === 200)
      assert.ok(r.body.items.every((p) => p.village_id === A.village.id), `${q} leaks: ${show(r)}`);
    else assertHidden(r, `list ${q}`);
  }
  for (const c of [medic, vol]) {
    const items = await listAll(c, '/people');
    assert.deepEqual(ids(items), adminA, 'a scoped reader sees A only');
  }
});

test('reading or changing B\'s people is refused and changes nothing', async () => {
  await unchanged(async () => {
    assertHidden(await cadre.get(`/people/${B.case}`), 'GET B\'s person');
    assertHidden(await cadre.get(`/people/${B.case}?full=1`), 'GET B\'s person full');
    assertHidden(await medic.get(`/people/${B.case}`), 'medic GET B\'s person');
    assertHidden(await cadre.patch(`/people/${B.case}`, { address: '改了' }), 'PATCH B\'s person');
    assertHidden(await cadre.patch(`/people/${B.case}`, { is_case: false }), 'clear B\'s case');
    assertHidden(await cadre.patch(`/people/${B.case}`, { village_id: A.village.id }), 'pull B\'s person into A');
    assertHidden(await cadre.post(`/people/${B.case}/travels`, { origin: '武汉',
      left_date: '2020-01-20', return_date: '2020-01-21' }), 'add a travel to B\'s person');
    assertHidden(await cadre.patch(`/people/${B.case}/travels/${B.travel}`, { transport: 'air' }),
      'PATCH B\'s travel');
    assertHidden(await cadre.post(`/people/${B.other}/contacts`, { source_id: A.people[0],
      last_exposure: '2020-02-01', relationship: 'colleague' }), 'add a contact to B\'s person');
    assertHidden(await cadre.del(`/people/${B.other}/contacts/${B.link}`), 'remove B\'s contact');
    // from_id names B's person in the body: refused like a person that does not exist
    const ghost = await cadre.post(`/people/${A.people[0]}/merge`, { from_id: 999999 });
    const hidden = await cadre.post(`/people/${A.people[0]}/merge`, { from_id: B.other });
    if (![403, 404].includes(hidden.status))
      assert.deepEqual({ status: hidden.status, body: hidden.body }, { status: ghost.status, body: ghost.body },
        'merging B\'s person answers unlike merging a person that does not exist');
    assertError(hidden, [403, 404, 422], undefined, undefined, 'merge B\'s person into A\'s');
    assertHidden(await cadre.post(`/people/${B.other}/merge`, { from_id: A.people[0] }),
      'merge A\'s person into B\'s');
  }, [B.case, B.other, A.people[0]]);
  // moving one's own person out to B is refused too
  await unchanged(async () => {
    const r = await cadre.patch(`/people/${A.people[1]}`, { village_id: B.village.id });
    assertError(r, [403, 404, 422], undefined, undefined, 'move A\'s person to B');
  }, [A.people[1]]);
});

test('registering an ID number that B already has does not reveal or change B\'s person', async () => {
  await unchanged(async () => {
    const r = await cadre.post('/people', { name: '冒名', id_number: B.idNumber,
      village_id: A.village.id, travel: { origin: '郑州', left_date: '2020-01-22', return_date: '2020-01-23' } });
    assert.notEqual(r.status, 201, `a second person with B's ID number: ${show(r)}`);
    assert.ok(r.status < 500, show(r));
    const text = JSON.stringify(r.body);
    for (const secret of ['乙村病例', B.phone, '乙村秘密地址'])
      assert.ok(!text.includes(secret), `the answer reveals ${secret}: ${show(r)}`);
  }, [B.case]);
});

test('duplicates shown to a cadre stay inside A', async () => {
  const phone = freshPhone();
  const a1 = await register(s.admin, { name: '同名人', phone, village_id: A.village.id });
  const b1 = await register(s.admin, { name: '同名人', phone, village_id: B.village.id });
  A.people.push(a1.id);
  const all = await s.admin.get('/people/duplicates');
  assertStatus(all, 200);
  assert.ok(all.body.items.some((x) => [x.a.id, x.b.id].sort().join() === [a1.id, b1.id].sort().join()),
    `admin sees the cross-village pair: ${show(all)}`);
  const mine = await cadre.get('/people/duplicates');
  assertStatus(mine, 200);
  for (const x of mine.body.items)
    assert.ok(x.a.village_id === A.village.id && x.b.village_id === A.village.id,
      `a pair outside A: ${JSON.stringify(x)}`);
});

test('roles without people.write cannot change the register', async () => {
  const pa = A.people[0];
  await unchanged(async () => {
    for (const [who, c] of [['medical', medic], ['volunteer', vol]]) {
      assertStatus(await c.get('/people'), 200, `${who} reads the list`);
      assertStatus(await c.get(`/people/${pa}`), 200, `${who} reads a person`);
      const f = (r, what) => assertError(r, 403, 'forbidden', undefined, `${who}: ${what}`);
      f(await c.post('/people', { name: '医护登记', id_number: freshId(), village_id: A.village.id }), 'POST /people');
      f(await c.patch(`/people/${pa}`, { address: '改' }), 'PATCH');
      f(await c.post(`/people/${pa}/travels`, { origin: '武汉' }), 'add travel');
      f(await c.post(`/people/${pa}/contacts`, { source_id: A.people[1],
        last_exposure: '2020-02-01', relationship: 'family' }), 'add contact');
      f(await c.post(`/people/${pa}/merge`, { from_id: A.people[1] }), 'merge');
      f(await c.get('/people/duplicates'), 'duplicates');
      f(await c.post('/risk-areas', { region_code: '420000', level: 'high', start_date: '2020-01-01' }), 'risk area');
      f(await c.patch('/policies/returnee_high', { period_days: 7 }), 'policy');
    }
    assertError(await checker.get('/people'), 403, 'forbidden', undefined, 'checkpoint staff list people');
    assertError(await checker.get(`/people/${pa}`), [403, 404], undefined, undefined, 'checkpoint staff read a person');
    assertError(await checker.post('/people', { name: '卡口登记', id_number: freshId(),
      village_id: A.village.id }), 403, 'forbidden', undefined, 'checkpoint staff POST /people');
    const anon = new Client(s.url);
    assertError(await anon.get('/people'), 401, 'unauthenticated', undefined, 'no session');
    assertError(await anon.post('/people', { name: '匿名', village_id: A.village.id }), 401, 'unauthenticated');
  }, [pa, A.people[1]]);
});

test('the cadre\'s writes are audited under the cadre; verify stays ok', async () => {
  const pa = A.people[2];
  assertStatus(await cadre.patch(`/people/${pa}`, { address: '甲村2号' }), 200, 'cadre PATCH own person');
  const mine = await listAll(s.admin, '/audit?entity=person&actor=cadre_a');
  assert.ok(mine.some((e) => e.entity_id === pa), 'cadre PATCH audited');
  assert.ok(mine.length >= 2, 'cadre create and PATCH audited');
  const v = await s.admin.get('/audit/verify');
  assertStatus(v, 200);
  assert.equal(v.body.ok, true, show(v));
});
