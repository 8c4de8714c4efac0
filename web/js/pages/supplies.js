// pages/supplies.js — the supplies ledger (#/supplies, ledger.read):
// the stock board (each item's stock in the town's store, marked when
// under its low-stock threshold, and what each village and point holds),
// with supplies.write the entry form for a receipt (allocated, donated
// with the donor, purchased with supplier and cost) or an issue to a
// village or point with the recipient's name; the movements with filters,
// each with a "reverse" button (a correction is a reversing entry);
// adding items; CSV/XLSX export.

import { h } from '../dom.js';
import { api, can, fetchAll } from '../api.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, formView, pagedList, section, toggle } from '../ui.js';
import { exportLinks, filterCard, num, pick, placeOptions, todayLocal } from './ledger_common.js';

const FILTERS = ['item_id', 'kind', 'village_id', 'from', 'to'];
const SOURCES = ['allocated', 'donated', 'purchased'];

export function render(ctx) {
  const filter = pick(ctx.params, FILTERS);
  const page = h('div', { class: 'ledger supplies' }, h('h1', { text: t('nav.supplies') }));
  const board = h('div', { class: 'stock-board' });
  const boardErr = errorBox();
  let items = [];
  let list = null;

  async function loadBoard() {
    boardErr.clear();
    try {
      const r = await api.get('/supplies/stock');
      items = r.items || [];
      board.replaceChildren(...items.filter((i) => i.active).map((it) => {
        const held = (r.places || []).filter((p) => p.item_id === it.id && p.quantity);
        return h('div', { class: ['card', 'stock-item', it.low && 'low'],
          dataset: { item: String(it.id) } },
        h('div', { class: 'item-head' },
          h('strong', { class: 'item-title', text: it.name }),
          it.low ? h('span', { class: 'badge low-badge', text: t('supplies.low') }) : null),
        it.stock !== null ? h('p', { class: 'stock-line' },
          h('span', { class: 'stock-value', text: num(it.stock) }), ' ',
          h('span', { class: 'muted', text: it.unit }),
          h('span', { class: 'muted', text: ` · ${t('supplies.low_mark', { n: num(it.low_stock) })}` }))
          : null,
        held.length ? h('ul', { class: 'stock-places' }, held.map((p) =>
          h('li', { text: `${p.place_type === 'village' ? p.place_name
            : `${p.village_name} · ${p.place_name}`}: ${num(p.quantity)} ${it.unit}` })))
          : h('p', { class: 'muted', text: t('supplies.none_issued') }));
      }));
    } catch (e) {
      boardErr.show(e);
    }
  }

  page.append(section('supplies.stock', boardErr.el, board));

  if (can(`supplies.write`)) {
    const entry = formView({
      className: 'supply-form',
      fields: [
        { name: 'kind', label: 'supplies.kind', type: 'select', value: 'receipt',
          options: [{ value: 'receipt', label: t('supplies.kind.receipt') },
            { value: 'issue', label: t('supplies.kind.issue') }] },
        { name: 'item_id', label: 'supplies.item', type: 'select', required: true,
          options: () => fetchAll('/supply-items').then((its) => its.filter((i) => i.active)
            .map((i) => ({ value: i.id, label: `${i.name} (${i.unit})` }))) },
        { name: 'quantity', label: 'supplies.quantity', type: 'text', inputmode: 'decimal',
          required: true },
        { name: 'source', label: 'supplies.source', type: 'select', value: 'allocated',
          showIf: (v) => v.kind === 'receipt',
          options: SOURCES.map((s) => ({ value: s, label: t(`supplies.source.${s}`) })) },
        { name: 'donor', label: 'supplies.donor', required: true,
          showIf: (v) => v.kind === 'receipt' && v.source === 'donated' },
        { name: 'supplier', label: 'supplies.supplier', required: true,
          showIf: (v) => v.kind === 'receipt' && v.source === 'purchased' },
        { name: 'cost', label: 'supplies.cost', inputmode: 'decimal', required: true,
          showIf: (v) => v.kind === 'receipt' && v.source === 'purchased' },
        { name: 'place_id', label: 'supplies.place', type: 'select', required: true,
          showIf: (v) => v.kind === 'issue',
          options: () => placeOptions(['village', 'point'], 'supplies.choose_place') },
        { name: 'recipient', label: 'supplies.recipient', required: true,
          showIf: (v) => v.kind === 'issue' },
        { name: 'day', label: 'supplies.day', type: 'date', value: todayLocal() },
        { name: 'note', label: 'supplies.note' },
      ],
      submit: 'supplies.save',
      onSubmit: async (v) => {
        const body = { ...v, quantity: Number(v.quantity) };
        if ('cost' in v) body.cost = Number(v.cost);
        if (body.place_id === '') delete body.place_id;
        for (const k of Object.keys(body)) if (body[k] === '') delete body[k];
        const m = await api.post('/supplies', body);
        await loadBoard();
        if (list) list.reload();
        return t(m.kind === 'receipt' ? 'supplies.saved_receipt' : 'supplies.saved_issue',
          { n: num(m.quantity), unit: m.unit, item: m.item_name });
      },
    });
    page.append(section('supplies.entry', entry.el));

    const add = toggle('supplies.add_item');
    const itemForm = formView({
      fields: [
        { name: 'name', label: 'supplies.item_name', required: true },
        { name: 'unit', label: 'supplies.unit', required: true },
        { name: 'low_stock', label: 'supplies.low_stock', inputmode: 'decimal', value: '0' },
      ],
      submit: 'supplies.add_item',
      resetOnSuccess: true,
      onSubmit: async (v) => {
        await api.post('/supply-items', { name: v.name, unit: v.unit,
          low_stock: Number(v.low_stock || 0) });
        await loadBoard();
        return t('supplies.item_added');
      },
    });
    add.panel.append(itemForm.el);
    page.append(add.el);
  }

  page.append(filterCard(ctx, 'supplies', filter, [
    { name: 'kind', label: 'supplies.kind', type: 'select', value: filter.kind || '',
      options: [{ value: '', label: t('ledger.any') }].concat(['receipt', 'issue', 'reversal']
        .map((k) => ({ value: k, label: t(`supplies.kind.${k}`) }))) },
  ]));
  page.append(exportLinks('/supplies/export', filter));
  list = pagedList({
    className: 'supply-moves',
    fetchPage: (cursor) => api.get('/supplies', { ...filter, limit: 50, cursor }),
    renderItem: (m) => moveItem(m, async () => {
      await loadBoard();
      list.reload();
    }),
    empty: 'supplies.empty',
  });
  page.append(section('supplies.moves', list.el));
  loadBoard();
  return page;
}

