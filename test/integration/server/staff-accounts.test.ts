/**
 * Staff accounts and the transaction browser's filters on a real platform (SQLite): an
 * administrator makes a clerk's account, resets its password and disables it, each ending
 * the clerk's sessions; transactions filter by hall-local day.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { kiosk, online, platformForFile, Staff, type TestKiosk } from './helpers.ts';

const h = platformForFile();
const opened: TestKiosk[] = [];
afterAll(async () => {
  for (const k of opened) await k.close();
});

describe('staff accounts', () => {
  it('lets an administrator create a clerk, reset the password and disable the account, each ending its sessions', async () => {
    const { staff, server } = h;
    const made = await staff.call('POST', '/api/staff', { username: 'clerk.wang', displayName: '王窗口', password: 'first-pass-1', role: 'window-staff' });
    expect(made.status).toBe(200);
    const id = made.body.user.id as string;
    expect((await staff.call('POST', '/api/staff', { username: 'clerk.wang', password: 'another-pass', role: 'window-staff' })).status).toBe(409);
    const short = await staff.call('POST', '/api/staff', { username: 'clerk.li', password: 'short', role: 'window-staff' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('at least 8 characters');
    expect(JSON.stringify(short.body)).not.toContain('short"');

    const clerk = await Staff.login(server.url, { username: 'clerk.wang', password: 'first-pass-1' });
    expect((await clerk.call('GET', '/api/me')).body.user).toMatchObject({ displayName: '王窗口', role: 'window-staff' });
    // A clerk manages no accounts.
    expect((await clerk.call('GET', '/api/staff')).status).toBe(403);
    expect((await clerk.call('PATCH', `/api/staff/${id}`, { role: 'admin' })).status).toBe(403);

    expect((await staff.call('PATCH', `/api/staff/${id}`, { password: 'second-pass-2' })).status).toBe(200);
    expect((await clerk.call('GET', '/api/me')).status).toBe(401);
    await expect(Staff.login(server.url, { username: 'clerk.wang', password: 'first-pass-1' })).rejects.toThrow(/401/);
    const again = await Staff.login(server.url, { username: 'clerk.wang', password: 'second-pass-2' });

    expect((await staff.call('PATCH', `/api/staff/${id}`, { disabled: true })).status).toBe(200);
    expect((await again.call('GET', '/api/me')).status).toBe(401);
    await expect(Staff.login(server.url, { username: 'clerk.wang', password: 'second-pass-2' })).rejects.toThrow(/401/);
    const listed = (await staff.call('GET', '/api/staff')).body.users as { username: string; disabled: boolean; password_hash?: string }[];
    expect(listed.find((u) => u.username === 'clerk.wang')).toMatchObject({ disabled: true });
    expect(JSON.stringify(listed)).not.toMatch(/password|scrypt/);

    expect((await staff.call('PATCH', `/api/staff/${id}`, { disabled: false })).status).toBe(200);
    expect((await Staff.login(server.url, { username: 'clerk.wang', password: 'second-pass-2' })).token).toBeTruthy();
  });

  it('refuses an administrator disabling or demoting their own account, and changes nothing', async () => {
    const { staff } = h;
    const me = (await staff.call('GET', '/api/me')).body.user as { id: string };
    for (const body of [{ disabled: true }, { role: 'window-staff' }]) {
      const r = await staff.call('PATCH', `/api/staff/${me.id}`, body);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/your own account/);
    }
    expect((await staff.call('GET', '/api/me')).body.user).toMatchObject({ role: 'admin' });
  });
});

describe('transaction filters', () => {
  it('keeps the transactions of the hall-local days asked for, both ends included', async () => {
    const { staff, server } = h;
    const k = await kiosk(server.url, await staff.code('kiosk', 1, 'kiosk-days'));
    opened.push(k);
    await online(k.client);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await k.outbox.append('rating', { level: 5, reasons: [] })).id);
    await k.outbox.drained();
    // Recorded at 23:30 on 4 May, 00:10 on 5 May and 23:59 on 6 May, hall time (UTC+8).
    const at = ['2026-05-04T15:30:00.000Z', '2026-05-04T16:10:00.000Z', '2026-05-06T15:59:00.000Z'];
    for (let i = 0; i < 3; i++) await server.ctx.db.run('UPDATE transactions SET at = ? WHERE id = ?', [at[i], ids[i]]);

    const days = async (q: string) => ((await staff.call('GET', `/api/transactions?device=kiosk-days&${q}`)).body.transactions as { id: string }[]).map((t) => t.id).sort();
    expect(await days('from=2026-05-05&to=2026-05-05')).toEqual([ids[1]]);
    expect(await days('from=2026-05-05')).toEqual([ids[1], ids[2]].sort());
    expect(await days('to=2026-05-04')).toEqual([ids[0]]);
    expect(await days('from=2026-05-04&to=2026-05-06')).toEqual([...ids].sort());

    const backwards = await staff.call('GET', '/api/transactions?from=2026-05-06&to=2026-05-04');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('after the last');
    const bad = await staff.call('GET', '/api/transactions?from=5%2F5%2F2026');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('a date like 2026-05-01');
  });
});
