// pages.test.mjs — the management pages in headless Chromium on a phone:
// accounts (add, edit role and villages, disable, new password), the
// audit log and its chain check, and my account (password, API tokens).
// What the user sees is checked, and the effect on the server through
// the API where the screen alone would not prove it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, Client, startServer } from '../e2e/harness.mjs';
import { SHOTS, Watcher, signedInPhone } from './browser.mjs';

let server;
let browser;
let page;
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
  { path: '/api/v1/me/password', status: 422 }, // wrong current password
  { path: '/api/v1/users', status: 409 }, // a username taken twice
]);

describe('management pages on a phone', () => {
  before(async () => {
    server = await startServer();
    const r = await server.admin.post('/places', { type: 'village', name: '西村' });
    assert.equal(r.status, 201);
    ({ browser, page } = await signedInPhone(watcher, server.url, 'admin', ADMIN_PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('lists accounts with their role and scope in Chinese', async () => {
    await page.getByRole('link', { name: /账号管理/ }).click();
    const admin = page.locator('.list .item', { hasText: 'admin' });
    await admin.waitFor();
    assert.match(await admin.textContent(), /管理员/);
    await admin.locator('.item-meta', { hasText: '镇防控指挥部 · 全镇' }).waitFor();
  });

  it('adding an account checks the password before sending', async () => {
    await page.getByRole('button', { name: '＋ 添加账号' }).click();
    const form = page.locator('form.add-user');
    await form.getByLabel('用户名').fill('xicun');
    await form.getByLabel('姓名').fill('李四');
    await form.getByLabel('初始密码').fill('short');
    await form.getByRole('button', { name: '添加账号' }).click();
    await form.locator('.alert.error', { hasText: '至少 8 个字符' }).waitFor();
    assert.equal(await form.getByLabel('初始密码').getAttribute('aria-invalid'), 'true');
  });

  it('adds a village cadre for one village', async () => {
    const form = page.locator('form.add-user');
    await form.getByLabel('初始密码').fill('cadre-pass-1');
    await form.locator('select[name=role] option', { hasText: '村干部/网格员' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('角色').selectOption({ label: '村干部/网格员' });
    await form.getByLabel('西村').check();
    await form.getByRole('button', { name: '添加账号' }).click();
    await form.locator('.alert.success', { hasText: '已添加账号：李四' }).waitFor();
    const item = page.locator('.list .item', { hasText: 'xicun' });
    await item.locator('.item-meta', { hasText: '村干部/网格员 · 西村' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-users.png`, fullPage: true });
  });

  it('a username taken twice is refused at the username field', async () => {
    const form = page.locator('form.add-user');
    await form.getByLabel('用户名').fill('xicun');
    await form.getByLabel('姓名').fill('重名');
    await form.getByLabel('初始密码').fill('cadre-pass-2');
    await form.getByRole('button', { name: '添加账号' }).click();
    await form.locator('.alert.error', { hasText: '这个“用户名”已经有了' }).waitFor();
    assert.equal(await form.getByLabel('用户名').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('.list .item', { hasText: '重名' }).count(), 0);
    await form.getByRole('button', { name: '取消' }).click();
  });

  it('edits role and villages: no village means the whole town', async () => {
    const item = page.locator('.list .item', { hasText: 'xicun' });
    await item.getByRole('button', { name: '修改' }).click();
    await item.getByLabel('角色').selectOption({ label: '只读' });
    await item.getByLabel('西村').uncheck();
    await item.getByRole('button', { name: '保存' }).click();
    await item.locator('.item-meta', { hasText: '只读 · 全镇' }).waitFor();
    const r = await server.admin.get('/users');
    const u = r.body.items.find((x) => x.username === 'xicun');
    assert.equal(u.role, 'viewer');
    assert.deepEqual(u.villages, []);
  });

  it('disables the account, and it can no longer log in', async () => {
    const item = page.locator('.list .item', { hasText: 'xicun' });
    await item.getByRole('button', { name: '停用' }).click();
    await item.getByRole('button', { name: '确定停用？再点一次' }).click();
    await item.locator('.badge', { hasText: '已停用' }).waitFor();
    const c = new Client(server.url);
    assert.notEqual((await c.login('xicun', 'cadre-pass-1')).status, 200);
    await item.getByRole('button', { name: '启用' }).click();
    await item.getByRole('button', { name: '停用' }).waitFor();
  });

  it('sets a new password for the account', async () => {
    const item = page.locator('.list .item', { hasText: 'xicun' });
    await item.getByRole('button', { name: '重设密码' }).click();
    await item.getByLabel('新密码').fill('fresh-pass-9');
    await item.getByRole('button', { name: '设置新密码' }).click();
    await item.locator('.alert.success', { hasText: '新密码已设置' }).waitFor();
    const c = new Client(server.url);
    assert.equal((await c.login('xicun', 'fresh-pass-9')).status, 200);
  });

  it('shows the audit log newest first and verifies the chain', async () => {
    await page.getByRole('link', { name: /返回首页/ }).click();
    await page.getByRole('link', { name: /操作日志/ }).click();
    const first = page.locator('.list .item').first();
    await first.waitFor();
    const ids = await page.locator('.audit-entry .item-head .muted').allTextContents();
    const nums = ids.map((s) => Number(s.replace('#', '')));
    assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'newest first');
    assert.ok(await page.locator('.audit-entry', { hasText: '西村' }).count() >= 1);
    await page.getByRole('button', { name: '校验日志链' }).click();
    await page.locator('.alert.success', { hasText: /日志链完整，共 \d+ 条/ }).waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-audit.png`, fullPage: true });
  });

  it('my account: a wrong current password is shown at that field', async () => {
    await page.getByRole('link', { name: /返回首页/ }).click();
    await page.getByRole('link', { name: /我的账号/ }).click();
    const form = page.locator('form.password-form');
    await form.getByLabel('当前密码').fill('not-my-password');
    await form.getByLabel('新密码', { exact: true }).fill('admin-pass-456');
    await form.getByLabel('再输一次新密码').fill('admin-pass-457');
    await form.getByRole('button', { name: '修改密码' }).click();
    await form.locator('.alert.error', { hasText: '不一样' }).waitFor();
    assert.equal(await form.getByLabel('再输一次新密码').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('再输一次新密码').fill('admin-pass-456');
    await form.getByRole('button', { name: '修改密码' }).click();
    await form.locator('.alert.error', { hasText: '当前密码' }).waitFor();
    assert.equal(await form.getByLabel('当前密码').getAttribute('aria-invalid'), 'true');
  });

  it('my account: changes the password', async () => {
    const form = page.locator('form.password-form');
    await form.getByLabel('当前密码').fill(ADMIN_PASSWORD);
    await form.getByRole('button', { name: '修改密码' }).click();
    await form.locator('.alert.success', { hasText: '密码已修改' }).waitFor();
    const c = new Client(server.url);
    assert.equal((await c.login('admin', 'admin-pass-456')).status, 200);
  });

  it('creates an API token, shown once, and revokes it', async () => {
    const form = page.locator('form.token-form');
    await form.getByLabel('令牌名称').fill('县平台对接');
    await form.getByRole('button', { name: '生成令牌' }).click();
    const secret = page.getByLabel('令牌（只显示这一次）');
    await secret.waitFor();
    const token = await secret.inputValue();
    assert.ok(token.length >= 16, 'a real token is shown');
    await page.locator('.token-once', { hasText: '请现在复制保存' }).waitFor();
    const item = page.locator('.list .item', { hasText: '县平台对接' });
    await item.waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-account.png`, fullPage: true });
    // the token works for integrations
    const bearer = new Client(server.url);
    bearer.bearer = token;
    assert.equal((await bearer.get('/me')).status, 200);
    await page.reload();
    await item.waitFor();
    assert.equal(await page.getByLabel('令牌（只显示这一次）').count(), 0);
    await item.getByRole('button', { name: '作废' }).click();
    await item.getByRole('button', { name: '确定作废？再点一次' }).click();
    await item.locator('.badge', { hasText: '已作废' }).waitFor();
    assert.equal((await bearer.get('/me')).status, 401);
  });

  it('showed no console error and no CSP violation', () => {
    assert.deepEqual(watcher.problems, [],
      `failed requests: ${watcher.failed.join(', ')}`);
  });
});
