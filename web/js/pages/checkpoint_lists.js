// pages/checkpoint_lists.js — the checkpoints' other pages, reached from
// the registration page: #/checkpoint/passes (the day's figures per point
// with passes by hour, and the passes themselves searchable by plate or
// ID number, masked), #/checkpoint/roster (shifts per point, who is on
// duty now, the gaps in the day's 24-hour cover; adding and removing
// shifts with places.write) and #/checkpoint/poster (an A4 poster with
// the point's QR code for self-registration, to print).

import { h, uid } from '../dom.js';
import { api, apiUrl, can } from '../api.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, formView, pagedList } from '../ui.js';
import { formatTime } from '../labels.js';
import { directionName, loadPoints, outcomeName, vehicleName } from '../checkpoint_ui.js';

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const hhmm = (iso) => (iso ? formatTime(iso) : '');

// ---- passes and figures ---------------------------------------------------

export function passesPage(ctx) {
  const p = ctx.params;
  const day = p.day || today();
  const page = h('div', { class: 'cp-passes' }, h('h1', { text: t('cp.passes') }));
  const statsBox = h('div', { class: 'cp-stats' });
  const errors = errorBox();
  const dayId = uid('day');
  const dayIn = h('input', { id: dayId, type: 'date', name: 'day', value: day });
  dayIn.addEventListener('change', () => ctx.navigate(ctx.hashFor('checkpoint/passes',
    { ...p, day: dayIn.value })));
  page.append(h('div', { class: 'field' }, h('label', { for: dayId, text: t('cp.day') }), dayIn),
    errors.el, statsBox);

  if (can('places.read')) {
    api.get('/passes/stats', { day }).then((s) => {
      const rows = s.points || [];
      const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
      statsBox.replaceChildren(h('p', { class: 'cp-totals', text: t('cp.totals', {
        passes: sum('passes'), people: sum('people'), turned_back: sum('turned_back'),
        new_returnees: sum('new_returnees'), fevers: sum('fevers') }) }),
      h('ul', { class: 'list' }, rows.map((r) => h('li', { class: 'item point-stats' },
        h('strong', { text: r.point_name }), ' ',
        h('span', { class: 'muted', text: r.village_name }),
        h('p', { text: t('cp.point_line', r) }),
        h('div', { class: 'hours', 'aria-label': t('cp.by_hour') },
          r.hours.map((n, i) => h('meter', { min: '0',
            max: String(Math.max(1, ...r.hours)), value: String(n),
            title: t('cp.hour_n', { h: i, n }) })))))));
    }, (e) => errors.show(e));
  }

  // search: plate or ID number, across the points of the account
  const filter = {};
  for (const k of ['plate', 'id_number', 'point_id', 'outcome']) if (p[k]) filter[k] = p[k];
  const qid = uid('q');
  const q = h('input', { id: qid, type: 'search', name: 'q', autocomplete: 'off',
    value: filter.plate || filter.id_number || '', placeholder: t('cp.search_hint') });
  page.append(h('form', { class: 'search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const v = q.value.trim().toUpperCase();
    const isId = /^\d{17}[\dX]$|^\d{15}$/.test(v);
    ctx.navigate(ctx.hashFor('checkpoint/passes', { day,
      plate: v && !isId ? v : '', id_number: isId ? v : '' }));
  } }, h('label', { for: qid, class: 'visually-hidden', text: t('cp.search') }), q,
  h('button', { type: 'submit', class: 'btn primary' }, t('cp.search'))));
  const query = { ...filter };
  if (!filter.plate && !filter.id_number) query.day = day;
  const list = pagedList({ className: 'pass-list', empty: 'cp.no_passes',
    fetchPage: (cursor) => api.get('/passes', { ...query, cursor }),
    renderItem: passItem });
  page.append(list.el);
  return page;
}

function passItem(pass) {
  return h('li', { class: 'item pass' },
    h('div', { class: 'pass-head' },
      h('strong', { text: pass.plate || vehicleName(pass.vehicle) }), ' ',
      h('span', { class: 'badge', text: directionName(pass.direction) }), ' ',
      h('span', { class: 'muted', text: `${hhmm(pass.at)} · ${pass.point_name} · ${pass.checker}` })),
    h('ul', { class: 'pass-people' }, pass.persons.map((x) => h('li', {
      class: ['pass-person', x.fever && 'fever', `outcome-${x.outcome}`] },
    h('span', { text: x.name }), ' ',
    h('span', { class: 'muted', text: [x.id_number, x.phone].filter(Boolean).join(' · ') }), ' ',
    h('span', { text: `${Number(x.temperature).toFixed(1)}℃` }), ' ',
    h('span', { class: 'badge', text: outcomeName(x.outcome) })))));
}

// ---- roster -----------------------------------------------------------------

