// checkin_public.js — the public self-registration form behind a
// checkpoint's QR poster (checkin.html?t=TOKEN), for a traveller's own
// phone without an account: the point's name, then name, ID number,
// mobile, from, destination village and address, reason, direction,
// vehicle and plate.  The answer is a 6-digit code to show the checker,
// who confirms it against the person; nothing else comes back.

import { h, uid } from './dom.js';
import { initI18n, t } from './i18n.js';
import { checkIdNumber, checkPhone } from './idnum.js';
import { PROVINCES, VEHICLES, vehicleName } from './checkpoint_ui.js';

const root = document.getElementById('app');
const token = new URLSearchParams(location.search).get('t') || '';

async function call(method, body) {
  let res;
  try {
    res = await fetch(`/api/v1/checkin/${encodeURIComponent(token)}`, {
      method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined, cache: 'no-store',
      credentials: 'omit' });
  } catch {
    return { status: 0, data: null };
  }
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  return { status: res.status, data };
}

function field(name, label, props = {}) {
  const id = uid(name);
  const { tag = 'input', options = [], ...rest } = props;
  const el = h(tag, { id, name, ...(tag === 'input' ? { type: 'text' } : {}),
    autocomplete: 'off', ...rest }, options);
  return { el, wrap: h('div', { class: 'field' }, h('label', { for: id, text: t(label) }), el) };
}

async function start() {
  await initI18n();
  document.title = t('checkin.title');
  const info = /^[0-9a-f]{32}$/.test(token) ? await call('GET') : { status: 404 };
  if (info.status !== 200) {
    root.replaceChildren(h('h1', { text: t('checkin.title') }),
      h('p', { class: 'alert error', text: t('checkin.bad_link') }));
    return;
  }
  const d = info.data;
  const name = field('name', 'cp.name', { maxlength: '40', autocomplete: 'name' });
  const idn = field('id_number', 'cp.id_number', { maxlength: '18', autocapitalize: 'characters' });
  const phone = field('phone', 'cp.phone', { type: 'tel', inputmode: 'tel', maxlength: '16' });
  const from = field('from', 'cp.from', { placeholder: t('cp.from_hint'), maxlength: '60' });
  const to = field('to_village_id', 'cp.to_village', { tag: 'select', options:
    [h('option', { value: '' }, t('cp.to_none')),
      ...d.villages.map((v) => h('option', { value: String(v.id) }, v.name))] });
  const addr = field('address', 'cp.address', { maxlength: '100' });
  const reason = field('reason', 'cp.reason', { maxlength: '100' });
  const dir = field('direction', 'cp.direction', { tag: 'select', options:
    ['in', 'out'].map((x) => h('option', { value: x }, t(`cp.direction.${x}`))) });
  const veh = field('vehicle', 'cp.vehicle_type', { tag: 'select', options:
    VEHICLES.map((x) => h('option', { value: x }, vehicleName(x))) });
  const prov = field('province', 'cp.province', { tag: 'select', options:
    PROVINCES.map((x) => h('option', { value: x, selected: x === '鲁' }, x)) });
  const plate = field('plate', 'cp.plate', { maxlength: '8', autocapitalize: 'characters',
    placeholder: 'G12345' });
  const err = h('p', { class: 'alert error', role: 'alert', hidden: true });
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, t('checkin.submit'));
  const form = h('form', { class: 'checkin-form', novalidate: true }, name.wrap, idn.wrap,
    phone.wrap, from.wrap, to.wrap, addr.wrap, reason.wrap, dir.wrap, veh.wrap,
    h('div', { class: 'plate-row' }, prov.wrap, plate.wrap), err, btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    if (!checkIdNumber(idn.el.value.trim()).ok) {
      err.textContent = t('cp.id_bad');
      err.hidden = false;
      return;
    }
    if (!checkPhone(phone.el.value.trim()).ok) {
      err.textContent = t('checkin.bad_phone');
      err.hidden = false;
      return;
    }
    btn.disabled = true;
    // a traveller who typed the whole plate (鲁G12345) keeps their
    // province: the chooser's is added only to the letters and digits
    const typed = plate.el.value.trim().toUpperCase();
    const own = /^[\u4e00-\u9fff]/.test(typed);
    const p = own ? typed.slice(1) : typed;
    const province = own ? typed[0] : prov.el.value;
    const r = await call('POST', { name: name.el.value.trim(),
      id_number: idn.el.value.trim(), phone: phone.el.value.trim(),
      from: from.el.value.trim(), to_village_id: to.el.value ? Number(to.el.value) : null,
      address: addr.el.value.trim(), reason: reason.el.value.trim(),
      direction: dir.el.value, vehicle: veh.el.value,
      plate: veh.el.value === 'on_foot' || !p ? null : province + p });
    btn.disabled = false;
    if (r.status === 201) {
      root.replaceChildren(h('h1', { text: d.point_name }),
        h('p', { class: 'alert success', text: t('checkin.done') }),
        h('p', { class: 'checkin-code', text: r.data.code }),
        h('p', { class: 'muted', text: t('checkin.show_code') }));
      return;
    }
    err.textContent = r.status === 0 ? t('error.network')
      : r.status === 429 ? t('checkin.too_many')
        : (r.data && r.data.error && r.data.error.message) || t('error.generic');
    err.hidden = false;
  });
  root.replaceChildren(h('h1', { text: t('checkin.title') }),
    h('p', { class: 'checkin-point', text: d.point_name }),
    h('p', { class: 'muted', text: t('checkin.intro') }), form);
}

start();
