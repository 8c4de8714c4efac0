// report.test.mjs — the daily report page (#/report) in headless Chromium
// on a phone (390×844), on a small town (two villages, a checkpoint,
// returnees, disinfection): the figures shown are the API's; the town
// command signs the day off with a note and sees version 1 listed; a
// correction to the records shows the "changed since sign-off" warning,
// signing again lists version 2 with its differences, and version 1 still
// shows the old figure; a village's account sees its report without the
// town's versions; nothing scrolls sideways; English works too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startServer } from '../e2e/harness.mjs';
import { idNumber } from '../e2e/lib.mjs';
import { SHOTS, Watcher, loginAs, phonePage, signedInPhone } from './browser.mjs';

let server;
let browser;
let page;
let day;
let east;
let seq = 601;
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
  { path: '/api/v1/reports/daily', status: 400 }, // a day that does not exist
]);

async function noSidewaysScroll(p = page) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 390, `page is ${w}px wide at 390px`);
}

async function returnee(name, villageId) {
  const r = await server.admin.post('/people', { name, village_id: villageId,
    id_number: idNumber('370724', '19850101', seq++),
    travel: { origin: '广州', left_date: day, return_date: day, transport: 'rail' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

const figure = (key, p = page) => p.locator(`.report-figures [data-key="${key}"] dd`);

describe('the daily report on a phone', () => {
  before(async () => {
    server = await startServer();
    day = (await server.admin.get('/reports/daily')).body.date;
    east = (await server.admin.post('/places', { type: 'village', name: '东旺村' })).body;
    const west = (await server.admin.post('/places', { type: 'village', name: '西旺村' })).body;
    await server.admin.post('/places', { type: 'point', name: '东口卡点', village_id: east.id });
    await returnee('张一', east.id);
    await returnee('李二', east.id);
    await returnee('王三', west.id);
    const d = await server.admin.post('/disinfection', { day, place_id: east.id, area: 1500,
      agent: '84消毒液', method: 'spray', operator: '消杀队' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    ({ browser, page } = await signedInPhone(watcher, server.url, 'admin', ADMIN_PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('shows the API\'s figures, signs off, lists version 1', async () => {
    await page.getByRole('link', { name: /日报与签发/ }).click();
    await page.waitForURL(/#\/report$/);
    await figure('returnees.total').waitFor();
    const api = (await server.admin.get(`/reports/daily?date=${day}`)).body;
    assert.equal(await figure('returnees.total').textContent(), String(api.returnees.total));
    assert.equal(api.returnees.total, 3);
    assert.equal(await figure('disinfection.area_m2').textContent(), '1,500');
    assert.match(await figure('coverage.screened_pct').textContent(), /^100\.0%3\/3$/);
    assert.equal(await page.locator('input[name=date]').inputValue(), day);
    const row = page.locator(`.report-villages tr[data-village="${east.id}"]`);
    assert.equal(await row.locator('td[data-col=returnees_total]').textContent(), '2');
    const links = page.locator('.export-row a');
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      [`/api/v1/reports/daily/export?date=${day}&format=csv`,
        `/api/v1/reports/daily/export?date=${day}&format=xlsx`]);
    // the links download the day's report in this session
    for (const href of await links.evaluateAll((as) => as.map((a) => a.href))) {
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, href);
      assert.match(res.headers()['content-disposition'], /attachment/);
    }
    await page.locator('.signoff-state', { hasText: '尚未签发' }).waitFor();

    const form = page.locator('form.signoff-form');
    await form.getByLabel('备注（可选）').fill('按时报送');
    await form.getByRole('button', { name: '签发日报' }).click();
    await page.locator('.signed-now', { hasText: '已签发第 1 版' }).waitFor();
    const v1 = page.locator('.report-version[data-version="1"]');
    await v1.waitFor();
    assert.match(await v1.textContent(), /第 1 版.*按时报送/s);
    await page.locator('.signed-state', { hasText: '已签发第 1 版' }).waitFor();
    assert.ok(await form.isHidden(), 'nothing to sign until something changes');
    const versions = (await server.admin.get(`/reports/daily/versions?date=${day}`)).body;
    assert.deepEqual(versions.versions.map((v) => [v.version, v.note]), [[1, '按时报送']]);
    await noSidewaysScroll();
    await page.screenshot({ path: `${SHOTS}/fangyi-report.png`, fullPage: true });
  });

  it('a correction is flagged, signed as version 2; version 1 keeps its figure', async () => {
    await returnee('赵补登', east.id);
    await page.reload();
    const warn = page.locator('.changed-since');
    await warn.waitFor();
    assert.match(await warn.textContent(), /第 1 版签发后数据已有/);
    await warn.locator('li[data-key="returnees.total"]', { hasText: '返乡人员累计 3 → 4' }).waitFor();
    await warn.locator('li[data-key="by_village.东旺村.returnees_total"]', { hasText: '2 → 3' })
      .waitFor();
    assert.equal(await figure('returnees.total').textContent(), '4');
    const form = page.locator('form.signoff-form');
    await form.getByRole('button', { name: '签发为第 2 版' }).click();
    await page.locator('.signed-now', { hasText: '已签发第 2 版' }).waitFor();
    const v2 = page.locator('.report-version[data-version="2"]');
    await v2.locator('li[data-key="returnees.total"]', { hasText: '3 → 4' }).waitFor();
    assert.equal(await warn.count(), 0, 'no warning once signed');
    // newest first
    assert.deepEqual(await page.locator('.report-version').evaluateAll(
      (els) => els.map((e) => e.dataset.version)), ['2', '1']);

    await page.locator('.report-version[data-version="1"] a', { hasText: '查看此版' }).click();
    await page.locator('.frozen-banner', { hasText: '正在查看第 1 版' }).waitFor();
    await figure('returnees.total').waitFor();
    assert.equal(await figure('returnees.total').textContent(), '3');
    assert.equal(await page.locator('form.signoff-form').count(), 0,
      'a frozen version offers no sign-off (it would sign the live report)');
    assert.equal(await page.locator('.export-row').count(), 0,
      'nor the live report\'s files');
    await noSidewaysScroll();
    await page.screenshot({ path: `${SHOTS}/fangyi-report-v1.png`, fullPage: true });
  });

  it('in English, and for a village\'s account without the town\'s versions', async () => {
    await page.goto(`${server.url}/#/report?date=${day}`);
    await figure('returnees.total').waitFor();
    await page.locator('header button.lang').click();
    await page.locator('h1', { hasText: 'Daily report' }).waitFor();
    await page.locator('.signed-state', { hasText: 'Signed as version 2' }).waitFor();
    await page.locator('header button.lang').click(); // back to Chinese
    await page.locator('h1', { hasText: '日报与签发' }).waitFor();
    // a day that does not exist: the server's refusal, and a day to pick
    await page.goto(`${server.url}/#/report?date=2020-02-30`);
    await page.locator('.alert.error', { hasText: 'date must be YYYY-MM-DD' }).waitFor();
    await page.locator('.report-picker input[name=date]').fill(day);
    await page.locator('.report-picker button[type=submit]').click();
    await figure('returnees.total').waitFor();

    const r = await server.admin.post('/users', { username: 'bao_east', display_name: '包村干部',
      password: 'user-pass-123', role: 'assigned_cadre', villages: [east.id] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const other = await phonePage(browser, watcher);
    await loginAs(other.page, server.url, 'bao_east', 'user-pass-123');
    await other.page.goto(`${server.url}/#/report?date=${day}`);
    await figure('returnees.total', other.page).waitFor();
    assert.equal(await figure('returnees.total', other.page).textContent(), '3', 'its village only');
    await other.page.locator('.card', { hasText: '只有全镇范围的账号可以查看' }).waitFor();
    assert.equal(await other.page.locator('form.signoff-form').count(), 0);
    await noSidewaysScroll(other.page);
    await other.ctx.close();
    assert.deepEqual(watcher.problems, []);
    assert.deepEqual(watcher.failed.filter((f) => !/^401 GET \S+\/api\/v1\/me$/.test(f)
      && !/^400 GET \S+\/reports\/daily\?date=2020-02-30$/.test(f)), []);
  });
});
