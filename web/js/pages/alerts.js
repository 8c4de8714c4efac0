// pages/alerts.js — fever and missed-check alerts (#/alerts,
// observation.read): the open ones first (GET /alerts?open=1), newest
// first; a fever alert not reported within 2 hours is overdue and marked
// red with the time since it opened.  With checks.write the next step is
// taken here (POST /alerts/{id}/steps): a fever alert is reported (上报),
// referred (转诊: 镇卫生院, 发热门诊 or another place) and closed with its
// outcome (结果); a missed check is closed with what happened.

import { append, h } from '../dom.js';
import { api, can } from '../api.js';
import { formatTime } from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, fieldError, formView, pagedList } from '../ui.js';
import { alertKindName, alertSubject, sinceText, slotName, symptomList, temp } from '../obs.js';

// Where a fever is referred: stored as the place's Chinese name (the
// town's records are in Chinese), shown translated here.
export const REFER_TO = [
  { value: '镇卫生院', label: 'alerts.to.township_hospital' },
  { value: '发热门诊', label: 'alerts.to.fever_clinic' },
];

export function render(ctx) {
  const all = ctx.params.show === 'all';
  const tabs = h('nav', { class: 'tabs two', 'aria-label': t('alerts.tabs') },
    h('a', { class: ['tab', !all && 'active'], href: '#/alerts',
      'aria-current': all ? null : 'page' }, t('alerts.open')),
    h('a', { class: ['tab', all && 'active'], href: '#/alerts?show=all',
      'aria-current': all ? 'page' : null }, t('alerts.all')));
  const list = pagedList({
    className: 'alert-list',
    fetchPage: (cursor) => api.get('/alerts', { open: all ? '' : 1, cursor,
      limit: 50 }),
    renderItem: alertItem,
    empty: all ? 'alerts.none' : 'alerts.none_open',
  });
  return h('div', { class: 'alerts' }, h('h1', { text: t('nav.alerts') }),
    h('p', { class: 'muted', text: t('alerts.intro') }), tabs, list.el);
}

// referText: a referral target as the reader's language shows it.
function referText(to) {
  const known = REFER_TO.find((x) => x.value === to);
  return known ? t(known.label) : to;
}

// alertItem: one alert; draws itself again after each step.
function alertItem(first) {
  let al = first;
  const li = h('li', { class: 'item alert-item' });
  const errors = errorBox();
  const slot = h('div');

  const step = async (body) => {
    al = await api.post(`/alerts/${al.id}/steps`, body);
    draw();
  };

  function referForm() {
    const form = formView({
      className: 'refer-form',
      fields: [
        { name: 'where', label: 'alerts.field.to', type: 'select',
          value: REFER_TO[0].value,
          options: [...REFER_TO.map((x) => ({ value: x.value, label: t(x.label) })),
            { value: '', label: t('alerts.to.other') }] },
        { name: 'other', label: 'alerts.field.other', showIf: (v) => v.where === '' },
      ],
      validate: (v) => (v.where || v.other ? null
        : fieldError('other', t('form.required', { field: t('alerts.field.other') }))),
      fieldFor: (f) => (f === 'to' ? 'where' : f),
      submit: 'alerts.refer',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        await step({ step: 'refer', to: v.where || v.other });
        return null;
      },
    });
    slot.replaceChildren(form.el);
    form.focus();
  }

  function outcomeForm(kind) {
    const form = formView({
      className: 'outcome-form',
      fields: [{ name: 'outcome', label: kind === 'fever' ? 'alerts.field.outcome'
        : 'alerts.field.close_note', type: 'textarea', rows: 2, maxLength: 200,
      required: kind === 'fever', hint: kind === 'fever' ? 'alerts.outcome_hint'
        : 'alerts.close_hint' }],
      submit: kind === 'fever' ? 'alerts.outcome' : 'alerts.close',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        const body = { step: kind === 'fever' ? 'outcome' : 'close' };
        if (v.outcome) body.outcome = v.outcome;
        await step(body);
        return null;
      },
    });
    slot.replaceChildren(form.el);
    form.focus();
  }

  function draw() {
    errors.clear();
    slot.replaceChildren();
    const fever = al.kind === 'fever';
    const when = [al.day, al.slot ? slotName(al.slot) : null].filter(Boolean).join(' ');
    const reading = [al.temperature !== null && al.temperature !== undefined
      ? temp(al.temperature) : null, symptomList(al.symptoms)].filter(Boolean)
      .join(' · ');
    const steps = [];
    if (al.reported_at) {
      steps.push(t('alerts.reported_at', { at: formatTime(al.reported_at),
        by: al.reported_by || '' }));
    }
    if (al.referred_at) {
      steps.push(t('alerts.referred_at', { at: formatTime(al.referred_at),
        to: referText(al.referred_to || '') }));
    }
    if (al.closed) {
      steps.push(al.outcome ? t('alerts.outcome_at', { at: formatTime(al.outcome_at),
        outcome: al.outcome }) : t('alerts.closed_at', { at: formatTime(al.outcome_at) }));
    }
    const actions = h('div', { class: 'item-actions' });
    if (can('checks.write') && !al.closed) {
      if (fever && !al.reported_at) {
        actions.append(actionButton('alerts.report', () => step({ step: 'report' }),
          { errors }));
        actions.firstChild.classList.add('primary');
      }
      if (fever && al.reported_at && !al.referred_at) {
        actions.append(h('button', { type: 'button', class: 'btn small',
          onclick: referForm }, t('alerts.refer')));
      }
      if (fever && al.reported_at) {
        actions.append(h('button', { type: 'button', class: 'btn small',
          onclick: () => outcomeForm('fever') }, t('alerts.outcome')));
      }
      if (!fever) {
        actions.append(h('button', { type: 'button', class: 'btn small',
          onclick: () => outcomeForm('missed') }, t('alerts.close')));
      }
    }
    li.className = ['item', 'alert-item', `kind-${al.kind}`, al.overdue && !al.closed
      && 'overdue', al.closed && 'closed'].filter(Boolean).join(' ');
    li.replaceChildren();
    append(li, [
      h('div', { class: 'item-head' },
        h('span', { class: ['badge', `alert-${al.kind}`], text: alertKindName(al.kind) }),
        alertSubject(al, 'item-title'),
        al.overdue && !al.closed ? h('span', { class: 'badge overdue-badge',
          text: t('alerts.overdue') }) : null,
        al.closed ? h('span', { class: 'badge', text: t('alerts.closed') }) : null),
      h('p', { class: 'item-meta' }, [al.village_name, when].filter(Boolean).join(' · ')),
      reading ? h('p', { class: 'alert-reading', text: reading }) : null,
      h('p', { class: ['item-meta', 'opened'] },
        t('alerts.opened_at', { at: formatTime(al.opened_at) }),
        al.closed ? null : h('span', { class: 'since',
          text: ` · ${t('alerts.since', { since: sinceText(al.opened_at) })}` })),
      steps.length ? h('ul', { class: 'steps' },
        steps.map((s) => h('li', { text: s }))) : null,
      fever && !al.reported_at && !al.closed
        ? h('p', { class: 'hint', text: t('alerts.report_within') }) : null,
      actions.children.length ? actions : null, slot, errors.el]);
  }

  draw();
  return li;
}
