// pages/person.js — one person of the register (#/people/{id},
// people.read): identity (masked; the full ID number and phone on request
// for roles with pii.full — the server audits it), the class and measure
// the policy gives, every travel, the contacts both ways with links to
// those people, and with people.write: edit, add a travel, add a contact.
// With observation.read: the measures, their temperature curve and the
// responsibility chain (person_obs.js).
// After a save, the classification the server answered is shown on top.

import { h } from '../dom.js';
import { api, can } from '../api.js';
import { RELATIONSHIPS, idFlagName, kindName, measureText, optionsOf,
  relationshipName, riskName, screeningName, sexName, sourceName,
  statusName, transportName } from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, fieldError, formView, section, toggle }
  from '../ui.js';
import { fieldOfError, kindBadge, measureBadge, rememberSaved, takeSaved,
  travelBody, travelFields } from '../people_ui.js';
import { chainCard, measuresCard } from '../person_obs.js';

export async function render(ctx, id) {
  const page = h('div', { class: 'person-page' });
  const errors = errorBox();
  let person;
  try {
    person = await api.get(`/people/${id}`);
  } catch (e) {
    errors.show(e);
    page.append(h('h1', { text: t('person.title') }), errors.el);
    return page;
  }
  const again = () => ctx.navigate(`#/people/${id}`);
  const saved = takeSaved(id);
  if (saved) page.append(savedCard(saved, person));

  page.append(h('div', { class: 'person-head' },
    h('h1', { text: person.name }),
    h('div', { class: 'badges' },
      kindBadge(person.kind), measureBadge(person.measure, person.period_days),
      person.is_case ? h('span', { class: 'badge case', text: t('person.case') }) : null,
      person.screening === 'pending'
        ? h('span', { class: 'badge pending', text: screeningName('pending') })
        : null)));
  if (person.merged_into) {
    page.append(h('p', { class: 'alert warn' }, t('person.merged_into'), ' ',
      h('a', { href: `#/people/${person.merged_into}`,
        text: `#${person.merged_into}` })));
  }

  page.append(identityCard(person, again), classCard(person));
  if (can('observation.read')) page.append(measuresCard(person), chainCard(person));
  page.append(travelsCard(person, again),
    contactsCard(person, 'exposed_to', again),
    contactsCard(person, 'exposed_by', again));
  if (can('people.write') && !person.merged_into) page.append(addContact(person, again));
  return page;
}

// savedCard: what the last save answered — registered (or found by its
// ID number and a travel added), and the class and measure, big.
function savedCard(saved, person) {
  let note;
  if (saved.travelOnly) note = t('person.travel_added');
  else if (saved.contactOnly) {
    note = saved.other === null ? t('person.contact_added')
      : t('person.contact_added_for', { name: saved.other });
  }
  else if (saved.edited) note = t('person.saved');
  else if (saved.created === false) {
    note = t(saved.travelAdded ? 'person.existing_travel_added' : 'person.existing',
      { name: person.name });
  } else note = t('person.registered', { name: person.name });
  const c = saved.classification;
  return h('section', { class: ['classification-result', 'card',
    c && c.measure && c.measure !== 'none' ? `measure-${c.measure}` : 'measure-none'],
  role: 'status' },
  h('p', { class: saved.created === false ? 'saved-note existing' : 'saved-note',
    text: note }),
  c ? [
    h('p', { class: 'result-kind', text: c.kind
      ? kindName(c.kind) : t('person.no_kind') }),
    h('p', { class: 'result-measure', text: measureText(c.measure, c.period_days) }),
    (c.reasons || []).length > 1 ? h('p', { class: 'muted', text: t('person.reasons',
      { list: c.reasons.map(kindName).join('、') }) }) : null,
  ] : null);
}

// row: one label/value line of a card.
function row(labelKey, value, cls) {
  if (value === null || value === undefined || value === '') return null;
  return h('div', { class: ['row', cls] }, h('dt', { text: t(labelKey) }),
    h('dd', {}, value));
}

