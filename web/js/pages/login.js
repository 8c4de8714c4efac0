// pages/login.js — the login page: username and password, POST /login.
// Wrong passwords and locked accounts (429) are shown next to the form.

import { h } from '../dom.js';
import { login } from '../api.js';
import { forgetRoles } from '../labels.js';
import { t } from '../i18n.js';
import { formView } from '../ui.js';

export function render(ctx) {
  const form = formView({
    className: 'login-form',
    fields: [
      { name: 'username', label: 'login.username', required: true,
        autocomplete: 'username' },
      { name: 'password', label: 'login.password', type: 'password',
        required: true, autocomplete: 'current-password' },
    ],
    submit: 'login.submit',
    onSubmit: async (v) => {
      await login(v.username, v.password);
      forgetRoles();
      ctx.loggedIn();
    },
  });
  setTimeout(() => form.focus(), 0);
  return h('div', { class: 'login card' },
    h('h1', { text: t('login.title') }),
    h('p', { class: 'muted', text: t('login.intro') }),
    form.el);
}
