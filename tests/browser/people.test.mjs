// people.test.mjs — the people register in headless Chromium on a phone
// (390×844), as the town admin: registering a returnee from Wuhan with the
// origin picked from the region suggestions, the class and measure the
// policy gives (default policy, 湖北省 a high-risk area: home isolation 14
// days), the person in the register list, the ID number checked while it
// is typed, an ID number registered twice, and the pages in English.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_PASSWORD, startServer } from '../e2e/harness.mjs';
import { SHOTS, Watcher, signedInPhone } from './browser.mjs';

let server;
let browser;
let page;
let personId;
const watcher = new Watcher([
  { path: '/api/v1/me', status: 401 }, // first visit, not logged in yet
]);

const ID = '34052419800101001X'; // valid: male, born 1980-01-01
const BAD_ID = '340524198001010011'; // wrong check character

// noSidewaysScroll asserts the page fits its width.
async function noSidewaysScroll(p, width) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `page is ${w}px wide at ${width}px`);
}

describe('people register on a phone', () => {
  before(async () => {
    server = await startServer();
    let r = await server.admin.post('/places', { type: 'village', name: '东村' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await server.admin.post('/places', { type: 'grid', name: '东村一网格',
      village_id: r.body.id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await server.admin.post('/risk-areas', { region_code: '420000',
      level: 'high', start_date: '2020-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ({ browser, page } = await signedInPhone(watcher, server.url, 'admin', ADMIN_PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('opens the empty register from the home page', async () => {
    await page.getByRole('link', { name: /人员登记/ }).click();
    await page.getByRole('heading', { name: '人员登记' }).waitFor();
    await page.locator('.people .empty', { hasText: '还没有登记人员' }).waitFor();
    const csv = page.getByRole('link', { name: 'CSV' });
    assert.match(await csv.getAttribute('href'), /^\/api\/v1\/people\/export\?format=csv$/);
  });

  it('checks the ID number while it is typed, before anything is sent', async () => {
    await page.getByRole('link', { name: '＋ 登记人员' }).click();
    await page.getByRole('heading', { name: '登记人员' }).waitFor();
    const id = page.getByLabel('身份证号');
    await id.pressSequentially(BAD_ID.slice(0, 10));
    // still typing: a number not yet complete is no error
    assert.equal(await page.locator('.field-error:visible').count(), 0);
    await id.pressSequentially(BAD_ID.slice(10));
    const err = page.locator('.field.invalid .field-error', { hasText: '校验位不对' });
    await err.waitFor();
    assert.equal(await id.getAttribute('aria-invalid'), 'true');
    await id.fill(ID);
    await page.locator('.field-info', { hasText: '男 · 1980-01-01 出生' }).waitFor();
    assert.equal(await id.getAttribute('aria-invalid'), null);
    assert.equal(await err.count(), 0);
  });

  it('registers a returnee from Wuhan, origin picked from the suggestions', async () => {
    const form = page.locator('form.person-form');
    await form.getByLabel('姓名').fill('张三');
    await form.getByLabel('手机号').fill('13800138000');
    await form.locator('select[name=village_id] option', { hasText: '东村' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('所在村').selectOption({ label: '东村' });
    await form.locator('select[name=grid_id] option', { hasText: '东村一网格' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('网格').selectOption({ label: '东村一网格' });
    await form.getByLabel('从哪里返回').pressSequentially('武汉');
    await form.getByRole('option', { name: /湖北省武汉市/ }).first().click();
    assert.equal(await form.getByLabel('从哪里返回').inputValue(), '湖北省武汉市');
    await form.getByLabel('离开日期').fill('2020-01-23');
    await form.getByLabel('返乡日期').fill('2020-01-24');
    await form.getByLabel('交通方式').selectOption({ label: '火车/高铁' });
    await form.getByLabel('车次/航班/车牌号').fill('G123');
    await noSidewaysScroll(page, 390);
    await page.screenshot({ path: `${SHOTS}/fangyi-person-form.png`, fullPage: true });
    await form.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL(/#\/people\/\d+$/);
    personId = Number(page.url().match(/#\/people\/(\d+)$/)[1]);
    const result = page.locator('.classification-result');
    await result.waitFor();
    assert.match(await result.textContent(), /已登记：张三/);
    assert.equal((await result.locator('.result-kind').textContent()).trim(),
      '高风险地区返乡');
    assert.equal((await result.locator('.result-measure').textContent()).trim(),
      '居家隔离 14 天');
    await page.locator('.travels .item-title', { hasText: '湖北省武汉市' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-person.png`, fullPage: true });

    const r = await server.admin.get(`/people/${personId}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'returnee_high');
    assert.equal(r.body.measure, 'home_isolation');
    assert.equal(r.body.period_days, 14);
    assert.equal(r.body.latest_travel.origin_code, '420100');
  });

  it('the person appears in the register list', async () => {
    await page.getByRole('link', { name: /返回人员登记/ }).click();
    const card = page.locator('.people-list .person-card', { hasText: '张三' });
    await card.waitFor();
    const text = await card.textContent();
    assert.match(text, /340524\*+001X/, 'the ID number is masked');
    assert.match(text, /东村 · 东村一网格/);
    assert.match(text, /湖北省武汉市/);
    await card.locator('.badge.kind-returnee_high', { hasText: '高风险地区返乡' }).waitFor();
    await card.locator('.badge.measure-home_isolation', { hasText: '居家隔离 14 天' }).waitFor();
    await noSidewaysScroll(page, 390);
    await page.screenshot({ path: `${SHOTS}/fangyi-people.png`, fullPage: true });
    // search by name
    await page.getByPlaceholder('姓名、手机号或身份证号').fill('张');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    await page.locator('.people-list .person-card', { hasText: '张三' }).waitFor();
  });

  it('the add form fits a 360px screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/#/people/new`);
    await page.getByRole('heading', { name: '登记人员' }).waitFor();
    await noSidewaysScroll(page, 360);
    const small = await page.evaluate(() => [...document.querySelectorAll(
      'form.person-form button, form.person-form input:not([type=checkbox]), form.person-form select')]
      .filter((el) => el.offsetParent)
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.height < 44).length);
    assert.equal(small, 0, 'tap targets under 44px');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('the same ID number again adds the travel to the person already registered', async () => {
    const form = page.locator('form.person-form');
    await form.getByLabel('姓名').fill('张三');
    await form.getByLabel('身份证号').fill(ID);
    await form.locator('select[name=village_id] option', { hasText: '东村' })
      .waitFor({ state: 'attached' });
    await form.getByLabel('所在村').selectOption({ label: '东村' });
    await form.getByLabel('从哪里返回').pressSequentially('武汉');
    await form.getByRole('option', { name: /湖北省武汉市/ }).first().click();
    await form.getByLabel('返乡日期').fill('2020-02-01');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(new RegExp(`#/people/${personId}$`));
    await page.locator('.classification-result', { hasText: '已登记，已添加返乡记录' })
      .waitFor();
    await page.locator('.travels h2', { hasText: '行程（2）' }).waitFor();
  });

  it('marks the person as a case on the edit page', async () => {
    await page.locator('.identity').getByRole('link', { name: '修改' }).click();
    await page.getByRole('heading', { name: '修改人员信息' }).waitFor();
    const form = page.locator('form.person-form');
    assert.match(await form.getByLabel('身份证号').inputValue(), /\*/, 'masked');
    await form.getByLabel('住址').fill('东村 3 号');
    await form.getByLabel('确诊或疑似病例').check();
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(new RegExp(`#/people/${personId}$`));
    await page.locator('.classification-result', { hasText: '已保存' }).waitFor();
    await page.locator('.badges .badge.case', { hasText: '病例' }).waitFor();
    await page.locator('.identity', { hasText: '东村 3 号' }).waitFor();
    const r = await server.admin.get(`/people/${personId}?full=1`);
    assert.equal(r.body.is_case, true);
    assert.equal(r.body.id_number, ID, 'the masked ID number was not sent back');
  });

  it('adds a close contact found by name, linked both ways', async () => {
    const r = await server.admin.post('/people', { name: '李四',
      id_number: '11010519491231002X', phone: '13900000001',
      village_id: (await server.admin.get('/places?type=village')).body.items[0].id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const liId = r.body.person.id;
    await page.getByRole('button', { name: '＋ 添加接触记录' }).click();
    const form = page.locator('form.contact-form');
    await form.getByLabel('接触的人').pressSequentially('李');
    await form.getByRole('option', { name: /李四/ }).click();
    await form.getByLabel('谁接触了谁').selectOption({ label: '此人接触了本人' });
    await form.getByLabel('最后接触日期').fill('2020-01-26');
    await form.getByLabel('关系').selectOption({ label: '家人' });
    await form.getByLabel('接触场所').fill('家中');
    await form.getByRole('button', { name: '添加接触记录' }).click();
    const result = page.locator('.classification-result', { hasText: '李四 的分类' });
    await result.waitFor();
    assert.equal((await result.locator('.result-kind').textContent()).trim(), '密切接触者');
    assert.equal((await result.locator('.result-measure').textContent()).trim(), '居家隔离 14 天');
    const link = page.locator('.exposed_by a', { hasText: '李四' });
    await link.click();
    await page.waitForURL(new RegExp(`#/people/${liId}$`));
    await page.locator('.badges .badge', { hasText: '密切接触者' }).waitFor();
    await page.locator('.exposed_to .item', { hasText: '最后接触 2020-01-26' }).waitFor();
    await page.locator('.exposed_to a', { hasText: '张三' }).click();
    await page.waitForURL(new RegExp(`#/people/${personId}$`));
  });

  it('shows the full ID number and phone on request', async () => {
    const identity = page.locator('.identity');
    assert.match(await identity.locator('.id-number').textContent(), /\*/);
    await identity.getByRole('button', { name: '显示完整身份证号和手机号' }).click();
    await identity.locator('.id-number', { hasText: ID }).waitFor();
    await identity.locator('a.phone[href="tel:13800138000"]').waitFor();
    await identity.locator('.full-shown').waitFor();
  });

  it('filters the list by class', async () => {
    await page.goto(`${server.url}/#/people`);
    await page.locator('.people-filter summary').click();
    await page.locator('.people-filters').getByLabel('人员类别').selectOption({ label: '密切接触者' });
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL(/kind=close_contact/);
    // the unfiltered list may still be on screen for a moment: wait for the
    // filtered one (张三 gone), then check it
    await page.locator('.person-card', { hasText: '张三' }).waitFor({ state: 'detached' });
    await page.locator('.person-card', { hasText: '李四' }).waitFor();
    assert.equal(await page.locator('.person-card', { hasText: '张三' }).count(), 0);
    assert.match(await page.getByRole('link', { name: 'Excel' }).getAttribute('href'),
      /\/api\/v1\/people\/export\?kind=close_contact&format=xlsx/);
    await page.locator('.people-filter summary', { hasText: '筛选（1 项）' }).waitFor();
    // the export downloads the filtered list with the session's cookie
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /李四/);
    assert.doesNotMatch(text, /张三/);
  });

  it('shows the policy and the risk areas, and the admin edits a period', async () => {
    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: /管控政策与风险地区/ }).click();
    await page.getByRole('heading', { name: '管控政策与风险地区' }).waitFor();
    const high = page.locator('.policy', { hasText: '高风险地区返乡' });
    await high.locator('.policy-measure', { hasText: '居家隔离 14 天' }).waitFor();
    await page.locator('.risk-area', { hasText: '湖北省' })
      .locator('.badge', { hasText: '高风险' }).waitFor();
    const low = page.locator('.policy', { hasText: '低风险地区返乡' });
    await low.getByRole('button', { name: '修改' }).click();
    await low.getByLabel('天数').fill('10');
    await low.getByRole('button', { name: '保存' }).click();
    await low.locator('.policy-measure', { hasText: '居家健康监测 10 天' }).waitFor();
    const r = await server.admin.get('/policies');
    assert.equal(r.body.items.find((x) => x.kind === 'returnee_low').period_days, 10);
    await page.screenshot({ path: `${SHOTS}/fangyi-policies.png`, fullPage: true });
  });

  it('adds a risk area with the region picked from suggestions', async () => {
    await page.getByRole('button', { name: '＋ 添加风险地区' }).click();
    const form = page.locator('form.add-risk-area');
    await form.getByLabel('地区').pressSequentially('温州');
    await form.getByRole('option', { name: /浙江省温州市/ }).first().click();
    await form.getByLabel('风险等级').selectOption({ label: '中风险' });
    await form.getByLabel('开始日期').fill('2020-01-28');
    await form.getByRole('button', { name: '添加', exact: true }).click();
    await form.locator('.alert.success', { hasText: '已添加风险地区' }).waitFor();
    await page.locator('.risk-area', { hasText: '温州市' })
      .locator('.badge', { hasText: '中风险' }).waitFor();
  });

  it('lists possible duplicates with their reason', async () => {
    const v = (await server.admin.get('/places?type=village')).body.items[0].id;
    const r = await server.admin.post('/people', { name: '张三',
      id_number: '370724198002020013', phone: '13800138000', village_id: v });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: /疑似重复/ }).click();
    const pair = page.locator('.pair').first();
    await pair.waitFor();
    await pair.locator('.pair-reason', { hasText: '姓名和手机号相同' }).waitFor();
    assert.equal(await pair.locator('.person-card', { hasText: '张三' }).count(), 2);
    assert.equal(await pair.getByRole('button', { name: '保留这条并合并' }).count(), 2);
    await noSidewaysScroll(page, 390);
  });

  it('imports a CSV file: preview first, then only the good rows', async () => {
    const csv = ['姓名,身份证号,联系电话,所属村,返乡来源地,返乡日期',
      '王五,110105194912310038,13900000002,东村,武汉,2020-01-22',
      '赵六,110105194912310041,13900000003,东村,武汉,2020-01-22', ''].join('\n');
    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: /导入人员/ }).click();
    await page.getByRole('heading', { name: '导入人员' }).waitFor();
    await page.getByLabel('CSV 文件').setInputFiles({ name: 'people.csv',
      mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.locator('.import-result');
    await preview.locator('h2', { hasText: '检查结果' }).waitFor();
    const count = async (k) => (await preview.locator(`.count.${k} dd`).textContent()).trim();
    assert.equal(await count('rows'), '2');
    assert.equal(await count('created'), '1');
    assert.equal(await count('bad'), '1');
    const bad = preview.locator('table.bad-rows tbody tr');
    assert.equal(await bad.count(), 1);
    assert.equal((await bad.locator('td').first().textContent()).trim(), '3');
    assert.match(await bad.locator('td').nth(1).textContent(), /身份证号/);
    assert.equal(await preview.getByRole('button', { name: '导入', exact: true }).isDisabled(), true);
    assert.equal((await server.admin.get('/people?q=王五')).body.items.length, 0,
      'the preview stores nothing');
    await page.screenshot({ path: `${SHOTS}/fangyi-import.png`, fullPage: true });
    await preview.getByRole('button', { name: '只导入正确的 1 行' }).click();
    await preview.locator('.alert.success', { hasText: '新增 1' }).waitFor();
    assert.equal((await server.admin.get('/people?q=王五')).body.items.length, 1);
    assert.equal((await server.admin.get('/people?q=赵六')).body.items.length, 0);
  });

  it('shows English labels after switching language', async () => {
    await page.goto(`${server.url}/#/people/${personId}`);
    await page.locator('.identity').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.identity h2', { hasText: 'Identity' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.locator('.badges .badge', { hasText: 'From a high-risk area' }).waitFor();
    await page.locator('.measure-text dd', { hasText: 'Home isolation, 14 days' }).waitFor();
    await page.goto(`${server.url}/#/people/new`);
    await page.getByRole('heading', { name: 'Register a person' }).waitFor();
    for (const label of ['Name', 'ID number', 'Mobile', 'Village', 'Returned from',
      'Returned on', 'Transport']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
    }
    const transports = await page.locator('select[name=transport] option').allTextContents();
    assert.deepEqual(transports, ['(not given)', 'Train', 'Plane', 'Coach', 'Own car', 'Other']);
    await page.getByLabel('ID number', { exact: true }).fill(BAD_ID);
    await page.locator('.field-error', { hasText: 'check character' }).waitFor();
    await page.goto(`${server.url}/#/people`);
    await page.getByRole('heading', { name: 'People register' }).waitFor();
    await page.locator('.person-card .badge', { hasText: 'Home isolation, 14 days' }).first()
      .waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '人员登记' }).waitFor();
  });

  it('showed no console error and no CSP violation', () => {
    assert.deepEqual(watcher.problems, [],
      `failed requests: ${watcher.failed.join(', ')}`);
  });
});
