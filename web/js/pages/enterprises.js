// pages/enterprises.js — enterprises returning to work (#/enterprises,
// ledger.read or enterprise.write): the list with today's health summary
// of each (workers, present, under observation, fever) and filters; with
// enterprise.write a new enterprise.  #/enterprises/{id}: the summary for
// a chosen day, the approval, the workers linked to the register (found
// by name, phone or ID number) with their measure and fever, adding and
// ending a worker.

import { h } from '../dom.js';
import { api, can, getSession } from '../api.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, fieldError, formView, pagedList, section, toggle }
  from '../ui.js';
import { exportLinks, filterCard, pick, placeOptions, stat, todayLocal }
  from './ledger_common.js';

const APPROVALS = ['pending', 'approved', 'refused'];

// The page answers two menu entries: #/enterprises (ledger.read) and
// #/enterprise-entry (enterprise.write: an enterprise liaison has no
// ledger.read); links stay under the one the page was opened from.
const base = () => (location.hash.startsWith('#/enterprise-entry')
  ? 'enterprise-entry' : 'enterprises');

export function back(segments) {
  return segments.length ? [`#/${base()}`, 'ent.back'] : null;
}

export function render(ctx) {
  const [first] = ctx.segments || [];
  if (/^\d+$/.test(first || '')) return enterprisePage(ctx, Number(first));
  return listPage(ctx);
}

function summary(e) {
  return h('div', { class: 'ledger-stats' },
    stat('ent.workers', e.workers),
    stat('ent.present', e.present),
    stat('ent.under_observation', e.under_observation, e.under_observation && 'warn'),
    stat('ent.fever', e.fever, e.fever && 'bad'));
}

function listPage(ctx) {
  const filter = pick(ctx.params, ['village_id', 'approval', 'q']);
  const page = h('div', { class: 'ledger enterprises' }, h('h1', { text: t('nav.enterprises') }));
  if (can(`enterprise.write`)) {
    const add = toggle('ent.add');
    const me = (getSession() || {}).user || {};
    const form = formView({
      fields: [
        { name: 'name', label: 'ent.name', required: true },
        { name: 'village_id', label: 'ent.village', type: 'select', required: true,
          options: () => placeOptions(['village'], 'ent.choose_village') },
        { name: 'approval', label: 'ent.approval', type: 'select', value: 'pending',
          options: APPROVALS.map((a) => ({ value: a, label: t(`ent.approval.${a}`) })) },
        { name: 'approval_date', label: 'ent.approval_date', type: 'date' },
        { name: 'me_liaison', label: 'ent.me_liaison', type: 'check', value: true },
        { name: 'note', label: 'ent.note' },
      ],
      submit: 'ent.create',
      onSubmit: async (v) => {
        const body = { name: v.name, village_id: v.village_id, approval: v.approval,
          note: v.note };
        if (v.approval_date) body.approval_date = v.approval_date;
        if (v.me_liaison && me.id) body.liaison_id = me.id;
        const r = await api.post('/enterprises', body);
        ctx.navigate(`#/${base()}/${r.enterprise.id}`);
      },
    });
    add.panel.append(form.el);
    page.append(add.el);
  }
  page.append(filterCard(ctx, base(), filter, [
    { name: 'approval', label: 'ent.approval', type: 'select', value: filter.approval || '',
      options: [{ value: '', label: t('ledger.any') }].concat(APPROVALS.map((a) =>
        ({ value: a, label: t(`ent.approval.${a}`) }))) },
  ]));
  page.append(exportLinks('/enterprises/export', filter));
  const list = pagedList({
    className: 'enterprise-list',
    fetchPage: (cursor) => api.get('/enterprises', { ...filter, limit: 50, cursor }),
    renderItem: (e) => h('li', { class: 'item enterprise-item' },
      h('div', { class: 'item-head' },
        h('a', { class: 'item-title', href: `#/${base()}/${e.id}`, text: e.name }),
        h('span', { class: 'badge', text: t(`ent.approval.${e.approval}`) })),
      h('p', { class: 'item-meta', text: [e.village_name, e.liaison_name].filter(Boolean).join(' · ') }),
      summary(e)),
    empty: 'ent.empty',
  });
  page.append(list.el);
  return page;
}

