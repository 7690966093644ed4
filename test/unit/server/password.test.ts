import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/staff/password.ts';

describe('staff passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('窗口密码 2026');
    const b = await hashPassword('窗口密码 2026');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('窗口密码 2026', a)).toBe(true);
    expect(await verifyPassword('窗口密码 2027', a)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});
