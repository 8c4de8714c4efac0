// pages/users.js — accounts (users.manage): the list, adding an account
// (role from GET /roles, villages: none = whole town), editing name, role
// and villages, disabling/enabling, and setting a new password.

import { h } from '../dom.js';
import { api, fetchAll, getSession } from '../api.js';
import { formatTime, loadRoles, roleName } from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, formView, pagedList, toggle } from '../ui.js';

const PASSWORD_MIN = 8;

export function render() {
  const lookups = Promise.all([loadRoles(),
    fetchAll('/places', { type: 'village' })]);
  let roles = [];
  let villages = [];
  const roleOptions = () => lookups.then(([rs]) =>
    rs.map((r) => ({ value: r.code, label: roleName(rs, r.code) })));
  const villageOptions = () => lookups.then(([, vs]) =>
    vs.map((v) => ({ value: v.id, label: v.name })));
  const scopeText = (u) => (u.scope_all || !(u.villages || []).length
    ? t('scope.whole_town')
    : u.villages.map((id) => (villages.find((v) => v.id === id) || {}).name
      || `#${id}`).join('、'));

  const ctx = { roleOptions, villageOptions, scopeText,
    roleName: (code) => roleName(roles, code) };
  const list = pagedList({
    fetchPage: async (cursor) => {
      [roles, villages] = await lookups;
      return api.get('/users', { cursor });
    },
    renderItem: (u) => userItem(u, ctx),
    empty: 'users.empty',
  });

  const add = toggle('users.add');
  const form = formView({
    className: 'add-user',
    fields: [
      { name: 'username', label: 'users.field.username', required: true,
        hint: 'users.username_hint' },
      { name: 'display_name', label: 'users.field.display_name',
        required: true },
      { name: 'password', label: 'users.field.password', type: 'password',
        required: true, minLength: PASSWORD_MIN, autocomplete: 'new-password',
        hint: 'password.rule' },
      { name: 'role', label: 'users.field.role', type: 'select',
        value: 'village_cadre', options: roleOptions },
      { name: 'villages', label: 'users.field.villages', type: 'checks',
        options: villageOptions, hint: 'users.villages_hint' },
    ],
    submit: 'users.add_submit',
    cancel: 'form.cancel',
    onCancel: () => add.close(),
    onSubmit: async (v) => {
      const u = await api.post('/users', v);
      list.reload();
      return t('users.added', { name: u.display_name || u.username });
    },
    resetOnSuccess: true,
  });
  add.panel.append(form.el);

  return h('div', { class: 'users' }, h('h1', { text: t('nav.users') }),
    add.el, list.el);
}

// userItem: one account with its actions.
function userItem(account, ctx) {
  let u = account;
  const me = getSession().user || {};
  const li = h('li', { class: 'item' });
  const errors = errorBox();
  const slot = h('div');

  const open = (form) => {
    slot.replaceChildren(form.el);
    form.focus();
  };

  function editForm() {
    return formView({
      fields: [
        { name: 'display_name', label: 'users.field.display_name',
          value: u.display_name, required: true },
        { name: 'role', label: 'users.field.role', type: 'select',
          value: u.role, options: ctx.roleOptions },
        { name: 'villages', label: 'users.field.villages', type: 'checks',
          value: u.villages || [], options: ctx.villageOptions,
          hint: 'users.villages_hint' },
      ],
      submit: 'form.save',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        u = await api.patch(`/users/${u.id}`, v);
        draw();
      },
    });
  }

  function passwordForm() {
    return formView({
      fields: [{ name: 'password', label: 'users.field.new_password',
        type: 'password', required: true, minLength: PASSWORD_MIN,
        autocomplete: 'new-password', hint: 'users.password_hint' }],
      submit: 'users.set_password',
      cancel: 'form.cancel',
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        await api.post(`/users/${u.id}/password`, v);
        return t('users.password_set');
      },
      resetOnSuccess: true,
    });
  }

  function draw() {
    li.classList.toggle('inactive', !!u.disabled);
    slot.replaceChildren();
    errors.clear();
    li.replaceChildren(
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: u.display_name || u.username }),
        h('span', { class: 'muted', text: u.username }),
        u.disabled ? h('span', { class: 'badge', text: t('users.disabled') })
          : null),
      h('p', { class: 'item-meta',
        text: `${ctx.roleName(u.role)} · ${ctx.scopeText(u)}` }),
      h('p', { class: 'item-meta', text: u.last_login_at
        ? t('users.last_login', { at: formatTime(u.last_login_at) })
        : t('users.never_logged_in') }),
      h('div', { class: 'item-actions' },
        h('button', { type: 'button', class: 'btn small',
          onclick: () => open(editForm()) }, t('users.edit')),
        h('button', { type: 'button', class: 'btn small',
          onclick: () => open(passwordForm()) }, t('users.new_password')),
        u.id === me.id ? null : actionButton(
          u.disabled ? 'users.enable' : 'users.disable', async () => {
            u = await api.patch(`/users/${u.id}`, { disabled: !u.disabled });
            draw();
          }, { errors, danger: !u.disabled,
            confirm: u.disabled ? null : 'users.disable_confirm' })),
      errors.el, slot);
  }

  draw();
  return li;
}
