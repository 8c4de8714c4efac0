// labels.js — words for codes the server sends: role names (from
// GET /roles, in the current language), place types, venue kinds, audit
// actions, and times shown in the town's time zone.

import { api, getSession } from './api.js';
import { getLang, tOr } from './i18n.js';

export const PLACE_TYPES = ['village', 'grid', 'point', 'venue'];
export const VENUE_KINDS = ['supermarket', 'factory', 'pharmacy', 'office',
  'other'];

let rolesPromise = null;

// loadRoles resolves with GET /roles items; fetched once per session.
export function loadRoles() {
  if (!rolesPromise) {
    rolesPromise = api.get('/roles').then((r) => r.items || [])
      .catch((e) => {
        rolesPromise = null;
        throw e;
      });
  }
  return rolesPromise;
}

export function forgetRoles() {
  rolesPromise = null;
}

// roleName gives a role's name in the current language from the list of
// roles; unknown codes show as they are.
export function roleName(roles, code) {
  const r = (roles || []).find((x) => x.code === code);
  if (!r) return code;
  return (getLang() === 'zh-CN' ? r.name_zh : r.name_en) || code;
}

export function placeTypeName(type) {
  return tOr(`place.type.${type}`, type);
}

export function venueKindName(kind) {
  return tOr(`venue_kind.${kind}`, kind);
}

export function auditActionName(action) {
  return tOr(`audit.action.${action}`, action);
}

export function auditEntityName(entity) {
  return tOr(`audit.entity.${entity}`, entity);
}

// formatTime shows an ISO time in the town's time zone, or '' for none.
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const s = getSession();
  const opts = {
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  };
  try {
    return new Intl.DateTimeFormat(getLang(), {
      ...opts, timeZone: (s && s.town && s.town.tz) || undefined,
    }).format(d);
  } catch {
    return new Intl.DateTimeFormat(getLang(), opts).format(d);
  }
}

