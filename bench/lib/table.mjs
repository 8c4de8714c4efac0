// table.mjs — the harness's results: one row per benchmark (fangyi's
// figure, the baseline's figure measured in the same run, their ratio,
// p50/p99 latency, the target), printed as a table and written as JSON.
//
// A ratio is always "how fangyi compares", above 1 when fangyi does
// better: fangyi ÷ baseline for rates (req/s, rows/s), baseline ÷ fangyi
// for times and memory (ms, s, MB).  Targets are ratios (and a p99 bound
// where the issue sets one); a row says whether it met them, but nothing
// fails: the figures are for reading.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const LOWER_IS_BETTER = new Set(['ms', 's', 'MB']);

export class Results {
  constructor(meta) {
    this.meta = meta;
    this.rows = [];
    this.failures = []; // benchmarks that could not run: {scale, suite, error}
  }

  // add({id, name, unit, fangyi, baseline, baseline_name, min_ratio,
  //      max_p99_ms, p50_ms, p99_ms, baseline_p50_ms, baseline_p99_ms,
  //      note, scale}) → the row, with ratio and met filled in
  add(r) {
    const row = { ...r };
    if (row.fangyi > 0 && row.baseline > 0) {
      row.ratio = LOWER_IS_BETTER.has(row.unit)
        ? row.baseline / row.fangyi : row.fangyi / row.baseline;
      row.ratio = Math.round(row.ratio * 1000) / 1000;
    } else {
      row.ratio = null;
    }
    const checks = [];
    if (row.min_ratio != null) checks.push(row.ratio != null && row.ratio >= row.min_ratio);
    if (row.max_p99_ms != null) checks.push(row.p99_ms != null && row.p99_ms < row.max_p99_ms);
    row.met = checks.length ? checks.every(Boolean) : null;
    this.rows.push(row);
    console.log(`  ${line(row)}`);
    return row;
  }

  print() {
    const head = ['benchmark', 'fangyi', 'baseline', 'ratio', 'target', 'met',
      'p50 ms', 'p99 ms'];
    const body = this.rows.map(cells);
    const w = head.map((h, i) => Math.max(width(h), ...body.map((c) => width(c[i]))));
    const fmt = (c) => c.map((x, i) => (i === 0 || i === 2 ? pad(x, w[i])
      : padLeft(x, w[i]))).join('  ');
    console.log(fmt(head));
    console.log(w.map((n) => '-'.repeat(n)).join('  '));
    for (const c of body) console.log(fmt(c));
    console.log('ratio: above 1 means fangyi does better (rates: fangyi ÷ ' +
      'baseline; times and memory: baseline ÷ fangyi)');
  }

  // the scaling run: each benchmark's fangyi figure (and ratio) at each
  // scale side by side
  printScaling(scales) {
    const ids = [...new Set(this.rows.map((r) => r.id))];
    const head = ['benchmark', ...scales];
    const body = ids.map((id) => {
      const rows = this.rows.filter((r) => r.id === id);
      return [rows[0].name, ...scales.map((s) => {
        const r = rows.find((x) => x.scale === s);
        if (!r) return '-';
        return `${fig(r.fangyi, r.unit)}` + (r.p99_ms != null ? ` p99 ${msText(r.p99_ms)} ms` : '') +
          (r.ratio != null ? ` (×${r.ratio.toFixed(2)} ${r.baseline_name})` : '');
      })];
    });
    const w = head.map((h, i) => Math.max(width(h), ...body.map((c) => width(c[i]))));
    const fmt = (c) => c.map((x, i) => pad(x, w[i])).join('  ');
    console.log(fmt(head));
    console.log(w.map((n) => '-'.repeat(n)).join('  '));
    for (const c of body) console.log(fmt(c));
  }

  write(path) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ ...this.meta, rows: this.rows }, null, 1) + '\n');
  }
}

// the figure with its unit, readable
export function fig(v, unit) {
  if (v == null) return '-';
  const d = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: d })} ${unit}`;
}

function msText(v) {
  if (v == null) return '-';
  return v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
}

function target(r) {
  const t = [];
  if (r.min_ratio != null) t.push(`≥${r.min_ratio}`);
  if (r.max_p99_ms != null) t.push(`p99<${r.max_p99_ms}`);
  return t.join(' ') || '-';
}

function cells(r) {
  return [r.name, fig(r.fangyi, r.unit),
    r.baseline == null ? '-' : `${fig(r.baseline, r.unit)} ${r.baseline_name}`,
    r.ratio == null ? '-' : r.ratio.toFixed(2), target(r),
    r.met == null ? '' : r.met ? 'yes' : 'no',
    msText(r.p50_ms), msText(r.p99_ms)];
}

function line(r) {
  const c = cells(r);
  return `${c[0]}: ${c[1]} vs ${c[2]}, ratio ${c[3]} (target ${c[4]})` +
    (r.p99_ms != null ? `, p50 ${c[6]} ms p99 ${c[7]} ms` : '') +
    (r.note ? ` — ${r.note}` : '');
}

// display width: CJK characters take two columns
function width(s) {
  let n = 0;
  for (const ch of String(s)) n += /[\u1100-\uffff]/.test(ch) && !/[≥÷–—]/.test(ch) ? 2 : 1;
  return n;
}
function pad(s, n) { return s + ' '.repeat(Math.max(0, n - width(s))); }
function padLeft(s, n) { return ' '.repeat(Math.max(0, n - width(s))) + s; }
