// http_errors.test.mjs — bad requests get the documented status and error
// code, nothing is written, and the server keeps serving (docs/api.md
// "Conventions").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.mjs';
import {
  assertError, assertStatus, show, createPlace, placesSnapshot, usersSnapshot,
  rawSend, assertHealthy, sleep,
  finish,
} from './lib.mjs';

let s;
let village;
before(async () => {
  s = await startServer();
  village = await createPlace(s.admin, { type: 'village', name: '错误村' });
});
after(async () => { await finish(s); });

// authHeaders are the admin session's cookie and CSRF header for raw sends.
function authHeaders(extra = {}) {
  return { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrf, ...extra };
}

// nothingWritten runs fn and asserts the places did not change.
async function nothingWritten(fn) {
  const before = await placesSnapshot(s.admin);
  await fn();
  assert.deepEqual(await placesSnapshot(s.admin), before, 'places changed');
}

test('malformed JSON → 400 invalid_json', async () => {
  await nothingWritten(async () => {
    for (const body of ['{"type":"village","name":', '{type: village}', 'nonsense',
      '{"type":"village","name":"x"} trailing', '{"type":"village","name":"x",}']) {
      const r = await s.admin.post('/places', body);
      assertError(r, 400, 'invalid_json', undefined, `body ${body}`);
    }
  });
});

test('a JSON array, string or number instead of an object → 400 invalid_json', async () => {
  await nothingWritten(async () => {
    for (const body of ['[{"type":"village","name":"数组村"}]', '"village"', '42', 'null']) {
      const r = await s.admin.post('/places', body);
      assertError(r, 400, 'invalid_json', undefined, `body ${body}`);
    }
  });
});

test('an empty body on POST /places → 400 invalid_json', async () => {
  await nothingWritten(async () => {
    const r = await rawSend(s.url, { method: 'POST', path: '/api/v1/places',
      headers: authHeaders({ 'content-type': 'application/json' }), body: '' });
    assertError(r, 400, 'invalid_json');
  });
});

