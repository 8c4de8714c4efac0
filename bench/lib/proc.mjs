// proc.mjs — running the programs a benchmark needs: commands to their
// end (with their output, wall time and peak memory), and servers that
// are started, waited for and stopped again.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// run(cmd, args, {env, input, cwd}) → {stdout, stderr, seconds}; throws
// with the command's stderr if it exits non-zero.
export function run(cmd, args = [], opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...(opts.env || {}) },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = [], err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')}: exit ${code ?? signal}\n` +
          stderr.slice(-2000)));
      } else {
        resolve({ stdout, stderr, seconds });
      }
    });
  });
}

// measured(cmd, args, opts) → run's answer plus peakKB, the largest
// resident set of the command (GNU time's %M), and its wall seconds.
export async function measured(cmd, args = [], opts = {}) {
  const r = await run('/usr/bin/time', ['-f', 'BENCH_TIME %e %M', cmd, ...args],
    opts);
  const m = /BENCH_TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`no figures from /usr/bin/time for ${cmd}`);
  return { ...r, seconds: Number(m[1]), peakKB: Number(m[2]) };
}

// sql(db, text) → the sqlite3 shell's output (one statement's rows,
// '|'-separated); for the harness's own set-up and look-ups.
export async function sql(db, text) {
  const r = await run('sqlite3', ['-bail', db], { input: text });
  return r.stdout.trim();
}

// A server the harness started: stop() sends SIGTERM and waits for it.
export class Server {
  constructor(name, child, log) {
    this.name = name;
    this.child = child;
    this.log = log;
    this.exited = new Promise((res) => child.on('exit', res));
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const t = sleep(10000).then(() => 'timeout');
    if (await Promise.race([this.exited, t]) === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  logText() {
    try { return readFileSync(this.log, 'utf8'); } catch { return ''; }
  }
}

// start(name, cmd, args, {url, env, log}) starts a server with its
// output in the file log and waits (at most 30 s) until GET url answers
// 2xx.  Throws with the end of the log if it exits or never answers.
export async function start(name, cmd, args, opts) {
  const fd = openSync(opts.log, 'w');
  const child = spawn(cmd, args, {
    env: { ...process.env, ...(opts.env || {}) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const s = track(new Server(name, child, opts.log));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(opts.url);
      await r.arrayBuffer();
      if (r.ok) return s;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  await s.stop();
  throw new Error(`${name} did not start:\n${s.logText().slice(-2000)}`);
}

// Servers still running when the harness stops are stopped (stopAll).
const live = new Set();
function track(server) {
  live.add(server);
  server.exited.then(() => live.delete(server));
  return server;
}
export async function stopAll() {
  await Promise.all([...live].map((s) => s.stop()));
}

// sqlMs(db, text, reps) → milliseconds for one run of the statements in
// text, run reps times in one sqlite3 shell with the rows thrown away
// (the shell's own start-up, measured alone, taken off).
export async function sqlMs(db, text, reps) {
  const shell = async (body) => (await run('sqlite3', [db],
    { input: `.output /dev/null\n${body}` })).seconds;
  const idle = await shell('SELECT 1;\n');
  const busy = await shell(`${text.trim()}\n`.repeat(reps));
  return Math.max(0, (busy - idle) * 1000 / reps);
}
