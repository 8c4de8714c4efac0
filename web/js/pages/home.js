// pages/home.js — the home page: the town, who is logged in (name and
// role in the current language), the sections this account may open, and
// logout.

import { h } from '../dom.js';
import { getSession, logout } from '../api.js';
import { loadRoles, roleName } from '../labels.js';
import { t } from '../i18n.js';
import { visibleNav } from '../nav.js';

export function render(ctx) {
  const s = getSession();
  const user = s.user || {};
  const role = h('span', { class: 'role', text: user.role });
  loadRoles().then((roles) => { role.textContent = roleName(roles, user.role); },
    () => { /* keep the code */ });
  const logoutBtn = h('button', { type: 'button', class: 'btn block logout',
    onclick: async () => {
      logoutBtn.disabled = true;
      try {
        await logout();
      } catch {
        // the session is forgotten here all the same
      }
      ctx.navigate('#/login');
    } }, t('home.logout'));

  return h('div', { class: 'home' },
    h('h1', { class: 'town', text: (s.town && s.town.name) || t('app.name') }),
    h('section', { class: 'card whoami' },
      h('p', { class: 'muted', text: t('home.logged_in_as') }),
      h('p', { class: 'who' },
        h('strong', { text: user.display_name || user.username }),
        role),
      h('p', { class: 'muted scope', text: user.scope_all
        ? t('scope.whole_town')
        : t('scope.villages_n', { n: (user.villages || []).length }) })),
    h('nav', { class: 'menu', 'aria-label': t('home.menu') },
      visibleNav().map((n) => h('a', { class: 'menu-item', href: `#/${n.path}` },
        h('span', { class: 'menu-label', text: t(n.label) }),
        h('span', { class: 'menu-desc', text: t(n.desc) })))),
    logoutBtn);
}
