// machine.mjs — what the figures were measured on: the processor, cores,
// memory, system and the versions of everything in the run, and how busy
// the machine was when the run began (the figures are only as quiet as
// the machine).
import { readFileSync } from 'node:fs';
import { cpus, totalmem, loadavg, release } from 'node:os';
import { run } from './proc.mjs';

async function version(cmd, args) {
  try {
    const r = await run(cmd, args);
    return (r.stdout + r.stderr).split('\n')[0].trim();
  } catch { return null; }
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
    node: process.version,
    sqlite3: await version('sqlite3', ['--version']),
    nginx: await version('nginx', ['-v']),
    wrk: await version('wrk', ['-v']),
  };
}
