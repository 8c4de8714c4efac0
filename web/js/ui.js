// ui.js — the shared building blocks of every page, so that forms, lists
// and error messages look and behave the same everywhere:
//   errorText / errorBox   an API error as the user reads it
//   formView               a form: fields, checks, busy state, API errors
//                          next to it with the guilty field highlighted
//   pagedList              a list that follows next_cursor ("load more")
//   actionButton           a button that runs an API call, optionally
//                          after a second "are you sure" tap
//   copyField              a secret shown once, with a copy button

import { h, uid } from './dom.js';
import { ApiError } from './api.js';
import { t, tOr } from './i18n.js';

// errorText: the message for an error.  A few codes have a translation of
// their own (they need no detail from the server); the rest show the
// server's message.
export function errorText(err) {
  if (!(err instanceof ApiError)) return t('error.generic');
  return tOr(`error.${err.code}`, err.message || t('error.generic'));
}

// errorBox is a hidden alert that shows an error and optional extra nodes
// (e.g. a button offering another way).
export function errorBox() {
  const el = h('div', { class: 'alert error', role: 'alert', hidden: true });
  return {
    el,
    show(err, ...extra) {
      el.replaceChildren(h('p', { text: errorText(err) }), ...extra);
      el.classList.toggle('locked', err instanceof ApiError
        && err.status === 429);
      el.hidden = false;
    },
    clear() {
      el.replaceChildren();
      el.hidden = true;
    },
  };
}

// fieldError builds an ApiError for a check made here before sending.
export function fieldError(field, message) {
  return new ApiError(0, 'invalid_field', message, field);
}

// formView builds a form.  spec:
//   fields: [{name, label (key), type: text|password|tel|date|textarea|
//             select|checks|check (one yes/no box)|suggest|heading,
//             value, options: [{value, label}] or () => Promise of those,
//             required, minLength, maxLength, autocomplete, inputmode,
//             hint (key), placeholder, showIf(values),
//             live(value, values, final) → {error, info} (checked as
//             the user types, final once the field is left or the form
//             submitted; the error also stops the submit),
//             suggest(text) → Promise of [{value, label, detail}] and
//             minChars (type suggest: a picked suggestion's value is the
//             field's value while its label stays in the box)}]
//   submit: key of the button text; cancel: key (optional) + onCancel
//   validate(values): an ApiError from fieldError() or null
//   onSubmit(values): async; its string result is shown as success
//   resetOnSuccess: clear the text fields after success
//   inlineErrors: show a field's error under the field (long forms)
//   fieldFor(apiField): maps an error's field to a field name
// Returns {el, setOptions(name, options), setValue(name, v), setError(err),
// reset(), focus(), values()}.
// Field names are the API's, so an error's `field` finds its input.
export function formView(spec) {
  const controls = new Map();
  const form = h('form', { class: ['form', spec.className], noValidate: true,
    autocomplete: spec.autocomplete || null });
  for (const f of spec.fields) {
    const c = buildControl(f);
    controls.set(f.name, c);
    form.append(c.wrap);
  }
  const errors = errorBox();
  const note = h('p', { class: 'alert success', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' },
    t(spec.submit));
  const actions = h('div', { class: 'form-actions' }, submit);
  if (spec.cancel) {
    actions.append(h('button', { type: 'button', class: 'btn',
      onclick: () => spec.onCancel() }, t(spec.cancel)));
  }
  form.append(errors.el, note, actions);

  function values(onlyVisible) {
    const v = {};
    for (const [name, c] of controls) {
      if (c.noValue || (onlyVisible && c.wrap.hidden)) continue;
      v[name] = c.get();
    }
    return v;
  }

  function updateVisibility() {
    const v = values(false);
    for (const c of controls.values()) {
      if (c.spec.showIf) c.wrap.hidden = !c.spec.showIf(v);
    }
  }

  function clearErrors() {
    errors.clear();
    note.hidden = true;
    for (const c of controls.values()) c.mark(false);
  }

  // runLive shows the live check of one field; returns its error or null.
  // final: the user has left the field or submits (not still typing).
  function runLive(c, final) {
    if (!c.spec.live || c.wrap.hidden) return null;
    const r = c.spec.live(c.get(), values(false), final) || {};
    c.showInfo(r.info || '');
    c.showProblem(r.error || '');
    c.mark(!!r.error, true);
    return r.error ? fieldError(c.spec.name, r.error) : null;
  }

  // setError shows err above the buttons and marks the field it names.
  // The server's field errors are worded with the field's label here.
  function setError(err) {
    const name = err && err.field && spec.fieldFor ? spec.fieldFor(err.field)
      : err && err.field;
    const c = name && controls.get(name);
    if (!c || c.wrap.hidden || c.noValue) {
      errors.show(err);
      return;
    }
    const field = t(c.spec.label);
    let shown = err;
    if (err.status && err.code === 'missing_field') {
      shown = fieldError(err.field, t('form.required', { field }));
    } else if (err.status && err.code === 'duplicate') {
      shown = fieldError(err.field, t('form.duplicate', { field }));
    } else if (err.status && err.code === 'invalid_field') {
      shown = fieldError(err.field, t('form.invalid', { field,
        detail: err.message }));
    }
    if (spec.inlineErrors) c.showProblem(errorText(shown));
    else errors.show(shown);
    c.mark(true);
    c.focus();
    if (spec.inlineErrors && c.wrap.scrollIntoView) {
      c.wrap.scrollIntoView({ block: 'center' });
    }
  }

  // check finds the first required field left empty or too short.
  function check(v) {
    for (const [name, c] of controls) {
      if (!(name in v)) continue;
      const val = v[name];
      const label = t(c.spec.label);
      if (c.spec.required && (val === '' || val === null)) {
        return fieldError(name, t('form.required', { field: label }));
      }
      if (c.spec.minLength && typeof val === 'string'
          && val.length < c.spec.minLength) {
        return fieldError(name, t('form.too_short',
          { field: label, n: c.spec.minLength }));
      }
      const live = runLive(c, true);
      if (live) return live;
    }
    return spec.validate ? spec.validate(v) : null;
  }

  let busy = false;
  form.addEventListener('input', updateVisibility);
  form.addEventListener('change', updateVisibility);
  const liveFor = (ev) => {
    const c = ev.target && controls.get(ev.target.name);
    if (c && c.spec.live) runLive(c, ev.type === 'change');
  };
  form.addEventListener('input', liveFor);
  form.addEventListener('change', liveFor);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    clearErrors();
    const v = values(true);
    const problem = check(v);
    if (problem) {
      setError(problem);
      return;
    }
    busy = true;
    submit.disabled = true;
    form.classList.add('busy');
    try {
      const message = await spec.onSubmit(v);
      if (spec.resetOnSuccess) reset();
      if (typeof message === 'string' && form.isConnected) {
        note.textContent = message;
        note.hidden = false;
      }
    } catch (e) {
      setError(e);
    } finally {
      busy = false;
      submit.disabled = false;
      form.classList.remove('busy');
    }
  });

  function reset() {
    for (const c of controls.values()) {
      c.reset();
      c.mark(false);
    }
    updateVisibility();
  }

  updateVisibility();
  return {
    el: form,
    setError,
    reset,
    values: () => values(true),
    setOptions(name, options) {
      controls.get(name).setOptions(options);
      updateVisibility();
    },
    setValue(name, value) {
      const c = controls.get(name);
      c.set(value);
      updateVisibility();
      runLive(c, true);
    },
    // focus puts the cursor in the named field, or the first one shown.
    focus(name) {
      const c = name ? controls.get(name)
        : [...controls.values()].find((x) => !x.wrap.hidden);
      if (c) c.focus();
    },
  };
}

