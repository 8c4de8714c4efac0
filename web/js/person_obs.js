// person_obs.js — home observation on the person page (observation.read):
// the person's measures (GET /people/{id}/measures: type, basis, day N of
// M, last day, release due, status, door notice, history) with the
// temperature curve of the newest (GET /measures/{id} "checks"); with
// observation.write a new measure is started and the active one changed
// (POST /measures/{id}/changes: extend, shorten, restart, transfer, end,
// release, door notice).  And the responsibility chain ("三包一挂", GET
// /people/{id}/chain, roles from GET /chain-roles), assigned role by role
// from the account list when the caller may read it.

import { h } from './dom.js';
import { api, can, fetchAll } from './api.js';
import { formatTime } from './labels.js';
import { t } from './i18n.js';
import { errorBox, fieldError, formView, toggle } from './ui.js';
import { BASES, MEASURE_TYPES, basisName, chainRoleName, curve, dayText,
  eventName, loadChainRoles, measureTypeName, statusName } from './obs.js';

function row(labelKey, value, cls) {
  if (value === null || value === undefined || value === '') return null;
  return h('div', { class: ['row', cls] }, h('dt', { text: t(labelKey) }),
    h('dd', {}, value));
}

const positive = (name, label) => (v) => {
  const s = String(v[name] ?? '');
  return /^\d{1,3}$/.test(s) && Number(s) > 0 ? null
    : fieldError(name, t('obs.days_error', { field: t(label) }));
};

// ---- measures ---------------------------------------------------------

export function measuresCard(person) {
  const card = h('section', { class: 'card measures' });
  const note = h('p', { class: 'alert success', role: 'status', hidden: true });
  const errors = errorBox();
  const body = h('div');
  card.append(h('h2', { text: t('obs.measures') }), note, errors.el, body);

  async function load(message) {
    errors.clear();
    try {
      const r = await api.get(`/people/${person.id}/measures`);
      draw(r.items || []);
      note.textContent = message || '';
      note.hidden = !message;
    } catch (e) {
      errors.show(e);
    }
  }

  function draw(items) {
    body.replaceChildren();
    const active = items.find((m) => m.status === 'active');
    if (!items.length) body.append(h('p', { class: 'muted', text: t('obs.no_measures') }));
    if (!active && can('observation.write') && !person.merged_into) {
      body.append(startForm(person, load));
    }
    items.forEach((m, i) => {
      if (i === 0) {
        body.append(measureView(m, load, true));
      } else {
        body.append(h('details', { class: 'old-measure' },
          h('summary', { text: t('obs.old_measure', { type: measureTypeName(m.type),
            from: m.basis_date || '', status: statusName(m.status) }) }),
          measureView(m, load, false)));
      }
    });
  }

  load();
  return card;
}

function startForm(person, reload) {
  const add = toggle('obs.start');
  const form = formView({
    className: 'start-measure',
    fields: [
      { name: 'type', label: 'obs.field.type', type: 'select',
        value: MEASURE_TYPES.includes(person.measure) ? person.measure : 'home_isolation',
        options: MEASURE_TYPES.map((x) => ({ value: x, label: measureTypeName(x) })) },
      { name: 'basis', label: 'obs.field.basis', type: 'select', value: 'start',
        options: BASES.map((x) => ({ value: x, label: basisName(x) })) },
      { name: 'basis_date', label: 'obs.field.basis_date', type: 'date',
        hint: 'obs.basis_date_hint' },
      { name: 'period_days', label: 'obs.field.period_days', inputmode: 'numeric',
        hint: 'obs.period_hint', maxLength: 3 },
    ],
    validate: (v) => (v.period_days ? positive('period_days', 'obs.field.period_days')(v)
      : null),
    submit: 'obs.start_submit',
    cancel: 'form.cancel',
    onCancel: () => add.close(),
    onSubmit: async (v) => {
      const body = { type: v.type, basis: v.basis };
      if (v.basis_date) body.basis_date = v.basis_date;
      if (v.period_days) body.period_days = Number(v.period_days);
      await api.post(`/people/${person.id}/measures`, body);
      await reload(t('obs.started'));
      return null;
    },
  });
  add.panel.append(form.el);
  return add.el;
}

