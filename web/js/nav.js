// nav.js — the app's sections and the capability each needs.  The home
// page shows only those the logged-in account may use (capabilities from
// /me); the router refuses the others.

import { can } from './api.js';

export const NAV = [
  { path: 'dashboard', cap: `report.read`, label: 'nav.dashboard',
    desc: 'nav.dashboard_desc' },
  { path: 'round', cap: 'checks.write', label: 'nav.round',
    desc: 'nav.round_desc' },
  { path: 'alerts', cap: 'observation.read', label: 'nav.alerts',
    desc: 'nav.alerts_desc' },
  { path: 'board', cap: 'observation.read', label: 'nav.board',
    desc: 'nav.board_desc' },
  { path: 'report', cap: `report.read`, label: 'nav.report',
    desc: 'nav.report_desc' },
  { path: 'release', cap: 'observation.read', label: 'nav.release',
    desc: 'nav.release_desc' },
  { path: 'people', cap: 'people.read', label: 'nav.people',
    desc: 'nav.people_desc' },
  { path: 'people/import', cap: 'people.write', label: 'nav.people_import',
    desc: 'nav.people_import_desc' },
  { path: 'people/duplicates', cap: 'people.write',
    label: 'nav.people_duplicates', desc: 'nav.people_duplicates_desc' },
  { path: 'policies', cap: 'people.read', label: 'nav.policies',
    desc: 'nav.policies_desc' },
  { path: 'places', cap: 'places.read', label: 'nav.places',
    desc: 'nav.places_desc' },
  { path: 'users', cap: 'users.manage', label: 'nav.users',
    desc: 'nav.users_desc' },
  { path: 'audit', cap: 'audit.read', label: 'nav.audit',
    desc: 'nav.audit_desc' },
  // (capabilities in backticks are not taken for translation keys)
  { path: 'checkpoint', cap: `checkpoint.write`, label: 'nav.checkpoint',
    desc: 'nav.checkpoint_desc' },
  { path: 'supplies', cap: `ledger.read`, label: 'nav.supplies',
    desc: 'nav.supplies_desc' },
  { path: 'disinfection', cap: `ledger.read`, label: 'nav.disinfection',
    desc: 'nav.disinfection_desc' },
  { path: 'visitors', cap: `ledger.read`, label: 'nav.visitors',
    desc: 'nav.visitors_desc' },
  { path: 'inspections', cap: `ledger.read`, label: 'nav.inspections',
    desc: 'nav.inspections_desc' },
  { path: 'enterprises', cap: `ledger.read`, label: 'nav.enterprises',
    desc: 'nav.enterprises_desc' },
  // an enterprise liaison (no ledger.read) enters through here; whoever
  // reads the ledgers has the full page above instead
  { path: 'enterprise-entry', cap: `enterprise.write`, unless: `ledger.read`,
    label: 'nav.enterprise_entry', desc: 'nav.enterprise_entry_desc' },
  { path: 'account', cap: null, label: 'nav.account',
    desc: 'nav.account_desc' },
];

// visibleNav lists the sections the current account may open (and does
// not reach through another entry).
export function visibleNav() {
  return NAV.filter((n) => (!n.cap || can(n.cap)) && !(n.unless && can(n.unless)));
}
