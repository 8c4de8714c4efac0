// app.test.mjs — the web app in headless Chromium against the real
// server: a phone-sized window (390×844), as a township admin would use it.
// Each step asserts what the user sees.  The whole run must produce no
// console error and no Content-Security-Policy violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, Client, startServer } from '../e2e/harness.mjs';
import { SHOTS, Watcher, fillLogin as login, launch, phonePage } from './browser.mjs';

let server;
let browser;
let page;
let context;
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
  { path: '/api/v1/login', status: 401 }, // the wrong password steps
  { path: '/api/v1/login', status: 429 }, // the locked account step
  { path: '/api/v1/places/', status: 409 }, // deleting a place with records
  { path: '/api/v1/places', status: 401 }, // the expired session step
]);

describe('web app on a phone', () => {
  before(async () => {
    server = await startServer();
    browser = await launch();
    ({ ctx: context, page } = await phonePage(browser, watcher));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('a wrong password shows an error and stays on the login page', async () => {
    await page.goto(server.url);
    await page.waitForURL(/#\/login$/);
    await login(page, 'admin', 'not-the-password');
    const alert = page.locator('form.login-form .alert.error');
    await alert.waitFor();
    assert.match(await alert.textContent(), /用户名或密码不对/);
    assert.match(page.url(), /#\/login$/);
    assert.equal(await page.getByRole('heading', { name: '登录' }).count(), 1);
  });

  it('the admin logs in and sees the home page in Chinese', async () => {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.locator('.home').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal((await page.locator('h1.town').textContent()).trim(), '测试镇');
    const who = await page.locator('.whoami').textContent();
    assert.match(who, /当前登录/);
    await page.locator('.whoami .role', { hasText: '镇防控指挥部' }).waitFor();
    const menu = await page.locator('.menu .menu-label').allTextContents();
    assert.deepEqual(menu, ['防控总览', '我的巡查', '预警处置', '观察看板', '日报与签发', '到期解除', '人员登记', '导入人员', '疑似重复', '管控政策与风险地区',
      '地点管理', '账号管理', '操作日志', '卡口登记', '防疫物资', '消毒记录', '来访登记', '督查', '企业复工',
      '我的账号']);
    assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 1);
    await page.screenshot({ path: `${SHOTS}/fangyi-home.png`, fullPage: true });
  });

  it('the layout fits a phone: no sideways scrolling, big tap targets', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width}px wide`);
    const small = await page.evaluate(() => [...document.querySelectorAll(
      'a.menu-item, button, input, select')].filter((el) => el.offsetParent)
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.height < 44).length);
    assert.equal(small, 0, 'tap targets under 44px');
  });

  it('adds a village and sees it in the list', async () => {
    await page.getByRole('link', { name: /地点管理/ }).click();
    await page.getByRole('heading', { name: '地点管理' }).waitFor();
    assert.equal(await page.locator('.tab.active').textContent(), '村');
    await page.getByRole('button', { name: '＋ 添加地点' }).click();
    await page.getByLabel('名称').fill('东村');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.locator('.alert.success', { hasText: '已添加村：东村' }).waitFor();
    await page.locator('.list .item-title', { hasText: '东村' }).waitFor();
  });

  it('adds a grid under the village', async () => {
    await page.getByRole('link', { name: '网格', exact: true }).click();
    await page.waitForURL(/type=grid/);
    await page.getByRole('button', { name: '＋ 添加地点' }).click();
    const village = page.locator('form.add-place select[name=village_id]');
    await village.locator('option', { hasText: '东村' }).waitFor({ state: 'attached' });
    assert.equal(await page.locator('form.add-place select[name=type]').inputValue(), 'grid');
    await village.selectOption({ label: '东村' });
    await page.getByLabel('名称').fill('东村一网格');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    const item = page.locator('.list .item', { hasText: '东村一网格' });
    await item.waitFor();
    assert.match(await item.locator('.item-meta').textContent(), /东村/);
    await page.screenshot({ path: `${SHOTS}/fangyi-places.png`, fullPage: true });
  });

  it('a place with records cannot be deleted; the page offers deactivation', async () => {
    await page.getByRole('link', { name: '村', exact: true }).click();
    const item = page.locator('.list .item', { hasText: '东村' });
    await item.waitFor();
    const del = item.getByRole('button', { name: '删除' });
    await del.click();
    await item.getByRole('button', { name: '确定删除？再点一次' }).click();
    await item.locator('.alert.error', { hasText: '不能删除' }).waitFor();
    await item.getByRole('button', { name: '改为停用' }).click();
    await item.locator('.badge', { hasText: '已停用' }).waitFor();
    assert.match(await item.getAttribute('class'), /inactive/);
    await item.getByRole('button', { name: '启用' }).click();
    await item.getByRole('button', { name: '停用' }).waitFor();
    assert.doesNotMatch(await item.getAttribute('class'), /inactive/);
  });

  it('switches to English, and English stays after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Places' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const tabs = await page.locator('.tab').allTextContents();
    assert.deepEqual(tabs, ['Village', 'Grid', 'Checkpoint', 'Venue']);
    await page.reload();
    await page.getByRole('heading', { name: 'Places' }).waitFor();
    await page.locator('.list .item-title', { hasText: '东村' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: /Home/ }).click();
    await page.locator('.home').waitFor();
    const menu = await page.locator('.menu .menu-label').allTextContents();
    assert.deepEqual(menu, ['Dashboard', 'My round', 'Alerts', 'Observation board',
      'Daily report', 'Release due', 'People register', 'Import people',
      'Possible duplicates', 'Policy and risk areas', 'Places', 'Accounts',
      'Audit log', 'Checkpoint', 'Supplies', 'Disinfection', 'Gate visitor log', 'Inspections', 'Enterprises back to work',
      'My account']);
    assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 1);
    await page.screenshot({ path: `${SHOTS}/fangyi-home-en.png`, fullPage: true });
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
  });

  it('five wrong passwords lock the account, and the page says so', async () => {
    const r = await server.admin.post('/users', { username: 'lockme',
      display_name: '锁定测试', password: 'right-pass-123', role: 'viewer',
      villages: [] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const { ctx, page: p } = await phonePage(browser, watcher);
    try {
      await p.goto(server.url);
      await p.waitForURL(/#\/login$/);
      const alert = p.locator('form.login-form .alert.error');
      for (let i = 0; i < 6; i += 1) {
        await login(p, 'lockme', `wrong-${i}`);
        await alert.waitFor();
        if (/锁定/.test(await alert.textContent())) break;
      }
      assert.match(await alert.textContent(), /锁定 15 分钟/);
      assert.match(await alert.getAttribute('class'), /locked/);
      assert.match(p.url(), /#\/login$/);
      await p.screenshot({ path: `${SHOTS}/fangyi-locked.png` });
    } finally {
      await ctx.close();
    }
    // the lock is the server's: the right password is refused too
    const c = new Client(server.url);
    assert.equal((await c.login('lockme', 'right-pass-123')).status, 429);
  });

  it('an expired session leads back to the login page, then onwards', async () => {
    await context.clearCookies();
    await page.getByRole('link', { name: /地点管理/ }).click();
    await page.waitForURL(/#\/login$/);
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: '地点管理' }).waitFor();
    await page.locator('.list .item-title', { hasText: '东村' }).waitFor();
    await page.getByRole('link', { name: /返回首页/ }).click();
  });

  it('logging out returns to the login page', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/#\/login$/);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.goto(`${server.url}/#/places`);
    await page.waitForURL(/#\/login$/);
  });

  it('showed no console error and no CSP violation', () => {
    assert.deepEqual(watcher.problems, [],
      `failed requests: ${watcher.failed.join(', ')}`);
  });
});
