// pages/round.js — "My round" (#/round, checks.write): today's people to
// check, in address order (GET /round), one card each for use with one
// thumb at the door: name, address, village and grid, day N of M, the
// morning and evening slots (due / done with the temperature / missed /
// later) and an open-fever badge.  On a due slot a big "36.5 正常" button
// records a normal temperature in one tap (adjustable by 0.1 with − / +),
// and "发热/有症状" opens a compact form: temperature stepper from 37.3,
// symptom chips, method, note.  POST /measures/{id}/checks; the card
// updates in place, with a red notice when the answer opened an alert and
// the server's error on the card when it refuses.

import { append, h, uid } from '../dom.js';
import { api, can } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, fieldError } from '../ui.js';
import { FEVER, METHODS, SYMPTOMS, dayText, measureTypeName, methodName,
  slotName, symptomName, temp } from '../obs.js';

const NORMAL = 36.5;
const NORMAL_MIN = 35.0;
const NORMAL_MAX = 37.2; // 37.3 is fever: that goes through the form

const round1 = (v) => Math.round(v * 10) / 10;

export function render(ctx) {
  const page = h('div', { class: 'round' }, h('h1', { text: t('nav.round') }));
  const head = h('p', { class: 'round-date' });
  const summary = h('p', { class: 'round-summary', role: 'status' });
  const list = h('ul', { class: 'list round-list' });
  const errors = errorBox();
  const loading = h('p', { class: 'muted loading', text: t('list.loading') });
  const empty = h('p', { class: 'muted empty', hidden: true, text: t('round.empty') });
  const refresh = h('button', { type: 'button', class: 'btn small refresh',
    onclick: () => load() }, t('round.refresh'));
  page.append(h('div', { class: 'round-top' }, head, refresh), summary,
    errors.el, loading, empty, list);

  const query = {};
  if (ctx.params.account_id) query.account_id = ctx.params.account_id;
  const cards = [];

  function updateSummary() {
    const n = { due: 0, done: 0, missed: 0 };
    for (const c of cards) {
      for (const sl of c.item.slots || []) if (sl.state in n) n[sl.state] += 1;
    }
    summary.textContent = t('round.summary', { people: cards.length, ...n });
  }

  async function load() {
    refresh.disabled = true;
    errors.clear();
    loading.hidden = false;
    try {
      const r = await api.get('/round', query);
      head.replaceChildren(h('span', { class: 'round-today', text: t('round.today') }),
        ' ', h('strong', { class: 'round-day', text: r.date || '' }));
      cards.length = 0;
      for (const item of r.items || []) cards.push(roundCard(item, updateSummary));
      list.replaceChildren(...cards.map((c) => c.el));
      empty.hidden = cards.length > 0;
      updateSummary();
    } catch (e) {
      errors.show(e);
    } finally {
      loading.hidden = true;
      refresh.disabled = false;
    }
  }

  load();
  return page;
}

