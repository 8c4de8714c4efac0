// pages/people.js — the people register (people.read): the list with its
// filters, search and export, as compact cards a thumb can tap.  Also the
// router of the register's own pages: #/people/new and
// #/people/{id}/edit (person_form.js), #/people/{id} (person.js).

import { h, uid } from '../dom.js';
import { api, apiUrl, can, fetchAll } from '../api.js';
import { gridOptions, personCard } from '../people_ui.js';
import { KINDS, MEASURES, SOURCES, STATUSES, kindName, measureName,
  optionsOf, sourceName, statusName } from '../labels.js';
import { t } from '../i18n.js';
import { formView, pagedList } from '../ui.js';
import * as personPage from './person.js';
import * as formPage from './person_form.js';

// The list's filters: the API's query names (GET /people).
const FILTERS = ['q', 'village_id', 'grid_id', 'kind', 'measure', 'source',
  'status', 'screening', 'return_from', 'return_to'];

// back: the register's own pages lead back to the list.
export function back(segments) {
  if (!segments.length) return null;
  if (segments[1] === 'edit') return [`#/people/${segments[0]}`, 'people.back_person'];
  return ['#/people', 'people.back_list'];
}

export function render(ctx) {
  const [first, second] = ctx.segments || [];
  if (first === 'new' && !second) return needWrite(() => formPage.render(ctx, null));
  if (/^\d+$/.test(first || '')) {
    const id = Number(first);
    if (second === 'edit') return needWrite(() => formPage.render(ctx, id));
    if (!second) return personPage.render(ctx, id);
  }
  if (first) {
    ctx.navigate('#/people');
    return h('div');
  }
  return listPage(ctx);
}

function needWrite(draw) {
  if (can('people.write')) return draw();
  return h('div', {}, h('h1', { text: t('nav.people') }),
    h('p', { class: 'alert error', text: t('error.forbidden') }));
}

function listPage(ctx) {
  const p = ctx.params;
  const filter = {};
  for (const k of FILTERS) if (p[k]) filter[k] = p[k];
  const num = (v) => (/^\d+$/.test(v || '') ? Number(v) : '');
  const go = (changes) => ctx.navigate(ctx.hashFor('people',
    { ...filter, ...changes }));

  const page = h('div', { class: 'people' }, h('h1', { text: t('nav.people') }));
  if (can('people.write')) {
    page.append(h('a', { class: 'btn primary block add-person',
      href: '#/people/new' }, t('people.add')));
  }

  // Search: name, phone or ID number.
  const qid = uid('q');
  const q = h('input', { id: qid, type: 'search', name: 'q', value: filter.q || '',
    placeholder: t('people.search_placeholder'), autocomplete: 'off',
    enterkeyhint: 'search', spellcheck: 'false' });
  page.append(h('form', { class: 'search', role: 'search',
    onsubmit: (ev) => {
      ev.preventDefault();
      go({ q: q.value.trim() });
    } },
  h('label', { for: qid, class: 'visually-hidden', text: t('people.search') }),
  q, h('button', { type: 'submit', class: 'btn primary' }, t('people.search'))));

  // Filters, folded away unless some are in use.
  const villages = fetchAll('/places', { type: 'village' });
  const active = FILTERS.filter((k) => k !== 'q' && filter[k]).length;
  const filters = formView({
    className: 'filters people-filters',
    fields: [
      { name: 'village_id', label: 'people.field.village', type: 'select',
        value: num(filter.village_id),
        options: () => villages.then((vs) => [{ value: '', label: t('people.any_village') }]
          .concat(vs.map((v) => ({ value: v.id, label: v.name })))) },
      { name: 'grid_id', label: 'people.field.grid', type: 'select',
        value: num(filter.grid_id),
        options: () => gridOptions(num(filter.village_id), 'people.any_grid') },
      { name: 'kind', label: 'people.field.kind', type: 'select',
        value: filter.kind || '', options: optionsOf(KINDS, kindName, 'people.any') },
      { name: 'measure', label: 'people.field.measure', type: 'select',
        value: filter.measure || '',
        options: optionsOf(MEASURES, measureName, 'people.any') },
      { name: 'source', label: 'people.field.source', type: 'select',
        value: filter.source || '',
        options: optionsOf(SOURCES, sourceName, 'people.any') },
      { name: 'status', label: 'people.field.status', type: 'select',
        value: filter.status || '',
        options: optionsOf(STATUSES, statusName, 'people.any') },
      { name: 'screening', label: 'people.filter.pending', type: 'check',
        value: filter.screening === 'pending' },
      { name: 'return_from', label: 'people.filter.return_from', type: 'date',
        value: filter.return_from || '' },
      { name: 'return_to', label: 'people.filter.return_to', type: 'date',
        value: filter.return_to || '' },
    ],
    submit: 'people.filter.apply',
    onSubmit: async (v) => {
      go({ ...v, screening: v.screening ? 'pending' : '' });
    },
  });
  filters.el.addEventListener('change', async (ev) => {
    if (ev.target.name !== 'village_id') return;
    const vid = filters.values().village_id;
    const opts = await gridOptions(vid, 'people.any_grid').catch(() => null);
    if (opts) filters.setOptions('grid_id', opts);
  });
  const summary = h('summary', { text: active
    ? t('people.filters_n', { n: active }) : t('people.filters') });
  page.append(h('details', { class: 'card people-filter', open: active > 0 || null },
    summary, filters.el,
    active ? h('a', { class: 'btn block clear-filters',
      href: ctx.hashFor('people', { q: filter.q }) }, t('people.filter.clear'))
      : null));

  // Export with the same filters (a plain download: the session cookie
  // goes along, the server audits it).
  page.append(h('div', { class: 'export-row' },
    h('span', { class: 'muted', text: t('people.export') }),
    ['csv', 'xlsx'].map((format) => h('a', { class: 'btn small export',
      download: true, // the server names the file
      href: apiUrl('/people/export', { ...filter, format }) },
    t(`people.export_${format}`)))));

  const list = pagedList({
    className: 'people-list',
    fetchPage: (cursor) => api.get('/people', { ...filter, limit: 50, cursor }),
    renderItem: personCard,
    empty: filter.q || active ? 'people.none_found' : 'people.empty',
  });
  page.append(list.el);
  return page;
}
