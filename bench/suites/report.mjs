// report.mjs — the daily report against its queries run directly in the
// sqlite3 shell (bench/report.sh).
import { existsSync } from 'node:fs';

export const name = 'report';

export async function run() {
  if (!existsSync('bench/report.sh')) throw new Error('bench/report.sh is not there yet');
}
