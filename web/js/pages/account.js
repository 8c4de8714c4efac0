// pages/account.js — my account: change my password (POST /me/password)
// and my API tokens for integrations (list, create — the secret is shown
// only once —, revoke).

import { h } from '../dom.js';
import { api } from '../api.js';
import { formatTime } from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, copyField, errorBox, fieldError, formView, pagedList,
  section } from '../ui.js';

const PASSWORD_MIN = 8;

export function render() {
  const password = formView({
    className: 'password-form',
    fields: [
      { name: 'old_password', label: 'account.old_password', type: 'password',
        required: true, autocomplete: 'current-password' },
      { name: 'new_password', label: 'account.new_password', type: 'password',
        required: true, minLength: PASSWORD_MIN, autocomplete: 'new-password',
        hint: 'password.rule' },
      { name: 'new_password2', label: 'account.new_password2',
        type: 'password', required: true, autocomplete: 'new-password' },
    ],
    validate: (v) => (v.new_password !== v.new_password2
      ? fieldError('new_password2', t('account.mismatch')) : null),
    submit: 'account.change_password',
    onSubmit: async (v) => {
      await api.post('/me/password', { old_password: v.old_password,
        new_password: v.new_password });
      return t('account.password_changed');
    },
    resetOnSuccess: true,
  });

  const tokens = pagedList({
    fetchPage: (cursor) => api.get('/tokens', { cursor }),
    renderItem: tokenItem,
    empty: 'tokens.empty',
  });
  const shown = h('div', { class: 'token-once' });
  const create = formView({
    className: 'token-form',
    fields: [{ name: 'name', label: 'tokens.name', required: true,
      hint: 'tokens.name_hint' }],
    submit: 'tokens.create',
    onSubmit: async (v) => {
      const tok = await api.post('/tokens', v);
      shown.replaceChildren(h('div', { class: 'alert warn' },
        h('p', { text: t('tokens.created', { name: tok.name }) }),
        copyField(tok.token, 'tokens.secret'),
        h('p', { class: 'hint', text: t('tokens.once_hint') })));
      tokens.reload();
    },
    resetOnSuccess: true,
  });

  return h('div', { class: 'account' }, h('h1', { text: t('nav.account') }),
    section('account.password_title', password.el),
    section('tokens.title', h('p', { class: 'muted', text: t('tokens.intro') }),
      create.el, shown, tokens.el));
}

// tokenItem: one of my tokens, with a revoke button.
// Revoked tokens stay in the list, greyed, with the time they were revoked.
function tokenItem(token) {
  let tok = token;
  const errors = errorBox();
  const li = h('li', { class: 'item' });
  function draw() {
    const meta = [];
    if (tok.created_at) meta.push(t('tokens.created_at', { at: formatTime(tok.created_at) }));
    if (tok.last_used_at) meta.push(t('tokens.last_used', { at: formatTime(tok.last_used_at) }));
    if (tok.revoked_at) meta.push(t('tokens.revoked_at', { at: formatTime(tok.revoked_at) }));
    li.classList.toggle('inactive', !!tok.revoked_at);
    li.replaceChildren(
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: tok.name }),
        tok.revoked_at ? h('span', { class: 'badge', text: t('tokens.revoked') }) : null),
      meta.length ? h('p', { class: 'item-meta', text: meta.join(' · ') }) : null,
      tok.revoked_at ? null : h('div', { class: 'item-actions' },
        actionButton('tokens.revoke', async () => {
          await api.del(`/tokens/${tok.id}`);
          tok = { ...tok, revoked_at: new Date().toISOString() };
          draw();
        }, { danger: true, confirm: 'tokens.revoke_confirm', errors })),
      errors.el);
  }
  draw();
  return li;
}