// buildControl makes one labelled field and its accessors.
function buildControl(f) {
  const id = uid('f');
  const hint = f.hint ? h('p', { class: 'hint', id: `${id}-hint` }, t(f.hint))
    : null;
  const info = h('p', { class: 'field-info', role: 'status', hidden: true });
  const problem = h('p', { class: 'field-error', id: `${id}-err`,
    role: 'alert', hidden: true });
  let wrap;
  let input;
  let options = [];
  let boxes = [];
  const c = { spec: f };

  if (f.type === 'heading') {
    wrap = h('h3', { class: 'form-heading', text: t(f.label) });
    c.noValue = true;
    c.get = () => null;
    c.set = () => {};
    c.reset = () => {};
    c.focus = () => {};
    c.wrap = wrap;
    c.mark = () => {};
    c.showInfo = () => {};
    c.showProblem = () => {};
    return c;
  }
  if (f.type === 'checks') {
    const list = h('div', { class: 'checks' });
    wrap = h('fieldset', { class: 'field' }, h('legend', { text: t(f.label) }),
      list, hint);
    c.setOptions = (opts) => {
      const keep = new Set(boxes.length ? c.get() : (f.value || []));
      options = opts;
      boxes = opts.map((o) => h('input', { type: 'checkbox', name: f.name,
        value: String(o.value), checked: keep.has(o.value) }));
      list.replaceChildren(...opts.map((o, i) =>
        h('label', { class: 'check' }, boxes[i], h('span', { text: o.label }))));
      if (!opts.length) list.append(h('p', { class: 'muted', text: t('form.none') }));
    };
    c.get = () => options.filter((o, i) => boxes[i].checked).map((o) => o.value);
    c.set = (vals) => boxes.forEach((b, i) => {
      b.checked = (vals || []).includes(options[i].value);
    });
    c.reset = () => c.set(f.value);
    c.focus = () => (boxes[0] || wrap).focus();
  } else if (f.type === 'check') {
    input = h('input', { id, type: 'checkbox', name: f.name, checked: !!f.value });
    boxes = [input];
    wrap = h('div', { class: 'field' },
      h('label', { class: 'check', for: id }, input, h('span', { text: t(f.label) })),
      hint);
    c.get = () => input.checked;
    c.set = (v) => { input.checked = !!v; };
    c.reset = () => c.set(f.value);
    c.focus = () => input.focus();
  } else if (f.type === 'select') {
    input = h('select', { id, name: f.name });
    c.setOptions = (opts) => {
      const keep = options.length ? c.get() : f.value;
      options = opts;
      input.replaceChildren(...opts.map((o) =>
        h('option', { value: String(o.value ?? ''), text: o.label })));
      const i = opts.findIndex((o) => o.value === keep);
      input.selectedIndex = i >= 0 ? i : 0;
    };
    c.get = () => (options.length ? options[input.selectedIndex].value : null);
    c.set = (v) => {
      const i = options.findIndex((o) => o.value === v);
      input.selectedIndex = i >= 0 ? i : 0;
    };
    c.reset = () => c.set(f.value);
  } else if (f.type === 'textarea') {
    input = h('textarea', { id, name: f.name, rows: f.rows || 3,
      maxlength: f.maxLength, placeholder: f.placeholder });
    input.value = f.value ?? '';
    c.get = () => input.value.trim();
    c.set = (v) => { input.value = v ?? ''; };
    c.reset = () => c.set(f.value);
  } else {
    input = h('input', {
      id, name: f.name,
      type: f.type === 'suggest' ? 'text' : (f.type || 'text'),
      value: f.value ?? '', maxlength: f.maxLength,
      autocomplete: f.autocomplete || 'off', placeholder: f.placeholder,
      inputmode: f.inputmode, autocapitalize: 'off', spellcheck: 'false',
    });
    c.get = () => (f.type === 'password' ? input.value : input.value.trim());
    c.set = (v) => { input.value = v ?? ''; };
    c.reset = () => c.set(f.value);
  }
  if (input && f.type !== 'check') {
    const described = [hint && hint.id, problem.id].filter(Boolean).join(' ');
    input.setAttribute('aria-describedby', described);
    wrap = h('div', { class: 'field' }, h('label', { for: id, text: t(f.label) }),
      input);
    c.focus = () => input.focus();
  }
  if (f.type === 'suggest') suggestControl(c, f, input, wrap, id);
  if (wrap.tagName !== 'FIELDSET' && f.type !== 'check' && hint) wrap.append(hint);
  wrap.append(info, problem);
  c.wrap = wrap;
  c.showInfo = (text) => {
    info.textContent = text;
    info.hidden = !text;
  };
  c.showProblem = (text) => {
    problem.textContent = text;
    problem.hidden = !text;
  };
  c.mark = (bad) => {
    wrap.classList.toggle('invalid', bad);
    if (!bad) c.showProblem('');
    for (const el of input ? [input] : boxes) {
      if (bad) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    }
  };

  if (c.setOptions) {
    if (typeof f.options === 'function') {
      c.setOptions([]);
      Promise.resolve(f.options()).then((opts) => {
        c.setOptions(opts);
        wrap.dispatchEvent(new Event('change', { bubbles: true }));
      }, () => {
        wrap.append(h('p', { class: 'hint error-text', text: t('error.options') }));
      });
    } else {
      c.setOptions(f.options || []);
    }
  }
  return c;
}

