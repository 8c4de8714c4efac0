// pages/policies.js — the classification policy and the risk areas
// (people.read; changing them needs users.manage).  The policy says, for
// each kind of person, which measure applies and for how many days; a
// risk area sets a region's level (low, medium, high) over a span of
// days, and a returnee's class follows the level of their origin.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { KINDS, MEASURES, RISK_LEVELS, kindName, measureName, measureText,
  optionsOf, riskName } from '../labels.js';
import { t } from '../i18n.js';
import { errorBox, fieldError, formView, pagedList, section, toggle }
  from '../ui.js';
import { suggestRegions } from '../people_ui.js';

export function render() {
  const admin = can('users.manage');
  const policies = h('ul', { class: 'list policies' });
  const perrors = errorBox();
  api.get('/policies').then((r) => {
    const items = (r.items || []).slice().sort((a, b) =>
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
    policies.replaceChildren(...items.map((p) => policyItem(p, admin)));
  }, (e) => perrors.show(e));

  const areas = pagedList({
    className: 'risk-areas',
    fetchPage: (cursor) => api.get('/risk-areas', { cursor }),
    renderItem: (a) => areaItem(a, admin),
    empty: 'risk.empty',
  });

  const page = h('div', { class: 'policies-page' },
    h('h1', { text: t('nav.policies') }),
    section('policy.title', h('p', { class: 'muted', text: t('policy.intro') }),
      perrors.el, policies));
  const areasCard = section('risk.title',
    h('p', { class: 'muted', text: t('risk.intro') }));
  if (admin) areasCard.append(addArea(areas));
  areasCard.append(areas.el);
  page.append(areasCard);
  return page;
}

// policyItem: one kind's measure and period, editable by an admin.
function policyItem(policy, admin) {
  let p = policy;
  const li = h('li', { class: 'item policy' });
  const slot = h('div');
  function draw() {
    slot.replaceChildren();
    li.replaceChildren(h('div', { class: 'policy-row' },
      h('div', { class: 'policy-text' },
        h('span', { class: 'item-title', text: kindName(p.kind) }),
        h('p', { class: 'policy-measure', text: p.measure === 'none'
          ? measureText(p.measure, p.period_days)
          : `${measureText(p.measure, p.period_days)} · ${t(`policy.slots_${p.slots_per_day || 2}`)}` })),
      admin ? h('button', { type: 'button', class: 'btn small', onclick: edit },
        t('policy.edit')) : null), slot);
  }
  function edit() {
    const form = formView({
      fields: [
        { name: 'measure', label: 'policy.field.measure', type: 'select',
          value: p.measure, options: optionsOf(MEASURES, measureName) },
        { name: 'period_days', label: 'policy.field.period_days',
          inputmode: 'numeric', value: String(p.period_days),
          showIf: (v) => v.measure !== 'none' },
        { name: 'slots_per_day', label: 'policy.field.slots', type: 'select',
          value: String(p.slots_per_day || 2),
          options: [{ value: '2', label: t('policy.slots_2') },
            { value: '1', label: t('policy.slots_1') }],
          showIf: (v) => v.measure !== 'none' },
      ],
      validate: (v) => (v.period_days !== undefined
        && !/^\d+$/.test(v.period_days) ? fieldError('period_days',
          t('policy.days_error')) : null),
      submit: 'form.save',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        const body = { measure: v.measure };
        if (v.period_days !== undefined) body.period_days = Number(v.period_days);
        if (v.slots_per_day !== undefined) body.slots_per_day = Number(v.slots_per_day);
        const r = await api.patch(`/policies/${p.kind}`, body);
        p = r && r.kind ? r : { ...p, ...body };
        draw();
      },
    });
    slot.replaceChildren(form.el);
    form.focus();
  }
  draw();
  return li;
}

function areaItem(area, admin) {
  let a = area;
  const li = h('li', { class: 'item risk-area' });
  const errors = errorBox();
  const slot = h('div');
  function draw() {
    const span = a.end_date ? t('risk.span', { from: a.start_date, to: a.end_date })
      : t('risk.since', { from: a.start_date });
    slot.replaceChildren();
    errors.clear();
    li.replaceChildren(h('div', { class: 'item-head' },
      h('span', { class: 'item-title', text: a.region_name || a.region_code }),
      h('span', { class: ['badge', `risk-${a.level}`], text: riskName(a.level) })),
    h('p', { class: 'item-meta', text: `${a.region_code} · ${span}` }),
    admin ? h('div', { class: 'item-actions' }, h('button', { type: 'button',
      class: 'btn small', onclick: edit }, t('risk.edit'))) : null, errors.el, slot);
  }
  function edit() {
    const form = formView({
      fields: [
        { name: 'level', label: 'risk.field.level', type: 'select', value: a.level,
          options: optionsOf(RISK_LEVELS, riskName) },
        { name: 'end_date', label: 'risk.field.end_date', type: 'date',
          value: a.end_date || '', hint: 'risk.end_hint' },
      ],
      submit: 'form.save',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        const r = await api.patch(`/risk-areas/${a.id}`, { level: v.level,
          end_date: v.end_date || null });
        a = r && r.id ? r : { ...a, level: v.level, end_date: v.end_date || null };
        draw();
      },
    });
    slot.replaceChildren(form.el);
    form.focus();
  }
  draw();
  return li;
}

function addArea(areas) {
  const add = toggle('risk.add');
  const form = formView({
    className: 'add-risk-area',
    inlineErrors: true,
    fields: [
      { name: 'region_code', label: 'risk.field.region', type: 'suggest',
        required: true, suggest: suggestRegions, hint: 'risk.region_hint' },
      { name: 'level', label: 'risk.field.level', type: 'select', value: 'high',
        options: optionsOf(RISK_LEVELS, riskName) },
      { name: 'start_date', label: 'risk.field.start_date', type: 'date',
        required: true },
      { name: 'end_date', label: 'risk.field.end_date', type: 'date',
        hint: 'risk.end_hint' },
    ],
    submit: 'risk.add_submit',
    cancel: 'form.cancel',
    onCancel: () => add.close(),
    onSubmit: async (v) => {
      const body = { region_code: v.region_code, level: v.level,
        start_date: v.start_date };
      if (v.end_date) body.end_date = v.end_date;
      const r = await api.post('/risk-areas', body);
      areas.reload();
      return t('risk.added', { name: (r && r.region_name) || v.region_code });
    },
    resetOnSuccess: true,
  });
  add.panel.append(form.el);
  return add.el;
}
