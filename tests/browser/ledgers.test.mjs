// ledgers.test.mjs — the ledgers in headless Chromium on a phone
// (390×844): the town command enters a supplies receipt and an issue to
// a checkpoint on the supplies page and sees the stock change (and the
// point's holding); an over-issue shows the server's refusal; a fever at
// the gate shows the red notice; the disinfection, inspection and
// enterprise pages draw without errors, with no sideways scrolling.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startServer } from '../e2e/harness.mjs';
import { SHOTS, Watcher, signedInPhone } from './browser.mjs';

let server;
let browser;
let page;
let village;
let point;
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
  { path: '/api/v1/supplies', status: 409 }, // the over-issue
]);

async function noSidewaysScroll() {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 390, `page is ${w}px wide at 390px`);
}

const masks = () => page.locator('.stock-item', { hasText: '医用口罩' });

describe('ledgers on a phone', () => {
  before(async () => {
    server = await startServer();
    village = (await server.admin.post('/places', { type: 'village', name: '东旺村' })).body;
    point = (await server.admin.post('/places', { type: 'point', name: '东口卡点',
      village_id: village.id })).body;
    await server.admin.post('/places', { type: 'venue', name: '镇政府大门',
      village_id: village.id, venue_kind: 'office' });
    ({ browser, page } = await signedInPhone(watcher, server.url, 'admin', ADMIN_PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('a receipt and an issue change the stock', async () => {
    await page.getByRole('link', { name: /防疫物资/ }).click();
    await masks().waitFor();
    assert.match(await masks().locator('.stock-value').textContent(), /^0$/);
    assert.equal(await masks().locator('.low-badge').count(), 1, 'empty stock is low');
    const form = page.locator('form.supply-form');
    await form.locator('select[name=item_id] option', { hasText: '医用口罩' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('类型').selectOption('receipt');
    await form.getByLabel('物资').selectOption({ label: '医用口罩 (个)' });
    await form.getByLabel('数量').fill('3000');
    await form.getByLabel('来源').selectOption('donated');
    await form.getByLabel('捐赠方').fill('爱心企业');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.alert.success', { hasText: '已入库 3,000 个 医用口罩' }).waitFor();
    await masks().locator('.stock-value', { hasText: '3,000' }).waitFor();
    assert.equal(await masks().locator('.low-badge').count(), 0);

    await form.getByLabel('类型').selectOption('issue');
    await form.locator('select[name=place_id] option', { hasText: '东口卡点' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('发放到（村或卡口）').selectOption({ label: '东旺村 · 东口卡点' });
    await form.getByLabel('数量').fill('1200');
    await form.getByLabel('领取人').fill('李值守');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.alert.success', { hasText: '已发放 1,200 个 医用口罩' }).waitFor();
    await masks().locator('.stock-value', { hasText: '1,800' }).waitFor();
    await masks().locator('.stock-places', { hasText: '东旺村 · 东口卡点: 1,200 个' }).waitFor();
    await page.locator('.supply-move.kind-issue', { hasText: '李值守' }).waitFor();
    await noSidewaysScroll();
    await page.screenshot({ path: `${SHOTS}/fangyi-supplies.png`, fullPage: true });

    // the server agrees
    const r = await server.admin.get('/supplies/stock');
    const it = r.body.items.find((x) => x.name === '医用口罩');
    assert.equal(it.stock, 1800);
    assert.deepEqual(r.body.places.map((p) => [p.place_id, p.quantity]), [[point.id, 1200]]);
  });

  it('an over-issue shows the refusal and keeps the stock', async () => {
    const form = page.locator('form.supply-form');
    await form.getByLabel('数量').fill('5000');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.alert.error', { hasText: /1800/ }).waitFor();
    await masks().locator('.stock-value', { hasText: '1,800' }).waitFor();
  });

  it('a reversal puts an issue back', async () => {
    const move = page.locator('.supply-move.kind-issue', { hasText: '李值守' });
    await move.getByRole('button', { name: '冲销' }).click();
    await move.getByRole('button', { name: '确认冲销？' }).click();
    await masks().locator('.stock-value', { hasText: '3,000' }).waitFor();
    await page.locator('.supply-move.kind-reversal').first().waitFor();
  });

  it('a fever at the gate shows the red notice', async () => {
    await page.goto(`${server.url}/#/visitors`);
    const form = page.locator('form.visitor-form');
    await form.locator('select[name=place_id] option', { hasText: '镇政府大门' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('检测点（场所或卡口）').selectOption({ label: '东旺村 · 镇政府大门' });
    await form.getByLabel('姓名').fill('来访乙');
    await form.getByLabel('体温（℃）').fill('38.2');
    await form.getByRole('button', { name: '登记' }).click();
    await page.locator('.fever-notice', { hasText: '来访乙 体温 38.2' }).waitFor();
    await page.locator('.visitor-item.fever', { hasText: '来访乙' }).waitFor();
    await noSidewaysScroll();
  });

  it('the other ledger pages draw', async () => {
    for (const [hash, title] of [['disinfection', '消毒记录'], ['inspections', '督查'],
      ['enterprises', '企业复工']]) {
      await page.goto(`${server.url}/#/${hash}`);
      await page.locator('h1', { hasText: title }).waitFor();
      await page.locator('p.empty:visible').first().waitFor();
      await noSidewaysScroll();
    }
    assert.deepEqual(watcher.problems, []);
  });
});
