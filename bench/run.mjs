#!/usr/bin/env node
// run.mjs — the benchmark harness: generates the dataset at a scale,
// serves it with the optimised ./fangyi, runs each benchmark against
// fangyi and its baselines in the same run (wrk on loopback, bounded in
// time and count), prints one table and writes bench/results/bench.json.
//
//   node bench/run.mjs [--scale town|county|city] [--quick]
//                      [--only NAME,...] [--seconds N] [--seed N]
//   node bench/run.mjs --scaling [--scales town,county,city] [--quick]
//                      list, report and writes at each scale side by side
//   node bench/run.mjs --pg [--seconds N]
//                      PostgreSQL (one and two servers) beside SQLite
//                      (bench/pg.mjs; needs a cluster)
//
// `make bench SCALE=...`, `make bench-quick` and `make bench-scaling`
// build what it needs first (./fangyi, the raw storage program, the
// Express baseline's packages).  docs/performance.md says what each
// figure means.  Nothing here fails on a figure: ratios are for reading;
// the exit status is 1 only when a benchmark could not run at all.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopAll } from './lib/proc.mjs';
import { load } from './lib/wrk.mjs';
import { Results } from './lib/table.mjs';
import { describe } from './lib/machine.mjs';
import { make, facts, SCALES } from './lib/dataset.mjs';
import * as fangyi from './lib/fangyi.mjs';
import { SUITES, SCALING } from './suites/index.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
const { values: opt } = parseArgs({
  options: {
    scale: { type: 'string', default: 'county' },
    quick: { type: 'boolean', default: false },
    scaling: { type: 'boolean', default: false },
    scales: { type: 'string', default: 'town,county,city' },
    only: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results/bench.json' },
    keep: { type: 'boolean', default: false },
    pg: { type: 'boolean', default: false },
  },
});

const PORT = Number(process.env.BENCH_PORT || 18400);
const PORTS = { fangyi: PORT, nginx: PORT + 1, raw: PORT + 2, express: PORT + 3 };

// A run at one scale: the dataset, fangyi serving it, the suites.
async function atScale(scale, suites, results, tmp) {
  const dir = join(tmp, scale);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`== ${scale}: generating the dataset (${SCALES[scale].toLocaleString('en-US')} people)`);
  const ds = await make(scale, join(dir, 'bench.db'), Number(opt.seed));
  console.log(`   ${ds.people.toLocaleString('en-US')} people in ${ds.seconds.toFixed(1)} s`);
  const base = `http://127.0.0.1:${PORTS.fangyi}`;
  const server = await fangyi.serve(ds.db, PORTS.fangyi, join(dir, 'fangyi.log'));
  const seconds = Number(opt.seconds || (opt.quick ? 2 : 5));
  const baselines = new Map();
  const ctx = {
    scale, quick: opt.quick, dir, db: ds.db, people: ds.people, base, ports: PORTS,
    seconds, results,
    token: await fangyi.token(base, 'admin'),
    facts: await facts(ds.db),
    // wrk with this run's time bound and a warm-up that is not counted
    load: (o) => load({ seconds, warmup: o.warmup ?? 1, ...o }),
    // a baseline server, started on first use and stopped with the scale
    baseline: async (name, startFn) => {
      if (!baselines.has(name)) baselines.set(name, await startFn());
      return baselines.get(name);
    },
    add: (row) => results.add({ scale, ...row }),
  };
  try {
    for (const suite of suites) {
      console.log(`-- ${suite.name}`);
      const t0 = Date.now();
      try {
        await suite.run(ctx);
      } catch (e) {
        // one benchmark's failure is reported, the others still run
        console.error(`   ${suite.name} failed: ${e.message}`);
        results.failures.push({ scale, suite: suite.name, error: e.message });
      }
      console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    for (const s of baselines.values()) await s.stop();
    await server.stop();
    // a city's database is tens of GB: gone before the next scale
    if (!opt.keep) rmSync(dir, { recursive: true, force: true });
  }
  return ds;
}

async function main() {
  if (opt.pg) return (await import('./pg.mjs')).runPg(opt);
  const t0 = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'fangyi-harness-'));
  const scales = opt.scaling ? opt.scales.split(',') : [opt.scale];
  let suites = opt.scaling ? SCALING : SUITES;
  if (opt.only) {
    const want = opt.only.split(',');
    suites = suites.filter((s) => want.includes(s.name));
  }
  const results = new Results({
    started_at: new Date().toISOString(),
    scales, quick: opt.quick, machine: await describe(),
  });
  const datasets = {};
  try {
    for (const scale of scales) datasets[scale] = (await atScale(scale, suites, results, tmp)).people;
  } finally {
    await stopAll();
    if (!opt.keep) rmSync(tmp, { recursive: true, force: true });
  }
  const seconds = (Date.now() - t0) / 1000;
  Object.assign(results.meta, { people: datasets, seconds, failures: results.failures });
  console.log(`\n== fangyi benchmarks, ${scales.join(', ')} scale` +
    `${opt.quick ? ' (quick)' : ''}, ${seconds.toFixed(0)} s`);
  if (opt.scaling) results.printScaling(scales);
  else results.print();
  for (const f of results.failures) console.log(`FAILED ${f.scale} ${f.suite}: ${f.error}`);
  results.write(opt.out);
  console.log(`written ${opt.out}`);
  // a benchmark that could not run is a broken harness; a figure never fails
  if (results.failures.length) process.exitCode = 1;
}

main().catch(async (e) => {
  console.error(e.stack || e.message);
  await stopAll();
  process.exit(1);
});

