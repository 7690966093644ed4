/**
 * The staff console in Debian Chromium against a platform started here, serving the
 * renderer the e2e global setup built: sign-in, device health, a menu edit that reaches
 * a live kiosk, restoring a version, enrollment codes, follow-ups, the transaction browser.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app.ts';
import { enrollDevice } from '../../electron/services/sync-credential.ts';
import { launchChromium, artifactDir, type LaunchedBrowser } from './browser.ts';
import { buildMenus } from '../../config/menus.ts';
import { ADMIN, kiosk, online, removeTempDirs, Staff, tempDir, waitFor, type TestKiosk } from '../integration/server/helpers.ts';

const STATIC = resolve(import.meta.dirname, '../../dist/renderer');
let server: RunningServer;
let browser: LaunchedBrowser;
let page: Page;
let k: TestKiosk;
let shots: string;

beforeAll(async () => {
  browser = await launchChromium({ width: 1440, height: 900 });
  shots = artifactDir('console');
});

afterAll(async () => {
  await browser?.close();
  removeTempDirs();
});

// Each test gets its own platform, kiosk and page: what one test saves or closes is not another's starting point.
beforeEach(async () => {
  server = await startServer({ port: 0, dataDir: tempDir(), logLevel: 'silent', seedAdmin: ADMIN, staticDir: STATIC });
  const staff = await Staff.login(server.url);
  k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-1'), { withConfig: true });
  await online(k.client);
  k.client.reportHealth([
    { id: 'printer', kind: 'printer', port: 'sim', state: 'ok', paper: 'near-end', since: new Date().toISOString() },
    { id: 'idcard', kind: 'idcard', port: 'sim', state: 'ok', since: new Date().toISOString() },
  ]);
  await k.outbox.append('rating', { level: 1, reasons: ['等候时间长'], comment: '排了一个小时' });
  await k.outbox.append('ticket', { ticketId: 't-1', number: 'A001', groupId: 'g', offline: false, issuedAt: new Date().toISOString(), estimatedWaitMinutes: 15 });
  await k.outbox.drained();
  page = await browser.browser.newPage();
});

afterEach(async () => {
  await page?.close();
  await k?.close();
  await server?.close();
});

async function signIn(password = ADMIN.password): Promise<void> {
  await page.fill('input[name=username]', ADMIN.username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

/** Opens the console signed in, on its figures page. */
async function signedIn(): Promise<void> {
  await page.goto(`${server.url}/console/`);
  await signIn();
  await page.getByRole('heading', { name: '今日数据' }).waitFor();
}

