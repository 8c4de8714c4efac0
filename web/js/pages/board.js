// pages/board.js — the town's observation board (#/board,
// observation.read; GET /board): today's totals on top (under
// observation, checks due, done, missed, open fevers, release due) and a
// row per village with a bar of done and missed against due; a village
// opens the register filtered to it.  With observation.write (and the
// account list, users.manage) a whole village or grid is assigned to one
// account in a chain role at once (POST /chain/bulk).

import { h } from '../dom.js';
import { api, can, fetchAll } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, formView, section, toggle } from '../ui.js';
import { gridOptions } from '../people_ui.js';
import { chainRoleName, loadChainRoles } from '../obs.js';

const TOTALS = ['under_observation', 'due_today', 'done', 'missed',
  'fever_open', 'release_due'];
const LINKS = { fever_open: '#/alerts', release_due: '#/release' };

export function render(ctx) {
  const page = h('div', { class: 'board' }, h('h1', { text: t('nav.board') }));
  const date = h('p', { class: 'round-date' });
  const totals = h('dl', { class: 'counts board-totals' });
  const villages = h('ul', { class: 'list board-villages' });
  const errors = errorBox();
  page.append(date, errors.el, totals,
    section('board.villages', h('p', { class: 'muted', text: t('board.villages_hint') }),
      h('p', { class: 'board-legend' },
        h('span', { class: 'key done' }), t('board.legend_done'), ' ',
        h('span', { class: 'key missed' }), t('board.legend_missed'), ' ',
        h('span', { class: 'key due' }), t('board.legend_due')),
      villages));

  api.get('/board').then((r) => {
    date.replaceChildren(h('span', { text: t('round.today') }), ' ',
      h('strong', { class: 'round-day', text: r.date || '' }));
    const tot = r.totals || {};
    totals.replaceChildren(...TOTALS.map((k) => {
      const n = tot[k] ?? 0;
      const value = LINKS[k] && n ? h('a', { href: LINKS[k], text: String(n) }) : String(n);
      return h('div', { class: ['count', k, k === 'fever_open' && n && 'bad',
        k === 'missed' && n && 'bad'] },
      h('dt', { text: t(`board.total.${k}`) }), h('dd', {}, value));
    }));
    const rows = r.villages || [];
    villages.replaceChildren(...rows.map((v) => villageRow(v, ctx)));
    if (!rows.length) villages.append(h('li', { class: 'muted empty', text: t('board.empty') }));
  }, (e) => errors.show(e));

  if (can('observation.write') && can('users.manage')) page.append(bulkCard());
  return page;
}

// villageRow: one village's numbers and its bar.
function villageRow(v, ctx) {
  const due = v.due_today || 0;
  const pct = (n) => (due ? Math.min(100, Math.round((n / due) * 1000) / 10) : 0);
  const done = h('span', { class: 'bar-done' });
  const missed = h('span', { class: 'bar-missed' });
  // widths through the CSSOM (allowed by the CSP, unlike style="")
  done.style.width = `${pct(v.done || 0)}%`;
  missed.style.width = `${Math.min(pct(v.missed || 0), 100 - pct(v.done || 0))}%`;
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': t('board.bar_label',
    { done: v.done || 0, due, missed: v.missed || 0 }) }, done, missed);
  return h('li', { class: 'item board-row', dataset: { village: String(v.village_id) } },
    h('a', { class: 'board-link', href: ctx.hashFor('people', { village_id: v.village_id }) },
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: v.village_name }),
        v.fever_open ? h('span', { class: 'badge fever-open',
          text: t('board.fever_n', { n: v.fever_open }) }) : null),
      bar,
      h('p', { class: 'item-meta', text: t('board.row', { obs: v.under_observation || 0,
        done: v.done || 0, due, missed: v.missed || 0, release: v.release_due || 0 }) })));
}

// bulkCard: assign a village or one of its grids to an account in a role.
function bulkCard() {
  const add = toggle('bulk.open');
  const villagesP = fetchAll('/places', { type: 'village' });
  const form = formView({
    className: 'bulk-form',
    fields: [
      { name: 'village_id', label: 'bulk.field.village', type: 'select',
        options: () => villagesP.then((vs) => vs.map((v) => ({ value: v.id, label: v.name }))) },
      { name: 'grid_id', label: 'bulk.field.grid', type: 'select',
        options: [{ value: '', label: t('bulk.whole_village') }] },
      { name: 'role', label: 'bulk.field.role', type: 'select',
        options: () => loadChainRoles().then((rs) => rs.filter((r) => r.active !== false)
          .map((r) => ({ value: r.code, label: chainRoleName(r) }))) },
      { name: 'account_id', label: 'bulk.field.account', type: 'select',
        options: () => fetchAll('/staff').then((us) => us
          .map((u) => ({ value: u.id, label: `${u.display_name || u.username} (${u.username})` }))) },
    ],
    submit: 'bulk.submit',
    cancel: 'form.cancel',
    onCancel: () => add.close(),
    onSubmit: async (v) => {
      const body = { role: v.role, account_id: v.account_id, village_id: v.village_id };
      if (v.grid_id) body.grid_id = v.grid_id;
      const r = await api.post('/chain/bulk', body);
      return t('bulk.done', { n: r.assigned ?? 0 });
    },
  });
  const grids = async () => {
    const vid = form.values().village_id;
    const opts = await gridOptions(vid, 'bulk.whole_village').catch(() => null);
    if (opts) form.setOptions('grid_id', opts);
  };
  // the village chosen (or its options just loaded): its grids
  form.el.addEventListener('change', (ev) => {
    const el = ev.target;
    if (el.name === 'village_id' || (el.classList.contains('field')
      && el.querySelector('select[name=village_id]'))) grids();
  });
  add.panel.append(form.el);
  return section('bulk.title', h('p', { class: 'muted', text: t('bulk.intro') }), add.el);
}
