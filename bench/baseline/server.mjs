// server.mjs — the benchmark's "what a user would pick instead": fangyi's
// pass registration and people routes written the usual way with Express
// and better-sqlite3, on the same database file with the same durability
// (WAL, synchronous=FULL: a write is answered after its commit).
//
//   node bench/baseline/server.mjs DB PORT
//
//   GET  /api/v1/health
//   POST /api/v1/passes        a car and its people: the pass, each person,
//                              a new returnee into the register with a
//                              travel, a fever alert, a chained audit entry
//   GET  /api/v1/people        a page (limit, cursor, village_id, kind,
//                              measure), ID numbers and phones masked
//   GET  /api/v1/people/:id    one person with travels and contacts
//
// Bearer tokens are fangyi's own (api_tokens, SHA-256 of the token), so
// the same wrk scripts drive both.  One transaction per request, as
// better-sqlite3 is used; no group commit.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import express from 'express';

const [dbPath, port] = process.argv.slice(2);
const db = new Database(dbPath, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
// the town's day and hour (Asia/Shanghai, UTC+8)
const townDay = (d) => new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
const townHour = (d) => new Date(d.getTime() + 8 * 3600e3).getUTCHours();

class HttpError extends Error {
  constructor(status, code, field, message) {
    super(message);
    Object.assign(this, { status, code, field });
  }
}
const fail = (status, code, field, message) => {
  throw new HttpError(status, code, field, message);
};

// ---- authentication ---------------------------------------------------------

const q = {
  token: db.prepare(`SELECT a.id, a.username, a.display_name, a.role
    FROM api_tokens t JOIN accounts a ON a.id = t.account_id
    WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled = 0`),
  villages: db.prepare('SELECT village_id FROM account_villages WHERE account_id = ?'),
};

function auth(req, res, next) {
  const m = /^Bearer (.+)$/.exec(req.get('authorization') || '');
  const user = m && q.token.get(sha256(m[1]));
  if (!user) {
    return res.status(401).json({ error: { code: 'unauthenticated',
      message: 'unknown or revoked token' } });
  }
  user.all = user.role === 'admin';
  user.villages = user.all ? [] : q.villages.all(user.id).map((v) => v.village_id);
  req.user = user;
  next();
}
const inScope = (user, village) => user.all || user.villages.includes(village);

// ---- validation -------------------------------------------------------------

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function checkIdNumber(s, field) {
  if (s == null || s === '') return null;
  const v = String(s).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) fail(422, 'invalid_id_number', field, 'an ID number has 18 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * W[i];
  if ('10X98765432'[sum % 11] !== v[17]) {
    fail(422, 'invalid_id_number', field, 'check character mismatch');
  }
  return v;
}
const OUTCOMES = ['admitted', 'turned_back', 'new_returnee', 'fever_clinic'];
const VEHICLES = ['car', 'bus', 'truck', 'motorbike', 'on_foot', 'other'];

function checkPass(b) {
  if (!Number.isInteger(b.point_id)) fail(422, 'missing_field', 'point_id', 'the point is required');
  if (!['in', 'out'].includes(b.direction)) fail(422, 'invalid_field', 'direction', 'direction must be in or out');
  if (!VEHICLES.includes(b.vehicle)) fail(422, 'invalid_field', 'vehicle', 'unknown vehicle');
  if (['car', 'bus', 'truck'].includes(b.vehicle) && !b.plate) {
    fail(422, 'missing_field', 'plate', 'the plate is required');
  }
  if (!Array.isArray(b.persons) || b.persons.length < 1) {
    fail(422, 'missing_field', 'persons', 'at least one person is required');
  }
  return b.persons.map((p, i) => {
    const f = (k) => `persons[${i}].${k}`;
    if (typeof p.name !== 'string' || !p.name.trim() || p.name.length > 40) {
      fail(422, 'invalid_field', f('name'), 'a name is required');
    }
    if (p.phone != null && !/^1\d{10}$/.test(p.phone)) fail(422, 'invalid_phone', f('phone'), 'bad phone');
    const t = p.temperature;
    if (typeof t !== 'number' || t < 34 || t > 43) fail(422, 'invalid_temperature', f('temperature'), 'bad temperature');
    if (!OUTCOMES.includes(p.outcome)) fail(422, 'invalid_field', f('outcome'), 'unknown outcome');
    const fever = t >= 37.3;
    if (fever && p.outcome !== 'fever_clinic') fail(422, 'invalid_field', f('outcome'), 'a fever means the fever clinic');
    if (p.outcome === 'new_returnee' && (!p.to_village_id || !p.from)) {
      fail(422, 'missing_field', f('to_village_id'), 'a new returnee needs a village and an origin');
    }
    return { ...p, id_number: checkIdNumber(p.id_number, f('id_number')), fever,
      from: p.from || '', address: p.address || '', reason: p.reason || '' };
  });
}

// ---- the pass ---------------------------------------------------------------

const s = {
  replay: db.prepare('SELECT id FROM passes WHERE client_id = ?'),
  point: db.prepare("SELECT village_id, active FROM places WHERE id = ? AND type = 'point'"),
  village: db.prepare("SELECT id FROM places WHERE id = ? AND type = 'village'"),
  pass: db.prepare(`INSERT INTO passes (client_id, point_id, village_id, at, day,
    hour, direction, plate, vehicle, checker_id, checker, persons, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  known: db.prepare('SELECT id FROM people WHERE id_number = ?'),
  person: db.prepare(`INSERT INTO people (name, id_number, sex, birth_date,
    phone, village_id, address, screening, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`),
  travel: db.prepare(`INSERT INTO travels (person_id, origin_text, return_date,
    transport, transport_no, reason, source, status, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 'checkpoint', 'returned', ?)`),
  alert: db.prepare(`INSERT INTO alerts (kind, source, village_id, place_id,
    subject, person_id, temperature, symptoms, opened_at)
    VALUES ('fever', 'checkpoint', ?, ?, ?, ?, ?, 'fever', ?)`),
  passPerson: db.prepare(`INSERT INTO pass_people (pass_id, name, id_number,
    phone, from_text, to_village_id, address, temperature, fever, reason,
    outcome, person_id, alert_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  lastAudit: db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
  audit: db.prepare(`INSERT INTO audit_log (id, at, actor_id, actor, action,
    entity, entity_id, summary, digest, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
};

// the same chained entry fangyi writes (src/domain/audit.c)
function audit(user, action, entity, entityId, summary) {
  const last = s.lastAudit.get() || { id: 0, hash: '0'.repeat(64) };
  const at = now();
  const digest = sha256(`\n${summary}`);
  const id = last.id + 1;
  const hash = sha256([last.hash, id, at, user.id, user.username, action, entity,
    entityId, summary, digest].join('\x1f'));
  s.audit.run(id, at, user.id, user.username, action, entity, entityId, summary,
    digest, last.hash, hash);
}

const registerPass = db.transaction((user, b, persons) => {
  if (b.client_id) {
    const old = s.replay.get(b.client_id);
    if (old) return { id: old.id, replayed: true };
  }
  const point = s.point.get(b.point_id);
  if (!point) fail(404, 'not_found', 'point_id', 'no such point');
  if (!inScope(user, point.village_id)) fail(403, 'forbidden', 'point_id', 'not your village');
  if (!point.active) fail(422, 'invalid_field', 'point_id', 'that point is closed');
  const d = new Date();
  const at = now();
  const day = townDay(d);
  const passId = Number(s.pass.run(b.client_id || null, b.point_id, point.village_id,
    at, day, townHour(d), b.direction, b.plate || null, b.vehicle, user.id,
    user.display_name || user.username, persons.length, at).lastInsertRowid);
  let returnees = 0, fevers = 0;
  const out = persons.map((p, i) => {
    if (p.to_village_id && !s.village.get(p.to_village_id)) {
      fail(422, 'invalid_field', `persons[${i}].to_village_id`, 'no such village');
    }
    let personId = p.id_number ? s.known.get(p.id_number)?.id ?? null : null;
    if (p.outcome === 'new_returnee' && !personId) {
      // sex and birth date as the ID number says
      const n = p.id_number;
      personId = Number(s.person.run(p.name, n, n ? (Number(n[16]) % 2 ? 'M' : 'F') : null,
        n ? `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}` : null,
        p.phone || null, p.to_village_id, p.address, at, at).lastInsertRowid);
      s.travel.run(personId, p.from, day, b.vehicle === 'bus' ? 'coach' : 'self_drive',
        b.plate || '', p.reason, at);
      audit(user, 'create', 'person', personId, p.name);
      returnees++;
    }
    let alertId = null;
    if (p.fever) {
      alertId = Number(s.alert.run(p.to_village_id || point.village_id, b.point_id,
        p.name, personId, p.temperature, at).lastInsertRowid);
      fevers++;
    }
    const id = Number(s.passPerson.run(passId, p.name, p.id_number, p.phone || null,
      p.from, p.to_village_id || null, p.address, p.temperature, p.fever ? 1 : 0,
      p.reason, p.outcome, personId, alertId).lastInsertRowid);
    return { id, name: p.name, outcome: p.outcome, person_id: personId, alert_id: alertId };
  });
  audit(user, 'create', 'pass', passId, `${b.direction} ${b.vehicle} ${b.plate || '-'}: ` +
    `${persons.length} people, ${returnees} new returnees, ${fevers} fevers`);
  return { id: passId, at, day, point_id: b.point_id, persons: out };
});

// ---- people -----------------------------------------------------------------

const maskId = (v) => (v ? v.slice(0, 6) + '********' + v.slice(14) : v);
const maskPhone = (v) => (v ? v.slice(0, 3) + '****' + v.slice(7) : v);
const COLS = `p.id, p.name, p.id_number, p.id_flag, p.sex, p.birth_date, p.phone,
  p.village_id, v.name AS village_name, p.grid_id, g.name AS grid_name, p.address,
  p.notes, p.is_case, p.kind, p.measure, p.period_days, p.screening, p.merged_into,
  t.origin_code, t.origin_text, t.return_date, t.risk_level, p.created_at, p.updated_at`;
const FROM = `FROM people p JOIN places v ON v.id = p.village_id
  LEFT JOIN places g ON g.id = p.grid_id
  LEFT JOIN travels t ON t.id = (SELECT max(id) FROM travels WHERE person_id = p.id)`;

function personJson(r) {
  return {
    id: r.id, name: r.name, id_number: maskId(r.id_number), id_flag: r.id_flag,
    sex: r.sex, birth_date: r.birth_date, phone: maskPhone(r.phone),
    village_id: r.village_id, village_name: r.village_name, grid_id: r.grid_id,
    grid_name: r.grid_name, address: r.address, notes: r.notes,
    is_case: !!r.is_case, kind: r.kind, measure: r.measure,
    period_days: r.period_days, screening: r.screening, merged_into: r.merged_into,
    latest_travel: r.origin_text == null ? null : { origin_code: r.origin_code,
      origin: r.origin_text, return_date: r.return_date, risk_level: r.risk_level },
    created_at: r.created_at, updated_at: r.updated_at,
  };
}

const pageCache = new Map();
function listPeople(user, f) {
  const where = ['p.merged_into IS NULL'];
  const args = [];
  if (!user.all) {
    where.push('p.village_id IN (SELECT village_id FROM account_villages WHERE account_id = ?)');
    args.push(user.id);
  }
  for (const k of ['village_id', 'kind', 'measure']) {
    if (f[k] != null) { where.push(`p.${k} = ?`); args.push(f[k]); }
  }
  if (f.cursor) { where.push('p.id < ?'); args.push(f.cursor); }
  const sql = `SELECT ${COLS} ${FROM} WHERE p.id IN (SELECT p.id FROM people p
    WHERE ${where.join(' AND ')} ORDER BY p.id DESC LIMIT ?) ORDER BY p.id DESC`;
  let st = pageCache.get(sql);
  if (!st) pageCache.set(sql, (st = db.prepare(sql)));
  return st.all(...args, f.limit).map(personJson);
}

const p1 = {
  person: db.prepare(`SELECT ${COLS} ${FROM} WHERE p.id = ?`),
  travels: db.prepare(`SELECT id, origin_text AS origin, origin_code, via, left_date,
    return_date, transport, transport_no, reason, contact_with_case, symptoms,
    companions_symptoms, symptoms_on_arrival, source, status, risk_level, created_at
    FROM travels WHERE person_id = ? ORDER BY id`),
  exposedTo: db.prepare(`SELECT c.id, c.source_id AS person_id, o.name, o.village_id,
    c.last_exposure, c.relationship, c.setting FROM contacts c
    JOIN people o ON o.id = c.source_id WHERE c.person_id = ? ORDER BY c.id`),
  exposedBy: db.prepare(`SELECT c.id, c.person_id, o.name, o.village_id,
    c.last_exposure, c.relationship, c.setting FROM contacts c
    JOIN people o ON o.id = c.person_id WHERE c.source_id = ? ORDER BY c.id`),
};

function contactJson(user, c) {
  return { id: c.id, person_id: c.person_id,
    name: inScope(user, c.village_id) ? c.name : null,
    last_exposure: c.last_exposure, relationship: c.relationship, setting: c.setting };
}

// ---- routes -----------------------------------------------------------------

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));

app.get('/api/v1/health', (req, res) => res.json({ status: 'ok' }));

app.post('/api/v1/passes', auth, (req, res) => {
  const persons = checkPass(req.body || {});
  const r = registerPass(req.user, req.body, persons);
  res.status(r.replayed ? 200 : 201).json(r);
});

app.get('/api/v1/people', auth, (req, res) => {
  const n = (k, def) => {
    if (req.query[k] == null) return def;
    const v = Number(req.query[k]);
    if (!Number.isInteger(v) || v < 0) fail(400, 'invalid_query', k, `${k} must be a number`);
    return v;
  };
  const f = { limit: Math.min(n('limit', 50) || 50, 100), cursor: n('cursor', 0),
    village_id: n('village_id', null), kind: req.query.kind ?? null,
    measure: req.query.measure ?? null };
  if (f.village_id && !inScope(req.user, f.village_id)) fail(403, 'forbidden', 'village_id', 'not your village');
  const items = listPeople(req.user, f);
  res.json({ items, next_cursor: items.length === f.limit ? String(items.at(-1).id) : null });
});

app.get('/api/v1/people/:id', auth, (req, res) => {
  const id = Number(req.params.id);
  const r = Number.isInteger(id) ? p1.person.get(id) : null;
  if (!r || !inScope(req.user, r.village_id)) fail(404, 'not_found', null, 'no such person');
  res.json({
    ...personJson(r),
    travels: p1.travels.all(id).map((t) => ({ ...t, contact_with_case: !!t.contact_with_case,
      symptoms: !!t.symptoms, companions_symptoms: !!t.companions_symptoms })),
    exposed_to: p1.exposedTo.all(id).map((c) => contactJson(req.user, c)),
    exposed_by: p1.exposedBy.all(id).map((c) => contactJson(req.user, c)),
  });
});

// errors: the same {"error": {...}} shape fangyi answers
// (four parameters: that is how Express knows an error handler)
app.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
  if (err instanceof HttpError) {
    return res.status(err.status).json({ error: { code: err.code,
      message: err.message, field: err.field } });
  }
  if (err.type === 'entity.parse.failed') {
    return res.status(400).json({ error: { code: 'bad_json', message: 'the body is not JSON' } });
  }
  if (err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return res.status(409).json({ error: { code: 'duplicate', message: err.message } });
  }
  console.error(err);
  res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
});

app.listen(Number(port), '127.0.0.1', () => {
  console.log(`express baseline: listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => { db.close(); process.exit(0); });