describe('staff console', () => {
  it('refuses a wrong password and signs in with the right one', async () => {
    await page.goto(`${server.url}/console/`);
    await signIn('wrong password');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    await signIn();
    await page.getByRole('heading', { name: '今日数据' }).waitFor();
    expect(await page.getByTestId('fig-followups').textContent()).toBe('1');
    expect(await page.getByTestId('fig-tickets').textContent()).toBe('1');
    await page.screenshot({ path: join(shots, 'figures.png') });
  });

  it('closes a bad-rating follow-up', async () => {
    await signedIn();
    const row = page.locator('tr.followup').first();
    expect(await row.textContent()).toContain('非常不满意');
    await row.getByLabel('回访结果').fill('已电话致歉并说明高峰时段');
    await row.getByRole('button', { name: '办结' }).click();
    await waitFor('the follow-up to close', async () => (await page.locator('tr.followup').count()) === 0);
    expect(await page.getByTestId('fig-followups').textContent()).toBe('0');
  });

  it('shows each kiosk online with its configuration version, paper and reader', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '设备状态' }).click();
    const row = page.locator('tr[data-device="kiosk-1"]');
    await row.waitFor();
    await waitFor('health to show', async () => (await row.textContent())!.includes('将尽'));
    expect(await row.locator('.online-state').textContent()).toBe('在线');
    expect(await row.locator('.config-version').textContent()).toBe('第 1 版');
    expect(await row.textContent()).toContain('正常');
    await page.screenshot({ path: join(shots, 'devices.png') });
  });

  it('reorders the kiosk menu, saves a version and the kiosk runs it', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '终端菜单' }).click();
    const entries = page.locator('li.menu-entry');
    await entries.first().waitFor();
    const before = server.ctx.config.config.menus.themes.map((t) => t.id);
    await page.getByRole('button', { name: `上移 ${server.ctx.config.config.menus.themes[1].title}` }).click();
    expect(await entries.nth(0).getAttribute('data-entry')).toBe(before[1]);
    // Visibility: show the first entry on kiosk-1 only.
    await entries.nth(0).getByRole('button', { name: '编辑' }).click();
    await entries.nth(0).getByLabel(/kiosk-1/).check();
    await page.getByLabel('修改说明').fill('调整主题顺序');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();
    await waitFor('the kiosk to run version 2', () => k.client.configVersion === 2);
    const themes = k.config!.config.menus.themes;
    expect(themes.map((t) => t.id).slice(0, 2)).toEqual([before[1], before[0]]);
    expect(themes[0].kiosks).toEqual(['kiosk-1']);
    await page.screenshot({ path: join(shots, 'menu.png') });
  });

  it('gives an item its English name and 不收费, refusing free with a fee until one is removed, and the kiosk gets it', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '服务事项' }).click();
    await page.getByLabel('搜索事项').fill('GZ-SB-001');
    await page.getByRole('button', { name: /社会保障卡申领/ }).click();
    const form = page.locator('.item-form[data-item="GZ-SB-001"]');
    await form.getByLabel('英文名称').fill('Social security card (new)');
    await form.getByLabel('收费标准').fill('5元');
    await form.getByLabel('不收费').check();
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.locator('ul.problems').filter({ hasText: 'cannot also state a fee' }).waitFor();
    expect(await page.locator('ul.problems').innerText()).toContain('free');
    // The refused draft is still there to fix, nothing lost.
    expect(await form.getByLabel('英文名称').inputValue()).toBe('Social security card (new)');
    await form.getByLabel('收费标准').fill('');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();
    await waitFor('the kiosk to run version 2', () => k.client.configVersion === 2);
    const saved = k.config!.config.catalogue.items.find((i) => i.code === 'GZ-SB-001')!;
    expect(saved).toMatchObject({ nameEn: 'Social security card (new)', free: true });
    expect(saved.fee).toBeUndefined();
    await page.screenshot({ path: join(shots, 'item-english-fee.png') });
  });

  it('shows why each item is in a theme, and a move made there is kept through a rebuild of the themes', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '终端菜单' }).click();
    const exit = page.locator('li.menu-entry[data-entry="exit"]');
    await exit.getByRole('button', { name: '编辑' }).click();
    const config = server.ctx.config.config;
    const passport = config.catalogue.items.find((i) => i.name === '办理及加注普通护照')!;
    const row = exit.locator('.item-list li').filter({ hasText: passport.name });
    expect(await row.locator('.reason').textContent()).toBe('主题标签「出境入境」');
    await row.getByLabel(`把 ${passport.name} 移到其他主题`).selectOption({ label: '户籍' });
    expect(await exit.locator('.item-list li').filter({ hasText: passport.name }).count()).toBe(0);
    await page.getByTestId('theme-corrections').waitFor();
    await page.screenshot({ path: join(shots, 'theme-audit.png') });
    await page.getByLabel('修改说明').fill('本厅护照在户籍窗口办');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();

    const saved = server.ctx.config.config.menus;
    expect(saved.corrections).toEqual(expect.arrayContaining([expect.objectContaining({ item: passport.code, from: 'exit', to: 'household' })]));
    expect(saved.themes.find((t) => t.id === 'household')!.items[0]).toBe(passport.code);
    expect(saved.themes.find((t) => t.id === 'exit')!.items).not.toContain(passport.code);
    // What `xiaojin catalogue import` does to the saved configuration: themes rebuilt from the rules, corrections applied again.
    const rebuilt = buildMenus(server.ctx.config.config.catalogue, saved.hot, saved.corrections);
    expect(rebuilt.themes.find((t) => t.id === 'exit')!.items).not.toContain(passport.code);
    expect(rebuilt.themes.find((t) => t.id === 'household')!.reasons![passport.code].by).toBe('staff');

    // The console shows the saved placement and why.
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: '终端菜单' }).click();
    const household = page.locator('li.menu-entry[data-entry="household"]');
    await household.getByRole('button', { name: '编辑' }).click();
    expect(await household.locator('.item-list li').first().locator('.reason').textContent()).toBe('工作人员调整');
  });

  it('edits a window on the hall map and restores an earlier version', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '窗口与地图' }).click();
    const first = server.ctx.config.config.hall.windows[0];
    await page.getByLabel(`窗口 ${first.id} 名称`).fill('综合受理一号');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('status').filter({ hasText: '已保存为第 2 版' }).waitFor();
    await waitFor('the kiosk to run version 2', () => k.client.configVersion === 2);
    expect(k.config!.config.hall.windows[0].name).toBe('综合受理一号');

    await page.getByRole('navigation').getByRole('button', { name: '配置版本' }).click();
    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-version="1"]').getByRole('button', { name: '恢复此版本' }).click();
    await page.getByRole('status').filter({ hasText: '已恢复为第 3 版' }).waitFor();
    await waitFor('the kiosk to run version 3', () => k.client.configVersion === 3);
    expect(k.config!.config.hall.windows[0].name).toBe(first.name);
  });

  it('keeps the version list current and lets its messages go once read', async () => {
    await signedIn();
    const nav = page.getByRole('navigation');
    const first = server.ctx.config.config.hall.windows[0];
    const rename = (name: string) => page.getByLabel(`窗口 ${first.id} 名称`).fill(name);
    await nav.getByRole('button', { name: '窗口与地图' }).click();
    await rename('综合受理一号');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    const saved = page.getByRole('status').filter({ hasText: '已保存为第 2 版' });
    await saved.waitFor();
    // The next edit makes the message stale: it goes at once.
    await rename('综合受理一号窗');
    await saved.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '放弃修改' }).click();

    await nav.getByRole('button', { name: '配置版本' }).click();
    const currentRows = () => page.locator('tr[data-version]').evaluateAll((rows) => rows.filter((r) => r.querySelector('strong')).map((r) => r.getAttribute('data-version')));
    await expect.poll(currentRows).toEqual(['2']);
    // Another staff member saves: the open list follows without a click.
    const other = await Staff.login(server.url);
    const edited = structuredClone(server.ctx.config.config);
    edited.hall.windows[0].name = '综合受理窗口（他人修改）';
    expect((await other.call('POST', '/api/config', { config: edited, note: '另一位工作人员' })).status).toBe(200);
    await expect.poll(currentRows).toEqual(['3']);

    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-version="1"]').getByRole('button', { name: '恢复此版本' }).click();
    // The table agrees with the message from the moment it shows.
    const currentWhenTold = await page.waitForFunction(() => {
      const told = [...document.querySelectorAll('[role=status]')].some((e) => e.textContent?.includes('已恢复为第 4 版'));
      return told && [...document.querySelectorAll('tr[data-version]')].filter((r) => r.querySelector('strong')).map((r) => r.getAttribute('data-version'));
    });
    expect(await currentWhenTold.jsonValue()).toEqual(['4']);
    expect(await page.locator('tr[data-version="3"]').getByRole('button', { name: '恢复此版本' }).count()).toBe(1);
    expect(await page.locator('tr[data-version="4"]').getByRole('button').count()).toBe(0);
    // The kiosk moving to version 4 shows in the devices column.
    await waitFor('the kiosk to run version 4', () => k.client.configVersion === 4);
    await expect.poll(() => page.locator('tr[data-version="4"] td').nth(4).textContent()).toBe('1');
    await page.screenshot({ path: join(shots, 'versions-restored.png') });
    // Once read, the message leaves by itself; so does the save bar's.
    await page.getByRole('status').filter({ hasText: '已恢复为第 4 版' }).waitFor({ state: 'detached' });
    await nav.getByRole('button', { name: '窗口与地图' }).click();
    await rename('综合受理五号');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    const savedAgain = page.getByRole('status').filter({ hasText: '已保存为第 5 版' });
    await savedAgain.waitFor();
    await savedAgain.waitFor({ state: 'detached' });
    expect(await page.getByRole('region', { name: '保存配置' }).count()).toBe(0);
  });

  it('makes an enrollment code a new kiosk can use once', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '注册码' }).click();
    await page.getByLabel('设备编号').fill('kiosk-2');
    await page.getByRole('button', { name: '生成注册码' }).click();
    const code = (await page.getByTestId('new-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const cred = await enrollDevice({ dataDir: tempDir(), url: server.url, code, kind: 'kiosk' });
    expect(cred.deviceId).toBe('kiosk-2');
    await expect(enrollDevice({ dataDir: tempDir(), url: server.url, code, kind: 'kiosk' })).rejects.toMatchObject({ code: 'gone' });
  });

  it('browses transactions as a readable table, filtered by type, terminal and day, in Chinese and English', async () => {
    await k.outbox.append('signin', { maskedName: '李*华', maskedId: '4401**********0038', cardType: 'resident', idNumberValid: true, outcome: 'ok' });
    await k.outbox.drained();
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '业务记录' }).click();
    await page.locator('tr.tx-row').first().waitFor();
    expect(await page.locator('tr.tx-row').count()).toBe(3);
    expect(await page.locator('tr[data-type=ticket] .tx-type').textContent()).toBe('取号');
    expect(await page.locator('tr[data-type=ticket] .tx-details').textContent()).toBe('A001 · g · 预计等候 15 分钟');
    expect(await page.locator('tr[data-type=signin] .tx-details').textContent()).toBe('李*华（4401**********0038） · 居民身份证 · 核验成功');
    expect(await page.locator('table').textContent()).not.toMatch(/[{}]|"level"/);
    await page.getByLabel('类型').selectOption('rating');
    await waitFor('the type filter', async () => (await page.locator('tr.tx-row').count()) === 1);
    expect(await page.locator('tr.tx-row .tx-details').textContent()).toBe('非常不满意 · 等候时间长 · “排了一个小时”');
    await page.getByLabel('类型').selectOption('');
    await page.getByLabel('终端').fill('kiosk-9');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有记录。').waitFor();
    await page.getByLabel('终端').fill('kiosk-1');
    await page.getByRole('button', { name: '查询' }).click();
    await waitFor('the terminal filter', async () => (await page.locator('tr.tx-row').count()) === 3);
    // Tomorrow, hall time: nothing recorded yet.
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('起始日期').fill(tomorrow);
    await page.getByText('没有记录。').waitFor();
    await page.getByLabel('起始日期').fill('');
    await waitFor('the day filter lifted', async () => (await page.locator('tr.tx-row').count()) === 3);
    await page.screenshot({ path: join(shots, 'transactions.png') });
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Transactions' }).waitFor();
    expect(await page.locator('tr[data-type=signin] .tx-type').textContent()).toBe('ID check');
    expect(await page.locator('tr[data-type=signin] .tx-details').textContent()).toBe('李*华（4401**********0038） · Resident ID card · verified');
    await page.screenshot({ path: join(shots, 'transactions-en.png') });
  });

  it('manages staff accounts: a clerk gets their own login, a new password and is disabled', async () => {
    await signedIn();
    await page.getByRole('navigation').getByRole('button', { name: '工作人员账号' }).click();
    await page.getByRole('heading', { name: '工作人员账号' }).waitFor();
    await page.getByLabel('用户名').fill('clerk.zhang');
    await page.getByLabel('姓名').fill('张窗口');
    await page.getByLabel('新账号角色').selectOption('window-staff');
    await page.getByLabel('初始密码').fill('short');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    expect(await page.getByRole('alert').textContent()).toBe('密码至少 8 个字符');
    await page.getByLabel('初始密码').fill('clerk-pass-1');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    const row = page.locator('tr[data-user="clerk.zhang"]');
    await row.waitFor();
    expect(await row.locator('.account-state').textContent()).toBe('启用中');
    expect(await row.getByRole('combobox').inputValue()).toBe('window-staff');
    expect(await page.locator('tr[data-user=admin]').textContent()).toContain('当前登录账号');
    // The clerk signs in with their own account.
    const clerk = await Staff.login(server.url, { username: 'clerk.zhang', password: 'clerk-pass-1' });
    expect((await clerk.call('GET', '/api/me')).body.user.displayName).toBe('张窗口');

    await row.locator('[data-action=reset]').click();
    await page.getByLabel('clerk.zhang 的新密码').fill('clerk-pass-2');
    await row.locator('[data-action=set-password]').click();
    await page.getByText('已为 clerk.zhang 设置新密码，其原有登录已失效').waitFor();
    expect((await clerk.call('GET', '/api/me')).status).toBe(401);
    await Staff.login(server.url, { username: 'clerk.zhang', password: 'clerk-pass-2' });

    await row.locator('[data-action=toggle]').click();
    await waitFor('the account disabled', async () => (await row.locator('.account-state').textContent()) === '已停用');
    await expect(Staff.login(server.url, { username: 'clerk.zhang', password: 'clerk-pass-2' })).rejects.toThrow(/401/);
    await page.screenshot({ path: join(shots, 'staff.png') });
  });

  it('switches to English and keeps that choice on this PC', async () => {
    // Its own browser profile: signed out, nothing stored.
    const own = await launchChromium({ width: 1440, height: 900 });
    try {
      const p = await own.browser.newPage();
      await p.goto(`${server.url}/console/`);
      await p.getByRole('heading', { name: '小今 管理后台' }).waitFor();
      await p.getByTestId('lang-toggle').click();
      await p.getByRole('heading', { name: 'Xiaojin console' }).waitFor();
      await p.fill('input[name=username]', ADMIN.username);
      await p.fill('input[name=password]', ADMIN.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: "Today's figures" }).waitFor();
      await p.getByRole('navigation').getByRole('button', { name: 'Devices' }).click();
      await p.getByRole('heading', { name: 'Devices' }).waitFor();
      expect(await p.locator('tr[data-device="kiosk-1"] .online-state').textContent()).toBe('Online');
      await p.screenshot({ path: join(shots, 'english.png') });
      await p.reload();
      await p.getByRole('navigation').getByRole('button', { name: 'Overview' }).waitFor();
      await p.getByTestId('lang-toggle').click();
      await p.getByRole('navigation').getByRole('button', { name: '数据概览' }).waitFor();
    } finally {
      await own.close();
    }
  });
});
