// pages/people_import.js — importing the register from a CSV file
// (people.write).  The file is first checked (POST /people/import?dry_run=1,
// the file's bytes as text/csv): how many rows would be created, updated or
// left unchanged, and a table of the bad rows.  Then "import" stores all or
// nothing; "import the good rows" skips the bad ones (skip_invalid=1).

import { h, uid } from '../dom.js';
import { ApiError, api } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, section } from '../ui.js';

export function back() {
  return ['#/people', 'people.back_list'];
}

// report: the import's answer, also when it came with a 422 (bad rows).
function report(errOrBody) {
  const b = errOrBody instanceof ApiError ? errOrBody.body : errOrBody;
  if (!b) return null;
  if (b.rows !== undefined || Array.isArray(b.bad)) return b;
  if (b.error && (b.error.rows !== undefined || Array.isArray(b.error.bad))) {
    return b.error;
  }
  return null;
}

export function render() {
  const id = uid('file');
  const errors = errorBox();
  const result = h('div', { class: 'import-result' });
  let file = null;
  const input = h('input', { id, type: 'file', class: 'file', name: 'file',
    accept: '.csv,text/csv', onchange: () => {
      file = input.files && input.files[0];
      if (file) check();
    } });

  async function send(query) {
    const bytes = await file.arrayBuffer();
    try {
      return await api.upload('/people/import', bytes, 'text/csv', query);
    } catch (e) {
      const r = report(e);
      if (r) return { ...r, failed: true };
      throw e;
    }
  }

  async function check() {
    errors.clear();
    result.replaceChildren(h('p', { class: 'muted', text: t('import.checking') }));
    try {
      const r = await send({ dry_run: 1 });
      showPreview(r);
    } catch (e) {
      result.replaceChildren();
      errors.show(e);
    }
  }

  function counts(r) {
    return h('dl', { class: 'counts' },
      ['rows', 'created', 'updated', 'unchanged'].map((k) => h('div', { class: `count ${k}` },
        h('dt', { text: t(`import.${k}`) }), h('dd', { text: String(r[k] ?? 0) }))),
      h('div', { class: 'count bad' }, h('dt', { text: t('import.bad') }),
        h('dd', { text: String((r.bad || []).length) })));
  }

  function badTable(bad) {
    if (!bad.length) return null;
    return h('div', { class: 'table-wrap' }, h('table', { class: 'bad-rows' },
      h('thead', {}, h('tr', {}, ['import.row', 'import.column', 'import.reason']
        .map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, bad.map((b) => h('tr', {},
        h('td', { text: String(b.row ?? '') }), h('td', { text: b.column || '' }),
        h('td', { text: b.reason || '' }))))));
  }

  function showPreview(r) {
    const bad = r.bad || [];
    const good = Math.max(0, (r.rows || 0) - new Set(bad.map((b) => b.row)).size);
    const buttons = h('div', { class: 'form-actions' });
    const all = h('button', { type: 'button', class: 'btn primary',
      disabled: bad.length > 0, onclick: () => run({}) }, t('import.all'));
    buttons.append(all);
    if (bad.length) {
      buttons.append(h('button', { type: 'button', class: 'btn',
        disabled: good === 0, onclick: () => run({ skip_invalid: 1 }) },
      t('import.good', { n: good })));
    }
    result.replaceChildren(section('import.preview',
      h('p', { class: 'muted', text: t('import.file', { name: file.name }) }),
      counts(r),
      bad.length ? h('p', { class: 'alert warn', text: t('import.has_bad') }) : null,
      badTable(bad), buttons));
  }

  async function run(query) {
    errors.clear();
    for (const b of result.querySelectorAll('button')) b.disabled = true;
    try {
      const r = await send(query);
      if (r.failed) {
        showPreview(r);
        errors.show(new ApiError(422, 'import_failed', t('import.failed')));
        return;
      }
      result.replaceChildren(section('import.done_title',
        h('p', { class: 'alert success', role: 'status', text: t('import.done',
          { created: r.created ?? 0, updated: r.updated ?? 0,
            unchanged: r.unchanged ?? 0 }) }),
        counts(r), badTable(r.bad || []),
        h('a', { class: 'btn block', href: '#/people' }, t('import.to_list'))));
      input.value = '';
      file = null;
    } catch (e) {
      errors.show(e);
      for (const b of result.querySelectorAll('button')) b.disabled = false;
    }
  }

  return h('div', { class: 'people-import' },
    h('h1', { text: t('nav.people_import') }),
    section('import.choose_title',
      h('p', { class: 'muted', text: t('import.intro') }),
      h('div', { class: 'field' }, h('label', { for: id, text: t('import.file_label') }),
        input, h('p', { class: 'hint', text: t('import.file_hint') }))),
    errors.el, result);
}
