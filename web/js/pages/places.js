// pages/places.js — villages, grids, prevention points and venues.
// Tabs by type, a village filter for the rest, a list that loads more on
// demand, and (with places.write) adding, editing, deactivating and
// deleting.  A place that has records cannot be deleted (409 has_records):
// the page says so and offers to deactivate it instead.

import { h, uid } from '../dom.js';
import { api, can, fetchAll, getSession } from '../api.js';
import { PLACE_TYPES, VENUE_KINDS, placeTypeName, venueKindName }
  from '../labels.js';
import { t } from '../i18n.js';
import { actionButton, errorBox, formView, pagedList, toggle } from '../ui.js';

const kindOptions = () => VENUE_KINDS.map((k) =>
  ({ value: k, label: venueKindName(k) }));

export function render(ctx) {
  const type = PLACE_TYPES.includes(ctx.params.type) ? ctx.params.type
    : 'village';
  const villageId = type !== 'village' && /^\d+$/.test(ctx.params.village_id || '')
    ? Number(ctx.params.village_id) : null;
  const session = getSession();
  const wholeTown = !!(session.user && session.user.scope_all);
  const writable = can('places.write');
  // Villages themselves can be changed only by whole-town accounts.
  const editable = (p) => writable && (p.type !== 'village' || wholeTown);

  let villages = fetchAll('/places', { type: 'village' });
  const villageOptions = (activeOnly) => villages.then((vs) => vs
    .filter((v) => v.active || !activeOnly)
    .map((v) => ({ value: v.id,
      label: v.active ? v.name : `${v.name} (${t('place.inactive')})` })));

  const page = h('div', { class: 'places' }, h('h1', { text: t('nav.places') }));

  page.append(h('nav', { class: 'tabs', 'aria-label': t('places.types') },
    PLACE_TYPES.map((tp) => h('a', {
      class: ['tab', tp === type && 'active'],
      href: ctx.hashFor('places', { type: tp,
        village_id: tp === 'village' ? null : villageId }),
      'aria-current': tp === type ? 'page' : null,
    }, placeTypeName(tp)))));

  if (type !== 'village') page.append(villageFilter(ctx, type, villageId,
    villageOptions(false)));

  const list = pagedList({
    fetchPage: (cursor) => api.get('/places', { type,
      village_id: villageId, cursor }),
    renderItem: (p) => placeItem(p, editable(p)),
    empty: 'places.empty',
  });

  if (writable) {
    const types = wholeTown ? PLACE_TYPES : PLACE_TYPES.filter((x) => x !== 'village');
    const add = toggle('places.add');
    const form = formView({
      className: 'add-place',
      fields: [
        { name: 'type', label: 'places.field.type', type: 'select',
          value: types.includes(type) ? type : types[0],
          options: types.map((x) => ({ value: x, label: placeTypeName(x) })) },
        { name: 'name', label: 'places.field.name', required: true },
        { name: 'village_id', label: 'places.field.village', type: 'select',
          value: villageId, required: true, options: () => villageOptions(true),
          showIf: (v) => v.type !== 'village', hint: 'places.village_hint' },
        { name: 'venue_kind', label: 'places.field.venue_kind', type: 'select',
          value: 'other', options: kindOptions(),
          showIf: (v) => v.type === 'venue' },
      ],
      submit: 'places.add_submit',
      cancel: 'form.cancel',
      onCancel: () => add.close(),
      onSubmit: async (v) => {
        const body = { type: v.type, name: v.name };
        if (v.type !== 'village') body.village_id = v.village_id;
        if (v.type === 'venue') body.venue_kind = v.venue_kind;
        const p = await api.post('/places', body);
        const done = t('places.added', { type: placeTypeName(p.type),
          name: p.name });
        if (p.type !== type || (villageId && p.village_id !== villageId)) {
          ctx.flash(done);
          ctx.navigate(ctx.hashFor('places', { type: p.type,
            village_id: p.village_id }));
          return null;
        }
        list.reload();
        if (p.type === 'village') {
          villages = fetchAll('/places', { type: 'village' });
          form.setOptions('village_id', await villageOptions(true));
        }
        form.focus('name');
        return done;
      },
      resetOnSuccess: true,
    });
    add.panel.append(form.el);
    page.append(add.el);
  }
  page.append(list.el);
  return page;
}

// villageFilter: a select that narrows the list to one village.
function villageFilter(ctx, type, villageId, options) {
  const id = uid('filter');
  const select = h('select', { id, onchange: () => ctx.navigate(
    ctx.hashFor('places', { type, village_id: select.value })) },
  h('option', { value: '', text: t('places.all_villages') }));
  options.then((opts) => {
    for (const o of opts) {
      select.append(h('option', { value: String(o.value), text: o.label,
        selected: o.value === villageId }));
    }
  }, () => { /* the list shows the error */ });
  return h('div', { class: 'field filter' },
    h('label', { for: id, text: t('places.filter_village') }), select);
}

// placeItem: one place in the list, with its actions when editable.
function placeItem(place, editable) {
  let p = place;
  const li = h('li', { class: 'item' });
  const errors = errorBox();
  const editSlot = h('div');

  const setActive = async (active) => {
    p = await api.patch(`/places/${p.id}`, { active });
    draw();
  };

  function openEdit() {
    const fields = [{ name: 'name', label: 'places.field.name', value: p.name,
      required: true }];
    if (p.type === 'venue') {
      fields.push({ name: 'venue_kind', label: 'places.field.venue_kind',
        type: 'select', value: p.venue_kind || 'other', options: kindOptions() });
    }
    const form = formView({
      fields,
      submit: 'form.save',
      cancel: 'form.cancel',
      onCancel: () => editSlot.replaceChildren(),
      onSubmit: async (v) => {
        p = await api.patch(`/places/${p.id}`, v);
        draw();
      },
    });
    editSlot.replaceChildren(form.el);
    form.focus();
  }

  function draw() {
    li.classList.toggle('inactive', !p.active);
    const meta = [];
    if (p.type !== 'village' && p.village_name) meta.push(p.village_name);
    if (p.type === 'venue' && p.venue_kind) meta.push(venueKindName(p.venue_kind));
    editSlot.replaceChildren();
    errors.clear();
    li.replaceChildren(
      h('div', { class: 'item-head' },
        h('span', { class: 'item-title', text: p.name }),
        p.active ? null : h('span', { class: 'badge', text: t('place.inactive') })),
      meta.length ? h('p', { class: 'item-meta', text: meta.join(' · ') }) : null);
    if (!editable) return;
    li.append(h('div', { class: 'item-actions' },
      h('button', { type: 'button', class: 'btn small', onclick: openEdit },
        t('places.edit')),
      actionButton(p.active ? 'places.deactivate' : 'places.activate',
        () => setActive(!p.active), { errors }),
      actionButton('places.delete', async () => {
        await api.del(`/places/${p.id}`);
        li.remove();
      }, {
        danger: true, confirm: 'places.delete_confirm', errors,
        onError: (e) => (e.code === 'has_records' && p.active
          ? [actionButton('places.deactivate_instead', () => setActive(false),
            { errors })]
          : []),
      })), errors.el, editSlot);
  }

  draw();
  return li;
}
