// obs.js — pieces the home-observation pages share (docs/api.md, "Home
// observation"): the words for the codes the server sends (measure types,
// bases, statuses, changes, symptoms, methods, slots, alert kinds), the
// roles of a responsibility chain (GET /chain-roles, named in the current
// language), temperatures as people read them, day numbers, and the
// temperature curve drawn as SVG (elements made with createElementNS,
// styled by classes: no markup, no inline style).

import { h, svg as s } from './dom.js';
import { api } from './api.js';
import { getLang, t, tOr } from './i18n.js';

export const MEASURE_TYPES = ['home_isolation', 'home_monitoring',
  'central_isolation'];
export const BASES = ['last_exposure', 'departure', 'start'];
export const SYMPTOMS = ['fever', 'dry_cough', 'fatigue', 'sore_throat',
  'smell_taste_loss', 'diarrhoea', 'short_breath'];
export const METHODS = ['visit', 'phone', 'video'];
export const CHANGES = ['extend', 'shorten', 'restart', 'transfer', 'end',
  'release', 'door_notice'];
export const FEVER = 37.3; // °C, inclusive (DOMAIN.md)
export const TEMP_MIN = 35.0;
export const TEMP_MAX = 42.5;

export const measureTypeName = (x) => tOr(`measure.${x}`, x || '');
export const basisName = (x) => tOr(`obs.basis.${x}`, x || '');
export const statusName = (x) => tOr(`obs.status.${x}`, x || '');
export const eventName = (x) => tOr(`obs.event.${x}`, x || '');
export const symptomName = (x) => tOr(`obs.symptom.${x}`, x || '');
export const methodName = (x) => tOr(`obs.method.${x}`, x || '');
export const slotName = (n) => tOr(`obs.slot.${n === 2 ? 'evening' : 'morning'}`,
  String(n));
// alertSubject: the person an alert is about, linked to their page; a
// traveller not (yet) in the register (a checkpoint fever) is plain text.
export function alertSubject(al, cls) {
  const text = al.person_name || (al.person_id ? `#${al.person_id}` : '');
  return al.person_id
    ? h('a', { class: cls, href: `#/people/${al.person_id}`, text })
    : h('span', { class: cls, text });
}

export const alertKindName = (x) => tOr(`obs.alert_kind.${x}`, x || '');

// symptomList: codes as an array or the comma-separated text of an
// alert → their names joined ("咳嗽、乏力").
export function symptomList(codes) {
  const list = Array.isArray(codes) ? codes
    : String(codes || '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.map(symptomName).join(t('obs.list_sep'));
}

// temp: 36.5 → "36.5 ℃".
export function temp(v) {
  if (v === null || v === undefined || v === '') return '';
  return t('obs.temp', { t: Number(v).toFixed(1) });
}

export const isFever = (v) => Number(v) >= FEVER - 1e-9;

// dayOf: "第 5/14 天" for a measure or a round item.
export function dayText(n, of) {
  if (!n) return t('obs.not_started');
  return t('obs.day_n_of', { n, of });
}

// dayDiff: b - a in calendar days (YYYY-MM-DD).
export function dayDiff(a, b) {
  const pa = Date.UTC(...a.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0)));
  const pb = Date.UTC(...b.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0)));
  return Math.round((pb - pa) / 86400000);
}

let rolesPromise = null;

// loadChainRoles: GET /chain-roles items in their order; fetched once.
export function loadChainRoles() {
  if (!rolesPromise) {
    rolesPromise = api.get('/chain-roles').then((r) => (r.items || [])
      .slice().sort((a, b) => (a.position || 0) - (b.position || 0)))
      .catch((e) => {
        rolesPromise = null;
        throw e;
      });
  }
  return rolesPromise;
}

// chainRoleName: a role's name in the current language from an object
// with name_zh/name_en (a chain role) or role_zh/role_en (an assignment).
export function chainRoleName(r) {
  if (!r) return '';
  const zh = r.name_zh || r.role_zh;
  const en = r.name_en || r.role_en;
  return (getLang() === 'zh-CN' ? zh : en) || zh || en || r.code || r.role || '';
}

