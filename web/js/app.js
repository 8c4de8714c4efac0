// app.js — the web app's entry point: loads the language, asks /me who is
// logged in, and routes on the URL hash (#/, #/places?type=grid, ...).
// Draws the frame every page shares (header with the town's name and the
// language switch) and refuses pages the account's capabilities do not
// allow.

import { h } from './dom.js';
import { can, getSession, loadSession, onUnauthenticated } from './api.js';
import { LANGS, getLang, initI18n, setLang, t } from './i18n.js';
import { NAV } from './nav.js';
import * as loginPage from './pages/login.js';
import * as homePage from './pages/home.js';
import * as placesPage from './pages/places.js';
import * as usersPage from './pages/users.js';
import * as auditPage from './pages/audit.js';
import * as accountPage from './pages/account.js';
import * as peoplePage from './pages/people.js';
import * as importPage from './pages/people_import.js';
import * as duplicatesPage from './pages/duplicates.js';
import * as policiesPage from './pages/policies.js';
import * as roundPage from './pages/round.js';
import * as alertsPage from './pages/alerts.js';
import * as boardPage from './pages/board.js';
import * as releasePage from './pages/release.js';
import * as checkpointPage from './pages/checkpoint.js';

import * as suppliesPage from './pages/supplies.js';
import * as disinfectionPage from './pages/disinfection.js';
import * as visitorsPage from './pages/visitors.js';
import * as inspectionsPage from './pages/inspections.js';
import * as enterprisesPage from './pages/enterprises.js';
import * as dashboardPage from './pages/dashboard.js';
import * as reportPage from './pages/report.js';
const PAGES = {
  login: loginPage,
  '': homePage,
  places: placesPage,
  users: usersPage,
  audit: auditPage,
  account: accountPage,
  people: peoplePage, // also people/new, people/{id}, people/{id}/edit
  'people/import': importPage,
  'people/duplicates': duplicatesPage,
  policies: policiesPage,
  round: roundPage,
  alerts: alertsPage,
  board: boardPage,
  release: releasePage,
  checkpoint: checkpointPage, // also checkpoint/passes, /roster, /poster
  supplies: suppliesPage,
  disinfection: disinfectionPage,
  visitors: visitorsPage,
  inspections: inspectionsPage, // also inspections/{id}
  enterprises: enterprisesPage, // also enterprises/{id}
  'enterprise-entry': enterprisesPage, // the same for enterprise.write
  dashboard: dashboardPage,
  report: reportPage, // #/report?date=D[&version=N]
};

const root = document.getElementById('app');
let returnTo = null;
let renders = 0;
let flashText = null;

// parseHash: "#/places?type=grid" → {path: 'places', params: {type: 'grid'}}
// A path with more segments ("people/7/edit") goes to the page of its
// whole path if there is one, else to that of its first segment, which
// gets the rest as ctx.segments (['7', 'edit']).
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { path, params: Object.fromEntries(new URLSearchParams(query)) };
}

// hashFor builds "#/path?k=v" dropping empty values.
export function hashFor(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

// navigate goes to a hash; going to the current one draws the page again.
export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

// flash shows a short note at the top of the next page drawn.
export function flash(text) {
  flashText = text;
}

function languageSwitch() {
  const other = LANGS.find((l) => l !== getLang());
  return h('button', { type: 'button', class: 'btn lang', lang: other,
    title: t('lang.switch_label'),
    onclick: async () => {
      await setLang(other);
      render();
    } }, t(`lang.name.${other}`));
}

function header(session) {
  const town = session && session.town ? session.town.name : '';
  return h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/' },
      h('span', { class: 'brand-app', text: t('app.name') }),
      town ? h('span', { class: 'brand-town', text: town }) : null),
    languageSwitch());
}

// render draws the page for the current hash.
async function render() {
  renders += 1;
  const mine = renders;
  const { path, params } = parseHash();
  const [first, ...rest] = path.split('/');
  const whole = Object.prototype.hasOwnProperty.call(PAGES, path);
  const page = whole ? PAGES[path] : PAGES[first];
  const segments = whole ? [] : rest;
  const session = getSession();
  if (!page) {
    navigate('#/');
    return;
  }
  if (path !== 'login' && !session) {
    returnTo = location.hash;
    navigate('#/login');
    return;
  }
  if (path === 'login' && session) {
    navigate(returnTo || '#/');
    returnTo = null;
    return;
  }
  const nav = NAV.find((n) => n.path === (whole ? path : first));
  const main = h('main', { class: 'page', id: 'main' });
  document.body.classList.toggle('logged-in', !!session);
  root.replaceChildren(header(session), main);
  if (flashText) {
    main.append(h('p', { class: 'alert success', role: 'status',
      text: flashText }));
    flashText = null;
  }
  if (path !== '' && path !== 'login') {
    const back = (page.back && page.back(segments)) || ['#/', 'nav.back_home'];
    main.append(h('a', { class: 'back', href: back[0], text: t(back[1]) }));
  }
  document.title = nav ? `${t(nav.label)} · ${t('app.name')}` : t('app.name');
  if (nav && nav.cap && !can(nav.cap)) {
    main.append(h('h1', { text: t(nav.label) }),
      h('p', { class: 'alert error', text: t('error.forbidden') }));
    return;
  }
  const content = await page.render({ params, segments, navigate, hashFor,
    flash, loggedIn: afterLogin });
  if (mine === renders) main.append(content);
}

// afterLogin goes where the user wanted to go before logging in.
function afterLogin() {
  const to = returnTo && returnTo !== '#/login' ? returnTo : '#/';
  returnTo = null;
  navigate(to);
}

async function start() {
  await initI18n();
  onUnauthenticated(() => {
    const { path } = parseHash();
    if (path !== 'login') {
      returnTo = location.hash;
      navigate('#/login');
    }
  });
  try {
    await loadSession();
  } catch {
    // server unreachable: the login page will show the error on submit
  }
  window.addEventListener('hashchange', render);
  render();
}

start();
