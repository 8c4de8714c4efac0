// round.test.mjs — home observation in headless Chromium on a phone
// (390×844), on a server whose clock says 2020-02-10 08:30 in Asia/Shanghai
// (--test-clock): five returnees from Wuhan (湖北省 a high-risk area, so
// the policy puts them under home isolation counted from their departure)
// are assigned to a medical worker, who opens 我的巡查 and records four
// normal temperatures with the one-tap button and one 37.8 ℃ with a dry
// cough through the fever form (a temperature outside 35.0–42.5 typed
// there is refused with the server's error on the card).  Then the town
// command sees the fever alert (overdue once 2 hours have passed), reports
// it, sees one open fever on the board, and the person's page shows the
// measure, the chain and the temperature curve with the fever point red.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, Client, makeDb, spawnServer, stopServer }
  from '../e2e/harness.mjs';
import { SHOTS, Watcher, loginAs, phonePage, signedInPhone } from './browser.mjs';

const NOW = '2020-02-10T00:30:00Z'; // 08:30 in the town
const MEDIC = { username: 'wangys', display_name: '王医生', password: 'medic-pass-123' };
const PEOPLE = ['赵一', '钱二', '孙三', '李四', '周五']; // in address order

let dbh;
let server;
let clockFile;
let admin;
let browser;
let page;
let ctxMedic;
const ids = {}; // name → {person, measure}
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
  { path: '/api/v1/measures/', status: 422 }, // the refused temperature
]);

async function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// noSidewaysScroll asserts the page fits its width.
async function noSidewaysScroll(p, width) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `page is ${w}px wide at ${width}px`);
}

const card = (name) => page.locator('.round-card', { hasText: name });

