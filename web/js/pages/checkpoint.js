// pages/checkpoint.js — registration at the barrier (#/checkpoint,
// checkpoint.write), made for one thumb: the point (remembered), in/out,
// the plate with a province keyboard and the vehicle type, then each
// person with name, ID number, mobile, from, to (village, address),
// temperature and reason, and the outcome.  A known plate offers its last
// people, a known ID number fills in name, village and address.  37.3 °C
// or more picks the fever clinic.  The point's self-registrations (QR
// poster) wait in a queue above the form; "check" fills the form with one
// and confirms it with the pass.  A registration that cannot be sent is
// kept on the phone and sent when the network is back (same client id:
// stored once).  Also the router of #/checkpoint/passes, /roster and
// /poster (checkpoint_lists.js).

import { h, uid } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, errorText } from '../ui.js';
import { checkIdNumber } from '../idnum.js';
import { DIRECTIONS, FEVER, OUTCOMES, VEHICLES, directionName, flush, keep,
  loadPoints, newClientId, outbox, outcomeName, plateComplete, plateField,
  vehicleName } from '../checkpoint_ui.js';
import * as lists from './checkpoint_lists.js';

const POINT_KEY = 'fangyi-cp-point';

export function back(segments) {
  return segments.length ? ['#/checkpoint', 'cp.back'] : null;
}

export function render(ctx) {
  const [first] = ctx.segments || [];
  if (first === 'passes') return lists.passesPage(ctx);
  if (first === 'roster') return lists.rosterPage(ctx);
  if (first === 'poster') return lists.posterPage(ctx);
  return registerPage(ctx);
}

function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function select(name, labelKey, options, value) {
  const id = uid(name);
  const el = h('select', { id, name },
    options.map((o) => h('option', { value: String(o.value),
      selected: String(o.value) === String(value ?? '') }, o.label)));
  return { el, field: h('div', { class: 'field' },
    h('label', { for: id, text: t(labelKey) }), el) };
}

function input(name, labelKey, props = {}) {
  const id = uid(name);
  const el = h('input', { id, name, type: 'text', autocomplete: 'off', ...props });
  return { el, field: h('div', { class: 'field' },
    h('label', { for: id, text: t(labelKey) }), el) };
}