export function rosterPage(ctx) {
  const day = ctx.params.day || today();
  const page = h('div', { class: 'cp-roster' }, h('h1', { text: t('cp.roster') }));
  const errors = errorBox();
  const dayId = uid('day');
  const dayIn = h('input', { id: dayId, type: 'date', name: 'day', value: day });
  dayIn.addEventListener('change', () => ctx.navigate(ctx.hashFor('checkpoint/roster',
    { day: dayIn.value })));
  const summary = h('p', { class: 'roster-summary', role: 'status' });
  const list = h('ul', { class: 'list roster' });
  page.append(h('div', { class: 'field' }, h('label', { for: dayId, text: t('cp.day') }), dayIn),
    summary, errors.el, list);

  async function load() {
    errors.clear();
    try {
      const r = await api.get('/roster', { day });
      const gaps = r.points.filter((x) => x.gaps.length).length;
      summary.textContent = gaps ? t('cp.gaps_n', { n: gaps }) : t('cp.no_gaps');
      summary.classList.toggle('bad', gaps > 0);
      list.replaceChildren(...r.points.map((pt) => h('li', {
        class: ['item', 'roster-point', pt.gaps.length && 'has-gap'] },
      h('div', {}, h('strong', { text: pt.point_name }), ' ',
        h('span', { class: 'muted', text: pt.village_name }), ' ',
        h('span', { class: ['badge', pt.on_duty ? 'on-duty' : 'off-duty'],
          text: pt.on_duty ? t('cp.on_duty') : t('cp.nobody') })),
      h('ul', { class: 'shifts' }, pt.shifts.map((s) => h('li', {},
        h('span', { text: `${hhmm(s.starts_at)} – ${hhmm(s.ends_at)} ${s.staff}` }),
        can('places.write') ? actionButton('cp.remove_shift', async () => {
          await api.del(`/shifts/${s.id}`);
          load();
        }, { danger: true, confirm: 'cp.sure', errors }) : null))),
      pt.gaps.map((g) => h('p', { class: 'gap', text: t('cp.gap',
        { from: hhmm(g.from), to: hhmm(g.to) }) })))));
    } catch (e) {
      errors.show(e);
    }
  }
  load();

  if (can('places.write')) {
    const form = formView({
      className: 'shift-form',
      fields: [
        { name: 'point_id', label: 'cp.point', type: 'select', required: true,
          options: () => loadPoints().then((ps) => ps.map((x) => ({ value: x.id,
            label: `${x.name}（${x.village_name || ''}）` }))) },
        { name: 'starts_at', label: 'cp.starts_at', type: 'text', required: true,
          value: `${day}T08:00`, placeholder: 'YYYY-MM-DDTHH:MM' },
        { name: 'ends_at', label: 'cp.ends_at', type: 'text', required: true,
          value: `${day}T20:00`, placeholder: 'YYYY-MM-DDTHH:MM' },
        { name: 'staff', label: 'cp.staff', type: 'text', required: true, maxLength: 100 },
      ],
      submit: 'cp.add_shift',
      onSubmit: async (v) => {
        await api.post('/shifts', { point_id: Number(v.point_id), starts_at: v.starts_at,
          ends_at: v.ends_at, staff: v.staff });
        load();
        return t('cp.shift_added');
      },
    });
    page.append(h('section', { class: 'card' }, h('h2', { text: t('cp.add_shift') }), form.el));
  }
  return page;
}

// ---- poster -----------------------------------------------------------------

export function posterPage(ctx) {
  const page = h('div', { class: 'cp-poster-page' });
  const errors = errorBox();
  const pick = h('div', { class: 'no-print' });
  const poster = h('article', { class: 'poster' });
  page.append(pick, errors.el, poster);
  const pointId = Number(ctx.params.point || 0);
  loadPoints().then((points) => {
    const id = uid('point');
    const sel = h('select', { id, name: 'point' }, points.map((x) => h('option',
      { value: String(x.id), selected: x.id === pointId }, x.name)));
    sel.addEventListener('change', () => ctx.navigate(ctx.hashFor('checkpoint/poster',
      { point: sel.value })));
    pick.replaceChildren(h('div', { class: 'field' }, h('label', { for: id, text: t('cp.point') }), sel),
      h('button', { type: 'button', class: 'btn primary print', onclick: () => window.print() },
        t('cp.print')));
    const point = points.find((x) => x.id === pointId) || points[0];
    if (!point) return;
    api.get(`/points/${point.id}/qr`).then((q) => {
      poster.replaceChildren(
        h('h1', { class: 'poster-title', text: t('cp.poster_title') }),
        h('p', { class: 'poster-point', text: `${point.village_name || ''} ${point.name}` }),
        h('img', { class: 'poster-qr', src: apiUrl(`/points/${point.id}/qr.svg`),
          alt: t('cp.poster_qr_alt') }),
        h('ol', { class: 'poster-steps' },
          ['cp.poster_step1', 'cp.poster_step2', 'cp.poster_step3'].map((k) => h('li', { text: t(k) }))),
        h('p', { class: 'poster-note', text: t('cp.poster_note') }),
        h('p', { class: 'poster-url mono', text: q.url }));
    }, (e) => errors.show(e));
  }, (e) => errors.show(e));
  return page;
}
