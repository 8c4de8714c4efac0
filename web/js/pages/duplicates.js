// pages/duplicates.js — likely duplicates in the register (people.write):
// pairs with the reason the server found them (same name and phone, same
// name and birth date).  Merging keeps one of the two and moves every
// travel and contact of the other to it (POST /people/{id}/merge); the
// server refuses two different ID numbers.

import { h } from '../dom.js';
import { api } from '../api.js';
import { duplicateReason } from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, errorBox } from '../ui.js';
import { personCard } from '../people_ui.js';

export function back() {
  return ['#/people', 'people.back_list'];
}

export function render() {
  const page = h('div', { class: 'duplicates' },
    h('h1', { text: t('nav.people_duplicates') }),
    h('p', { class: 'muted', text: t('duplicates.intro') }));
  const errors = errorBox();
  const list = h('ul', { class: 'list pairs' });
  const status = h('p', { class: 'muted loading', text: t('list.loading') });
  page.append(errors.el, status, list);
  api.get('/people/duplicates').then((r) => {
    const items = r.items || [];
    status.textContent = items.length ? t('duplicates.n', { n: items.length })
      : t('duplicates.none');
    list.replaceChildren(...items.map(pairItem));
  }, (e) => {
    status.hidden = true;
    errors.show(e);
  });
  return page;
}

// pairItem: the two people side by side with a "keep this one" button each.
function pairItem(pair) {
  const errors = errorBox();
  const li = h('li', { class: 'item pair' });
  const keep = (into, from) => actionButton('duplicates.keep', async () => {
    await api.post(`/people/${into.id}/merge`, { from_id: from.id });
    li.replaceChildren(h('p', { class: 'alert success', role: 'status',
      text: t('duplicates.merged', { name: into.name }) }),
    h('a', { class: 'btn small', href: `#/people/${into.id}` }, t('duplicates.open')));
  }, { confirm: 'duplicates.keep_confirm', errors });
  li.append(h('p', { class: 'pair-reason' },
    h('span', { class: 'badge', text: duplicateReason(pair.reason) })),
  h('div', { class: 'pair-people' },
    [[pair.a, pair.b], [pair.b, pair.a]].map(([p, other]) => h('div', { class: 'pair-side' },
      h('ul', { class: 'list' }, personCard(p)),
      keep(p, other)))),
  errors.el);
  return li;
}