function identityCard(person, again) {
  const errors = errorBox();
  const body = h('dl', { class: 'rows' });
  const actions = h('div', { class: 'item-actions' });
  const draw = (p, full) => {
    const place = [p.village_name, p.grid_name].filter(Boolean).join(' · ');
    body.replaceChildren(...[
      row('person.field.id_number', p.id_number
        ? h('span', { class: 'mono id-number', text: p.id_number })
        : t('person.no_id'), 'id'),
      p.id_flag ? row('person.id_flag', idFlagName(p.id_flag), 'warn') : null,
      row('person.field.sex', p.sex ? sexName(p.sex) : ''),
      row('person.birth_date', p.birth_date),
      row('person.field.phone', p.phone && full
        ? h('a', { class: 'mono phone', href: `tel:${p.phone}`, text: p.phone })
        : (p.phone && h('span', { class: 'mono phone', text: p.phone })) || ''),
      row('person.place', place),
      row('person.field.address', p.address),
      row('person.field.notes', p.notes),
    ].filter(Boolean));
    if (full) {
      actions.replaceChildren(h('p', { class: 'muted full-shown',
        text: t('person.full_shown') }));
    }
  };
  draw(person, false);
  if (can('pii.full') && (person.id_number || person.phone)) {
    actions.append(actionButton('person.show_full', async () => {
      const p = await api.get(`/people/${person.id}`, { full: 1 });
      draw(p, true);
    }, { errors }));
  }
  if (can('people.write') && !person.merged_into) {
    actions.append(h('a', { class: 'btn small edit', href: `#/people/${person.id}/edit` },
      t('person.edit')));
    if (person.screening === 'pending') {
      actions.append(actionButton('person.confirm_screening', async () => {
        const r = await api.patch(`/people/${person.id}`, { screening: 'confirmed' });
        rememberSaved(person.id, { edited: true, classification: r.classification || null });
        again();
      }, { errors }));
    }
  }
  return h('section', { class: 'card identity' },
    h('h2', { text: t('person.identity') }), body, actions, errors.el);
}

function classCard(person) {
  return section('person.class_title', h('dl', { class: 'rows' },
    row('person.kind', person.kind ? kindName(person.kind) : t('person.no_kind')),
    row('person.measure', measureText(person.measure, person.period_days),
      'measure-text')),
  h('p', { class: 'hint', text: t('person.class_hint') }));
}

function travelItem(tr) {
  const flags = [];
  if (tr.contact_with_case) flags.push(t('travel.field.contact_with_case'));
  if (tr.symptoms) flags.push(t('travel.field.symptoms'));
  if (tr.companions_symptoms) flags.push(t('travel.field.companions_symptoms'));
  const dates = [tr.left_date && t('travel.left_on', { date: tr.left_date }),
    tr.return_date && t('people.returned_on', { date: tr.return_date })]
    .filter(Boolean).join(' → ');
  const transport = [tr.transport && transportName(tr.transport), tr.transport_no]
    .filter(Boolean).join(' ');
  return h('li', { class: 'item travel' },
    h('div', { class: 'item-head' },
      h('span', { class: 'item-title', text: tr.origin || tr.origin_code || '—' }),
      tr.risk_level && tr.risk_level !== 'none'
        ? h('span', { class: ['badge', `risk-${tr.risk_level}`], text: riskName(tr.risk_level) })
        : null,
      tr.status === 'expected'
        ? h('span', { class: 'badge', text: statusName('expected') }) : null),
    tr.via ? h('p', { class: 'item-meta', text: t('travel.via_text', { via: tr.via }) }) : null,
    dates ? h('p', { class: 'item-meta', text: dates }) : null,
    transport ? h('p', { class: 'item-meta', text: transport }) : null,
    tr.reason ? h('p', { class: 'item-meta', text: tr.reason }) : null,
    flags.length ? h('p', { class: 'flags alert error', text: flags.join('、') }) : null,
    tr.symptoms_on_arrival ? h('p', { class: 'item-meta',
      text: t('travel.symptoms_on_arrival_text', { text: tr.symptoms_on_arrival }) }) : null,
    h('p', { class: 'item-meta', text: [sourceName(tr.source),
      tr.status === 'expected' ? '' : statusName(tr.status)].filter(Boolean).join(' · ') }));
}

function travelsCard(person, again) {
  const travels = person.travels || [];
  const card = h('section', { class: 'card travels' },
    h('h2', { text: t('person.travels_n', { n: travels.length }) }),
    travels.length ? h('ul', { class: 'list' }, travels.map(travelItem))
      : h('p', { class: 'muted', text: t('person.no_travels') }));
  if (can('people.write') && !person.merged_into) {
    const add = toggle('person.add_travel');
    const form = formView({
      className: 'travel-form',
      inlineErrors: true,
      fieldFor: fieldOfError,
      fields: travelFields(),
      submit: 'person.add_travel_submit',
      cancel: 'form.cancel',
      onCancel: () => add.close(),
      onSubmit: async (v) => {
        const r = await api.post(`/people/${person.id}/travels`, travelBody(v));
        rememberSaved(person.id, { travelOnly: true,
          classification: (r && r.classification) || null });
        again();
        return null;
      },
    });
    add.panel.append(form.el);
    card.append(add.el);
  }
  return card;
}

