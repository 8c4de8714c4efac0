// static.test.mjs — checks of web/ that need no browser: both translation
// files have the same keys and placeholders, every key the code uses
// exists, and nothing in the app would break the strict
// Content-Security-Policy (inline script or style, innerHTML, eval).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const read = (p) => readFileSync(path.join(web, p), 'utf8');
// a language is its main file and the parts of each area, merged; a key
// stands in one file only
const PARTS = ['', '.checkpoints', '.ledgers', '.dashboard', '.report'];
function dictionary(lang) {
  const merged = {};
  for (const part of PARTS) {
    const d = JSON.parse(read(`i18n/${lang}${part}.json`));
    for (const k of Object.keys(d)) {
      assert.ok(!(k in merged), `${k} is in two ${lang} files`);
      merged[k] = d[k];
    }
  }
  return merged;
}
const zh = dictionary('zh-CN');
const en = dictionary('en');

function files(dir, ext) {
  return readdirSync(path.join(web, dir)).flatMap((f) => {
    const rel = path.join(dir, f);
    if (statSync(path.join(web, rel)).isDirectory()) return files(rel, ext);
    return rel.endsWith(ext) ? [rel] : [];
  });
}
const js = files('js', '.js').map((f) => ({ f, src: read(f) }));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('zh-CN and en translations have the same keys', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
});

test('every translation is a non-empty string with the same placeholders', () => {
  for (const k of Object.keys(zh)) {
    assert.ok(typeof zh[k] === 'string' && zh[k].trim(), `zh-CN ${k} empty`);
    assert.ok(typeof en[k] === 'string' && en[k].trim(), `en ${k} empty`);
    assert.deepEqual(placeholders(en[k]), placeholders(zh[k]), `placeholders of ${k}`);
  }
});

test('every key the code asks for exists', () => {
  const used = new Set();
  for (const { src } of js) {
    // t('key'), tOr('key', …) and keys handed to helpers ('places.add').
    for (const m of src.matchAll(/'([a-z_]+(?:\.[a-z_0-9]+)+)'/g)) used.add(m[1]);
  }
  const notKeys = new Set(['fangyi.lang', 'places.read', 'places.write',
    'users.manage', 'audit.read', 'people.read', 'people.write',
    'pii.full', 'observation.read', 'observation.write', 'checks.write',
  ]); // storage key and capabilities
  const missing = [...used].filter((k) => !notKeys.has(k) && !(k in zh));
  assert.deepEqual(missing, []);
  // keys built from codes
  for (const type of ['village', 'grid', 'point', 'venue']) assert.ok(`place.type.${type}` in zh);
  for (const kind of ['supermarket', 'factory', 'pharmacy', 'office', 'other']) assert.ok(`venue_kind.${kind}` in zh);
  for (const lang of ['zh-CN', 'en']) assert.ok(`lang.name.${lang}` in zh);
  // the people register's codes (docs/api.md)
  const codes = {
    kind: ['returnee_high', 'returnee_medium', 'returnee_low', 'close_contact',
      'contact_of_contact', 'none'],
    measure: ['central_isolation', 'home_isolation', 'home_monitoring', 'none'],
    transport: ['rail', 'air', 'coach', 'self_drive', 'other'],
    source: ['door_to_door', 'checkpoint', 'self_registration', 'higher_level'],
    travel_status: ['returned', 'expected'],
    relationship: ['family', 'colleague', 'co_passenger', 'other'],
    risk: ['high', 'medium', 'low', 'none'],
    sex: ['M', 'F'],
    screening: ['pending', 'confirmed'],
    id_flag: ['missing', 'legacy15', 'region_unknown'],
    'duplicates.reason': ['name_phone', 'name_birth'],
    'person.id_error': ['length', 'chars', 'birth', 'check'],
    'people.export': ['csv', 'xlsx'],
    'person': ['exposed_to', 'exposed_by', 'exposed_to_hint', 'exposed_by_hint'],
    'import': ['rows', 'created', 'updated', 'unchanged'],
    // home observation (docs/api.md, "Home observation")
    'obs.basis': ['last_exposure', 'departure', 'start'],
    'obs.status': ['active', 'released', 'ended', 'transferred'],
    'obs.event': ['start', 'restart', 'extend', 'shorten', 'transfer', 'end',
      'release', 'door_notice'],
    'obs.action': ['extend', 'shorten', 'restart', 'transfer', 'end', 'release',
      'door_notice'],
    'obs.change': ['extend', 'shorten', 'restart', 'transfer', 'end', 'release',
      'door_notice'],
    'obs.changed': ['extend', 'shorten', 'restart', 'transfer', 'end', 'release',
      'door_notice'],
    'obs.symptom': ['fever', 'dry_cough', 'fatigue', 'sore_throat',
      'smell_taste_loss', 'diarrhoea', 'short_breath'],
    'obs.method': ['visit', 'phone', 'video'],
    'obs.slot': ['morning', 'evening'],
    'obs.alert_kind': ['fever', 'missed'],
    'round.state': ['due', 'done', 'missed', 'later'],
    'board.total': ['under_observation', 'due_today', 'done', 'missed',
      'fever_open', 'release_due'],
    // the dashboard (pages/dashboard.js)
    'dash.figure': ['returnees_total', 'returnees_new', 'from_wuhan',
      'observation_current', 'released_total', 'checks_due', 'checks_done', 'checks_missed', 'fever', 'close_contacts',
      'passes', 'persons'],
    'dash.series': ['returnees_total', 'observation_current', 'checks_done',
      'checks_missed', 'fever', 'passes', 'persons'],
    'dash.chart': ['people', 'checks', 'fever', 'traffic'],
  };
  for (const [prefix, list] of Object.entries(codes)) {
    for (const c of list) {
      const key = prefix === 'people.export' ? `${prefix}_${c}` : `${prefix}.${c}`;
      assert.ok(key in zh, `${key} missing`);
    }
  }
});

test('index.html is mobile-ready and CSP-clean', () => {
  const html = read('index.html');
  assert.match(html, /<html lang="zh-CN">/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<script type="module" src="js\/app.js"><\/script>/);
  assert.doesNotMatch(html, /<style|style=|<script(?![^>]*\bsrc=)|\son\w+=/i);
  assert.doesNotMatch(html, /https?:\/\//, 'no external resources');
});

test('the JavaScript never writes markup or evaluates strings', () => {
  for (const { f, src } of js) {
    const code = src.replace(/^\s*\/\/.*$/gm, ''); // comments may name them
    assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, f);
    assert.doesNotMatch(code, /setAttribute\(\s*['"]style['"]/, f);
    assert.match(src, /^\/\/ \S+\.js — /, `${f} starts with a comment saying what it is for`);
  }
});

test('the CSS loads nothing from outside', () => {
  for (const f of files('css', '.css')) {
    assert.doesNotMatch(read(f), /@import|@font-face|url\(\s*['"]?https?:/, f);
  }
});
