// pages/ledger_common.js — what the ledger pages (supplies, disinfection,
// visitors, inspections, enterprises) share: place choices, the list
// filter card, export links and number formatting.  Not a page itself.

import { h } from '../dom.js';
import { apiUrl, fetchAll } from '../api.js';
import { t } from '../i18n.js';
import { formView } from '../ui.js';

let placesPromise = null;

// allPlaces fetches (once per page load) the places the account sees.
export function allPlaces() {
  if (!placesPromise) {
    placesPromise = fetchAll('/places', { active: 1 }).catch((e) => {
      placesPromise = null;
      throw e;
    });
  }
  return placesPromise;
}

// placeLabel: "东旺村 · 东口" for a point or venue, the name of a village.
export function placeLabel(p) {
  return p.village_name ? `${p.village_name} · ${p.name}` : p.name;
}

// placeOptions: the places of the given types as select options, with a
// first empty choice labelled by the key `first` (if given).
export async function placeOptions(types, first) {
  const ps = (await allPlaces()).filter((p) => types.includes(p.type));
  ps.sort((a, b) => placeLabel(a).localeCompare(placeLabel(b), 'zh-CN'));
  const opts = ps.map((p) => ({ value: p.id, label: placeLabel(p) }));
  return first ? [{ value: '', label: t(first) }].concat(opts) : opts;
}

// num shows a number without needless decimals ("3,000", "12.5").
export function num(v) {
  if (v === null || v === undefined) return '—';
  return Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 3 });
}

// todayLocal: today's date in the browser (the town's, on a town phone).
export function todayLocal() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// exportLinks: CSV and XLSX downloads of path with the filter.
export function exportLinks(path, filter) {
  return h('div', { class: 'export-row' },
    h('span', { class: 'muted', text: t('ledger.export') }),
    ['csv', 'xlsx'].map((format) => h('a', { class: 'btn small export',
      download: true, href: apiUrl(path, { ...filter, format }) },
    t(`ledger.export_${format}`))));
}

// filterCard: a folded form of filters (village, from, to and extra
// fields) that navigates to hash `path` with the chosen values.
export function filterCard(ctx, path, filter, extra = []) {
  const active = Object.values(filter).filter(Boolean).length;
  const form = formView({
    className: 'filters ledger-filters',
    fields: [
      { name: 'village_id', label: 'ledger.village', type: 'select',
        value: filter.village_id ? Number(filter.village_id) : '',
        options: () => placeOptions(['village'], 'ledger.any_village') },
      ...extra,
      { name: 'from', label: 'ledger.from', type: 'date', value: filter.from || '' },
      { name: 'to', label: 'ledger.to', type: 'date', value: filter.to || '' },
    ],
    submit: 'ledger.filter_apply',
    onSubmit: async (v) => {
      const clean = {};
      for (const [k, x] of Object.entries(v)) if (x !== '' && x !== false && x !== null) clean[k] = x;
      ctx.navigate(ctx.hashFor(path, clean));
    },
  });
  return h('details', { class: 'card ledger-filter', open: active > 0 || null },
    h('summary', { text: active ? t('ledger.filters_n', { n: active }) : t('ledger.filters') }),
    form.el,
    active ? h('a', { class: 'btn block clear-filters', href: `#/${path}` },
      t('ledger.filter_clear')) : null);
}

// pick copies the keys of params that are set.
export function pick(params, keys) {
  const out = {};
  for (const k of keys) if (params[k]) out[k] = params[k];
  return out;
}

// stat: one figure of a summary (a <div> with a big number and a label).
export function stat(labelKey, value, cls) {
  return h('div', { class: ['ledger-stat', cls] },
    h('span', { class: 'ledger-stat-value', text: String(value) }),
    h('span', { class: 'ledger-stat-label', text: t(labelKey) }));
}