test('invalid UTF-8 and deeply nested JSON → 400 invalid_json, no crash', async () => {
  await nothingWritten(async () => {
    const bad = Buffer.concat([Buffer.from('{"type":"village","name":"'),
      Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const r = await rawSend(s.url, { method: 'POST', path: '/api/v1/places',
      headers: authHeaders({ 'content-type': 'application/json' }), body: bad });
    assertError(r, 400, 'invalid_json', undefined, 'invalid UTF-8');
    const deep = '['.repeat(200000) + ']'.repeat(200000);
    const r2 = await s.admin.post('/places', deep);
    assertError(r2, 400, 'invalid_json', undefined, 'nesting bomb');
    const r3 = await s.admin.post('/places', '{"type":"village","name":"a\\u0000b"}');
    assertError(r3, [400, 422], ['invalid_json', 'invalid_field'], undefined, 'NUL in a string');
  });
  await assertHealthy(s.url);
});

test('body over 1 MiB with Content-Length → 413 body_too_large', async () => {
  await nothingWritten(async () => {
    const big = '{"type":"village","name":"' + 'a'.repeat(1100 * 1024) + '"}';
    const r = await rawSend(s.url, { method: 'POST', path: '/api/v1/places',
      headers: authHeaders({ 'content-type': 'application/json' }), body: big });
    assertError(r, 413, 'body_too_large');
  });
  await assertHealthy(s.url);
});

test('chunked body over 1 MiB → 413 body_too_large', async () => {
  await nothingWritten(async () => {
    const big = '{"type":"village","name":"' + 'b'.repeat(1300 * 1024) + '"}';
    const r = await rawSend(s.url, { method: 'POST', path: '/api/v1/places',
      headers: authHeaders({ 'content-type': 'application/json' }), body: big, chunked: true });
    assertError(r, 413, 'body_too_large');
  });
  await assertHealthy(s.url);
});

test('a body just under 1 MiB is not refused as too large', async () => {
  const pad = 'p'.repeat(1000 * 1024);
  const r = await s.admin.post('/places', `{"type":"village","name":"","pad":"${pad}"}`);
  assert.notEqual(r.status, 413, `refused a body under 1 MiB: ${show(r)}`);
  assert.ok(r.status < 500, `server error: ${show(r)}`);
});

test('unknown route → 404 not_found with the JSON error shape', async () => {
  for (const p of ['/nope', '/places/1/nope', '/placez', '/v2/places']) {
    const r = await s.admin.get(p);
    assertError(r, 404, 'not_found', undefined, `GET /api/v1${p}`);
    assert.match(r.headers.get('content-type') || '', /^application\/json/, `content type of ${p}`);
  }
  assertError(await s.admin.request('GET', '/api/v2/places'), 404, 'not_found');
});

test('no such record → 404 not_found', async () => {
  assertError(await s.admin.get('/places/987654'), 404, 'not_found');
  assertError(await s.admin.patch('/places/987654', { name: 'x' }), 404, 'not_found');
  assertError(await s.admin.del('/places/987654'), 404, 'not_found');
  assertError(await s.admin.get('/users/987654'), 404, 'not_found');
  const r = await s.admin.get('/places/abc');
  assertError(r, [400, 404], undefined, undefined, 'GET /places/abc');
});

test('wrong method on an existing path → 405 method_not_allowed', async () => {
  await nothingWritten(async () => {
    const cases = [
      ['PUT', '/places', { type: 'village', name: 'put村' }],
      ['DELETE', '/places'],
      ['PATCH', '/places', { name: 'x' }],
      ['PUT', `/places/${village.id}`, { name: 'x' }],
      ['POST', `/places/${village.id}`, { name: 'x' }],
      ['GET', '/login'],
      ['GET', '/logout'],
      ['DELETE', '/health'],
      ['POST', '/audit/verify', {}],
    ];
    for (const [m, p, body] of cases) {
      const r = await s.admin.request(m, '/api/v1' + p, body ? { body } : {});
      assertError(r, 405, 'method_not_allowed', undefined, `${m} ${p}`);
    }
  });
  assert.equal((await s.admin.get(`/places/${village.id}`)).body.name, '错误村');
});

test('missing or invalid fields → 422 naming the field, nothing created', async () => {
  await nothingWritten(async () => {
    const cases = [
      [{ type: 'village' }, 'missing_field', 'name'],
      [{ name: '无类型' }, 'missing_field', 'type'],
      [{ type: 'city', name: '城' }, 'invalid_field', 'type'],
      [{ type: 'village', name: '' }, ['invalid_field', 'missing_field'], 'name'],
      [{ type: 'village', name: '   ' }, ['invalid_field', 'missing_field'], 'name'],
      [{ type: 'village', name: 42 }, 'invalid_field', 'name'],
      [{ type: 7, name: '数' }, 'invalid_field', 'type'],
      [{ type: 'grid', name: '无村网格' }, 'missing_field', 'village_id'],
      [{ type: 'grid', name: '网格', village_id: 'abc' }, 'invalid_field', 'village_id'],
      [{ type: 'venue', name: '场所', village_id: village.id, venue_kind: 'casino' }, 'invalid_field', 'venue_kind'],
    ];
    for (const [body, code, field] of cases) {
      const r = await s.admin.post('/places', body);
      assertError(r, 422, code, field, `POST /places ${JSON.stringify(body)}`);
    }
    const r = await s.admin.patch(`/places/${village.id}`, { name: '' });
    assertError(r, 422, ['invalid_field', 'missing_field'], 'name', 'PATCH name ""');
    const r2 = await s.admin.patch(`/places/${village.id}`, { active: 'yes' });
    assertError(r2, 422, 'invalid_field', 'active', 'PATCH active "yes"');
  });
  const before = await usersSnapshot(s.admin);
  const ucases = [
    [{ display_name: 'x', password: 'long-enough-1', role: 'viewer', villages: [] }, 'missing_field', 'username'],
    [{ username: 'nopass', display_name: 'x', role: 'viewer', villages: [] }, 'missing_field', 'password'],
    [{ username: 'shortpw', display_name: 'x', password: 'short', role: 'viewer', villages: [] }, 'invalid_field', 'password'],
    [{ username: 'badrole', display_name: 'x', password: 'long-enough-1', role: 'emperor', villages: [] }, 'invalid_field', 'role'],
    [{ username: 'badvill', display_name: 'x', password: 'long-enough-1', role: 'viewer', villages: [987654] }, 'invalid_field', 'villages'],
    [{ username: 'badvill2', display_name: 'x', password: 'long-enough-1', role: 'viewer', villages: 'all' }, 'invalid_field', 'villages'],
  ];
  for (const [body, code, field] of ucases) {
    const r = await s.admin.post('/users', body);
    assertError(r, 422, code, field, `POST /users ${JSON.stringify(body)}`);
  }
  assert.deepEqual(await usersSnapshot(s.admin), before, 'accounts changed');
});

test('a body that is not application/json → 415 unsupported_media_type', async () => {
  await nothingWritten(async () => {
    const json = JSON.stringify({ type: 'village', name: '纯文本村' });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await s.admin.post('/places', json, { contentType: ct });
      assertError(r, 415, 'unsupported_media_type', undefined, `Content-Type ${ct}`);
    }
  });
  // A charset parameter is fine.
  const r = await s.admin.post('/places', JSON.stringify({ type: 'village', name: '字符集村' }),
    { contentType: 'application/json; charset=utf-8' });
  assertStatus(r, 201, 'application/json; charset=utf-8');
});

test('a body without any Content-Type → 415, nothing created', async () => {
  await nothingWritten(async () => {
    const r = await rawSend(s.url, { method: 'POST', path: '/api/v1/places',
      headers: authHeaders(), body: JSON.stringify({ type: 'village', name: '无类型村' }) });
    assertError(r, 415, 'unsupported_media_type');
  });
});

test('malformed query parameters → 400 invalid_query naming the parameter', async () => {
  for (const [q, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'],
    ['limit=-5', 'limit'], ['limit=1.5', 'limit'], ['limit=', 'limit'], ['type=city', 'type'], ['active=maybe', 'active'],
    ['village_id=abc', 'village_id'], ['cursor=%00garbage!!', 'cursor']]) {
    const r = await s.admin.get(`/places?${q}`);
    assertError(r, 400, 'invalid_query', field, `GET /places?${q}`);
  }
});

test('errors carry a JSON content type and no stack trace', async () => {
  const r = await s.admin.post('/places', '{"broken');
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.ok(!/\.c:\d+|stack|Traceback|sqlite/i.test(JSON.stringify(r.body)), show(r));
});

test('a half-sent request does not block others', async () => {
  const sock = net.connect(Number(new URL(s.url).port), '127.0.0.1');
  await new Promise((r) => sock.on('connect', r));
  sock.write('POST /api/v1/places HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"ty');
  await sleep(100);
  await assertHealthy(s.url);
  assertStatus(await s.admin.get('/places'), 200);
  sock.destroy();
});

test('128 concurrent connections are all answered', async () => {
  const http = await import('node:http');
  const port = Number(new URL(s.url).port);
  const one = () => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/health', agent: false },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.setTimeout(15000, () => { req.destroy(new Error('timeout')); });
    req.on('error', reject);
    req.end();
  });
  const codes = await Promise.all(Array.from({ length: 128 }, one));
  assert.deepEqual(codes.filter((c) => c !== 200), []);
});

test('the server survived everything: health ok, data intact', async () => {
  await assertHealthy(s.url);
  assert.equal(s.proc.exitCode, null, 'server exited');
  const v = await s.admin.get(`/places/${village.id}`);
  assertStatus(v, 200);
  assert.equal(v.body.name, '错误村');
});
