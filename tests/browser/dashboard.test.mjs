// dashboard.test.mjs — the town's dashboard (#/dashboard) on the demo town
// (`fangyi demo`, the server's clock on 2020-02-10 12:00) with one fever
// reported that morning: on a phone (390×844) and a desktop (1366×900)
// the charts draw the API's figures — 30 points per line whose values and
// heights follow the series, the last returnees point the day's total, a
// bar per village (16) as long as its by_village figures, today's figures
// and the open alerts as the API gives them; printed it is one A4 page
// without the navigation; in English its headings are English.  No
// console error, no CSP violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, Client, runCli, spawnServer, stopServer } from '../e2e/harness.mjs';
import { assertStatus, listAll, writeClock } from '../e2e/lib.mjs';
import { SHOTS, Watcher, launch, loginAs, sizedPage } from './browser.mjs';

const DAY = '2020-02-10';
const FIGURES = {
  returnees_total: (r) => r.returnees.total,
  returnees_new: (r) => r.returnees.new,
  from_wuhan: (r) => r.returnees.from_wuhan,
  observation_current: (r) => r.observation.current,
  released_total: (r) => r.observation.released_total,
  checks_due: (r) => r.observation.checks_due,
  checks_done: (r) => r.observation.checks_done,
  checks_missed: (r) => r.observation.checks_missed,
  fever: (r) => r.observation.fever,
  close_contacts: (r) => r.close_contacts.total,
  passes: (r) => r.checkpoints.passes,
  persons: (r) => r.checkpoints.persons,
};
const SCREENS = [
  { name: 'phone', width: 390, height: 844, mobile: true },
  { name: 'desktop', width: 1366, height: 900, mobile: false },
];

let dir; let server; let url; let browser;
let daily; let series; let alerts;
const watcher = new Watcher([{ path: '/api/v1/me', status: 401 }]);

