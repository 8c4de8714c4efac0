// people_io.test.mjs — the people register in and out as spreadsheets
// (docs/api.md: POST /people/import, GET /people/export; docs/cli.md:
// fangyi import DB people, fangyi export DB people), as a township meets
// it: files saved by Excel on Chinese Windows (GB18030) or with a BOM,
// full-width digits, dates in every form, one bad row among good ones,
// importing the same file twice, exports that open in Excel and import
// again unchanged, masking, and village scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, BIN } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, newUser, loginAs, listAll,
  finish, idNumber, maskId, maskPhone, peopleSnapshot, auditWrites,
} from './lib.mjs';

let s;
let V1;      // 东村
let V2;      // 西村
let cadre;   // village_cadre of 东村 only (has pii.full)
let viewer;  // whole town, no pii.full

before(async () => {
  s = await startServer();
  V1 = await createPlace(s.admin, { type: 'village', name: '东村' });
  V2 = await createPlace(s.admin, { type: 'village', name: '西村' });
  await createPlace(s.admin, { type: 'grid', name: '东村一组', village_id: V1.id });
  await newUser(s.admin, { username: 'dongcun', role: 'village_cadre', villages: [V1.id] });
  await newUser(s.admin, { username: 'kan', role: 'viewer', villages: [] });
  cadre = await loginAs(s.url, 'dongcun', 'user-pass-123');
  viewer = await loginAs(s.url, 'kan', 'user-pass-123');
});
after(async () => { await finish(s); });

// ---- helpers ---------------------------------------------------------------

const HEADER = ['姓名', '身份证号', '性别', '联系电话', '所属村', '网格', '详细住址',
  '返乡来源地', '途经地', '返乡日期', '交通方式', '车次航班车牌', '返乡事由',
  '密切接触史', '症状', '来源', '备注'];

let seq = 11;
const freshId = () => idNumber('370724', '19800101', seq++);
let phoneN = 1;
const freshPhone = () => `1370000${String(phoneN++).padStart(4, '0')}`;

// csv joins rows (arrays of cells, quoted where needed) with CRLF after
// the Chinese header, as Excel saves them.
function csv(rows, header = HEADER) {
  const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map((v) => cell(String(v))).join(','))
    .join('\r\n') + '\r\n';
}

// person makes a register row: fields by column name, the rest empty.
function person(f) {
  return HEADER.map((h) => f[h] ?? '');
}

