// pages/inspections.js — inspections (#/inspections, ledger.read): the
// rounds (sites visited of all) and the overdue fixes; with
// inspection.write a new round (chosen points and venues, or full
// coverage).  #/inspections/{id}: one round — its unvisited sites first,
// the visit form with the checklist (staff on duty, 24-hour cover, plates
// and phones registered, temperatures taken, thermometer working, no
// gatherings), problems, required fix, deadline, accountability; its
// visits with buttons to mark a fix fixed and verified.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, formView, pagedList, section, toggle } from '../ui.js';
import { exportLinks, placeLabel, placeOptions, todayLocal } from './ledger_common.js';

const CHECKS = ['staff_on_duty', 'cover_24h', 'plates_phones', 'temps_taken',
  'thermometer_ok', 'no_gathering'];

export function back(segments) {
  return segments.length ? ['#/inspections', 'inspect.back'] : null;
}

export function render(ctx) {
  const [first] = ctx.segments || [];
  if (/^\d+$/.test(first || '')) return roundPage(Number(first));
  return roundsPage(ctx);
}

function roundsPage(ctx) {
  const page = h('div', { class: 'ledger inspections' }, h('h1', { text: t('nav.inspections') }));
  if (can(`inspection.write`)) {
    const add = toggle('inspect.new_round');
    const form = formView({
      fields: [
        { name: 'name', label: 'inspect.round_name', required: true },
        { name: 'team', label: 'inspect.team' },
        { name: 'day', label: 'inspect.day', type: 'date', value: todayLocal() },
        { name: 'full_coverage', label: 'inspect.full_coverage', type: 'check', value: true },
        { name: 'sites', label: 'inspect.sites', type: 'checks',
          showIf: (v) => !v.full_coverage,
          options: () => placeOptions(['point', 'venue']) },
      ],
      submit: 'inspect.create',
      onSubmit: async (v) => {
        const body = { name: v.name, team: v.team, day: v.day,
          full_coverage: !!v.full_coverage };
        if (!v.full_coverage) body.sites = v.sites || [];
        const r = await api.post('/inspection-rounds', body);
        ctx.navigate(`#/inspections/${r.round.id}`);
      },
    });
    add.panel.append(form.el);
    page.append(add.el);
  }
  const overdue = pagedList({
    className: 'overdue-list',
    fetchPage: (cursor) => api.get('/inspections/overdue', { limit: 50, cursor }),
    renderItem: (v) => visitItem(v, () => overdue.reload()),
    empty: 'inspect.no_overdue',
  });
  page.append(section('inspect.overdue', overdue.el));
  page.append(exportLinks('/inspections/export', {}));
  const rounds = pagedList({
    className: 'round-list',
    fetchPage: (cursor) => api.get('/inspection-rounds', { limit: 50, cursor }),
    renderItem: (r) => h('li', { class: 'item inspection-round' },
      h('div', { class: 'item-head' },
        h('a', { class: 'item-title', href: `#/inspections/${r.id}`, text: r.name }),
        h('span', { class: 'badge', text: t('inspect.visited_of', { n: r.visited, m: r.sites }) })),
      h('p', { class: 'item-meta', text: [r.day, r.team, r.full_coverage ? t('inspect.full') : '',
        r.open_problems ? t('inspect.open_n', { n: r.open_problems }) : ''].filter(Boolean)
        .join(' · ') })),
    empty: 'inspect.no_rounds',
  });
  page.append(section('inspect.rounds', rounds.el));
  return page;
}

