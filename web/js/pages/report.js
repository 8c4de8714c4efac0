// pages/report.js — the daily report of a chosen day (#/report?date=D,
// report.read; docs/report.md): the town figures and the by-village
// table, phone-first, with CSV and XLSX downloads; for a town-wide
// account the signed versions of the day with their differences and a
// warning when the records changed since the latest sign-off, and with
// report.sign a sign-off button with a note.  #/report?date=D&version=N
// shows the frozen figures of version N instead of the live ones.

import { h } from '../dom.js';
import { api, ApiError, can, getSession } from '../api.js';
import { getLang, t, tOr } from '../i18n.js';
import { errorBox, formView, section } from '../ui.js';
import { exportLinks, num } from './ledger_common.js';

// The town figures by section, in the report's order (docs/report.md).
const SECTIONS = [
  ['returnees', ['total', 'new', 'from_wuhan', 'from_hubei', 'from_high_risk']],
  ['observation', ['current', 'new', 'released', 'released_total', 'checks_due',
    'checks_done', 'checks_missed', 'fever']],
  ['close_contacts', ['total', 'under_observation']],
  ['coverage', ['screened_pct', 'visited_pct', 'contacts_observed_pct']],
  ['checkpoints', ['passes', 'persons', 'vehicles', 'turned_back', 'new_returnees', 'fever']],
  ['disinfection', ['area_m2', 'area_m2_total']],
  ['inspections', ['rounds_total', 'full_rounds_total', 'visits', 'problems_open']],
];
// the counts behind each percentage
const PCT = { screened_pct: ['screened', 'screened_of'], visited_pct: ['visited', 'visited_of'],
  contacts_observed_pct: ['contacts_observed', 'contacts_observed_of'] };
// figures that are bad news when not zero
const BAD = new Set(['checks_missed', 'fever', 'problems_open']);
// the by-village table's columns (the phone scrolls it sideways)
const VCOLS = ['returnees_total', 'returnees_new', 'observation_current', 'checks_done',
  'checks_missed', 'fever', 'close_contacts', 'passes', 'disinfection_area_m2',
  'problems_open'];
const SCOLS = ['received_total', 'issued_total', 'stock'];

export function render(ctx) {
  const page = h('div', { class: 'report-page' }, h('h1', { text: t('nav.report') }));
  const errors = errorBox();
  const body = h('div', { class: 'report-body' });
  page.append(errors.el, body);
  load(ctx, page, body).catch((e) => {
    // a day the server refuses (or an unknown version): pick another
    if (!page.querySelector('.report-picker')) {
      page.insertBefore(dayPicker(ctx, ctx.params.date || ''), errors.el);
    }
    errors.show(e);
  });
  return page;
}

async function load(ctx, page, body) {
  const version = Number(ctx.params.version) || 0;
  // without a day, the server's today (the town's zone)
  const live = version ? null
    : await api.get('/reports/daily', ctx.params.date ? { date: ctx.params.date } : {});
  const frozen = version ? await api.get(`/reports/daily/versions/${version}`,
    ctx.params.date ? { date: ctx.params.date } : {}) : null;
  const date = live ? live.date : frozen.date;
  const r = live || frozen.report;
  const session = getSession();
  const town = session && session.user && session.user.scope_all;
  // the sign-off state on top (a warning when changed since), the form
  // and the versions under the figures they sign
  const signoff = town ? await signoffCard(ctx, date, version) : null;
  page.insertBefore(dayPicker(ctx, date), body);
  body.append(
    frozen ? h('p', { class: 'alert warn frozen-banner', role: 'status' },
      t('report.viewing_version', { n: frozen.version, at: localTime(frozen.signed_at) }), ' ',
      h('a', { href: ctx.hashFor('report', { date }), text: t('report.back_live') }))
      : h('p', { class: 'muted report-live', text: t('report.live') }),
    h('p', { class: 'report-town', text: t('report.town_line',
      { town: r.town, villages: r.villages, points: r.points }) }),
    signoff ? signoff.state : null,
    exportLinks('/reports/daily/export', { date }),
    ...SECTIONS.map(([name, keys]) => figures(r, name, keys)),
    suppliesTable(r.supplies || []),
    villagesTable(r.by_village || []),
    signoff ? signoff.card : section('report.sec.signoff',
      h('p', { class: 'muted', text: t('report.town_only') })));
}

