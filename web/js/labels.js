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


// ---- the people register (docs/api.md, "The people register") ----------

export const KINDS = ['returnee_high', 'returnee_medium', 'returnee_low',
  'close_contact', 'contact_of_contact'];
export const MEASURES = ['central_isolation', 'home_isolation',
  'home_monitoring', 'none'];
export const TRANSPORTS = ['rail', 'air', 'coach', 'self_drive', 'other'];
export const SOURCES = ['door_to_door', 'checkpoint', 'self_registration',
  'higher_level'];
export const STATUSES = ['returned', 'expected'];
export const RELATIONSHIPS = ['family', 'colleague', 'co_passenger', 'other'];
export const RISK_LEVELS = ['high', 'medium', 'low'];

// kindName: a person's class; none (null) reads "no risk class".
export function kindName(kind) {
  return tOr(`kind.${kind || 'none'}`, kind || '');
}

export function measureName(measure) {
  return tOr(`measure.${measure || 'none'}`, measure || '');
}

// measureText: "居家隔离 14 天" — the measure with its period.
export function measureText(measure, days) {
  if (!measure || measure === 'none' || !days) return measureName(measure);
  return tOr('measure.with_days', measureName(measure),
    { measure: measureName(measure), n: days });
}

export const transportName = (x) => tOr(`transport.${x}`, x || '');
export const sourceName = (x) => tOr(`source.${x}`, x || '');
export const statusName = (x) => tOr(`travel_status.${x}`, x || '');
export const relationshipName = (x) => tOr(`relationship.${x}`, x || '');
export const riskName = (x) => tOr(`risk.${x || 'none'}`, x || '');
export const sexName = (x) => tOr(`sex.${x}`, x || '');
export const screeningName = (x) => tOr(`screening.${x}`, x || '');
export const idFlagName = (x) => tOr(`id_flag.${x}`, x || '');
export const duplicateReason = (x) => tOr(`duplicates.reason.${x}`, x || '');

// optionsOf: select options for a list of codes, with an optional first
// "any" entry (value '') for filters.
export function optionsOf(codes, name, anyKey) {
  const opts = codes.map((c) => ({ value: c, label: name(c) }));
  return anyKey ? [{ value: '', label: tOr(anyKey, '') }, ...opts] : opts;
}