// The forms of the changes (POST /measures/{id}/changes).
function changeFields(action, m) {
  const reason = (required) => ({ name: 'reason', label: 'obs.field.reason',
    required, maxLength: 200 });
  const date = (hint) => ({ name: 'date', label: 'obs.field.date', type: 'date', hint });
  switch (action) {
    case 'extend':
      return [{ name: 'days', label: 'obs.field.days', inputmode: 'numeric', maxLength: 3,
        required: true }, reason(false)];
    case 'shorten':
      return [{ name: 'days', label: 'obs.field.days', inputmode: 'numeric', maxLength: 3,
        required: true }, reason(true)];
    case 'restart':
      return [{ name: 'basis', label: 'obs.field.basis', type: 'select',
        value: 'last_exposure', options: BASES.map((x) => ({ value: x, label: basisName(x) })) },
      { name: 'basis_date', label: 'obs.field.basis_date', type: 'date',
        hint: 'obs.restart_hint' }, reason(false)];
    case 'transfer':
      return [{ name: 'type', label: 'obs.field.transfer_to', type: 'select',
        value: m.type === 'central_isolation' ? 'hospital' : 'central_isolation',
        options: ['central_isolation', 'hospital'].filter((x) => x !== m.type)
          .map((x) => ({ value: x, label: x === 'hospital' ? t('obs.hospital')
            : measureTypeName(x) })) }, reason(true)];
    case 'end':
      return [reason(true), date('obs.date_hint')];
    case 'release':
      return [date('obs.date_hint'), { ...reason(false), hint: 'obs.early_hint' }];
    case 'door_notice':
      return [date('obs.date_hint')];
    default:
      return [];
  }
}

function changeForm(action, m, slot, reload) {
  const needsDays = action === 'extend' || action === 'shorten';
  const form = formView({
    className: ['change-form', `change-${action}`].join(' '),
    fields: changeFields(action, m),
    validate: needsDays ? positive('days', 'obs.field.days') : null,
    submit: `obs.change.${action}`,
    cancel: 'form.cancel',
    onCancel: () => slot.replaceChildren(),
    onSubmit: async (v) => {
      const body = { action };
      for (const [k, val] of Object.entries(v)) {
        if (val === '' || val === null || val === undefined) continue;
        body[k] = k === 'days' ? Number(val) : val;
      }
      await api.post(`/measures/${m.id}/changes`, body);
      await reload(t(`obs.changed.${action}`));
      return null;
    },
  });
  slot.replaceChildren(form.el);
  form.focus();
}

function measureView(m, reload, newest) {
  const el = h('div', { class: ['measure', `status-${m.status}`],
    dataset: { measure: String(m.id) } });
  const active = m.status === 'active';
  const stopped = m.end_date ? t('obs.stopped_on', { date: m.end_date,
    reason: m.end_reason || '—' }) : '';
  el.append(h('div', { class: 'item-head' },
    h('span', { class: 'item-title', text: measureTypeName(m.type) }),
    h('span', { class: ['badge', `mstatus-${m.status}`], text: statusName(m.status) })),
  h('dl', { class: 'rows' },
    row('obs.field.basis', `${basisName(m.basis)} · ${m.basis_date || ''}`),
    active ? row('obs.day', dayText(m.day_number, m.period_days), 'measure-day') : null,
    row('obs.period', t('obs.days_n', { n: m.period_days })),
    row('obs.last_day', m.last_day),
    row('obs.release_due', m.release_due),
    stopped ? row('obs.stopped', stopped) : null,
    row('obs.door_notice', m.door_notice
      ? t('obs.door_posted', { date: m.door_notice_date || '' }) : t('obs.door_not_posted'),
    m.door_notice ? 'door-posted' : 'door-missing')));

  if (newest) {
    const wrap = h('div', { class: 'curve-box' }, h('h3', { text: t('obs.curve') }));
    el.append(wrap);
    api.get(`/measures/${m.id}`).then((full) => {
      wrap.append(curve(full.basis_date ? full : m, full.checks || []));
    }, (e) => {
      const errs = errorBox();
      errs.show(e);
      wrap.append(errs.el);
    });
  }

  if (active && can('observation.write')) {
    const slot = h('div', { class: 'change-slot' });
    const acts = ['extend', 'shorten', 'restart', 'transfer', 'end', 'release']
      .concat(m.door_notice ? [] : ['door_notice']);
    el.append(h('div', { class: 'item-actions measure-actions' },
      acts.map((a) => h('button', { type: 'button',
        class: ['btn', 'small', (a === 'release') && 'primary', (a === 'end') && 'danger'],
        onclick: () => changeForm(a, m, slot, reload) }, t(`obs.action.${a}`)))), slot);
  }

  const events = m.events || [];
  if (events.length) {
    el.append(h('details', { class: 'events' },
      h('summary', { text: t('obs.history_n', { n: events.length }) }),
      h('ol', { class: 'event-list' }, events.map((e) => h('li', { class: 'event' },
        h('span', { class: 'event-action', text: eventName(e.action) }),
        h('span', { class: 'muted', text: ` · ${formatTime(e.at)} · ${e.actor || ''}` }),
        e.detail ? h('p', { class: 'item-meta mono', text: e.detail }) : null,
        e.reason ? h('p', { class: 'item-meta', text: t('obs.reason_text',
          { reason: e.reason }) }) : null)))));
  }
  return el;
}