// chartPoints: the points of one line as drawn: {date, value, cx, cy}.
function chartPoints(page, key) {
  return page.locator(`svg.line-chart circle.pt[data-series="${key}"]`).evaluateAll((els) =>
    els.map((e) => ({ date: e.dataset.date, value: Number(e.dataset.value),
      cx: Number(e.getAttribute('cx')), cy: Number(e.getAttribute('cy')) })));
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fangyi-dash-'));
  const db = path.join(dir, 'demo.db');
  const r = runCli(['demo', db], { FANGYI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FANGYI_PASSWORD: 'staff-pass-456' });
  assert.equal(r.status, 0, `fangyi demo: ${r.stderr}`);
  const clock = path.join(dir, 'clock');
  writeClock(clock, '2020-02-10T04:00:00Z'); // 12:00 in the town
  const started = await spawnServer(db, ['--test-clock', clock]);
  server = started.proc;
  url = started.url;
  const admin = new Client(url);
  assertStatus(await admin.login('admin', ADMIN_PASSWORD), 200, 'admin login');
  // a fever in the evening check of one person: an open alert, fever 1
  const people = await admin.get('/people?limit=1');
  const person = people.body.items[0];
  const ms = await admin.get(`/people/${person.id}/measures`);
  const m = ms.body.items.find((x) => x.status === 'active');
  assertStatus(await admin.post(`/measures/${m.id}/checks`, { temperature: 38.2, slot: 2 }),
    201, 'fever check');
  daily = (await admin.get(`/reports/daily?date=${DAY}`)).body;
  series = (await admin.get(`/reports/series?to=${DAY}&days=30`)).body.series;
  alerts = await listAll(admin, '/alerts?open=1');
  assert.equal(daily.observation.fever, 1);
  assert.equal(daily.by_village.length, 16);
  assert.ok(alerts.some((a) => a.person_id === person.id));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const screen of SCREENS) {
  describe(`the dashboard on a ${screen.name} (${screen.width}×${screen.height})`, () => {
    let ctx; let page;
    before(async () => {
      ({ ctx, page } = await sizedPage(browser, watcher, screen));
      await loginAs(page, url, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: /防控总览/ }).click();
      await page.getByRole('heading', { name: '全镇防控总览' }).waitFor();
      await page.locator('.dash-alert, .dash-alerts .empty').first().waitFor();
    });
    after(async () => { await ctx?.close(); });

    it('shows the day and today\'s figures of the daily report', async () => {
      assert.equal(await page.locator('.dash-date').textContent(), DAY);
      for (const [key, get] of Object.entries(FIGURES)) {
        const fig = page.locator(`.dash-figures .count[data-key="${key}"]`);
        assert.equal(Number(await fig.locator('dd').textContent()), get(daily), key);
      }
      assert.equal(await page.locator('.dash-figures .count[data-key="fever"]')
        .getAttribute('class'), 'count bad');
    });

    it('draws 30 days of returnees ending at the day\'s total, as the series says', async () => {
      const pts = await chartPoints(page, 'returnees_total');
      assert.equal(pts.length, 30);
      assert.deepEqual(pts.map((p) => p.date), series.map((d) => d.date));
      assert.equal(pts[29].date, DAY);
      assert.equal(pts[29].value, daily.returnees.total);
      assert.deepEqual(pts.map((p) => p.value), series.map((d) => d.returnees_total));
      // drawn where the values say: left to right by day, higher for more
      for (let i = 1; i < 30; i++) {
        assert.ok(pts[i].cx > pts[i - 1].cx, `day ${i} right of day ${i - 1}`);
        const [a, b] = [pts[i - 1], pts[i]];
        assert.equal(Math.sign(a.cy - b.cy), Math.sign(b.value - a.value),
          `heights of ${a.date} (${a.value}) and ${b.date} (${b.value})`);
      }
      assert.ok(pts[0].cy - pts[29].cy > 50, 'the line rises from 0 to 421');
      // the line goes through its points
      const line = await page.locator('svg.line-chart g[data-series="returnees_total"] polyline')
        .getAttribute('points');
      assert.deepEqual(line.split(' ').map((xy) => xy.split(',').map(Number)),
        pts.map((p) => [p.cx, p.cy]));
    });

    it('draws every other line of the series too, each labelled', async () => {
      for (const key of ['observation_current', 'checks_done', 'checks_missed', 'fever',
        'passes', 'persons']) {
        const pts = await chartPoints(page, key);
        assert.deepEqual(pts.map((p) => p.value), series.map((d) => d[key]), key);
        const legend = page.locator(`.chart-legend li[data-series="${key}"]`);
        assert.equal(await legend.locator('.legend-value').textContent(), String(series[29][key]));
      }
      assert.equal(series[29].fever, 1);
      const labels = await page.locator('.dash-chart h2').allTextContents();
      assert.deepEqual(labels, ['近30天：返乡与在观察人数', '近30天：测温完成与漏测',
        '近30天：发热预警', '近30天：卡口通行']);
      // the y axis is labelled with values from 0 past the largest
      const ticks = (await page.locator('[data-chart="people"] text.axis')
        .allTextContents()).map(Number).filter((n) => !Number.isNaN(n));
      assert.equal(Math.min(...ticks), 0);
      assert.ok(Math.max(...ticks) >= daily.returnees.total, ticks.join(' '));
    });

    it('draws a bar per village, as long as its figures', async () => {
      const rows = await page.locator('svg.bar-chart g.bar-row').evaluateAll((gs) => gs.map((g) => ({
        name: g.dataset.village,
        label: g.querySelector('.bar-name').textContent,
        bars: [...g.querySelectorAll('rect.bar')].map((r) => ({ key: r.dataset.key,
          value: Number(r.dataset.value), width: Number(r.getAttribute('width')) })),
      })));
      assert.equal(rows.length, 16);
      assert.deepEqual(rows.map((r) => r.name), daily.by_village.map((v) => v.village));
      assert.deepEqual(rows.map((r) => r.label), daily.by_village.map((v) => v.village));
      const perUnit = rows[0].bars[0].width / rows[0].bars[0].value;
      rows.forEach((r, i) => {
        const v = daily.by_village[i];
        assert.deepEqual(r.bars.map((b) => [b.key, b.value]),
          [['returnees_total', v.returnees_total], ['observation_current', v.observation_current]],
          v.village);
        for (const b of r.bars) {
          assert.ok(Math.abs(b.width - b.value * perUnit) < 0.2, `${v.village} ${b.key} width`);
        }
      });
      const values = await page.locator('svg.bar-chart text.bar-value').allTextContents();
      assert.deepEqual(values.map(Number), daily.by_village.flatMap((v) =>
        [v.returnees_total, v.observation_current]));
    });

    it('lists the open alerts, linked to the alerts page', async () => {
      const shown = await page.locator('.dash-alert').evaluateAll((els) =>
        els.map((e) => Number(e.dataset.alertId)));
      assert.deepEqual(shown, alerts.slice(0, 8).map((a) => a.id));
      const first = page.locator('.dash-alert').first();
      assert.match(await first.textContent(), new RegExp(alerts[0].person_name));
      assert.equal(await page.locator('.dash-alerts-card a.more-link').getAttribute('href'),
        '#/alerts');
      assert.equal(await page.getByRole('link', { name: '日报与签发' }).getAttribute('href'),
        `#/report?date=${DAY}`);
    });

    it(`fits the ${screen.name}: ${screen.mobile ? 'one column, no sideways scrolling'
      : 'two columns'}`, async () => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= screen.width, `page is ${width}px wide`);
      const cols = await page.locator('.dash-col').evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width })));
      assert.equal(cols.length, 2);
      if (screen.mobile) {
        assert.equal(cols[0].x, cols[1].x);
        assert.ok(cols[1].y > cols[0].y);
      } else {
        assert.ok(cols[1].x > cols[0].x + cols[0].w - 1, 'side by side');
        assert.equal(cols[0].y, cols[1].y);
      }
      await page.screenshot({ path: `${SHOTS}/fangyi-dashboard-${screen.name}.png`, fullPage: true });
    });

    it('prints as one A4 page without the navigation', async () => {
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.topbar').isVisible(), false);
      assert.equal(await page.locator('a.back').isVisible(), false);
      assert.equal(await page.locator('.dash-tools').isVisible(), false);
      assert.ok(await page.locator('svg.bar-chart').isVisible());
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) || [];
      assert.equal(pages.length, 1, 'one A4 page');
      await page.emulateMedia({ media: 'screen' });
      assert.ok(await page.locator('header.topbar').isVisible());
    });

    it('switches to English', async () => {
      await page.locator('header button.lang').click();
      await page.getByRole('heading', { name: 'Town dashboard' }).waitFor();
      assert.equal(await page.locator('.dash-chart h2').first().textContent(),
        'Last 30 days: returnees and under observation');
      await page.locator('svg.bar-chart').waitFor();
      assert.equal(await page.locator('.dash-figures .count[data-key="returnees_total"] dt')
        .textContent(), 'Returnees in total');
      assert.equal(await page.locator('svg.line-chart circle.pt[data-series="returnees_total"]')
        .count(), 30);
    });
  });
}

describe('the whole run', () => {
  it('had no console error, page error or CSP violation', () => {
    assert.deepEqual(watcher.problems, []);
  });
});
