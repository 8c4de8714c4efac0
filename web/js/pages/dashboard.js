// pages/dashboard.js — the town's board (#/dashboard?date=D, report.read):
// the day's key figures (GET /reports/daily), the last 30 days as lines
// (GET /reports/series), a bar per village (the report's by_village) and
// the open alerts (GET /alerts, with observation.read).  One column on a
// phone, two on a desktop, one A4 page when printed (app.css, @media
// print).  The day defaults to the server's today; the detailed report
// with its sign-off is #/report?date=D.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { formatTime } from '../labels.js';
import { alertKindName, alertSubject } from '../obs.js';
import { errorBox, errorText } from '../ui.js';
import { barChart, lineChart } from '../charts.js';

const DAYS = 30;
const ALERTS = 8; // open alerts listed (the alerts page has them all)

// The day's figures: key (dash.figure.KEY) and where the daily report
// has it (docs/report.md); bad: shown red when not 0.
const FIGURES = [
  ['returnees_total', (r) => r.returnees.total],
  ['returnees_new', (r) => r.returnees.new],
  ['from_wuhan', (r) => r.returnees.from_wuhan],
  ['observation_current', (r) => r.observation.current],
  ['released_total', (r) => r.observation.released_total],
  ['checks_due', (r) => r.observation.checks_due],
  ['checks_done', (r) => r.observation.checks_done],
  ['checks_missed', (r) => r.observation.checks_missed, 'bad'],
  ['fever', (r) => r.observation.fever, 'bad'],
  ['close_contacts', (r) => r.close_contacts.total],
  ['passes', (r) => r.checkpoints.passes],
  ['persons', (r) => r.checkpoints.persons],
];

// The line charts: title (dash.chart.X) and the series keys drawn
// (dash.series.KEY), counts of a kind on one scale.
const CHARTS = [
  ['people', ['returnees_total', 'observation_current']],
  ['checks', ['checks_done', 'checks_missed']],
  ['fever', ['fever']],
  ['traffic', ['passes', 'persons']],
];
const BARS = ['returnees_total', 'observation_current'];

export function render(ctx) {
  const errors = errorBox();
  const meta = h('p', { class: 'dash-meta' });
  const tools = h('div', { class: 'dash-tools no-print' });
  const grid = h('div', { class: 'dash-grid' },
    h('p', { class: 'muted loading span2', text: t('dash.loading') }));
  const page = h('div', { class: 'dashboard' },
    h('h1', { text: t('dash.title') }), meta, tools, errors.el, grid);

  api.get('/reports/daily', { date: ctx.params.date }).then(async (rep) => {
    meta.replaceChildren(h('span', { class: 'dash-town', text: rep.town }), ' ',
      h('strong', { class: 'dash-date', text: rep.date }));
    tools.replaceChildren(...toolbar(rep.date, ctx));
    const ser = await api.get('/reports/series', { to: rep.date, days: DAYS });
    // two columns on a wide screen and on paper: the lines, then the
    // villages and the alerts
    grid.replaceChildren(figures(rep),
      h('div', { class: 'dash-col' }, charts(ser.series)),
      h('div', { class: 'dash-col' }, villages(rep),
        can('observation.read') ? alertsCard() : null));
  }).catch((e) => {
    grid.replaceChildren();
    errors.show(e);
  });
  return page;
}

// toolbar: another day, print, the detailed report of the day.
function toolbar(date, ctx) {
  const input = h('input', { type: 'date', id: 'dash-day', value: date,
    onchange: () => {
      if (input.value) ctx.navigate(ctx.hashFor('dashboard', { date: input.value }));
    } });
  return [
    h('label', { class: 'dash-day', for: 'dash-day' }, t('dash.day'), input),
    h('button', { type: 'button', class: 'btn primary', onclick: () => window.print() },
      t('dash.print')),
    h('a', { class: 'btn', href: ctx.hashFor('report', { date }) }, t('dash.open_report')),
  ];
}

function figures(rep) {
  return h('section', { class: 'card dash-card span2' },
    h('h2', { text: t('dash.today') }),
    h('dl', { class: 'counts dash-figures' }, FIGURES.map(([key, get, bad]) => {
      const v = get(rep) ?? 0;
      return h('div', { class: ['count', bad && v && 'bad'], dataset: { key, value: String(v) } },
        h('dt', { text: t(`dash.figure.${key}`) }), h('dd', { text: String(v) }));
    })));
}

function charts(series) {
  const dates = series.map((d) => d.date);
  return CHARTS.map(([name, keys]) => {
    const title = t(`dash.chart.${name}`, { n: dates.length });
    return h('section', { class: 'card dash-card dash-chart', dataset: { chart: name } },
      h('h2', { text: title }),
      lineChart({ dates, label: t('dash.chart_label', { title, n: dates.length }),
        lines: keys.map((key) => ({ key, label: t(`dash.series.${key}`),
          values: series.map((d) => d[key] ?? 0) })) }));
  });
}

function villages(rep) {
  const rows = (rep.by_village || []).map((v) => ({ id: v.village_id, name: v.village,
    values: Object.fromEntries(BARS.map((k) => [k, v[k] ?? 0])) }));
  return h('section', { class: 'card dash-card dash-villages' },
    h('h2', { text: t('dash.villages') }),
    rows.length ? barChart({ rows, label: t('dash.villages'),
      keys: BARS.map((key) => ({ key, label: t(`dash.series.${key}`) })) })
      : h('p', { class: 'muted', text: t('dash.no_villages') }));
}

// alertsCard: the newest open alerts, each opening the person.
function alertsCard() {
  const count = h('span', { class: 'badge dash-alert-count' });
  const list = h('ul', { class: 'list dash-alerts' },
    h('li', { class: 'muted loading', text: t('dash.loading') }));
  const card = h('section', { class: 'card dash-card dash-alerts-card' },
    h('h2', {}, t('dash.alerts'), ' ', count), list,
    h('a', { class: 'more-link no-print', href: '#/alerts', text: t('dash.all_alerts') }));
  api.get('/alerts', { open: 1, limit: ALERTS }).then((r) => {
    const items = r.items || [];
    count.textContent = `${items.length}${r.next_cursor ? '+' : ''}`;
    count.classList.toggle('bad', items.length > 0);
    list.replaceChildren(...items.map((al) => h('li', { class: ['dash-alert',
      `kind-${al.kind}`, al.overdue && 'overdue'], dataset: { alertId: String(al.id) } },
    h('span', { class: ['badge', `alert-${al.kind}`], text: alertKindName(al.kind) }), ' ',
    alertSubject(al),
    h('span', { class: 'item-meta', text: ` · ${[al.village_name, formatTime(al.opened_at)]
      .filter(Boolean).join(' · ')}` }))));
    if (!items.length) list.append(h('li', { class: 'muted empty', text: t('dash.no_alerts') }));
  }, (e) => {
    list.replaceChildren(h('li', { class: 'alert error', text: errorText(e) }));
  });
  return card;
}