function moveItem(m, changed) {
  const errors = errorBox();
  const where = m.kind === 'receipt'
    ? [t(`supplies.source.${m.source}`), m.donor, m.supplier,
      m.cost !== null ? t('supplies.cost_n', { n: num(m.cost) }) : ''].filter(Boolean).join(' · ')
    : [m.village_name && m.place_type !== 'village' ? `${m.village_name} · ${m.place_name}`
      : m.place_name, m.recipient].filter(Boolean).join(' · ');
  const li = h('li', { class: ['item', 'supply-move', `kind-${m.kind}`, m.reversed_by && 'reversed'],
    dataset: { move: String(m.id) } },
  h('div', { class: 'item-head' },
    h('span', { class: 'item-title', text: `${t(`supplies.kind.${m.kind}`)} ${m.item_name}` }),
    h('strong', { class: 'move-qty', text: `${m.delta > 0 ? '+' : '−'}${num(m.quantity)} ${m.unit}` })),
  h('p', { class: 'item-meta', text: `${m.day} · ${where}` }),
  m.reverses ? h('p', { class: 'item-meta', text: t('supplies.reverses', { id: m.reverses }) }) : null,
  m.reversed_by ? h('p', { class: 'item-meta', text: t('supplies.reversed_by', { id: m.reversed_by }) })
    : null,
  m.note ? h('p', { class: 'item-meta', text: m.note }) : null);
  if (can(`supplies.write`) && m.kind !== 'reversal' && !m.reversed_by) {
    li.append(h('div', { class: 'item-actions' }, actionButton('supplies.reverse', async () => {
      await api.post(`/supplies/${m.id}/reverse`, {});
      await changed();
    }, { errors, confirm: 'supplies.reverse_confirm', danger: true })), errors.el);
  }
  return li;
}
