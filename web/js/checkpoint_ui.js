// checkpoint_ui.js — pieces the checkpoint pages share: the codes of a
// pass (directions, vehicle types, outcomes) and their names, the plate
// field with its province-abbreviation keyboard, the points of a select,
// and the phone's outbox of registrations not yet sent (localStorage),
// each with the client id the server stores once.

import { h, uid } from './dom.js';
import { api, fetchAll } from './api.js';
import { t, tOr } from './i18n.js';

export const DIRECTIONS = ['in', 'out'];
export const VEHICLES = ['car', 'bus', 'truck', 'motorbike', 'on_foot', 'other'];
export const OUTCOMES = ['admitted', 'turned_back', 'new_returnee', 'fever_clinic'];
// DOMAIN.md: the province abbreviations of a plate
export const PROVINCES = [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'];
export const FEVER = 37.3;

export const vehicleName = (x) => tOr(`cp.vehicle.${x}`, x || '');
export const outcomeName = (x) => tOr(`cp.outcome.${x}`, x || '');
export const directionName = (x) => tOr(`cp.direction.${x}`, x || '');

const PLATE_RE = /^[A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$/;

// plateComplete: the part after the province is a whole plate.
export function plateComplete(rest) {
  return PLATE_RE.test(rest.replace(/[\s·-]/g, '').toUpperCase());
}

// plateField: the province picked from a keyboard of abbreviations (one
// tap), the rest typed.  Returns {el, value(), set(plate), onChange}.
export function plateField(initialProvince = '鲁') {
  const id = uid('plate');
  let province = initialProvince;
  const pbtn = h('button', { type: 'button', class: 'btn province-btn',
    'aria-haspopup': 'true', 'aria-expanded': 'false',
    'aria-label': t('cp.province') }, province);
  const rest = h('input', { id, type: 'text', name: 'plate', class: 'plate-rest',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    maxlength: '9', placeholder: 'G12345', enterkeyhint: 'next' });
  const keys = h('div', { class: 'province-keys', hidden: true, role: 'group',
    'aria-label': t('cp.province') });
  const field = { el: null, onChange: () => {} };
  for (const p of PROVINCES) {
    keys.append(h('button', { type: 'button', class: 'key', onclick: () => {
      province = p;
      pbtn.textContent = p;
      keys.hidden = true;
      pbtn.setAttribute('aria-expanded', 'false');
      rest.focus();
      field.onChange();
    } }, p));
  }
  pbtn.addEventListener('click', () => {
    keys.hidden = !keys.hidden;
    pbtn.setAttribute('aria-expanded', String(!keys.hidden));
  });
  rest.addEventListener('input', () => {
    rest.value = rest.value.toUpperCase();
    field.onChange();
  });
  field.el = h('div', { class: 'field plate-field' },
    h('label', { for: id, text: t('cp.plate') }),
    h('div', { class: 'plate-row' }, pbtn, rest), keys);
  field.rest = () => rest.value.trim();
  field.value = () => (rest.value.trim() ? province + rest.value.trim() : '');
  field.set = (plate) => {
    if (!plate) {
      rest.value = '';
      return;
    }
    province = [...plate][0];
    pbtn.textContent = province;
    rest.value = plate.slice(province.length);
  };
  field.province = () => province;
  return field;
}

// loadPoints: the active points the account may see.
export function loadPoints() {
  return fetchAll('/places', { type: 'point', active: 1 });
}

// ---- the outbox ------------------------------------------------------------

const OUTBOX = 'fangyi-cp-outbox';

// newClientId: a random id for one registration (crypto.randomUUID needs
// https; getRandomValues works on a plain-http LAN too).
export function newClientId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function outbox() {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX) || '[]');
  } catch {
    return [];
  }
}

function saveOutbox(list) {
  try {
    localStorage.setItem(OUTBOX, JSON.stringify(list));
  } catch { /* storage full: the registration stays on screen */ }
}

export function keep(body) {
  saveOutbox([...outbox().filter((b) => b.client_id !== body.client_id), body]);
}

// flush sends what waits, oldest first, and stops at the first network
// failure.  A refusal (4xx) leaves the outbox: it would never pass.
// Resolves {sent, refused: [{body, error}], left}.
let flushing = null;
export function flush() {
  if (!flushing) {
    flushing = (async () => {
      const out = { sent: 0, refused: [], left: 0 };
      for (const body of outbox()) {
        try {
          await api.post('/passes', body);
          out.sent += 1;
        } catch (e) {
          if (e.status === 0 || e.status >= 500 || e.status === 401) break;
          out.refused.push({ body, error: e });
        }
        saveOutbox(outbox().filter((b) => b.client_id !== body.client_id));
      }
      out.left = outbox().length;
      return out;
    })().finally(() => { flushing = null; });
  }
  return flushing;
}