// ---- the responsibility chain -------------------------------------------

export function chainCard(person) {
  const card = h('section', { class: 'card chain' });
  const errors = errorBox();
  const list = h('ul', { class: 'list chain-list' });
  card.append(h('h2', { text: t('obs.chain') }),
    h('p', { class: 'hint', text: t('obs.chain_hint') }), errors.el, list);
  const mayAssign = can('observation.write') && !person.merged_into;
  let accounts = null;
  // the staff who may work in the person's village (GET /staff)
  const accountsP = mayAssign
    ? fetchAll('/staff', { village_id: person.village_id }) : Promise.resolve([]);

  function draw(roles, chain) {
    const codes = roles.filter((r) => r.active !== false).map((r) => r.code);
    for (const a of chain) if (!codes.includes(a.role)) codes.push(a.role);
    list.replaceChildren(...codes.map((code) => {
      const role = roles.find((r) => r.code === code);
      const a = chain.find((x) => x.role === code && x.account_id);
      const li = h('li', { class: 'item chain-role', dataset: { role: code } });
      const slot = h('div');
      const who = a ? `${a.display_name || a.username}${a.username ? ` (${a.username})` : ''}`
        : t('obs.unassigned');
      li.append(h('div', { class: 'chain-row' },
        h('span', { class: 'chain-role-name', text: chainRoleName(role || a) || code }),
        h('span', { class: ['chain-who', !a && 'muted'], text: who }),
        mayAssign ? h('button', { type: 'button', class: 'btn small',
          onclick: () => assign(code, a, slot) }, t(a ? 'obs.reassign' : 'obs.assign'))
          : null), slot);
      return li;
    }));
  }

  function assign(code, current, slot) {
    const form = formView({
      className: 'assign-form',
      fields: [{ name: 'account_id', label: 'obs.field.account', type: 'select',
        value: current ? current.account_id : '',
        options: () => accountsP.then((us) => {
          accounts = us;
          return [{ value: '', label: t('obs.pick_account') }]
            .concat(current ? [{ value: 0, label: t('obs.unassign') }] : [])
            .concat(accounts.map((u) => ({ value: u.id,
              label: `${u.display_name || u.username} (${u.username})` })));
        }) }],
      validate: (v) => (v.account_id === '' ? fieldError('account_id',
        t('obs.pick_account')) : null),
      submit: 'form.save',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        const r = await api.post(`/people/${person.id}/chain`,
          { role: code, account_id: v.account_id });
        const roles = await loadChainRoles();
        draw(roles, (r && r.items) || []);
        return null;
      },
    });
    slot.replaceChildren(form.el);
    form.focus();
  }

  Promise.all([loadChainRoles(), api.get(`/people/${person.id}/chain`)])
    .then(([roles, chain]) => draw(roles, chain.items || []), (e) => errors.show(e));
  return card;
}