// parseCsv reads CSV text (BOM, quotes, CRLF) into rows of cells.
function parseCsv(text) {
  const t = text.replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (q) {
      if (c === '"' && t[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') {
      row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// gb18030 converts UTF-8 text to the bytes Excel writes on Chinese Windows.
function gb18030(text) {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text) });
  assert.equal(r.status, 0, `iconv: ${r.stderr}`);
  return r.stdout;
}

// upload posts a CSV body (string or bytes) to /people/import with the
// client's session; resolves {status, body}.
async function upload(client, body, query = '', contentType = 'text/csv') {
  const headers = { 'content-type': contentType, cookie: client.cookie };
  if (client.csrf) headers['x-csrf-token'] = client.csrf;
  const res = await fetch(`${s.url}/api/v1/people/import${query}`,
    { method: 'POST', headers, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json, headers: res.headers };
}

// download fetches an export; resolves {status, headers, buf, text}.
async function download(client, query = '') {
  const res = await fetch(`${s.url}/api/v1/people/export${query}`,
    { headers: { cookie: client.cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

function assertCounts(r, want, what) {
  assertStatus(r, 200, what);
  for (const k of ['rows', 'created', 'updated', 'unchanged'])
    assert.equal(r.body[k], want[k] ?? 0, `${what}: ${k}: ${show(r)}`);
  assert.ok(Array.isArray(r.body.bad), `${what}: bad list: ${show(r)}`);
  assert.equal(r.body.bad.length, want.bad ?? 0, `${what}: bad: ${show(r)}`);
}

// find: the one person whose name is exactly name (admin's view, full).
async function find(name) {
  const items = (await listAll(s.admin, `/people?q=${encodeURIComponent(name)}`))
    .filter((p) => p.name === name);
  assert.equal(items.length, 1, `people named ${name}: ${JSON.stringify(items)}`);
  const r = await s.admin.get(`/people/${items[0].id}?full=1`);
  assertStatus(r, 200, `GET person ${name}`);
  return r.body.person ?? r.body;
}

function scratchFile(name, data) {
  const f = path.join(s.dir, name);
  writeFileSync(f, data);
  return f;
}

// ---- encodings and normalisation ------------------------------------------

test('a GB18030 file and a UTF-8-with-BOM file of the same rows give the same records', async () => {
  const ids = [freshId(), freshId()];
  const phones = [freshPhone(), freshPhone(), freshPhone()];
  const fw = (d) => d.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));
  const rows = [
    person({ 姓名: '甲陈一', 身份证号: ids[0], 性别: '男', 联系电话: phones[0], 所属村: '东村',
      网格: '东村一组', 详细住址: '东村5号', 返乡来源地: '湖北省武汉市', 途经地: '郑州',
      返乡日期: '2020/1/23', 交通方式: '高铁', 车次航班车牌: 'G501', 返乡事由: '探亲',
      密切接触史: '否', 症状: '无', 来源: '入户排查' }),
    // full-width phone, ideographic spaces, a Chinese date, a comma inside
    person({ 姓名: '\u3000甲林二\u3000', 身份证号: ids[1], 联系电话: fw(phones[1]),
      所属村: '东村', 详细住址: '东村6号', 返乡来源地: '武汉', 返乡日期: '2020年1月24日',
      交通方式: '自驾', 车次航班车牌: '鄂A12345', 返乡事由: '过年', 密切接触史: '是',
      症状: '发热', 来源: '卡口', 备注: '备注,含逗号' }),
    // no ID number: found again by name and phone
    person({ 姓名: '甲周三', 性别: '女', 联系电话: phones[2], 所属村: '西村', 详细住址: '西村1号',
      返乡来源地: '广东省深圳市', 返乡日期: '2020.1.25', 交通方式: '飞机',
      车次航班车牌: 'CZ3456', 来源: '自主申报' }),
    // no ID, no phone, no travel: found again by name, village and address
    person({ 姓名: '甲吴四', 所属村: '西村', 详细住址: '西村2号' }),
  ];
  const text = csv(rows);
  const before = await peopleSnapshot(s.admin);
  const r1 = await upload(s.admin, gb18030(text));
  assertCounts(r1, { rows: 4, created: 4 }, 'GB18030 import');
  const after1 = await peopleSnapshot(s.admin);
  assert.equal(after1.length, before.length + 4);

  const r2 = await upload(s.admin, Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(text)]));
  assertCounts(r2, { rows: 4, unchanged: 4 }, 'UTF-8 BOM import of the same rows');
  assert.deepEqual(await peopleSnapshot(s.admin), after1, 'the second encoding changed records');

  const a = await find('甲陈一');
  assert.equal(a.id_number, ids[0]);
  assert.equal(a.phone, phones[0]);
  assert.equal(a.village_id, V1.id);
  assert.equal(a.grid_name, '东村一组');
  assert.equal(a.address, '东村5号');
  assert.equal(a.latest_travel?.origin_code, '420100');
  assert.equal(a.latest_travel?.return_date, '2020-01-23');
  const b = await find('甲林二');
  assert.equal(b.phone, phones[1], 'full-width phone folded');
  assert.equal(b.notes, '备注,含逗号');
  assert.equal(b.latest_travel?.return_date, '2020-01-24');
  assert.equal(b.kind, 'close_contact', 'contact with a case (是) makes a close contact');
  const c = await find('甲周三');
  assert.equal(c.id_number, null);
  assert.equal(c.latest_travel?.return_date, '2020-01-25');
  const d = await find('甲吴四');
  assert.equal(d.latest_travel, null);
});

test('English headers and codes are accepted too', async () => {
  const id = freshId();
  const text = csv([[ '乙英文', id, 'M', freshPhone(), '东村', '', '', '420100', '', '2020-01-20',
    'rail', 'G1', '', 'no', 'none', 'checkpoint', '' ]],
  ['name', 'id_number', 'sex', 'phone', 'village', 'grid', 'address', 'origin', 'via',
    'return_date', 'transport', 'transport_no', 'reason', 'contact_history', 'symptoms',
    'source', 'notes']);
  assertCounts(await upload(s.admin, text), { rows: 1, created: 1 }, 'English import');
  const p = await find('乙英文');
  assert.equal(p.id_number, id);
  assert.equal(p.latest_travel?.origin_code, '420100');
});

// ---- bad rows --------------------------------------------------------------

function fileWithBadRow(prefix) {
  return csv([
    person({ 姓名: `${prefix}一`, 身份证号: freshId(), 所属村: '东村', 返乡来源地: '武汉', 返乡日期: '2020-01-21' }),
    person({ 姓名: `${prefix}二`, 联系电话: freshPhone(), 所属村: '东村' }),
    person({ 姓名: `${prefix}三`, 所属村: '北村', 详细住址: '北村1号' }),        // row 4
    person({ 姓名: `${prefix}四`, 联系电话: freshPhone(), 所属村: '西村', 返乡日期: '2020-02-30', 返乡来源地: '武汉' }), // row 5
  ]);
}

test('one bad row rejects the whole file (422, nothing stored); dry_run only checks', async () => {
  const before = await peopleSnapshot(s.admin);
  const auditBefore = await auditWrites(s.admin);
  const text = fileWithBadRow('丙');
  const r = await upload(s.admin, text);
  assertError(r, 422, 'bad_rows');
  assert.ok(Array.isArray(r.body.bad), `bad list: ${show(r)}`);
  assert.deepEqual(r.body.bad.map((b) => [b.row, b.column]), [[4, '所属村'], [5, '返乡日期']], show(r));
  assert.match(r.body.bad[0].reason, /北村/);
  assert.deepEqual(await peopleSnapshot(s.admin), before, 'a rejected import stored something');
  assert.deepEqual(await auditWrites(s.admin), auditBefore, 'a rejected import left audit entries');

  const dry = await upload(s.admin, text, '?dry_run=1');
  assertStatus(dry, 200, 'dry run');
  assert.equal(dry.body.rows, 4);
  assert.equal(dry.body.created, 2, show(dry));
  assert.equal(dry.body.bad.length, 2, show(dry));
  assert.deepEqual(await peopleSnapshot(s.admin), before, 'a dry run stored something');
});

test('skip_invalid imports the good rows and reports the bad ones', async () => {
  const before = await peopleSnapshot(s.admin);
  const r = await upload(s.admin, fileWithBadRow('丁'), '?skip_invalid=1');
  assertCounts(r, { rows: 4, created: 2, bad: 2 }, 'skip_invalid');
  assert.deepEqual(r.body.bad.map((b) => b.row), [4, 5]);
  const after = await peopleSnapshot(s.admin);
  assert.equal(after.length, before.length + 2);
  assert.ok(after.some((p) => p.name === '丁一') && after.some((p) => p.name === '丁二'));
  assert.ok(!after.some((p) => p.name === '丁三' || p.name === '丁四'));
});

test('CLI: a bad row rejects the file (exit 1); --skip-invalid writes the rejects file', async () => {
  const before = await peopleSnapshot(s.admin);
  const file = scratchFile('bad.csv', fileWithBadRow('戊'));
  const r = runCli(['import', s.db, 'people', file]);
  assert.equal(r.status, 1, `exit: ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^row 4, 所属村: .*北村/m);
  assert.match(r.stdout, /^row 5, 返乡日期: /m);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line on stderr: ${r.stderr}`);
  assert.deepEqual(await peopleSnapshot(s.admin), before, 'a rejected CLI import stored something');

  const ok = runCli(['import', s.db, 'people', file, '--skip-invalid']);
  assert.equal(ok.status, 0, `exit: ${ok.status}\n${ok.stdout}\n${ok.stderr}`);
  assert.match(ok.stdout, new RegExp(`^imported ${file.replace(/[.]/g, '\\.')}: 4 rows, 2 created, 0 updated, 0 unchanged, 2 bad$`, 'm'), ok.stdout);
  assert.equal(ok.stderr, '', 'no progress bar when stderr is not a terminal');
  const rejects = path.join(s.dir, 'bad.rejects.csv');
  assert.ok(existsSync(rejects), 'the rejects file defaults to FILE.rejects.csv');
  const rows = parseCsv(readFileSync(rejects, 'utf8'));
  assert.deepEqual(rows[0], [...HEADER, '错误原因']);
  assert.equal(rows.length, 3, JSON.stringify(rows));
  assert.equal(rows[1][0], '戊三');
  assert.equal(rows[1][4], '北村', 'the original cells');
  assert.match(rows[1][17], /所属村.*北村/);
  assert.match(rows[2][17], /返乡日期/);
  assert.equal((await peopleSnapshot(s.admin)).length, before.length + 2);

  // the rejects, fixed, import cleanly; --rejects names another file
  const fixed = readFileSync(rejects, 'utf8').replace('北村', '东村').replace('2020-02-30', '2020-02-03');
  const out = path.join(s.dir, 'again-bad.csv');
  const again = runCli(['import', s.db, 'people', scratchFile('fixed.csv', fixed), '--rejects', out]);
  assert.equal(again.status, 0, `${again.stdout}\n${again.stderr}`);
  assert.match(again.stdout, /2 rows, 2 created, 0 updated, 0 unchanged, 0 bad/);
  assert.ok(!existsSync(out), 'no rejects file without bad rows');
});

test('CLI: --dry-run checks and stores nothing; summary and progress bar', async () => {
  const before = await peopleSnapshot(s.admin);
  const rows = [];
  for (let i = 0; i < 2500; i++)
    rows.push(person({ 姓名: `己${i}`, 联系电话: freshPhone(), 所属村: i % 2 ? '东村' : '西村' }));
  const file = scratchFile('many.csv', csv(rows));
  const dry = runCli(['import', s.db, 'people', file, '--dry-run']);
  assert.equal(dry.status, 0, `${dry.stdout}\n${dry.stderr}`);
  assert.match(dry.stdout, /dry run.*: 2500 rows, 2500 created, 0 updated, 0 unchanged, 0 bad/);
  assert.deepEqual(await peopleSnapshot(s.admin), before, 'a dry run stored something');

  // on a terminal (script(1) gives it one) the progress bar is drawn
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (script.status !== 0) return;
  const r = spawnSync('script', ['-qec', `${BIN} import ${s.db} people ${file} --dry-run`, '/dev/null'],
    { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /\r\[[#.]+\]\s+\d+%\s+\d+ rows, [\d.]+ of [\d.]+ MB/, `no progress bar: ${JSON.stringify(r.stdout.slice(0, 300))}`);
  assert.match(r.stdout, /2500 rows, 2500 created/);
});

// ---- idempotence -----------------------------------------------------------

test('importing the same file again changes nothing; a new travel is an update', async () => {
  const id = freshId();
  const phone = freshPhone();
  const rows = [
    person({ 姓名: '庚一', 身份证号: id, 所属村: '东村', 返乡来源地: '湖北省孝感市', 返乡日期: '2020-01-22', 交通方式: '大巴' }),
    person({ 姓名: '庚二', 联系电话: phone, 所属村: '东村', 返乡来源地: '北京市朝阳区', 返乡日期: '2020-01-26' }),
    person({ 姓名: '庚三', 所属村: '西村', 详细住址: '西村9号' }),
  ];
  assertCounts(await upload(s.admin, csv(rows)), { rows: 3, created: 3 }, 'first import');
  const snap = await peopleSnapshot(s.admin);
  const audit = await auditWrites(s.admin);
  assertCounts(await upload(s.admin, csv(rows)), { rows: 3, unchanged: 3 }, 'second import');
  assert.deepEqual(await peopleSnapshot(s.admin), snap);
  assert.deepEqual(await auditWrites(s.admin), audit, 'an unchanged import wrote audit entries');
  const t1 = await s.admin.get(`/people/${(await find('庚一')).id}`);
  assert.equal(t1.body.travels.length, 1, 'the travel was added twice');

  // the same people with one more journey each: updated
  const more = [
    person({ 姓名: '庚一', 身份证号: id, 所属村: '东村', 返乡来源地: '湖北省孝感市', 返乡日期: '2020-02-05' }),
    person({ 姓名: '庚二', 联系电话: phone, 所属村: '东村', 返乡来源地: '北京市朝阳区', 返乡日期: '2020-01-26' }),
  ];
  assertCounts(await upload(s.admin, csv(more)), { rows: 2, updated: 1, unchanged: 1 }, 'new travel');
  const t2 = await s.admin.get(`/people/${(await find('庚一')).id}`);
  assert.equal(t2.body.travels.length, 2);
});

// ---- export ----------------------------------------------------------------

test('a full CSV export opens in Excel and re-imports unchanged', async () => {
  const r = await download(s.admin, '?full=1');
  assertStatus(r, 200, 'export');
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition') || '',
    /attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"/);
  assert.deepEqual([...r.buf.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 BOM for Excel');
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], HEADER, 'the import\'s headers in its order');
  const all = await listAll(s.admin, '/people');
  assert.equal(rows.length - 1, all.length, 'one row per person');
  const chen = rows.find((x) => x[0] === '甲陈一');
  assert.ok(chen, 'exported row');
  assert.equal(chen[1].trim(), (await find('甲陈一')).id_number, 'full ID number (Excel tab trimmed)');
  assert.equal(chen[5], '东村一组');
  assert.equal(chen[7], '湖北省武汉市');
  assert.equal(chen[10], '火车');
  assert.equal(chen[15], '入户排查');

  const snap = await peopleSnapshot(s.admin);
  const again = await upload(s.admin, r.buf);
  assertCounts(again, { rows: all.length, unchanged: all.length }, 're-import of the export');
  assert.deepEqual(await peopleSnapshot(s.admin), snap);

  const audit = await listAll(s.admin, '/audit?entity=people');
  const e = audit.find((x) => x.action === 'export');
  assert.ok(e, `export audited: ${JSON.stringify(audit.slice(0, 3))}`);
  assert.match(e.summary, new RegExp(`${all.length} people`));
  assert.match(e.summary, /FULL/);
});

test('exports are masked without full=1, and for a role without pii.full', async () => {
  const p = await find('甲陈一');
  const masked = await download(s.admin);
  assertStatus(masked, 200);
  assert.ok(!masked.text.includes(p.id_number), 'full ID number in a default export');
  assert.ok(masked.text.includes(maskId(p.id_number)));
  assert.ok(masked.text.includes(maskPhone(p.phone)));

  const v = await download(viewer);
  assertStatus(v, 200, 'viewer export');
  assert.ok(!v.text.includes(p.id_number) && !v.text.includes(p.phone), 'viewer saw full values');
  assert.ok(v.text.includes(maskId(p.id_number)));
  const denied = await download(viewer, '?full=1');
  assertError({ ...denied, body: JSON.parse(denied.text) }, 403, 'forbidden');

  // a masked file does not import: the masked cells are named
  const back = await upload(s.admin, masked.buf, '?dry_run=1');
  assertStatus(back, 200);
  assert.ok(back.body.bad.some((b) => b.column === '身份证号' && /masked/.test(b.reason)), show(back));

  const entries = (await listAll(s.admin, '/audit?entity=people')).filter((x) => x.action === 'export');
  assert.ok(entries.some((x) => x.actor === 'kan' && /masked/.test(x.summary)), JSON.stringify(entries));
});

test('XLSX export is a workbook (a zip: PK); bad format is 400', async () => {
  const r = await download(s.admin, '?format=xlsx&village_id=' + V1.id);
  assertStatus(r, 200, 'xlsx');
  assert.equal(r.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition') || '', /people-\d{4}-\d{2}-\d{2}\.xlsx/);
  const bad = await download(s.admin, '?format=pdf');
  assertError({ ...bad, body: JSON.parse(bad.text) }, 400, 'invalid_query', 'format');
  const badq = await download(s.admin, '?kind=nonsense');
  assert.equal(badq.status, 400, badq.text);
});

test('CLI export: masked by default, --full, --village, XLSX to a file', async () => {
  const p = await find('甲陈一');
  const r = runCli(['export', s.db, 'people']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.startsWith('\uFEFF姓名,身份证号'), r.stdout.slice(0, 50));
  assert.ok(!r.stdout.includes(p.id_number) && r.stdout.includes(maskId(p.id_number)));
  const full = runCli(['export', s.db, 'people', '--full', '--village', '西村']);
  assert.equal(full.status, 0, full.stderr);
  const rows = parseCsv(full.stdout).slice(1);
  assert.ok(rows.length > 0 && rows.every((x) => x[4] === '西村'), 'only 西村');
  const zhou = await find('甲周三');
  assert.ok(rows.some((x) => x[0] === '甲周三' && x[3] === zhou.phone), 'full phone');
  const out = path.join(s.dir, 'p.xlsx');
  const x = runCli(['export', s.db, 'people', '--format', 'xlsx', '--out', out]);
  assert.equal(x.status, 0, x.stderr);
  assert.equal(readFileSync(out).subarray(0, 2).toString('latin1'), 'PK');
  assert.equal(runCli(['export', s.db, 'people', '--format', 'pdf']).status, 2);
  assert.equal(runCli(['export', s.db, 'people', '--village', '无此村']).status, 1);
});

// ---- scope, limits ---------------------------------------------------------

test('a village cadre cannot import into another village; its export holds only its village', async () => {
  const before = await peopleSnapshot(s.admin);
  const text = csv([
    person({ 姓名: '辛一', 联系电话: freshPhone(), 所属村: '东村' }),
    person({ 姓名: '辛二', 联系电话: freshPhone(), 所属村: '西村' }),
  ]);
  const r = await upload(cadre, text);
  assertError(r, 422, 'bad_rows');
  assert.equal(r.body.bad.length, 1, show(r));
  assert.equal(r.body.bad[0].row, 3);
  assert.equal(r.body.bad[0].column, '所属村');
  assert.match(r.body.bad[0].reason, /西村 is not one of yours/);
  assert.deepEqual(await peopleSnapshot(s.admin), before);

  // a person of theirs is found by ID number; one registered in 西村 is
  // not theirs, whatever village the row names
  const chen = await find('甲陈一'); // 东村
  const own = csv([person({ 姓名: '甲陈一', 身份证号: chen.id_number, 所属村: '东村' })]);
  assertCounts(await upload(cadre, own), { rows: 1, unchanged: 1 }, 'own person');
  const xiId = freshId();
  assertCounts(await upload(s.admin, csv([person({ 姓名: '辛西', 身份证号: xiId, 所属村: '西村' })])),
    { rows: 1, created: 1 }, 'admin registers a 西村 person');
  const theirs = await upload(cadre, csv([person({ 姓名: '辛西', 身份证号: xiId, 所属村: '东村' })]));
  assertError(theirs, 422, 'bad_rows');
  assert.equal(theirs.body.bad[0].column, '身份证号', show(theirs));
  assert.match(theirs.body.bad[0].reason, /not one of yours/);

  const ok = await upload(cadre, text, '?skip_invalid=1');
  assertCounts(ok, { rows: 2, created: 1, bad: 1 }, 'cadre skip_invalid');

  const e = await download(cadre, '?full=1');
  assertStatus(e, 200, 'cadre export');
  const rows = parseCsv(e.text).slice(1);
  assert.ok(rows.length > 0, 'the cadre exports its people');
  assert.ok(rows.every((x) => x[4] === '东村'), `other villages in the export: ${rows.map((x) => x[4])}`);
  assert.ok(rows.some((x) => x[0] === '辛一'));
});

test('the import takes text/csv only, beyond 1 MiB, and a header it knows', async () => {
  const r = await upload(s.admin, '{"a":1}', '', 'application/json');
  assertError(r, 415, 'unsupported_media_type');
  const noHeader = await upload(s.admin, 'colour,size\nred,big\n');
  assertError(noHeader, 422, 'invalid_header');
  const empty = await upload(s.admin, '');
  assertError(empty, 422, 'empty_file');
  // 1.5 MiB of register (long notes): over the JSON limit, under the CSV one
  const rows = [];
  for (let i = 0; i < 1600; i++)
    rows.push(person({ 姓名: `壬${i}`, 联系电话: freshPhone(), 所属村: '西村', 备注: '记'.repeat(330) }));
  const big = csv(rows);
  assert.ok(Buffer.byteLength(big) > 1.5 * 1024 * 1024);
  const before = await peopleSnapshot(s.admin);
  const dry = await upload(s.admin, big, '?dry_run=1');
  assertCounts(dry, { rows: 1600, created: 1600 }, 'big dry run');
  assert.deepEqual(await peopleSnapshot(s.admin), before);
  // a stranger may not send that much
  const res = await fetch(`${s.url}/api/v1/people/import`,
    { method: 'POST', headers: { 'content-type': 'text/csv' }, body: big });
  assert.ok([401, 413].includes(res.status), `anonymous big upload: ${res.status}`);
  const viewerUp = await upload(viewer, 'a\n');
  assertError(viewerUp, 403, 'forbidden');
});