function roundPage(id) {
  const page = h('div', { class: 'ledger inspection' });
  const errors = errorBox();
  const head = h('div', { class: 'round-head' });
  const sites = h('ul', { class: 'list round-sites' });
  const formBox = h('div');
  let visits = null;
  page.append(errors.el, head, section('inspect.sites', sites), formBox);

  async function load() {
    errors.clear();
    try {
      const r = await api.get(`/inspection-rounds/${id}`);
      const rd = r.round;
      head.replaceChildren(h('h1', { text: rd.name }),
        h('p', { class: 'muted', text: [rd.day, rd.team, t('inspect.visited_of',
          { n: rd.visited, m: rd.sites })].filter(Boolean).join(' · ') }));
      const sorted = r.sites.slice().sort((a, b) => (a.visits > 0) - (b.visits > 0));
      sites.replaceChildren(...sorted.map((s) => h('li', {
        class: ['item', 'round-site', s.visits ? 'visited' : 'unvisited'] },
      h('span', { class: 'item-title', text: placeLabel({ name: s.place_name,
        village_name: s.village_name }) }),
      h('span', { class: ['badge', s.visits ? 'done-badge' : 'due-badge'],
        text: s.visits ? t('inspect.visited') : t('inspect.unvisited') }))));
      if (can(`inspection.write`) && !formBox.firstChild) {
        formBox.append(section('inspect.visit', visitForm(id, r.sites, async () => {
          await load();
          if (visits) visits.reload();
        }).el));
      }
    } catch (e) {
      errors.show(e);
    }
  }
  visits = pagedList({
    className: 'visit-list',
    fetchPage: (cursor) => api.get('/inspection-visits', { round_id: id, limit: 50, cursor }),
    renderItem: (v) => visitItem(v, () => visits.reload()),
    empty: 'inspect.no_visits',
  });
  page.append(section('inspect.visits', visits.el));
  load();
  return page;
}

function visitForm(roundId, sites, done) {
  const form = formView({
    className: 'visit-form',
    fields: [
      { name: 'place_id', label: 'inspect.site', type: 'select', required: true,
        options: [{ value: '', label: t('inspect.choose_site') }].concat(sites.map((s) =>
          ({ value: s.place_id, label: placeLabel({ name: s.place_name,
            village_name: s.village_name }) }))) },
      { name: 'day', label: 'inspect.day', type: 'date', value: todayLocal() },
      { name: 'inspector', label: 'inspect.inspector' },
      { name: 'h', label: 'inspect.checklist', type: 'heading' },
      ...CHECKS.map((c) => ({ name: c, label: `inspect.check.${c}`, type: 'check', value: true })),
      { name: 'problems', label: 'inspect.problems', type: 'textarea' },
      { name: 'required_fix', label: 'inspect.required_fix', type: 'textarea',
        showIf: (v) => !!v.problems },
      { name: 'deadline', label: 'inspect.deadline', type: 'date', showIf: (v) => !!v.problems },
      { name: 'accountability', label: 'inspect.accountability', showIf: (v) => !!v.problems },
    ],
    submit: 'inspect.save_visit',
    resetOnSuccess: true,
    onSubmit: async (v) => {
      const body = { round_id: roundId };
      for (const [k, x] of Object.entries(v)) if (x !== '' && x !== null) body[k] = x;
      await api.post('/inspection-visits', body);
      await done();
      return t('inspect.visit_saved');
    },
  });
  return form;
}

function visitItem(v, changed) {
  const errors = errorBox();
  const failed = CHECKS.filter((c) => v[c] === false).map((c) => t(`inspect.check.${c}`));
  const li = h('li', { class: ['item', 'visit-item', v.overdue && 'overdue'] },
    h('div', { class: 'item-head' },
      h('span', { class: 'item-title', text: placeLabel({ name: v.place_name,
        village_name: v.village_name }) }),
      h('span', { class: ['badge', v.overdue && 'overdue-badge'], text: v.status
        ? t(v.overdue ? 'inspect.overdue_badge' : `inspect.status.${v.status}`)
        : t('inspect.no_problem') })),
    h('p', { class: 'item-meta', text: [v.day, v.round_name, v.inspector].filter(Boolean).join(' · ') }),
    failed.length ? h('p', { class: 'item-meta', text: t('inspect.failed', { list: failed.join('、') }) })
      : null,
    v.problems ? h('p', { class: 'item-meta', text: t('inspect.problem_fix', { p: v.problems,
      f: v.required_fix, d: v.deadline }) }) : null,
    v.accountability ? h('p', { class: 'item-meta', text: v.accountability }) : null);
  if (can(`inspection.write`) && v.status && v.status !== 'verified') {
    const actions = h('div', { class: 'item-actions' });
    if (v.status === 'open') {
      actions.append(actionButton('inspect.mark_fixed', async () => {
        await api.patch(`/inspection-visits/${v.id}`, { status: 'fixed' });
        changed();
      }, { errors }));
    }
    actions.append(actionButton('inspect.mark_verified', async () => {
      await api.patch(`/inspection-visits/${v.id}`, { status: 'verified' });
      changed();
    }, { errors }));
    li.append(actions, errors.el);
  }
  return li;
}

