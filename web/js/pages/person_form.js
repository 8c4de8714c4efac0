// pages/person_form.js — registering a person (#/people/new) and editing
// one (#/people/{id}/edit), people.write.  The ID number and the mobile
// are checked while they are typed (the sex and birth date the ID number
// encodes are shown under it); a new person can come with their travel,
// the origin picked from region suggestions.  The server's error lands on
// its field; after a save the person page shows the classification the
// server answered.

import { h } from '../dom.js';
import { api, fetchAll } from '../api.js';
import { checkIdNumber, checkPhone } from '../idnum.js';
import { sexName } from '../labels.js';
import { t } from '../i18n.js';
import { errorBox, formView } from '../ui.js';
import { fieldOfError, gridOptions, rememberSaved, travelBody, travelFields }
  from '../people_ui.js';

// liveId: the ID number's problem, or the sex and birth date it encodes.
// While typing, a number still too short is not yet an error.
export function liveId(value, values, final) {
  if (value && value.includes('*')) return {}; // the masked number, unchanged
  const r = checkIdNumber(value);
  if (r.ok) {
    if (r.empty) return {};
    const info = t('person.id_info', { sex: sexName(r.sex), birth: r.birth });
    return { info: r.legacy ? `${info} · ${t('person.id_legacy')}` : info };
  }
  const compact = String(value).replace(/\s+/g, '');
  if (!final && r.error === 'length' && compact.length < 18
      && /^\d*$/.test(compact)) return {};
  return { error: t(`person.id_error.${r.error}`, { n: compact.length }) };
}

export function livePhone(value, values, final) {
  if (value && value.includes('*')) return {};
  const r = checkPhone(value);
  if (r.ok) return {};
  const digits = String(value).replace(/\D/g, '');
  if (!final && digits.length < 11 && /^[+\d\s-]*$/.test(value)) return {};
  return { error: t('person.phone_error') };
}

const PERSON_KEYS = ['name', 'id_number', 'phone', 'sex', 'village_id',
  'grid_id', 'address', 'notes', 'is_case'];

export async function render(ctx, id) {
  const editing = id !== null;
  const page = h('div', { class: 'person-form-page' },
    h('h1', { text: t(editing ? 'person.edit_title' : 'person.new_title') }));
  let person = {};
  if (editing) {
    const errors = errorBox();
    try {
      person = await api.get(`/people/${id}`);
    } catch (e) {
      errors.show(e);
      page.append(errors.el);
      return page;
    }
    page.append(h('p', { class: 'muted', text: person.name }));
  }

  const villages = fetchAll('/places', { type: 'village' });
  const villageOptions = () => villages.then((vs) => {
    const opts = vs.filter((v) => v.active || v.id === person.village_id)
      .map((v) => ({ value: v.id, label: v.name }));
    return opts.length === 1 ? opts
      : [{ value: '', label: t('person.choose_village') }, ...opts];
  });

  const fields = [
    { name: 'name', label: 'person.field.name', required: true,
      value: person.name || '', maxLength: 50, autocomplete: 'off' },
    { name: 'id_number', label: 'person.field.id_number',
      value: person.id_number || '', live: liveId, maxLength: 20,
      hint: editing && person.id_number && person.id_number.includes('*')
        ? 'person.masked_hint' : 'person.id_hint' },
    { name: 'sex', label: 'person.field.sex', type: 'select',
      value: person.sex || '', showIf: (v) => !v.id_number,
      options: [{ value: '', label: t('form.not_given') },
        { value: 'M', label: sexName('M') }, { value: 'F', label: sexName('F') }] },
    { name: 'phone', label: 'person.field.phone', type: 'tel',
      inputmode: 'tel', value: person.phone || '', live: livePhone,
      autocomplete: 'off' },
    { name: 'village_id', label: 'person.field.village', type: 'select',
      value: person.village_id || '', required: true, options: villageOptions },
    { name: 'grid_id', label: 'person.field.grid', type: 'select',
      value: person.grid_id || '',
      options: () => gridOptions(person.village_id, 'person.no_grid') },
    { name: 'address', label: 'person.field.address',
      value: person.address || '' },
    { name: 'notes', label: 'person.field.notes', type: 'textarea',
      value: person.notes || '' },
    { name: 'is_case', label: 'person.field.is_case', type: 'check',
      value: !!person.is_case, hint: 'person.is_case_hint' },
  ];
  if (!editing) {
    const withTravel = (v) => !!v.with_travel;
    fields.push(
      { name: 'travel_heading', label: 'person.section.travel',
        type: 'heading' },
      { name: 'with_travel', label: 'person.field.with_travel', type: 'check',
        value: true, hint: 'person.with_travel_hint' },
      ...travelFields(withTravel),
    );
  }

  const form = formView({
    className: 'person-form',
    inlineErrors: true,
    fieldFor: fieldOfError,
    fields,
    submit: editing ? 'form.save' : 'person.register',
    cancel: 'form.cancel',
    onCancel: () => ctx.navigate(editing ? `#/people/${id}` : '#/people'),
    onSubmit: async (v) => {
      if (editing) {
        const body = changes(person, v);
        const r = Object.keys(body).length
          ? await api.patch(`/people/${id}`, body) : person;
        rememberSaved(id, { edited: true,
          classification: r.classification || null });
        ctx.navigate(`#/people/${id}`);
        return null;
      }
      const body = personBody(v);
      if (v.with_travel) body.travel = travelBody(v);
      const r = await api.post('/people', body);
      const p = r.person || {};
      rememberSaved(p.id, { created: r.created !== false,
        travelAdded: !!body.travel, classification: r.classification || null });
      ctx.navigate(`#/people/${p.id}`);
      return null;
    },
  });
  // The grids follow the village chosen (also when the village list has
  // a single entry, chosen as soon as it loads).
  let gridVillage = person.village_id || '';
  let asked = 0;
  form.el.addEventListener('change', async () => {
    const vid = form.values().village_id;
    if (vid === gridVillage) return;
    gridVillage = vid;
    asked += 1;
    const mine = asked;
    const opts = await gridOptions(vid, 'person.no_grid').catch(() => null);
    if (opts && mine === asked) form.setOptions('grid_id', opts);
  });
  page.append(form.el);
  setTimeout(() => { if (!editing) form.focus('name'); }, 0);
  return page;
}

// personBody: the person fields of a new person, empty ones left out.
function personBody(v) {
  const body = {};
  for (const k of PERSON_KEYS) {
    if (!(k in v)) continue;
    if (v[k] === '' || v[k] === null) continue;
    if (k === 'is_case' && !v[k]) continue;
    body[k] = v[k];
  }
  if (body.id_number) {
    body.id_number = body.id_number.replace(/\s+/g, '').toUpperCase();
    delete body.sex;
  }
  return body;
}

// changes: only what the user changed (a masked ID number or phone left as
// it was is not sent back); an emptied grid is null.
function changes(before, v) {
  const body = {};
  for (const k of PERSON_KEYS) {
    if (!(k in v)) continue;
    const old = before[k] ?? (k === 'is_case' ? false : '');
    if (v[k] === old) continue;
    if (k === 'grid_id' && v[k] === '') body.grid_id = null;
    else if (k === 'id_number') body.id_number = v[k].replace(/\s+/g, '').toUpperCase();
    else body[k] = v[k];
  }
  return body;
}
