// machine.mjs — what the figures were measured on: the processor, cores,
// memory, system and the versions of everything in the run, and how busy
// the machine was when the run began (the figures are only as quiet as
// the machine).
import { readFileSync } from 'node:fs';
import { cpus, totalmem, loadavg, release } from 'node:os';
import { spawnSync } from 'node:child_process';

// the first line a program prints about its version (wrk -v exits 1)
function version(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error ? null : `${r.stdout}${r.stderr}`.split('\n')[0].trim() || null;
}

export async function describe() {
  let debian = null;
  try { debian = readFileSync('/etc/debian_version', 'utf8').trim(); } catch { /* not Debian */ }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    debian,
    load_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
    fangyi: version('./fangyi', ['version']),
    commit: version('git', ['rev-parse', '--short', 'HEAD']),
    node: process.version,
    sqlite3: version('sqlite3', ['--version']),
    nginx: version('nginx', ['-v']),
    wrk: version('wrk', ['-v']),
  };
}
