// static.test.mjs — the embedded web app is served by the binary with a
// strict Content-Security-Policy and ETags (DESIGN.md "Web app").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { finish } from './lib.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await finish(s); });

test('GET / serves the app as HTML with a strict CSP (no inline scripts)', async () => {
  const res = await fetch(s.url + '/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') || '';
  assert.ok(csp, 'no Content-Security-Policy header');
  const scriptSrc = (csp.match(/script-src[^;]*/) || csp.match(/default-src[^;]*/) || [''])[0];
  assert.ok(scriptSrc, `CSP has neither script-src nor default-src: ${csp}`);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(scriptSrc), `CSP allows inline/eval scripts: ${csp}`);
  const html = await res.text();
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i.test(html), 'index.html has an inline script');
});

test('assets carry an ETag and answer 304 to If-None-Match', async () => {
  const res = await fetch(s.url + '/');
  const etag = res.headers.get('etag');
  assert.ok(etag, 'no ETag on /');
  await res.arrayBuffer();
  const again = await fetch(s.url + '/', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const other = await fetch(s.url + '/', { headers: { 'if-none-match': '"nope"' } });
  assert.equal(other.status, 200);
  await other.arrayBuffer();
});

test('a missing asset is 404, the API error space is JSON', async () => {
  const res = await fetch(s.url + '/js/no-such-file.js');
  assert.equal(res.status, 404);
  await res.arrayBuffer();
});