// roundCard: one person of the round; returns {el, item}.  The card
// draws itself again from `item` after every save.
function roundCard(first, changed) {
  const card = { item: first, el: h('li', { class: 'item round-card',
    dataset: { person: String(first.person_id) } }) };
  const errors = errorBox();
  const notice = h('p', { class: 'alert error fever-notice', role: 'alert',
    hidden: true });
  const saved = h('p', { class: 'alert success saved-check', role: 'status',
    hidden: true });
  let normal = NORMAL;

  function dueSlot() {
    return (card.item.slots || []).find((sl) => sl.state === 'due') || null;
  }

  // record sends one check; answers {check, alert}.
  async function record(slot, body) {
    errors.clear();
    saved.hidden = true;
    try {
      const r = await api.post(`/measures/${card.item.measure_id}/checks`,
        { ...body, slot: slot.slot });
      const check = r.check || {};
      card.item.slots = card.item.slots.map((sl) => (sl.slot === slot.slot
        ? { ...sl, state: 'done', temperature: check.temperature ?? body.temperature }
        : sl));
      if (r.alert) {
        if (r.alert.kind === 'fever') card.item.open_fever = true;
        notice.textContent = t('round.alert_opened');
        notice.hidden = false;
      }
      saved.textContent = t('round.saved', { slot: slotName(slot.slot),
        t: temp(card.item.slots.find((sl) => sl.slot === slot.slot).temperature) });
      saved.hidden = !!r.alert;
      draw();
      changed();
      return true;
    } catch (e) {
      if (e.status === 409 && e.code === 'conflict') {
        errors.show(fieldError(null, t('round.slot_taken')));
        refreshItem();
      } else {
        errors.show(e);
      }
      return false;
    }
  }

  // refreshItem reloads the round and redraws this card from it (after
  // someone else filled the slot).
  async function refreshItem() {
    try {
      const r = await api.get('/round');
      const fresh = (r.items || []).find((x) => x.measure_id === card.item.measure_id);
      if (fresh) {
        card.item = fresh;
        draw();
        changed();
      }
    } catch { /* the error shown stays */ }
  }

  function slotView(sl) {
    let state = t(`round.state.${sl.state}`);
    if (sl.state === 'done') state = temp(sl.temperature);
    const fever = sl.state === 'done' && Number(sl.temperature) >= FEVER;
    return h('div', { class: ['slot', `slot-${sl.state}`, fever && 'slot-fever'],
      dataset: { slot: String(sl.slot), state: sl.state } },
    h('span', { class: 'slot-name', text: slotName(sl.slot) }),
    h('span', { class: 'slot-state', text: state }));
  }

  function quickButtons(slot) {
    const btn = h('button', { type: 'button', class: 'btn primary normal-btn' });
    const minus = h('button', { type: 'button', class: 'btn step',
      'aria-label': t('round.lower') }, '−');
    const plus = h('button', { type: 'button', class: 'btn step',
      'aria-label': t('round.higher') }, '+');
    const show = () => {
      btn.textContent = t('round.normal', { t: normal.toFixed(1) });
      minus.disabled = normal <= NORMAL_MIN + 1e-9;
      plus.disabled = normal >= NORMAL_MAX - 1e-9;
    };
    minus.addEventListener('click', () => { normal = round1(normal - 0.1); show(); });
    plus.addEventListener('click', () => { normal = round1(normal + 0.1); show(); });
    btn.addEventListener('click', async () => {
      if (btn.disabled) return;
      btn.disabled = true;
      const ok = await record(slot, { temperature: normal, method: 'visit' });
      if (!ok) {
        btn.disabled = false;
        show();
      }
    });
    show();
    const feverBtn = h('button', { type: 'button', class: 'btn danger fever-btn',
      onclick: () => {
        actions.replaceChildren(feverForm(slot, () => {
          actions.replaceChildren(...quickButtons(slot));
        }));
      } }, t('round.fever_path'));
    return [h('div', { class: 'quick', role: 'group',
      'aria-label': t('round.quick_label', { slot: slotName(slot.slot) }) },
    minus, btn, plus), feverBtn];
  }

  // feverForm: temperature (stepper from 37.3, or typed), symptoms,
  // method, note.
  function feverForm(slot, close) {
    const tid = uid('temp');
    const input = h('input', { id: tid, type: 'text', name: 'temperature',
      inputmode: 'decimal', autocomplete: 'off', value: FEVER.toFixed(1),
      class: 'temp-input' });
    const bump = (d) => {
      const v = Number(input.value.replace(',', '.'));
      input.value = (Number.isFinite(v) ? round1(v + d) : FEVER).toFixed(1);
    };
    const chips = SYMPTOMS.map((code) => {
      const b = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false',
        dataset: { code } }, symptomName(code));
      b.addEventListener('click', () => b.setAttribute('aria-pressed',
        b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true'));
      return b;
    });
    const group = uid('method');
    const methods = METHODS.map((m, i) => h('label', { class: 'seg' },
      h('input', { type: 'radio', name: group, value: m, checked: i === 0 }),
      h('span', { text: methodName(m) })));
    const nid = uid('note');
    const note = h('input', { id: nid, type: 'text', name: 'note', maxlength: 200,
      autocomplete: 'off' });
    const save = h('button', { type: 'submit', class: 'btn danger-solid block' },
      t('round.save'));
    const form = h('form', { class: 'fever-form', noValidate: true },
      h('div', { class: 'field' },
        h('label', { for: tid, text: t('round.temperature') }),
        h('div', { class: 'stepper' },
          h('button', { type: 'button', class: 'btn step', 'aria-label': t('round.lower'),
            onclick: () => bump(-0.1) }, '−'),
          input,
          h('button', { type: 'button', class: 'btn step', 'aria-label': t('round.higher'),
            onclick: () => bump(0.1) }, '+'),
          h('span', { class: 'unit', text: '℃' }))),
      h('fieldset', { class: 'field' }, h('legend', { text: t('round.symptoms') }),
        h('div', { class: 'chips' }, chips)),
      h('fieldset', { class: 'field' }, h('legend', { text: t('round.method') }),
        h('div', { class: 'segs' }, methods)),
      h('div', { class: 'field' }, h('label', { for: nid, text: t('round.note') }), note),
      h('div', { class: 'form-actions' }, save,
        h('button', { type: 'button', class: 'btn', onclick: () => {
          errors.clear();
          close();
        } }, t('form.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (save.disabled) return;
      errors.clear();
      const text = input.value.trim().replace(',', '.');
      const v = Number(text);
      if (!text || !Number.isFinite(v)) {
        errors.show(fieldError('temperature', t('round.temp_number')));
        input.focus();
        return;
      }
      const body = { temperature: v,
        symptoms: chips.filter((b) => b.getAttribute('aria-pressed') === 'true')
          .map((b) => b.dataset.code),
        method: methods.map((l) => l.querySelector('input'))
          .find((r) => r.checked).value };
      if (note.value.trim()) body.note = note.value.trim();
      save.disabled = true;
      form.classList.add('busy');
      const ok = await record(slot, body);
      save.disabled = false;
      form.classList.remove('busy');
      if (!ok) input.focus();
    });
    setTimeout(() => input.focus(), 0);
    return form;
  }

  const actions = h('div', { class: 'round-actions' });

  function draw() {
    const it = card.item;
    const place = [it.village_name, it.grid_name].filter(Boolean).join(' · ');
    const phone = it.phone && !it.phone.includes('*')
      ? h('a', { class: 'btn small phone', href: `tel:${it.phone}` }, t('round.call'))
      : null;
    const slot = dueSlot();
    actions.replaceChildren(...(slot ? quickButtons(slot) : []));
    card.el.classList.toggle('has-due', !!slot);
    card.el.classList.toggle('all-done', (it.slots || []).length > 0
      && (it.slots || []).every((sl) => sl.state !== 'due'));
    card.el.replaceChildren();
    append(card.el, [
      h('div', { class: 'item-head' },
        can('people.read')
          ? h('a', { class: 'item-title round-name', href: `#/people/${it.person_id}`,
            text: it.name })
          : h('span', { class: 'item-title round-name', text: it.name }),
        it.open_fever ? h('span', { class: 'badge fever-open',
          text: t('round.open_fever') }) : null,
        phone),
      it.address ? h('p', { class: 'round-address', text: it.address }) : null,
      h('p', { class: 'item-meta' }, [place, measureTypeName(it.type),
        dayText(it.day_number, it.period_days)].filter(Boolean).join(' · ')),
      h('div', { class: 'slots' }, (it.slots || []).map(slotView)),
      notice, saved, errors.el, actions]);
  }

  draw();
  return card;
}
