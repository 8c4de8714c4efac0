// http.mjs — the HTTP ceiling: fangyi's health route and a static asset
// (web/js/app.js) against nginx from Debian answering a body of the same
// size and serving the same file, 64 clients each.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { start } from '../lib/proc.mjs';

export const name = 'http';

async function nginx(ctx) {
  const dir = join(ctx.dir, 'nginx');
  mkdirSync(dir, { recursive: true });
  const conf = readFileSync('bench/nginx.conf', 'utf8')
    .replaceAll('@DIR@', dir).replaceAll('@PORT@', String(ctx.ports.nginx))
    .replaceAll('@WEB@', resolve('web'));
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return start('nginx', 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'),
    '-g', 'daemon off;'], {
    url: `http://127.0.0.1:${ctx.ports.nginx}/api/v1/health`, log: join(dir, 'out.log'),
  });
}

export async function run(ctx) {
  await ctx.baseline('nginx', () => nginx(ctx));
  const ng = `http://127.0.0.1:${ctx.ports.nginx}`;
  for (const [id, label, path] of [
    ['health', 'GET /api/v1/health', '/api/v1/health'],
    ['static', 'GET /js/app.js (static)', '/js/app.js'],
  ]) {
    const o = { script: 'bench/wrk/get.lua', env: { BENCH_PATH: path }, conns: 64 };
    const f = await ctx.load({ ...o, url: ctx.base });
    const b = await ctx.load({ ...o, url: ng });
    ctx.add({
      id, name: label, unit: 'req/s', fangyi: f.rps, baseline: b.rps,
      baseline_name: 'nginx', min_ratio: 0.8, p50_ms: f.p50, p99_ms: f.p99,
      baseline_p50_ms: b.p50, baseline_p99_ms: b.p99, clients: 64,
      errors: f.non2xx + f.errors + b.non2xx + b.errors,
    });
  }
}