// suggestControl turns a text input into one that offers suggestions
// from f.suggest(text) as the user types: a list of big buttons under the
// box.  Picking one puts its label in the box; the field's value is then
// the suggestion's value (e.g. a region code) until the text is changed.
function suggestControl(c, f, input, wrap, id) {
  const list = h('ul', { class: 'suggestions', id: `${id}-list`,
    role: 'listbox', hidden: true });
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-autocomplete', 'list');
  wrap.append(list);
  let picked = null;
  let timer = null;
  let asked = 0;
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
  };
  const show = (items) => {
    list.replaceChildren(...items.map((it) => h('li', { role: 'presentation' },
      h('button', { type: 'button', class: 'suggestion', role: 'option',
        onclick: () => {
          picked = it;
          input.value = it.label;
          close();
          input.dispatchEvent(new Event('change', { bubbles: true }));
          input.focus();
        } },
      h('span', { class: 'suggestion-label', text: it.label }),
      it.detail ? h('span', { class: 'muted', text: it.detail }) : null))));
    list.hidden = !items.length;
  };
  input.addEventListener('input', () => {
    picked = null;
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < (f.minChars || 1)) {
      close();
      return;
    }
    timer = setTimeout(async () => {
      asked += 1;
      const mine = asked;
      try {
        const items = await f.suggest(q);
        if (mine === asked && input.value.trim() === q) show(items || []);
      } catch {
        if (mine === asked) close();
      }
    }, 250);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
  });
  c.get = () => (picked && input.value.trim() === picked.label ? picked.value
    : input.value.trim());
  c.set = (v) => {
    picked = v && typeof v === 'object' ? v : null;
    input.value = picked ? picked.label : (v ?? '');
    close();
  };
  c.reset = () => c.set(f.value);
}