// dayPicker: the day field, and the day before and after.
function dayPicker(ctx, date) {
  const shift = (n) => {
    const d = new Date(`${date || new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return ctx.hashFor('report');
    d.setUTCDate(d.getUTCDate() + n);
    return ctx.hashFor('report', { date: d.toISOString().slice(0, 10) });
  };
  const form = formView({
    className: 'report-day',
    fields: [{ name: 'date', label: 'report.date', type: 'date', value: date, required: true }],
    submit: 'report.show',
    onSubmit: async (v) => ctx.navigate(ctx.hashFor('report', { date: v.date })),
  });
  return h('div', { class: 'card report-picker' }, form.el,
    h('div', { class: 'report-days' },
      h('a', { class: 'btn small', href: shift(-1), text: t('report.prev_day') }),
      h('a', { class: 'btn small', href: shift(1), text: t('report.next_day') })));
}

// pct: a percentage with its counts under it.
function pct(r, key) {
  const [a, b] = PCT[key];
  const c = r.coverage || {};
  return [h('span', { class: 'pct-value', text: `${Number(c[key]).toFixed(1)}%` }),
    h('small', { class: 'pct-of', text: t('report.pct_of', { num: num(c[a]), den: num(c[b]) }) })];
}

// figures: one section of town figures as counts.
function figures(r, name, keys) {
  const sec = r[name] || {};
  return section(`report.sec.${name}`, h('dl', { class: 'counts report-figures' },
    keys.map((k) => {
      const v = sec[k];
      return h('div', { class: ['count', BAD.has(k) && v && 'bad', PCT[k] && 'pct'],
        dataset: { key: `${name}.${k}` } },
      h('dt', { text: t(`report.k.${name}.${k}`) }),
      PCT[k] ? h('dd', {}, pct(r, k)) : h('dd', { text: num(v) }));
    })));
}

function table(cls, head, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: ['ledger-table', cls] },
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col', text: x })))),
    h('tbody', {}, rows)));
}

function suppliesTable(items) {
  if (!items.length) {
    return section('report.sec.supplies', h('p', { class: 'muted', text: t('report.no_supplies') }));
  }
  return section('report.sec.supplies', table('report-supplies',
    [t('report.s.item'), ...SCOLS.map((c) => t(`report.s.${c}`))],
    items.map((s) => h('tr', { dataset: { item: s.item } },
      h('th', { scope: 'row', text: `${s.item}（${s.unit}）` }),
      SCOLS.map((c) => h('td', { dataset: { col: c }, text: num(s[c]) }))))));
}

function villagesTable(rows) {
  if (!rows.length) {
    return section('report.sec.villages', h('p', { class: 'muted', text: t('report.no_villages') }));
  }
  return section('report.sec.villages', table('report-villages',
    [t('report.v.village'), ...VCOLS.map((c) => t(`report.v.${c}`))],
    rows.map((v) => h('tr', { class: [!v.active && 'retired'],
      dataset: { village: String(v.village_id) } },
    h('th', { scope: 'row', text: v.village }),
    VCOLS.map((c) => h('td', { class: [BAD.has(c) && v[c] && 'bad'], dataset: { col: c },
      text: num(v[c]) }))))));
}

function localTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso
    : d.toLocaleString(getLang(), { hour12: false, year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

// A whole row (a village or item that appeared or went) is an object on
// one side and null on the other.
const isRow = (d) => (d.before === null || typeof d.before === 'object')
  && (d.after === null || typeof d.after === 'object') && (d.before || d.after);

// diffLabel: a difference's key in words.
function diffLabel(d) {
  const [head] = d.key.split('.', 1);
  const rest = d.key.slice(head.length + 1);
  if ((head === 'by_village' || head === 'supplies') && rest) {
    if (isRow(d)) {
      return t(d.after ? 'report.diff_appeared' : 'report.diff_disappeared', { name: rest });
    }
    const dot = rest.lastIndexOf('.');
    const field = rest.slice(dot + 1);
    const kind = head === 'by_village' ? 'v' : 's';
    return `${rest.slice(0, dot)} · ${tOr(`report.${kind}.${field}`, field)}`;
  }
  return tOr(`report.k.${d.key}`, d.key);
}

function diffValue(v, row) {
  if (row) return t(v ? 'report.diff_row' : 'report.diff_gone');
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return t(v ? 'report.yes' : 'report.no');
  return typeof v === 'number' ? num(v) : String(v);
}

// diffList: the differences as "label: before → after" lines.
function diffList(diffs) {
  return h('ul', { class: 'report-diffs' }, diffs.map((d) => {
    const row = isRow(d);
    return h('li', { dataset: { key: d.key } },
      h('span', { class: 'diff-key', text: diffLabel(d) }), ' ',
      row ? null : h('span', { class: 'diff-before', text: diffValue(d.before) }),
      row ? null : ' → ',
      h('strong', { class: 'diff-after', text: diffValue(d.after, row) }));
  }));
}

// signoffCard: {state, card}: the state of the day's sign-off (a warning
// listing what changed since the latest version), and the card with the
// sign-off form (with report.sign; hidden while nothing changed since the
// latest version) and the versions, newest first.
async function signoffCard(ctx, date, viewing) {
  const card = section('report.sec.signoff');
  card.classList.add('report-signoff');
  const state = h('div', { class: 'signoff-state' });
  const list = h('ul', { class: 'list report-versions' });
  const errors = errorBox();
  let latest = 0;

  async function refresh() {
    errors.clear();
    let v;
    try {
      v = await api.get('/reports/daily/versions', { date });
    } catch (e) {
      errors.show(e);
      return;
    }
    latest = v.latest_version || 0;
    const changed = v.changed_since_signoff || [];
    if (!latest) {
      state.replaceChildren(h('p', { class: 'muted', text: t('report.unsigned') }));
    } else if (changed.length) {
      state.replaceChildren(h('div', { class: 'alert warn changed-since', role: 'status' },
        h('p', { text: t('report.changed_warning', { n: latest, count: changed.length }) }),
        diffList(changed)));
    } else {
      state.replaceChildren(h('p', { class: 'alert success signed-state', role: 'status',
        text: t('report.signed_unchanged', { n: latest }) }));
    }
    if (form) {
      form.el.querySelector('button[type=submit]').textContent = latest
        ? t('report.sign_next', { n: latest + 1 }) : t('report.sign');
      form.el.hidden = latest > 0 && !changed.length;
    }
    const items = (v.versions || []).slice().reverse();
    list.replaceChildren(...items.map((x) => versionItem(ctx, date, x, x.version === viewing)));
    if (!items.length) list.append(h('li', { class: 'muted empty', text: t('report.no_versions') }));
  }

  const signed = h('p', { class: 'alert success signed-now', role: 'status', hidden: true });
  const form = can(`report.sign`) ? formView({
    className: 'signoff-form',
    fields: [{ name: 'note', label: 'report.note', maxLength: 500 }],
    submit: 'report.sign',
    resetOnSuccess: true,
    onSubmit: async (v) => {
      let r;
      try {
        r = await api.post('/reports/daily/signoff', { date, note: v.note || undefined });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'already_signed') {
          throw new ApiError(e.status, e.code, t('report.already_signed', { n: latest }));
        }
        throw e;
      }
      signed.textContent = t('report.signed', { n: r.version });
      signed.hidden = false;
      await refresh();
      return undefined;
    },
  }) : null;
  card.append(errors.el, signed, form ? form.el : null,
    h('h3', { text: t('report.sec.versions') }), list);
  await refresh();
  return { state, card };
}

function versionItem(ctx, date, v, viewing) {
  const diffs = v.differences || [];
  return h('li', { class: ['item', 'report-version', viewing && 'viewing'],
    dataset: { version: String(v.version) } },
  h('div', { class: 'item-head' },
    h('span', { class: 'item-title', text: t('report.version_head', { n: v.version }) }),
    h('a', { class: 'btn small', href: ctx.hashFor('report', { date, version: v.version }),
      text: t('report.view_version') })),
  h('p', { class: 'item-meta', text: t('report.version_meta',
    { who: v.signed_by_name || v.signed_by, at: localTime(v.signed_at) }) }),
  v.note ? h('p', { class: 'version-note', text: v.note }) : null,
  v.version === 1 ? h('p', { class: 'muted', text: t('report.first_version') })
    : diffs.length ? [h('p', { text: t('report.differences', { count: diffs.length }) }),
      diffList(diffs)]
      : h('p', { class: 'muted', text: t('report.no_differences') }));
}
