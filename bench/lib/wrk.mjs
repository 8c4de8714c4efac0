// wrk.mjs — one load run with wrk on loopback, bounded in time (-d) and
// in count (bench/wrk/bounded.lua), and its figures: requests per second,
// p50 and p99 latency in ms, answers that were not 2xx, socket errors.
import { run } from './proc.mjs';

// ms("1.23ms") → 1.23; wrk prints us, ms, s and m.
export function ms(s) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s || '');
  if (!m) return null;
  const f = { us: 1e-3, ms: 1, s: 1e3, m: 6e4 }[m[2]];
  return Math.round(Number(m[1]) * f * 1000) / 1000;
}

// parse(wrk's output) → {rps, p50, p99, requests, non2xx, errors, lines}
export function parse(out) {
  const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : 0; };
  const lat = (p) => ms((new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out) ||
    [])[1]);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
    .exec(out);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: lat(50),
    p99: lat(99),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    timeouts: errs ? Number(errs[4]) : 0,
    out,
  };
}

// No route here does 100,000 requests a second on two cores: the count
// bound of a run, per second of it, unless the caller gives its own.
const MAX_PER_SECOND = 100000;

// load({url, script, env, threads, conns, seconds, max, warmup}) runs
// wrk (after a warm-up run of `warmup` seconds that is not counted) and
// returns parse()'s figures.  max bounds the requests of the run.
export async function load(o) {
  const threads = o.threads || 2;
  const conns = o.conns || 64;
  const max = o.max || MAX_PER_SECOND * Math.max(o.seconds, o.warmup || 0);
  const env = {
    ...(o.env || {}),
    BENCH_MAX_PER_THREAD: String(Math.ceil(max / threads)),
    FANGYI_THREADS: String(threads),
  };
  const args = (secs) => [`-t${threads}`, `-c${conns}`, `-d${secs}s`,
    '--timeout', '5s', '--latency', ...(o.script ? ['-s', o.script] : []),
    o.url];
  if (o.warmup) await run('wrk', args(o.warmup), { env });
  const r = parse((await run('wrk', args(o.seconds), { env })).stdout);
  // wrk divides by the whole time even when the threads stopped early
  if (r.requests >= max * 0.99) {
    console.warn(`   warning: ${o.url} reached the count bound (${max}): its rate is understated`);
  }
  return r;
}