// pagedList shows items page by page.  spec: fetchPage(cursor) → promise
// of {items, next_cursor}; renderItem(item) → node; empty (key).
// Returns {el, reload()}.
export function pagedList(spec) {
  const list = h('ul', { class: ['list', spec.className] });
  const empty = h('p', { class: 'muted empty', hidden: true },
    t(spec.empty || 'list.empty'));
  const loading = h('p', { class: 'muted loading', hidden: true },
    t('list.loading'));
  const errors = errorBox();
  const more = h('button', { type: 'button', class: 'btn block more',
    hidden: true, onclick: () => load(false) }, t('list.more'));
  let cursor = null;
  let generation = 0;

  async function load(fresh) {
    if (fresh) generation += 1;
    const mine = generation;
    more.disabled = true;
    loading.hidden = false;
    errors.clear();
    try {
      const page = await spec.fetchPage(fresh ? undefined : cursor);
      if (mine !== generation) return;
      if (fresh) list.replaceChildren();
      for (const item of page.items || []) list.append(spec.renderItem(item));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      empty.hidden = list.children.length > 0;
    } catch (e) {
      if (mine === generation) errors.show(e);
    } finally {
      if (mine === generation) {
        loading.hidden = true;
        more.disabled = false;
      }
    }
  }

  load(true);
  return {
    el: h('div', { class: 'paged' }, errors.el, list, loading, empty, more),
    reload: () => load(true),
  };
}

// actionButton runs action() on tap, with the button disabled meanwhile;
// errors go to errors.show(err, ...onError(err)).  With confirm (a key) the
// first tap only asks, the second within a few seconds acts.
export function actionButton(label, action, opts = {}) {
  const btn = h('button', { type: 'button',
    class: ['btn', 'small', opts.danger && 'danger'] }, t(label));
  let armed = false;
  let timer = null;
  const disarm = () => {
    armed = false;
    btn.textContent = t(label);
    btn.classList.remove('armed');
  };
  btn.addEventListener('click', async () => {
    if (opts.confirm && !armed) {
      armed = true;
      btn.textContent = t(opts.confirm);
      btn.classList.add('armed');
      timer = setTimeout(disarm, 4000);
      return;
    }
    clearTimeout(timer);
    disarm();
    if (opts.errors) opts.errors.clear();
    btn.disabled = true;
    try {
      await action();
    } catch (e) {
      if (!opts.errors) throw e;
      opts.errors.show(e, ...(opts.onError ? opts.onError(e) : []));
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

// copyField shows a value to copy once (e.g. a new API token).
export function copyField(value, labelKey) {
  const id = uid('copy');
  const input = h('input', { id, type: 'text', value, readOnly: true,
    class: 'mono', onfocus: (ev) => ev.target.select() });
  const status = h('span', { class: 'muted', role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn', onclick: async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      // Clipboard API needs https; on a plain-http LAN select and copy.
      input.focus();
      input.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    status.textContent = t(ok ? 'copy.done' : 'copy.manual');
  } }, t('copy.button'));
  return h('div', { class: 'field copy' },
    h('label', { for: id, text: t(labelKey) }),
    h('div', { class: 'copy-row' }, input, btn), status);
}

// section: a titled card.
export function section(titleKey, ...children) {
  return h('section', { class: 'card' }, h('h2', { text: t(titleKey) }),
    ...children);
}

// toggle: a button that opens a panel below it (for "add" forms).
// Returns {el, panel, open(), close()}; put the content into panel.
export function toggle(buttonKey) {
  const panel = h('div', { class: 'panel', hidden: true });
  const btn = h('button', { type: 'button', class: 'btn primary block',
    'aria-expanded': 'false' }, t(buttonKey));
  const api = {
    el: h('div', { class: 'toggle' }, btn, panel),
    panel,
    open() {
      panel.hidden = false;
      btn.hidden = true;
      btn.setAttribute('aria-expanded', 'true');
      const first = panel.querySelector('input, select');
      if (first) first.focus();
    },
    close() {
      panel.hidden = true;
      btn.hidden = false;
      btn.setAttribute('aria-expanded', 'false');
    },
  };
  btn.addEventListener('click', () => api.open());
  return api;
}
