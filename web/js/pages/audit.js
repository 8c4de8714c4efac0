// pages/audit.js — the audit log (audit.read): newest first, filters by
// entity and actor, and a button that verifies the hash chain.

import { h } from '../dom.js';
import { api } from '../api.js';
import { auditActionName, auditEntityName, formatTime } from '../labels.js';
import { t } from '../i18n.js';
import { errorBox, formView, pagedList, section } from '../ui.js';

export function render(ctx) {
  const filter = { entity: ctx.params.entity || '', actor: ctx.params.actor || '' };
  const result = h('p', { class: 'alert', role: 'status', hidden: true });
  const errors = errorBox();
  const verify = h('button', { type: 'button', class: 'btn primary block',
    onclick: async () => {
      verify.disabled = true;
      errors.clear();
      result.hidden = true;
      try {
        const r = await api.get('/audit/verify');
        result.textContent = r.ok
          ? t('audit.verify_ok', { n: r.entries })
          : t('audit.verify_broken', { id: r.broken_at, n: r.entries });
        result.className = `alert ${r.ok ? 'success' : 'error'}`;
        result.hidden = false;
      } catch (e) {
        errors.show(e);
      } finally {
        verify.disabled = false;
      }
    } }, t('audit.verify'));

  const filters = formView({
    className: 'filters',
    fields: [
      { name: 'entity', label: 'audit.field.entity', value: filter.entity,
        placeholder: t('audit.entity_placeholder') },
      { name: 'actor', label: 'audit.field.actor', value: filter.actor },
    ],
    submit: 'audit.filter',
    onSubmit: async (v) => {
      ctx.navigate(ctx.hashFor('audit', v));
    },
  });

  const list = pagedList({
    fetchPage: (cursor) => api.get('/audit', { ...filter, cursor }),
    renderItem: entryItem,
    empty: 'audit.empty',
  });

  return h('div', { class: 'audit' }, h('h1', { text: t('nav.audit') }),
    section('audit.chain', h('p', { class: 'muted', text: t('audit.chain_intro') }),
      verify, result, errors.el),
    h('details', { class: 'card', open: filter.entity || filter.actor || null },
      h('summary', { text: t('audit.filters') }), filters.el),
    list.el);
}

// entryItem: one audit entry; a summary cleared by `fangyi purge` says
// when, and which entry cleared it.
function entryItem(e) {
  const what = `${auditActionName(e.action)} · ${auditEntityName(e.entity)}`
    + (e.entity_id !== null && e.entity_id !== undefined ? ` #${e.entity_id}` : '');
  return h('li', { class: 'item audit-entry' },
    h('div', { class: 'item-head' },
      h('span', { class: 'item-title', text: what }),
      h('span', { class: 'muted', text: `#${e.id}` })),
    e.redacted_at
      ? h('p', { class: 'muted audit-cleared',
        text: t('audit.cleared', { at: formatTime(e.redacted_at), by: e.redacted_by }) })
      : e.summary ? h('p', { text: e.summary }) : null,
    h('p', { class: 'item-meta', text: `${e.actor || '—'} · ${formatTime(e.at)}` }),
    e.hash ? h('p', { class: 'item-meta mono', title: e.hash,
      text: `${t('audit.hash')} ${e.hash.slice(0, 16)}…` }) : null);
}
