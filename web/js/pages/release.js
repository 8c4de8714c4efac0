// pages/release.js — people due for release (#/release,
// observation.read; GET /release-due): active measures whose release day
// (day N + 1) has come, the overdue ones first and marked; with
// observation.write a "confirm release" button per person
// (POST /measures/{id}/changes {"action": "release"}).

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { actionButton, errorBox } from '../ui.js';
import { basisName, dayText, measureTypeName } from '../obs.js';

// overdue: the release day is before today.  The server counts
// day_number for today, and the release is due on day period + 1.
const overdue = (m) => (m.day_number || 0) > (m.period_days || 0) + 1;

export function render() {
  const list = h('ul', { class: 'list release-list' });
  const errors = errorBox();
  const loading = h('p', { class: 'muted loading', text: t('list.loading') });
  const empty = h('p', { class: 'muted empty', hidden: true, text: t('release.empty') });
  api.get('/release-due').then((r) => {
    const items = (r.items || []).slice().sort((a, b) =>
      Number(overdue(b)) - Number(overdue(a))
      || String(a.release_due).localeCompare(String(b.release_due)));
    list.replaceChildren(...items.map((m) => releaseItem(m, () => {
      empty.hidden = list.querySelector('.release-item:not(.released)') !== null;
    })));
    empty.hidden = items.length > 0;
  }, (e) => errors.show(e)).finally(() => { loading.hidden = true; });
  return h('div', { class: 'release' }, h('h1', { text: t('nav.release') }),
    h('p', { class: 'muted', text: t('release.intro') }), errors.el, loading, empty, list);
}

function releaseItem(m, changed) {
  const li = h('li', { class: ['item', 'release-item', overdue(m) && 'overdue'],
    dataset: { measure: String(m.id) } });
  const errors = errorBox();
  const actions = h('div', { class: 'item-actions' });
  if (can('observation.write')) {
    actions.append(actionButton('release.confirm', async () => {
      await api.post(`/measures/${m.id}/changes`, { action: 'release' });
      li.classList.add('released');
      actions.replaceChildren(h('p', { class: 'alert success', role: 'status',
        text: t('release.done', { name: m.person_name || '' }) }));
      changed();
    }, { errors, confirm: 'release.confirm_again' }));
    actions.firstChild.classList.add('primary');
  }
  li.append(
    h('div', { class: 'item-head' },
      h('a', { class: 'item-title', href: `#/people/${m.person_id}`,
        text: m.person_name || `#${m.person_id}` }),
      overdue(m) ? h('span', { class: 'badge overdue-badge', text: t('release.overdue') })
        : h('span', { class: 'badge due-badge', text: t('release.due_today') })),
    h('p', { class: 'item-meta' }, [measureTypeName(m.type),
      dayText(m.day_number, m.period_days)].join(' · ')),
    h('p', { class: 'item-meta', text: t('release.dates', { basis: basisName(m.basis),
      date: m.basis_date || '', last: m.last_day || '', due: m.release_due || '' }) }),
    actions, errors.el);
  return li;
}
