// nav.js — the app's sections and the capability each needs.  The home
// page shows only those the logged-in account may use (capabilities from
// /me); the router refuses the others.

import { can } from './api.js';

export const NAV = [
  { path: 'round', cap: 'checks.write', label: 'nav.round',
    desc: 'nav.round_desc' },
  { path: 'alerts', cap: 'observation.read', label: 'nav.alerts',
    desc: 'nav.alerts_desc' },
  { path: 'board', cap: 'observation.read', label: 'nav.board',
    desc: 'nav.board_desc' },
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
  { path: 'account', cap: null, label: 'nav.account',
    desc: 'nav.account_desc' },
];

// visibleNav lists the sections the current account may open.
export function visibleNav() {
  return NAV.filter((n) => !n.cap || can(n.cap));
}