// sinceText: how long ago an ISO time was ("1 小时 5 分钟").
export function sinceText(iso, now = Date.now()) {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  const mins = Math.max(0, Math.floor((now - at) / 60000));
  const hours = Math.floor(mins / 60);
  if (hours >= 48) return t('obs.since_days', { d: Math.floor(hours / 24) });
  if (hours) return t('obs.since_hours', { h: hours, m: mins % 60 });
  return t('obs.since_minutes', { m: mins });
}

// ---- the temperature curve ------------------------------------------------

// curve draws a measure's checks ({day, slot, temperature}) as a line
// chart: x = day 1..N of the measure (two points a day, morning left of
// evening), y in ℃ with a dashed line at 37.3; points at or above it red.
// Fits its container (viewBox), readable at 360 px.
export function curve(measure, checks) {
  const basis = measure.basis_date;
  const pts = (checks || []).filter((c) => c && c.day && c.temperature !== null
    && c.temperature !== undefined)
    .map((c) => ({ n: dayDiff(basis, c.day) + 1, slot: c.slot || 1,
      v: Number(c.temperature), day: c.day }))
    .sort((a, b) => a.n - b.n || a.slot - b.slot);
  const period = Math.max(1, measure.period_days || 14);
  const first = Math.min(1, ...pts.map((p) => p.n));
  const last = Math.max(period, ...pts.map((p) => p.n));
  const days = last - first + 1;
  const W = 340;
  const H = 200;
  const L = 34; // room for the ℃ labels
  const R = 8;
  const T = 10;
  const B = 30; // room for the day labels
  const lo = Math.min(35.5, ...pts.map((p) => Math.floor(p.v * 2) / 2));
  const hi = Math.max(39.5, ...pts.map((p) => Math.ceil(p.v * 2) / 2));
  const step = (W - L - R) / days;
  const x = (n, slot) => L + (n - first) * step + step * (slot === 2 ? 0.72 : 0.28);
  const y = (v) => T + (hi - v) * ((H - T - B) / (hi - lo));

  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'curve',
    role: 'img', 'aria-label': t('obs.curve_label', { n: pts.length }) });
  // grid: a line per whole degree, labelled
  for (let v = Math.ceil(lo); v <= hi; v += 1) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: L - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' },
        String(v)));
  }
  // day labels (every day up to 16 days, else every other one)
  const every = days > 16 ? 2 : 1;
  for (let n = first; n <= last; n += 1) {
    const cx = L + (n - first + 0.5) * step;
    if (n % 2 === 0 || days <= 16) {
      svg.append(s('line', { x1: cx, x2: cx, y1: H - B, y2: H - B + 4, class: 'tick' }));
    }
    if ((n - first) % every === 0) {
      svg.append(s('text', { x: cx, y: H - B + 16, class: 'axis',
        'text-anchor': 'middle' }, String(n)));
    }
  }
  svg.append(s('text', { x: W - R, y: H - 2, class: 'axis unit', 'text-anchor': 'end' },
    t('obs.curve_x')));
  svg.append(s('text', { x: 2, y: T + 2, class: 'axis unit' }, '℃'));
  // the fever line
  svg.append(s('line', { x1: L, x2: W - R, y1: y(FEVER), y2: y(FEVER),
    class: 'fever-line' }),
  s('text', { x: W - R, y: y(FEVER) - 4, class: 'axis fever-label',
    'text-anchor': 'end' }, '37.3'));
  // the readings
  if (pts.length > 1) {
    svg.append(s('polyline', { class: 'reading-line',
      points: pts.map((p) => `${x(p.n, p.slot).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
  }
  for (const p of pts) {
    const fever = isFever(p.v);
    svg.append(s('circle', { cx: x(p.n, p.slot).toFixed(1), cy: y(p.v).toFixed(1),
      r: fever ? 4.5 : 3.5, class: fever ? 'point fever' : 'point' },
    s('title', {}, `${p.day} ${slotName(p.slot)} ${temp(p.v)}`)));
  }
  return h('figure', { class: 'curve-wrap' }, svg,
    pts.length ? null : h('figcaption', { class: 'muted', text: t('obs.no_checks') }));
}
