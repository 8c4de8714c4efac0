// pages/visitors.js — the gate visitor log (#/visitors, ledger.read):
// with visitors.write a quick form at the gate (the gate is remembered
// on this phone; name, phone, temperature, reason, where from); 37.3 °C
// or more shows a red notice that a fever alert was opened.  The log
// with filters (gate, fever only, dates) and CSV/XLSX export.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { formView, pagedList, section } from '../ui.js';
import { exportLinks, filterCard, pick, placeOptions } from './ledger_common.js';

const FILTERS = ['village_id', 'place_id', 'fever', 'from', 'to', 'q'];
const GATE_KEY = `fangyi.gate`;

function rememberedGate() {
  try {
    return Number(localStorage.getItem(GATE_KEY)) || '';
  } catch {
    return '';
  }
}

export function render(ctx) {
  const filter = pick(ctx.params, FILTERS);
  const page = h('div', { class: 'ledger visitors' }, h('h1', { text: t('nav.visitors') }));
  const notice = h('p', { class: 'alert error fever-notice', role: 'alert', hidden: true });
  let list = null;

  if (can(`visitors.write`)) {
    const form = formView({
      className: 'visitor-form',
      fields: [
        { name: 'place_id', label: 'visitors.gate', type: 'select', required: true,
          value: rememberedGate(),
          options: () => placeOptions(['venue', 'point'], 'visitors.choose_gate') },
        { name: 'name', label: 'visitors.name', required: true, autocomplete: 'off' },
        { name: 'phone', label: 'visitors.phone', type: 'tel', inputmode: 'tel' },
        { name: 'temperature', label: 'visitors.temperature', inputmode: 'decimal',
          required: true, placeholder: '36.5' },
        { name: 'reason', label: 'visitors.reason' },
        { name: 'came_from', label: 'visitors.came_from' },
      ],
      submit: 'visitors.save',
      resetOnSuccess: true,
      onSubmit: async (v) => {
        notice.hidden = true;
        const body = { ...v, temperature: Number(v.temperature) };
        for (const k of Object.keys(body)) if (body[k] === '') delete body[k];
        const r = await api.post('/visitors', body);
        try {
          localStorage.setItem(GATE_KEY, String(v.place_id));
        } catch { /* not remembered */ }
        form.setValue('place_id', v.place_id);
        if (list) list.reload();
        if (r.alert_id) {
          notice.textContent = t('visitors.fever_alert', { name: r.visit.name,
            temp: r.visit.temperature.toFixed(1) });
          notice.hidden = false;
          return t('visitors.saved_fever');
        }
        return t('visitors.saved', { name: r.visit.name });
      },
    });
    page.append(section('visitors.entry', notice, form.el));
  }
  page.append(filterCard(ctx, 'visitors', filter, [
    { name: 'place_id', label: 'visitors.gate', type: 'select',
      value: filter.place_id ? Number(filter.place_id) : '',
      options: () => placeOptions(['venue', 'point'], 'ledger.any') },
    { name: 'fever', label: 'visitors.fever_only', type: 'check', value: filter.fever === '1' },
  ]));
  page.append(exportLinks('/visitors/export', filter));
  list = pagedList({
    className: 'visitor-list',
    fetchPage: (cursor) => api.get('/visitors', { ...filter,
      fever: filter.fever === 'true' || filter.fever === '1' ? 1 : undefined, limit: 50, cursor }),
    renderItem: (v) => h('li', { class: ['item', 'visitor-item', v.fever && 'fever'] },
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: v.name }),
        h('strong', { class: v.fever ? 'temp fever' : 'temp', text: `${v.temperature.toFixed(1)} ℃` })),
      h('p', { class: 'item-meta', text: [new Date(v.at).toLocaleString('zh-CN', { hour12: false }),
        v.place_name, v.phone, v.reason, v.came_from].filter(Boolean).join(' · ') })),
    empty: 'visitors.empty',
  });
  page.append(section('visitors.log', list.el));
  return page;
}
