// people_ui.js — pieces the people register's pages share: the coloured
// badges of a kind and a measure, a person as a compact card, the grids of
// a village for a select, region suggestions, the travel fields of a form,
// and the classification a save answered (shown big on the person page the
// form goes to).

import { h } from './dom.js';
import { api, fetchAll } from './api.js';
import { SOURCES, STATUSES, TRANSPORTS, kindName, measureText, optionsOf,
  screeningName, sourceName, statusName, transportName } from './labels.js';
import { t } from './i18n.js';

// badge: a coloured pill for a kind or a measure.
export function kindBadge(kind) {
  return h('span', { class: ['badge', 'kind', `kind-${kind || 'none'}`],
    text: kindName(kind) });
}

export function measureBadge(measure, days) {
  return h('span', { class: ['badge', 'measure', `measure-${measure || 'none'}`],
    text: measureText(measure, days) });
}

// personCard: one person in a list, the whole card a link to the person.
export function personCard(p) {
  const ids = [p.id_number, p.phone].filter(Boolean).join(' · ');
  const place = [p.village_name, p.grid_name].filter(Boolean).join(' · ');
  const tr = p.latest_travel;
  const travel = tr ? [tr.origin, tr.return_date
    ? t('people.returned_on', { date: tr.return_date }) : null]
    .filter(Boolean).join(' · ') : '';
  return h('li', { class: 'person-item' },
    h('a', { class: 'item person-card', href: `#/people/${p.id}` },
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: p.name }),
        p.kind ? kindBadge(p.kind) : null,
        p.measure && p.measure !== 'none'
          ? measureBadge(p.measure, p.period_days) : null,
        p.screening === 'pending'
          ? h('span', { class: 'badge pending', text: screeningName('pending') })
          : null),
      ids ? h('p', { class: 'item-meta mono', text: ids }) : null,
      place ? h('p', { class: 'item-meta', text: place }) : null,
      travel ? h('p', { class: 'item-meta', text: travel }) : null));
}

// gridOptions: the grids of a village for a select, "all" first.
export function gridOptions(villageId, anyKey) {
  const any = [{ value: '', label: t(anyKey) }];
  if (!villageId) return Promise.resolve(any);
  return fetchAll('/places', { type: 'grid', village_id: villageId })
    .then((gs) => any.concat(gs.map((g) => ({ value: g.id, label: g.name }))));
}

let saved = null;

// rememberSaved keeps what a save answered ({created, classification,
// existing}) for the person page drawn next; takeSaved hands it over once.
export function rememberSaved(personId, result) {
  saved = { personId, ...result };
}

export function takeSaved(personId) {
  const s = saved && saved.personId === personId ? saved : null;
  saved = null;
  return s;
}

// suggestRegions: GET /regions?q= as suggestions (value: the code, label:
// the full name, e.g. 湖北省武汉市 for 武汉).
export async function suggestRegions(q) {
  const r = await api.get('/regions', { q });
  return (r.items || []).map((x) => ({ value: x.code, label: x.full_name || x.name,
    detail: x.code }));
}

// travelFields: the fields of one travel (POST /people's travel, POST
// /people/{id}/travels); showIf (optional) hides them all together.
export function travelFields(showIf) {
  const f = (field) => (showIf ? { ...field, showIf } : field);
  const check = (name) => f({ name, label: `travel.field.${name}`, type: 'check',
    value: false });
  return [
    f({ name: 'origin', label: 'travel.field.origin', type: 'suggest',
      required: true, suggest: suggestRegions, hint: 'travel.origin_hint' }),
    f({ name: 'via', label: 'travel.field.via', hint: 'travel.via_hint' }),
    f({ name: 'left_date', label: 'travel.field.left_date', type: 'date' }),
    f({ name: 'return_date', label: 'travel.field.return_date', type: 'date' }),
    f({ name: 'transport', label: 'travel.field.transport', type: 'select',
      value: '', options: optionsOf(TRANSPORTS, transportName, 'form.not_given') }),
    f({ name: 'transport_no', label: 'travel.field.transport_no',
      hint: 'travel.transport_no_hint' }),
    f({ name: 'reason', label: 'travel.field.reason' }),
    f({ name: 'flags', label: 'travel.flags', type: 'heading' }),
    check('contact_with_case'),
    check('symptoms'),
    check('companions_symptoms'),
    f({ name: 'symptoms_on_arrival', label: 'travel.field.symptoms_on_arrival',
      hint: 'travel.symptoms_on_arrival_hint' }),
    f({ name: 'source', label: 'travel.field.source', type: 'select',
      value: 'door_to_door', options: optionsOf(SOURCES, sourceName) }),
    f({ name: 'status', label: 'travel.field.status', type: 'select',
      value: 'returned', options: optionsOf(STATUSES, statusName) }),
  ];
}

const TRAVEL_KEYS = ['origin', 'via', 'left_date', 'return_date', 'transport',
  'transport_no', 'reason', 'contact_with_case', 'symptoms',
  'companions_symptoms', 'symptoms_on_arrival', 'source', 'status'];

// travelBody: the travel object to send, empty optional fields left out.
export function travelBody(v) {
  const body = {};
  for (const k of TRAVEL_KEYS) {
    if (v[k] === '' || v[k] === null || v[k] === undefined) continue;
    body[k] = v[k];
  }
  return body;
}

// fieldOfError: the form field an API error's `field` names ("travel.origin"
// → "origin").
export function fieldOfError(field) {
  return String(field).replace(/^travel\./, '');
}