function registerPage(ctx) {
  const page = h('div', { class: 'checkpoint' }, h('h1', { text: t('nav.checkpoint') }));
  const errors = errorBox();
  const done = h('p', { class: 'alert success pass-saved', role: 'status', hidden: true });
  const feverNote = h('p', { class: 'alert error fever-notice', role: 'alert', hidden: true });
  const outboxLine = h('p', { class: 'outbox-line', role: 'status' });
  const sendNow = h('button', { type: 'button', class: 'btn small send-now', hidden: true,
    onclick: () => sendOutbox() }, t('cp.send_now'));
  page.append(h('nav', { class: 'cp-links' },
    h('a', { href: '#/checkpoint/passes', class: 'btn small' }, t('cp.passes')),
    h('a', { href: '#/checkpoint/roster', class: 'btn small' }, t('cp.roster')),
    h('a', { href: '#/checkpoint/poster', class: 'btn small poster-link' }, t('cp.poster'))),
  h('div', { class: 'outbox' }, outboxLine, sendNow));

  let villages = [];
  const pointSel = select('point_id', 'cp.point', [], '');
  const queue = h('ul', { class: 'list checkin-queue' });
  const queueBox = h('section', { class: 'card queue', hidden: true },
    h('h2', { text: t('cp.queue') }), queue);
  let checkinId = 0;

  // direction: two big buttons
  let direction = 'in';
  const dirButtons = DIRECTIONS.map((d) => h('button', { type: 'button',
    class: ['btn', 'dir', d === direction && 'on'], 'aria-pressed': String(d === direction),
    dataset: { dir: d }, onclick: () => setDirection(d) }, directionName(d)));
  function setDirection(d) {
    direction = d;
    for (const b of dirButtons) {
      const on = b.dataset.dir === d;
      b.classList.toggle('on', on);
      b.setAttribute('aria-pressed', String(on));
    }
  }

  const vehicle = select('vehicle', 'cp.vehicle_type',
    VEHICLES.map((v) => ({ value: v, label: vehicleName(v) })), 'car');
  const plate = plateField(stored('fangyi-cp-province') || '鲁');
  const knownPlate = h('div', { class: 'known-plate', hidden: true });
  let plateAsked = '';
  plate.onChange = async () => {
    const p = plate.value();
    if (!plateComplete(plate.rest()) || p === plateAsked) return;
    plateAsked = p;
    try {
      const k = await api.get('/passes/known', { plate: p });
      if (!k.found || plate.value() !== p) {
        knownPlate.hidden = true;
        return;
      }
      knownPlate.replaceChildren(h('span', { text: t('cp.known_plate',
        { n: k.persons.length }) }), h('button', { type: 'button',
        class: 'btn small use-known', onclick: () => {
          vehicle.el.value = k.vehicle || vehicle.el.value;
          persons.replaceChildren();
          for (const kp of k.persons) addPerson(kp);
          knownPlate.hidden = true;
        } }, t('cp.use_known')));
      knownPlate.hidden = false;
    } catch { /* offline: the checker types it */ }
  };
  vehicle.el.addEventListener('change', () => {
    plate.el.hidden = vehicle.el.value === 'on_foot';
  });

  const persons = h('div', { class: 'persons' });
  const cards = () => [...persons.querySelectorAll('.person-card')];

  // addPerson: one person's fieldset; from = a known passenger (ref).
  function addPerson(from = null) {
    const n = cards().length + 1;
    const name = input('name', 'cp.name', { autocomplete: 'off' });
    const idn = input('id_number', 'cp.id_number', { inputmode: 'text',
      autocapitalize: 'characters', maxlength: '18', spellcheck: 'false' });
    const idInfo = h('p', { class: 'field-info muted', hidden: true });
    idn.field.append(idInfo);
    const phone = input('phone', 'cp.phone', { type: 'tel', inputmode: 'tel',
      maxlength: '16' });
    const fromI = input('from', 'cp.from', { placeholder: t('cp.from_hint') });
    const to = select('to_village_id', 'cp.to_village',
      [{ value: '', label: t('cp.to_none') },
        ...villages.map((v) => ({ value: v.id, label: v.name }))], '');
    const addr = input('address', 'cp.address');
    const temp = input('temperature', 'cp.temperature', { type: 'number',
      inputmode: 'decimal', step: '0.1', min: '35', max: '42.5', value: '36.5' });
    const reason = input('reason', 'cp.reason');
    const outcome = select('outcome', 'cp.outcome',
      OUTCOMES.map((o) => ({ value: o, label: outcomeName(o) })), 'admitted');
    const card = h('fieldset', { class: 'card person-card', dataset: { ref: '' } },
      h('legend', { text: t('cp.person_n', { n }) }),
      name.field, idn.field, phone.field, fromI.field, to.field, addr.field,
      h('div', { class: 'temp-row' }, temp.field, outcome.field), reason.field,
      h('button', { type: 'button', class: 'btn small danger remove-person',
        onclick: () => { card.remove(); renumber(); } }, t('cp.remove_person')));
    temp.el.addEventListener('input', () => {
      if (Number(temp.el.value) >= FEVER - 1e-9) outcome.el.value = 'fever_clinic';
      card.classList.toggle('fever', Number(temp.el.value) >= FEVER - 1e-9);
    });
    idn.el.addEventListener('input', async () => {
      const v = idn.el.value.trim().toUpperCase();
      const c = checkIdNumber(v);
      idInfo.hidden = true;
      if (v.length < 18) return;
      if (!c.ok) {
        idInfo.textContent = t('cp.id_bad');
        idInfo.hidden = false;
        return;
      }
      try {
        const k = await api.get('/passes/known', { id_number: v });
        const kp = k.found && k.persons[0];
        if (!kp) return;
        if (!name.el.value) name.el.value = kp.name || '';
        if (!fromI.el.value) fromI.el.value = kp.from || '';
        if (!to.el.value && kp.to_village_id) to.el.value = String(kp.to_village_id);
        if (!addr.el.value) addr.el.value = kp.address || '';
        idInfo.textContent = t('cp.id_known', { name: kp.name,
          village: kp.to_village_name || '' });
        idInfo.hidden = false;
      } catch { /* offline */ }
    });
    if (from) {
      name.el.value = from.name || '';
      idn.el.value = from.id_number || '';
      phone.el.value = from.phone || '';
      fromI.el.value = from.from || '';
      if (from.to_village_id) to.el.value = String(from.to_village_id);
      addr.el.value = from.address || '';
      reason.el.value = from.reason || '';
      if (from.id) card.dataset.ref = String(from.id);
      if (from.masked) card.dataset.masked = '1';
    }
    card.values = () => {
      const v = { name: name.el.value.trim(), id_number: idn.el.value.trim(),
        phone: phone.el.value.trim(), from: fromI.el.value.trim(),
        to_village_id: to.el.value ? Number(to.el.value) : null,
        address: addr.el.value.trim(), reason: reason.el.value.trim(),
        temperature: temp.el.value === '' ? null : Number(temp.el.value),
        outcome: outcome.el.value };
      // a masked value from a known passenger is filled in by the server
      if (card.dataset.ref) {
        v.ref = Number(card.dataset.ref);
        if (v.id_number.includes('*')) v.id_number = null;
        if (v.phone.includes('*')) v.phone = null;
      }
      if (card.dataset.masked) {
        if (v.id_number && v.id_number.includes('*')) v.id_number = null;
        if (v.phone && v.phone.includes('*')) v.phone = null;
      }
      for (const k of Object.keys(v)) if (v[k] === '') v[k] = null;
      return v;
    };
    persons.append(card);
    return card;
  }
  function renumber() {
    cards().forEach((c, i) => {
      c.querySelector('legend').textContent = t('cp.person_n', { n: i + 1 });
    });
  }

  const submit = h('button', { type: 'submit', class: 'btn primary block register' },
    t('cp.register'));
  const form = h('form', { class: 'pass-form', novalidate: true,
    onsubmit: (ev) => { ev.preventDefault(); send(); } },
  h('div', { class: 'dir-row', role: 'group', 'aria-label': t('cp.direction') },
    dirButtons),
  vehicle.field, plate.el, knownPlate, persons,
  h('button', { type: 'button', class: 'btn block add-person',
    onclick: () => addPerson().querySelector('input').focus() }, t('cp.add_person')),
  errors.el, submit);

  function resetForm() {
    plate.set('');
    plateAsked = '';
    knownPlate.hidden = true;
    checkinId = 0;
    persons.replaceChildren();
    addPerson();
  }

  async function send() {
    errors.clear();
    done.hidden = true;
    feverNote.hidden = true;
    const point = Number(pointSel.el.value);
    const body = { client_id: newClientId(), point_id: point, direction,
      vehicle: vehicle.el.value, plate: vehicle.el.value === 'on_foot' ? null
        : plate.value() || null, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      persons: cards().map((c) => c.values()) };
    if (checkinId) body.checkin_id = checkinId;
    try { localStorage.setItem('fangyi-cp-province', plate.province()); } catch { /* */ }
    submit.disabled = true;
    try {
      const r = await api.post('/passes', body);
      showDone(r.pass);
      resetForm();
      loadQueue();
    } catch (e) {
      if (e.status === 0) {
        keep(body);
        done.textContent = t('cp.kept_offline');
        done.hidden = false;
        resetForm();
        updateOutbox();
      } else {
        errors.show(e);
        markField(e.field);
      }
    } finally {
      submit.disabled = false;
    }
  }

  // markField: highlight the input an error names (persons[1].phone).
  function markField(field) {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    if (!field) return;
    const m = /^persons\[(\d+)\]\.(\w+)$/.exec(field);
    const scope = m ? cards()[Number(m[1])] : form;
    const name = m ? m[2] : field;
    const el = scope && scope.querySelector(`[name="${name}"]`);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      el.focus();
    }
  }

  function showDone(pass) {
    const n = pass.persons.length;
    const r = pass.persons.filter((p) => p.outcome === 'new_returnee').length;
    done.textContent = t('cp.saved', { n, plate: pass.plate || vehicleName(pass.vehicle), r });
    done.hidden = false;
    const hot = pass.persons.filter((p) => p.fever);
    if (hot.length) {
      feverNote.textContent = t('cp.fever_alert', { names: hot.map((p) => p.name).join('、') });
      feverNote.hidden = false;
    }
  }

  function updateOutbox() {
    const n = outbox().length;
    outboxLine.textContent = n ? t('cp.outbox_n', { n }) : t('cp.outbox_empty');
    sendNow.hidden = n === 0;
  }
  async function sendOutbox() {
    if (!outbox().length) return;
    const r = await flush();
    updateOutbox();
    if (r.refused.length) {
      errors.show(r.refused[0].error);
    } else if (r.sent) {
      done.textContent = t('cp.outbox_sent', { n: r.sent });
      done.hidden = false;
    }
  }
  window.addEventListener('online', sendOutbox);
  const timer = setInterval(() => {
    if (!document.body.contains(page)) {
      clearInterval(timer);
      window.removeEventListener('online', sendOutbox);
      return;
    }
    sendOutbox();
  }, 30000);

  async function loadQueue() {
    const point = pointSel.el.value;
    if (!point) return;
    try {
      const q = await api.get(`/points/${point}/checkins`);
      queue.replaceChildren(...(q.items || []).map((c) => h('li', { class: 'item checkin' },
        h('div', {}, h('strong', { class: 'code', text: c.code }), ' ',
          h('span', { text: c.name }), ' ',
          h('span', { class: 'muted', text: [c.plate, c.id_number].filter(Boolean).join(' · ') })),
        h('button', { type: 'button', class: 'btn small use-checkin', onclick: () => {
          checkinId = c.id;
          setDirection(c.direction || 'in');
          vehicle.el.value = c.vehicle || 'car';
          plate.set(c.plate || '');
          persons.replaceChildren();
          const card = addPerson({ ...c, id: null, masked: true });
          card.querySelector('[name=temperature]').focus();
          done.textContent = t('cp.checking', { code: c.code });
          done.hidden = false;
        } }, t('cp.check')),
        h('button', { type: 'button', class: 'btn small danger', onclick: async () => {
          try {
            await api.post(`/checkins/${c.id}/reject`);
          } catch (e) {
            errors.show(e);
          }
          loadQueue();
        } }, t('cp.reject')))));
      queueBox.hidden = !(q.items || []).length;
    } catch (e) {
      queueBox.hidden = true;
    }
  }

  pointSel.el.addEventListener('change', () => {
    try { localStorage.setItem(POINT_KEY, pointSel.el.value); } catch { /* */ }
    ctxPoster();
    loadQueue();
  });
  function ctxPoster() {
    const a = page.querySelector('.poster-link');
    if (a) a.href = `#/checkpoint/poster?point=${pointSel.el.value}`;
  }

  const body = h('div', { class: 'cp-body' }, pointSel.field, queueBox, done, feverNote, form);
  page.append(body);
  Promise.all([loadPoints(), api.get('/passes/villages').then((v) => v.items)]).then(([points, vs]) => {
    villages = vs;
    const want = ctx.params.point || stored(POINT_KEY);
    pointSel.el.replaceChildren(...points.map((p) => h('option', { value: String(p.id),
      selected: String(p.id) === String(want) }, `${p.name}（${p.village_name || ''}）`)));
    if (!points.length) {
      errors.show(new Error(t('cp.no_points')));
      errors.el.textContent = t('cp.no_points');
    }
    ctxPoster();
    resetForm();
    loadQueue();
    updateOutbox();
    sendOutbox();
  }, (e) => {
    errors.el.textContent = errorText(e);
    errors.el.hidden = false;
    resetForm();
    updateOutbox();
  });
  return page;
}