describe('my round on a phone', () => {
  before(async () => {
    dbh = makeDb();
    clockFile = path.join(dbh.dir, 'clock');
    writeFileSync(clockFile, NOW);
    const s = await spawnServer(dbh.db, ['--test-clock', clockFile]);
    server = { ...s };
    admin = new Client(s.url);
    await ok(await admin.login('admin', ADMIN_PASSWORD), 200, 'admin login');
    await ok(await admin.post('/risk-areas', { region_code: '420000', level: 'high',
      start_date: '2020-01-01' }), 201, 'risk area');
    const village = await ok(await admin.post('/places', { type: 'village', name: '东村' }),
      201, 'village');
    const grid = await ok(await admin.post('/places', { type: 'grid', name: '东村一网格',
      village_id: village.id }), 201, 'grid');
    const medic = await ok(await admin.post('/users', { ...MEDIC, role: 'medical',
      villages: [village.id] }), 201, 'medical account');
    for (const [i, name] of PEOPLE.entries()) {
      const r = await ok(await admin.post('/people', { name, village_id: village.id,
        grid_id: grid.id, address: `东村 ${i + 1} 号`, phone: `1390000000${i + 1}`,
        travel: { origin: '武汉', left_date: '2020-01-30', return_date: '2020-01-31',
          transport: 'rail' } }), 201, `register ${name}`);
      assert.equal(r.classification.measure, 'home_isolation', name);
      const pid = r.person.id;
      let ms = await ok(await admin.get(`/people/${pid}/measures`), 200, 'measures');
      if (!ms.items.some((m) => m.status === 'active')) {
        await ok(await admin.post(`/people/${pid}/measures`, { type: 'home_isolation',
          basis: 'departure', basis_date: '2020-01-30' }), 201, `measure ${name}`);
        ms = await ok(await admin.get(`/people/${pid}/measures`), 200, 'measures');
      }
      ids[name] = { person: pid, measure: ms.items.find((m) => m.status === 'active').id };
      await ok(await admin.post(`/people/${pid}/chain`, { role: 'medical',
        account_id: medic.id }), 200, `chain ${name}`);
    }
    ({ browser, ctx: ctxMedic, page } = await signedInPhone(watcher, server.url, MEDIC.username, MEDIC.password));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await stopServer(server.proc);
    if (dbh) dbh.cleanup();
  });

  it('opens my round from the home page: five cards in address order', async () => {
    const menu = await page.locator('.menu .menu-label').allTextContents();
    assert.equal(menu[0], '我的巡查', `menu: ${menu}`);
    await page.getByRole('link', { name: /我的巡查/ }).click();
    await page.getByRole('heading', { name: '我的巡查' }).waitFor();
    await page.locator('.round-day', { hasText: '2020-02-10' }).waitFor();
    await page.locator('.round-card').nth(4).waitFor();
    const names = await page.locator('.round-card .round-name').allTextContents();
    assert.deepEqual(names, PEOPLE);
    const first = card('赵一');
    assert.match(await first.textContent(), /东村 1 号/);
    assert.match(await first.textContent(), /东村 · 东村一网格/);
    assert.match(await first.textContent(), /第 12\/14 天/);
    await first.locator('.slot-due[data-slot="1"]', { hasText: '待测' }).waitFor();
    await first.locator('.slot-later[data-slot="2"]', { hasText: '未到时间' }).waitFor();
    await page.locator('.round-summary', { hasText: '待测 5' }).waitFor();
    await noSidewaysScroll(page, 390);
    const small = await page.evaluate(() => [...document.querySelectorAll(
      '.round button, .round a.btn')].filter((el) => el.offsetParent)
      .map((el) => el.getBoundingClientRect()).filter((r) => r.height < 44).length);
    assert.equal(small, 0, 'tap targets under 44px');
    await page.screenshot({ path: `${SHOTS}/fangyi-round.png`, fullPage: true });
  });

  it('records four normal temperatures with one tap each', async () => {
    for (const name of PEOPLE.slice(0, 4)) {
      const c = card(name);
      if (name === '钱二') {
        // adjusted by 0.1 before the tap
        await c.getByRole('button', { name: '体温加 0.1' }).click();
        await c.getByRole('button', { name: '36.6 正常' }).click();
        await c.locator('.slot-done[data-slot="1"]', { hasText: '36.6 ℃' }).waitFor();
      } else {
        await c.getByRole('button', { name: '36.5 正常' }).click();
        await c.locator('.slot-done[data-slot="1"]', { hasText: '36.5 ℃' }).waitFor();
      }
      assert.equal(await c.locator('.fever-notice:visible').count(), 0);
      assert.equal(await c.locator('.normal-btn').count(), 0, 'no due slot left');
    }
    await page.locator('.round-summary', { hasText: '待测 1 · 已测 4' }).waitFor();
  });

  it('refuses a temperature outside 35.0–42.5 typed in the fever form', async () => {
    const c = card('周五');
    await c.getByRole('button', { name: '发热/有症状' }).click();
    const input = c.getByLabel('体温', { exact: true });
    assert.equal(await input.inputValue(), '37.3', 'the stepper starts at 37.3');
    await input.fill('43.5');
    await c.getByRole('button', { name: '保存' }).click();
    await c.locator('.alert.error', { hasText: '体温应在 35.0–42.5 ℃ 之间' }).waitFor();
    await c.locator('.slot-due[data-slot="1"]').waitFor();
    const r = await admin.get(`/alerts?person_id=${ids['周五'].person}&kind=fever`);
    assert.deepEqual(r.body.items, [], 'nothing stored, no alert');
  });

  it('records 37.8 ℃ with a dry cough: the card shows the fever alert', async () => {
    const c = card('周五');
    const input = c.getByLabel('体温', { exact: true });
    await input.fill('37.3');
    for (let i = 0; i < 5; i += 1) {
      await c.getByRole('button', { name: '体温加 0.1' }).click();
    }
    assert.equal(await input.inputValue(), '37.8');
    await c.getByRole('button', { name: '干咳' }).click();
    assert.equal(await c.getByRole('button', { name: '干咳' }).getAttribute('aria-pressed'), 'true');
    await c.getByRole('radio', { name: '上门' }).check();
    await c.getByLabel('备注').fill('咽部不适');
    await page.screenshot({ path: `${SHOTS}/fangyi-round-fever.png`, fullPage: true });
    await c.getByRole('button', { name: '保存' }).click();
    await c.locator('.fever-notice', { hasText: '已生成发热预警，请在2小时内上报' }).waitFor();
    await c.locator('.slot-done.slot-fever[data-slot="1"]', { hasText: '37.8 ℃' }).waitFor();
    await c.locator('.badge.fever-open', { hasText: '发热待处置' }).waitFor();
    assert.equal(await c.locator('.alert.error:not(.fever-notice):visible').count(), 0,
      'the earlier error is gone');
    // all five cards show the morning check done
    const states = await page.locator('.round-card .slot[data-slot="1"]')
      .evaluateAll((els) => els.map((e) => e.dataset.state));
    assert.deepEqual(states, ['done', 'done', 'done', 'done', 'done']);
    await page.locator('.round-summary', { hasText: '待测 0 · 已测 5' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-round-done.png`, fullPage: true });
    const m = await admin.get(`/measures/${ids['周五'].measure}`);
    assert.deepEqual(m.body.checks.map((x) => [x.day, x.slot, x.temperature]),
      [['2020-02-10', 1, 37.8]]);
    // after a reload the server's round says the same
    await page.reload();
    await page.locator('.round-card').nth(4).waitFor();
    assert.equal(await page.locator('.round-card .slot-done[data-slot="1"]').count(), 5);
    await card('周五').locator('.badge.fever-open').waitFor();
  });

  it('the town command sees the fever alert, overdue after 2 hours, and reports it', async () => {
    await ctxMedic.close();
    // 2 h 30 min later (11:00 in the town): the alert is overdue
    writeFileSync(clockFile, '2020-02-10T03:00:00Z');
    ({ page } = await phonePage(browser, watcher));
    await page.clock.setFixedTime(new Date('2020-02-10T03:00:00Z'));
    await loginAs(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: /预警处置/ }).click();
    await page.getByRole('heading', { name: '预警处置' }).waitFor();
    const item = page.locator('.alert-item.kind-fever', { hasText: '周五' });
    await item.waitFor();
    const text = await item.textContent();
    assert.match(text, /37\.8 ℃/);
    assert.match(text, /干咳/);
    assert.match(text, /东村/);
    assert.match(text, /2020-02-10 早上/);
    await item.locator('.badge.overdue-badge', { hasText: '超时未上报' }).waitFor();
    assert.match(await item.locator('.since').textContent(), /已过 2 小时 30 分钟/);
    assert.ok(await item.evaluate((el) => el.classList.contains('overdue')));
    assert.equal(await page.locator('.alert-item.kind-fever').count(), 1, 'one fever alert');
    await noSidewaysScroll(page, 390);
    await page.screenshot({ path: `${SHOTS}/fangyi-alerts.png`, fullPage: true });
    await item.getByRole('button', { name: '上报' }).click();
    await item.locator('.steps', { hasText: '已上报' }).waitFor();
    assert.equal(await item.locator('.badge.overdue-badge').count(), 0);
    // refer to the fever clinic
    await item.getByRole('button', { name: '转诊' }).click();
    await item.getByLabel('转往').selectOption({ label: '发热门诊' });
    await item.locator('form.refer-form').getByRole('button', { name: '转诊' }).click();
    await item.locator('.steps', { hasText: '已转诊：发热门诊' }).waitFor();
    const r = await admin.get(`/alerts?person_id=${ids['周五'].person}&kind=fever`);
    assert.equal(r.body.items[0].referred_to, '发热门诊');
  });

  it('the board shows one open fever', async () => {
    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: /观察看板/ }).click();
    await page.getByRole('heading', { name: '观察看板' }).waitFor();
    const fever = page.locator('.board-totals .count.fever_open dd');
    await fever.waitFor();
    assert.equal((await fever.textContent()).trim(), '1');
    assert.equal((await page.locator('.board-totals .count.under_observation dd')
      .textContent()).trim(), '5');
    const row = page.locator('.board-row', { hasText: '东村' });
    await row.locator('.badge.fever-open', { hasText: '发热 1' }).waitFor();
    await noSidewaysScroll(page, 390);
    await page.screenshot({ path: `${SHOTS}/fangyi-board.png`, fullPage: true });
    await row.locator('a').click();
    await page.waitForURL(/#\/people\?village_id=\d+$/);
    await page.locator('.person-card', { hasText: '周五' }).waitFor();
  });

  it("the person's page shows the measure, the chain and the curve", async () => {
    await page.goto(`${server.url}/#/people/${ids['周五'].person}`);
    const measures = page.locator('.measures');
    await measures.locator('.measure .item-title', { hasText: '居家隔离' }).waitFor();
    assert.match(await measures.textContent(), /第 12\/14 天/);
    assert.match(await measures.textContent(), /离开风险地区之日 · 2020-01-30/);
    await measures.locator('svg.curve circle.point.fever').waitFor();
    await measures.locator('svg.curve line.fever-line').waitFor({ state: 'attached' });
    const chain = page.locator('.chain-role[data-role="medical"]');
    await chain.locator('.chain-who', { hasText: '王医生' }).waitFor();
    await page.setViewportSize({ width: 360, height: 740 });
    await noSidewaysScroll(page, 360);
    await measures.screenshot({ path: `${SHOTS}/fangyi-person-measure.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    // the door notice, through the measure's actions
    await measures.getByRole('button', { name: '已张贴门贴' }).click();
    await measures.getByRole('button', { name: '记录张贴' }).click();
    await measures.locator('.door-posted', { hasText: '已张贴（2020-02-10）' }).waitFor();
  });

  it('showed no console error and no CSP violation', () => {
    assert.deepEqual(watcher.problems, [],
      `failed requests: ${watcher.failed.join(', ')}`);
  });
});
