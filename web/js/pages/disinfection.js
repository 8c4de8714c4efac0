// pages/disinfection.js — disinfection records (#/disinfection,
// ledger.read): with disinfection.write a one-screen entry form (date,
// place — a village, point or venue, or free text with its village —
// area in m², agent and concentration, method, operator); the totals in
// all, by day and by village for the filtered period; the records with
// filters; CSV/XLSX export.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, formView, pagedList, section } from '../ui.js';
import { exportLinks, filterCard, num, pick, placeOptions, stat, todayLocal }
  from './ledger_common.js';

const FILTERS = ['village_id', 'from', 'to'];
const METHODS = ['spray', 'wipe', 'fumigate', 'other'];

export function render(ctx) {
  const filter = pick(ctx.params, FILTERS);
  const page = h('div', { class: 'ledger disinfection' },
    h('h1', { text: t('nav.disinfection') }));
  const totals = h('div', { class: 'ledger-totals' });
  const errors = errorBox();
  let list = null;

  async function loadTotals() {
    errors.clear();
    try {
      const r = await api.get('/disinfection/totals', filter);
      const row = (label, x) => h('tr', {}, h('th', { scope: 'row', text: label }),
        h('td', { text: String(x.records) }), h('td', { text: num(x.area) }));
      const head = h('tr', {}, h('th', { text: '' }), h('th', { text: t('disinf.records') }),
        h('th', { text: t('disinf.area_m2') }));
      totals.replaceChildren(
        h('div', { class: 'ledger-stats' },
          stat('disinf.total_records', r.total.records),
          stat('disinf.total_area', num(r.total.area))),
        h('h3', { text: t('disinf.by_day') }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'ledger-table by-day' },
          h('thead', {}, head.cloneNode(true)),
          h('tbody', {}, r.days.map((d) => row(d.day, d)))))
        , h('h3', { text: t('disinf.by_village') }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'ledger-table by-village' },
          h('thead', {}, head),
          h('tbody', {}, r.villages.map((v) => row(v.village_name || t('disinf.town_level'), v))))));
    } catch (e) {
      errors.show(e);
    }
  }

  if (can(`disinfection.write`)) {
    const form = formView({
      className: 'disinf-form',
      fields: [
        { name: 'day', label: 'disinf.day', type: 'date', value: todayLocal(), required: true },
        { name: 'place_id', label: 'disinf.place', type: 'select', value: '',
          options: () => placeOptions(['village', 'point', 'venue'], 'disinf.other_place') },
        { name: 'place_text', label: 'disinf.place_text', required: true,
          showIf: (v) => v.place_id === '' },
        { name: 'village_id', label: 'disinf.village', type: 'select', value: '',
          showIf: (v) => v.place_id === '',
          options: () => placeOptions(['village'], 'disinf.town_level') },
        { name: 'area', label: 'disinf.area', inputmode: 'decimal', required: true },
        { name: 'agent', label: 'disinf.agent', required: true },
        { name: 'concentration', label: 'disinf.concentration', placeholder: '500mg/L' },
        { name: 'method', label: 'disinf.method', type: 'select', value: 'spray',
          options: METHODS.map((m) => ({ value: m, label: t(`disinf.method.${m}`) })) },
        { name: 'operator', label: 'disinf.operator', required: true },
        { name: 'note', label: 'disinf.note' },
      ],
      submit: 'disinf.save',
      onSubmit: async (v) => {
        const body = { ...v, area: Number(v.area) };
        for (const k of Object.keys(body)) if (body[k] === '') delete body[k];
        const d = await api.post('/disinfection', body);
        await loadTotals();
        if (list) list.reload();
        return t('disinf.saved', { area: num(d.area) });
      },
    });
    page.append(section('disinf.entry', form.el));
  }
  page.append(section('disinf.totals', errors.el, totals));
  page.append(filterCard(ctx, 'disinfection', filter));
  page.append(exportLinks('/disinfection/export', filter));
  list = pagedList({
    className: 'disinf-list',
    fetchPage: (cursor) => api.get('/disinfection', { ...filter, limit: 50, cursor }),
    renderItem: (d) => h('li', { class: 'item disinf-item' },
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: d.place_name || d.place_text }),
        h('strong', { text: `${num(d.area)} m²` })),
      h('p', { class: 'item-meta', text: [d.day, d.village_name, d.agent, d.concentration,
        t(`disinf.method.${d.method}`), d.operator].filter(Boolean).join(' · ') })),
    empty: 'disinf.empty',
  });
  page.append(section('disinf.records', list.el));
  loadTotals();
  return page;
}
