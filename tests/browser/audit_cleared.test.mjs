// audit_cleared.test.mjs — the audit log page on a phone after `fangyi
// purge`: an entry whose summary the purge cleared says so and when, in
// Chinese and in English, and shows no trace of the name; entries of
// people left as they are keep their text; the chain check still passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, runCli, spawnServer, stopServer } from '../e2e/harness.mjs';
import { createPlace, shanghai, startObservationServer } from '../e2e/lib.mjs';
import { SHOTS, Watcher, signedInPhone } from './browser.mjs';

let town;
let server;
let browser;
let page;
const watcher = new Watcher([{ path: '/api/v1/me', status: 401 }]);

describe('a cleared audit entry on a phone', () => {
  before(async () => {
    // 甲旧人 registered on 2020-02-01, 乙新人 on 2020-02-12: a purge before
    // 2020-02-10 anonymises the first only
    town = await startObservationServer({ clock: shanghai('2020-02-01 10:00') });
    const v = await createPlace(town.admin, { type: 'village', name: '清除村' });
    const add = async (name) => {
      const r = await town.admin.post('/people', { name, village_id: v.id, phone: '13800001234' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await add('甲旧人');
    town.setClock(shanghai('2020-02-12 10:00'));
    assert.equal((await town.admin.login('admin', ADMIN_PASSWORD)).status, 200);
    await add('乙新人');
    assert.equal(await stopServer(town.proc), 0);
    const run = runCli(['purge', town.db, '--before', '2020-02-10']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ {2}audit_log +1$/m, run.stdout);
    server = await spawnServer(town.db);
    ({ browser, page } = await signedInPhone(watcher, server.url, 'admin', ADMIN_PASSWORD));
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await stopServer(server.proc);
    if (town) await town.stop();
  });

  it('shows the marker and when it was cleared, never the name', async () => {
    await page.getByRole('link', { name: /操作日志/ }).click();
    const cleared = page.locator('.audit-entry', { has: page.locator('.audit-cleared') });
    await cleared.first().waitFor();
    assert.equal(await cleared.count(), 1);
    const text = await cleared.textContent();
    assert.match(text, /（已清除）内容已于 \d{4}\/\d\d\/\d\d \d\d:\d\d 疫后数据清理时清除，见第 \d+ 条。/);
    const purge = page.locator('.audit-entry', { hasText: '数据清理（匿名化）' });
    await purge.waitFor();
    const purgeId = (await purge.locator('.item-head .muted').textContent()).replace('#', '');
    assert.match(text, new RegExp(`见第 ${purgeId} 条`));
    await page.locator('.audit-entry', { hasText: '乙新人' }).waitFor();
    assert.doesNotMatch(await page.locator('.list').textContent(), /甲旧人/);
    await page.getByRole('button', { name: '校验日志链' }).click();
    await page.locator('.alert.success', { hasText: /日志链完整/ }).waitFor();
    await page.screenshot({ path: `${SHOTS}/fangyi-audit-cleared.png`, fullPage: true });
  });

  it('says it in English too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    const note = page.locator('.audit-cleared');
    await note.filter({ hasText: /^Text cleared on .* by the end-of-epidemic purge \(entry #\d+\)\.$/ }).waitFor();
    await page.locator('.audit-entry', { hasText: 'Purged (anonymised)' }).waitFor();
    assert.deepEqual(watcher.problems, []);
  });
});