// contactsCard: exposed_to (whom this person was exposed to) or
// exposed_by (who was exposed to this person), each a link to the other.
function contactsCard(person, which, again) {
  const items = person[which] || [];
  const other = (c) => (which === 'exposed_to' ? c.source_id : c.person_id);
  const list = h('ul', { class: 'list' });
  for (const c of items) {
    const errors = errorBox();
    const li = h('li', { class: 'item contact' },
      h('div', { class: 'item-head' },
        h('a', { class: 'item-title', href: `#/people/${other(c)}`,
          text: c.other_name || c.name || `#${other(c)}` }),
        c.relationship ? h('span', { class: 'badge',
          text: relationshipName(c.relationship) }) : null),
      h('p', { class: 'item-meta', text: [
        c.last_exposure && t('contact.last_exposure_on', { date: c.last_exposure }),
        c.setting].filter(Boolean).join(' · ') }));
    if (can('people.write')) {
      li.append(h('div', { class: 'item-actions' },
        actionButton('contact.remove', async () => {
          const owner = which === 'exposed_to' ? person.id : c.person_id;
          await api.del(`/people/${owner}/contacts/${c.id}`);
          again();
        }, { danger: true, confirm: 'contact.remove_confirm', errors })), errors.el);
    }
    list.append(li);
  }
  return h('section', { class: ['card', 'contacts', which] },
    h('h2', { text: t(`person.${which}`) }),
    h('p', { class: 'hint', text: t(`person.${which}_hint`) }),
    items.length ? list : h('p', { class: 'muted', text: t('person.no_contacts') }));
}

// addContact: search a person (name, phone or ID number), pick, say which
// way the exposure went, the last exposure date, relationship and setting.
function addContact(person, again) {
  const add = toggle('contact.add');
  const form = formView({
    className: 'contact-form',
    inlineErrors: true,
    fields: [
      { name: 'other', label: 'contact.field.person', type: 'suggest',
        required: true, hint: 'contact.person_hint',
        suggest: async (q) => {
          const r = await api.get('/people', { q, limit: 10 });
          return (r.items || []).filter((p) => p.id !== person.id).map((p) => ({
            value: p.id, label: p.name,
            detail: [p.id_number, p.phone, p.village_name].filter(Boolean).join(' · '),
          }));
        } },
      { name: 'direction', label: 'contact.field.direction', type: 'select',
        value: 'exposed_to', options: [
          { value: 'exposed_to', label: t('contact.direction.exposed_to') },
          { value: 'exposed_by', label: t('contact.direction.exposed_by') }] },
      { name: 'last_exposure', label: 'contact.field.last_exposure', type: 'date',
        required: true },
      { name: 'relationship', label: 'contact.field.relationship', type: 'select',
        value: 'family', options: optionsOf(RELATIONSHIPS, relationshipName) },
      { name: 'setting', label: 'contact.field.setting',
        hint: 'contact.setting_hint' },
    ],
    validate: (v) => (typeof v.other === 'number' ? null
      : fieldError('other', t('contact.pick_one'))),
    fieldFor: (f) => (f === 'source_id' ? 'other' : f),
    submit: 'contact.add_submit',
    cancel: 'form.cancel',
    onCancel: () => add.close(),
    onSubmit: async (v) => {
      const exposed = v.direction === 'exposed_to' ? person.id : v.other;
      const source = v.direction === 'exposed_to' ? v.other : person.id;
      const body = { source_id: source, last_exposure: v.last_exposure,
        relationship: v.relationship };
      if (v.setting) body.setting = v.setting;
      const r = await api.post(`/people/${exposed}/contacts`, body);
      // The classification answered is the exposed person's.
      rememberSaved(person.id, { contactOnly: true,
        other: exposed === person.id ? null : ((r && r.person && r.person.name) || ''),
        classification: (r && r.classification) || null });
      again();
      return null;
    },
  });
  add.panel.append(form.el);
  return h('section', { class: 'card add-contact' },
    h('h2', { text: t('contact.title') }), add.el);
}
