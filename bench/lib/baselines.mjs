// baselines.mjs — starting the baseline servers that share the run's
// database: the Express + better-sqlite3 program (bench/baseline/) and the
// raw storage ceiling in C (bench/raw/raw_store.c).  Each is started once
// per scale through ctx.baseline and stopped with it.
import { join } from 'node:path';
import { start } from './proc.mjs';

export function express(ctx) {
  return ctx.baseline('express', () => start('express', 'node',
    ['bench/baseline/server.mjs', ctx.db, String(ctx.ports.express)], {
      url: `http://127.0.0.1:${ctx.ports.express}/api/v1/health`,
      log: join(ctx.dir, 'express.log'),
    })).then(() => `http://127.0.0.1:${ctx.ports.express}`);
}

export function raw(ctx) {
  return ctx.baseline('raw', () => start('raw_store', 'build/release/bench/raw_store',
    ['serve', ctx.db, String(ctx.ports.raw)], {
      url: `http://127.0.0.1:${ctx.ports.raw}/api/v1/health`,
      log: join(ctx.dir, 'raw.log'),
    })).then(() => `http://127.0.0.1:${ctx.ports.raw}`);
}