function enterprisePage(ctx, id) {
  const day = ctx.params.date || todayLocal();
  const page = h('div', { class: 'ledger enterprise' });
  const errors = errorBox();
  const body = h('div');
  page.append(errors.el, body);

  async function load() {
    errors.clear();
    try {
      const r = await api.get(`/enterprises/${id}`, { date: ctx.params.date });
      draw(r);
    } catch (e) {
      errors.show(e);
    }
  }

  function draw(r) {
    const e = r.enterprise;
    const dateInput = h('input', { type: 'date', value: day, 'aria-label': t('ent.date'),
      onchange: (ev) => ctx.navigate(ctx.hashFor(`${base()}/${id}`,
        { date: ev.target.value })) });
    const parts = [h('h1', { text: e.name }),
      h('p', { class: 'muted', text: [e.village_name, t(`ent.approval.${e.approval}`),
        e.approval_date, e.liaison_name].filter(Boolean).join(' · ') }),
      section('ent.summary', h('label', { class: 'field' }, t('ent.date'), dateInput), summary(e))];
    const werr = errorBox();
    const workers = h('ul', { class: 'list worker-list' }, r.workers.filter((w) => w.on_roll)
      .map((w) => h('li', { class: ['item', 'worker', w.fever && 'fever', w.measure && 'observed'] },
        h('div', { class: 'item-head' },
          h('a', { class: 'item-title', href: `#/people/${w.person_id}`, text: w.name }),
          w.fever ? h('span', { class: 'badge overdue-badge', text: t('ent.fever') })
            : w.measure ? h('span', { class: 'badge due-badge', text: t('ent.under_observation') })
              : h('span', { class: 'badge done-badge', text: t('ent.present') })),
        h('p', { class: 'item-meta', text: [w.village_name, w.phone, t('ent.since', { d: w.since })]
          .filter(Boolean).join(' · ') }),
        can(`enterprise.write`) ? h('div', { class: 'item-actions' },
          actionButton('ent.leave', async () => {
            draw(await api.del(`/enterprises/${id}/workers/${w.id}`));
          }, { errors: werr, confirm: 'ent.leave_confirm' })) : null)));
    parts.push(section('ent.worker_list', werr.el, workers));
    if (can(`enterprise.write`)) {
      parts.push(section('ent.add_worker', workerForm(id, draw).el));
      const approval = formView({
        fields: [
          { name: 'approval', label: 'ent.approval', type: 'select', value: e.approval,
            options: APPROVALS.map((a) => ({ value: a, label: t(`ent.approval.${a}`) })) },
          { name: 'approval_date', label: 'ent.approval_date', type: 'date',
            value: e.approval_date || '' },
        ],
        submit: 'ent.save_approval',
        onSubmit: async (v) => {
          draw(await api.patch(`/enterprises/${id}`, v));
        },
      });
      parts.push(section('ent.approval', approval.el));
    }
    body.replaceChildren(...parts);
  }
  load();
  return page;
}

function workerForm(id, draw) {
  const form = formView({
    className: 'worker-form',
    fields: [
      { name: 'person_id', label: 'ent.person', type: 'suggest', required: true, minChars: 1,
        hint: 'ent.person_hint',
        suggest: async (q) => {
          const r = await api.get('/people', { q, limit: 10 });
          return (r.items || []).map((p) => ({ value: p.id, label: p.name,
            detail: [p.village_name, p.phone].filter(Boolean).join(' · ') }));
        } },
      { name: 'since', label: 'ent.since_label', type: 'date', value: todayLocal() },
    ],
    submit: 'ent.add_worker',
    resetOnSuccess: true,
    validate: (v) => (typeof v.person_id === 'number' ? null
      : fieldError('person_id', t('ent.pick_person'))),
    onSubmit: async (v) => {
      draw(await api.post(`/enterprises/${id}/workers`, v));
      return t('ent.worker_added');
    },
  });
  return form;
}
