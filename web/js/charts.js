// charts.js — the dashboard's charts, hand-written SVG (no chart library):
// a line chart of day-by-day counts and a bar chart of one row per place.
// Sized by a viewBox (they fit any width, phone to A4), coloured by
// classes (app.css), never by inline style.  Every point and bar carries
// what it draws as data attributes (data-series, data-date, data-key,
// data-value), so a test can read the chart back.

import { h, svg } from './dom.js';

const FONT = 11; // px of the viewBox (about 11 px on a phone)

// scale: a round top and step for counts up to max (about 5 steps; whole
// numbers, since these are counts of people and events; 0 to 4 at least).
export function scale(max) {
  if (!(max > 4)) return { top: 4, step: 1 };
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const steps = [1, 2, 2.5, 5, 10].map((m) => m * mag).filter((v) => Number.isInteger(v));
  const step = Math.max(1, steps.find((v) => v >= rough) || 10 * mag);
  return { top: step * Math.ceil(max / step), step };
}

// legend: what each line or bar is, its colour and (when given) a value.
function legend(items) {
  return h('ul', { class: 'chart-legend' }, items.map((it) => h('li',
    { dataset: { series: it.key } },
    h('span', { class: ['swatch', `c${it.colour}`] }),
    h('span', { class: 'legend-label', text: it.label }),
    it.value === undefined ? null : h('strong', { class: 'legend-value', text: String(it.value) }))));
}

// lineChart draws lines over the same days.  spec: {dates: [YYYY-MM-DD],
// lines: [{key, label, values: [number per date]}], label (the chart's
// accessible name)}.  x: the days, labelled MM-DD each week back from
// the last; y: counts from 0 with round steps; the legend names each
// line with its last value.
export function lineChart({ dates, lines, label }) {
  const W = 340;
  const H = 170;
  const max = Math.max(0, ...lines.flatMap((l) => l.values));
  const { top, step } = scale(max);
  const L = 8 + Math.ceil(String(top).length * FONT * 0.62);
  const R = 12;
  const T = 8;
  const B = 22;
  const n = dates.length;
  const x = (i) => L + (n > 1 ? (i * (W - L - R)) / (n - 1) : (W - L - R) / 2);
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const el = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart line-chart',
    role: 'img', 'aria-label': label });
  for (let v = 0; v <= top; v += step) {
    el.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v),
      class: v ? 'grid' : 'axis-line' }),
    svg('text', { x: L - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)));
  }
  for (let i = n - 1; i >= 0; i -= 7) {
    el.append(svg('line', { x1: x(i), x2: x(i), y1: H - B, y2: H - B + 4, class: 'tick' }),
      svg('text', { x: x(i), y: H - B + 15, class: 'axis',
        'text-anchor': i === n - 1 ? 'end' : 'middle' }, dates[i].slice(5)));
  }
  lines.forEach((line, k) => {
    const pts = line.values.map((v, i) => [x(i).toFixed(1), y(v).toFixed(1)]);
    const g = svg('g', { class: ['series', `c${k + 1}`].join(' '), 'data-series': line.key },
      svg('title', {}, line.label));
    if (pts.length > 1) {
      g.append(svg('polyline', { class: 'line', points: pts.map((p) => p.join(',')).join(' ') }));
    }
    line.values.forEach((v, i) => g.append(svg('circle', { class: 'pt', cx: pts[i][0],
      cy: pts[i][1], r: 2.25, 'data-series': line.key, 'data-date': dates[i], 'data-value': v },
    svg('title', {}, `${dates[i]} ${line.label} ${v}`))));
    el.append(g);
  });
  return h('figure', { class: 'chart-wrap' }, el,
    h('figcaption', {}, legend(lines.map((l, k) => ({ key: l.key, label: l.label,
      colour: k + 1, value: l.values[l.values.length - 1] })))));
}

// barChart draws a row per place with one bar per key, the place's name
// on the left and each value at the end of its bar.  spec: {rows: [{id,
// name, values: {key: number}}], keys: [{key, label}], label}.
export function barChart({ rows, keys, label }) {
  const W = 340;
  const BAR = 9;
  const GAP = 2;
  const ROW = keys.length * (BAR + GAP) + 8;
  const T = 4;
  const longest = Math.max(2, ...rows.map((r) => [...r.name].length));
  const L = Math.min(120, 8 + longest * FONT * 1.05);
  const R = 34; // room for the value after the longest bar
  const H = T + rows.length * ROW + 2;
  const max = Math.max(0, ...rows.flatMap((r) => keys.map((k) => r.values[k.key] || 0)));
  const { top } = scale(max);
  const len = (v) => ((W - L - R) * v) / top;
  const el = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bar-chart',
    role: 'img', 'aria-label': label });
  el.append(svg('line', { x1: L, x2: L, y1: T, y2: H - 2, class: 'axis-line' }));
  rows.forEach((row, i) => {
    const y0 = T + i * ROW;
    const g = svg('g', { class: 'bar-row', 'data-village': row.name, 'data-id': row.id },
      svg('text', { x: L - 6, y: y0 + ROW / 2 + 3, class: 'bar-name', 'text-anchor': 'end' },
        row.name));
    keys.forEach((k, j) => {
      const v = row.values[k.key] || 0;
      const by = y0 + 4 + j * (BAR + GAP);
      g.append(svg('rect', { x: L, y: by, width: Math.max(v ? 1 : 0, len(v)).toFixed(1),
        height: BAR, class: `bar c${j + 1}`, 'data-key': k.key, 'data-value': v },
      svg('title', {}, `${row.name} ${k.label} ${v}`)),
      svg('text', { x: (L + len(v) + 3).toFixed(1), y: by + BAR - 1, class: 'bar-value' },
        String(v)));
    });
    el.append(g);
  });
  return h('figure', { class: 'chart-wrap' }, el,
    h('figcaption', {}, legend(keys.map((k, j) => ({ key: k.key, label: k.label,
      colour: j + 1 })))));
}
