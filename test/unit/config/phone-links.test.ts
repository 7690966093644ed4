/**
 * QR codes open on a visitor's phone: the hall's public addresses must be ones a phone
 * can reach, and without one no QR is printed or shown rather than one that opens nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigDir, validateConfig } from '../../../config/load.ts';
import type { HallConfig } from '../../../config/schema.ts';
import { itemGuideUrl, ticketFollowUrl } from '../../../config/phone-links.ts';
import { ticketReceipt } from '../../../electron/services/queue.ts';
import { checklistReceipt } from '../../../electron/services/print.ts';
import type { TicketView } from '../../../protocol/ui/domains/queue.ts';

let base: HallConfig;
beforeAll(() => {
  base = loadConfigDir();
});

function withHall(extra: Partial<HallConfig['hall']>): HallConfig {
  const c = structuredClone(base);
  Object.assign(c.hall, extra);
  return c;
}

function refusal(extra: Partial<HallConfig['hall']>): { path: string; message: string }[] {
  try {
    validateConfig(withHall(extra));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => ({ path: p.path, message: p.message }));
  }
  return [];
}

describe('the hall public addresses for phones', () => {
  it('the default hall has none, so it promises no QR code', () => {
    expect(base.hall.publicBaseUrl).toBeUndefined();
    expect(base.hall.guideBaseUrl).toBeUndefined();
    expect(ticketFollowUrl(base.hall, 't-1')).toBeNull();
    expect(itemGuideUrl(base.hall, 'GZ-GA-001')).toBeNull();
  });

  it.each([
    'http://127.0.0.1:4800/',
    'http://127.8.0.1/',
    'http://localhost:4800/',
    'http://kiosk.localhost/',
    'http://[::1]:4800/',
    'http://0.0.0.0:4800/',
    'https://guide.xiaojin.example/item/',
    'https://example.com/guide/',
    'https://www.example.org/',
    'https://hall.test/',
    'https://hall.invalid/',
  ])('refuses %s with a message saying why', (url) => {
    for (const key of ['publicBaseUrl', 'guideBaseUrl'] as const) {
      const problems = refusal({ [key]: url });
      expect(problems).toHaveLength(1);
      expect(problems[0].path).toBe(`hall.${key}`);
      expect(problems[0].message).toMatch(/phones can reach: not localhost, a loopback address or an example\/test domain/);
    }
  });

  it('refuses what is not a web address', () => {
    expect(refusal({ publicBaseUrl: 'hall.gz.gov.cn' })[0].message).toMatch(/a full address/);
    expect(refusal({ publicBaseUrl: 'ftp://hall.gz.gov.cn/' })[0].message).toMatch(/http:\/\/ or https:\/\//);
  });

  it('accepts a public or hall Wi-Fi address and keeps its path', () => {
    expect(refusal({ publicBaseUrl: 'https://zwfw.gz.gov.cn/xiaojin/', guideBaseUrl: 'http://192.168.10.5:8080/guide' })).toEqual([]);
    const hall = withHall({ publicBaseUrl: 'https://zwfw.gz.gov.cn/xiaojin/', guideBaseUrl: 'http://192.168.10.5:8080/guide' }).hall;
    expect(ticketFollowUrl(hall, 'a b')).toBe('https://zwfw.gz.gov.cn/xiaojin/display/?ticket=a%20b');
    expect(ticketFollowUrl(hall, 'x', '/display/?ticket=x')).toBe('https://zwfw.gz.gov.cn/xiaojin/display/?ticket=x');
    expect(itemGuideUrl(hall, 'GZ-GA-001', 'C2')).toBe('http://192.168.10.5:8080/guide/GZ-GA-001?case=C2');
  });
});

describe('what is printed', () => {
  const ticket = (followUrl: string | null): TicketView => ({
    id: 'x', number: 'A012', groupId: 'social', groupName: '社保医保', windows: ['A01'], ahead: 2, estimatedWaitMinutes: 6,
    issuedAt: '2026-09-29T01:05:00.000Z', priority: false, offline: false, followUrl,
  });
  const where = { hallName: '小今政务服务中心', kioskName: '一号机', hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }] };
  const qrs = (r: { items: { type: string; data?: string }[] }) => r.items.filter((i) => i.type === 'qr').map((i) => i.data);
  const words = (r: { items: { type: string; text?: string }[] }) => r.items.map((i) => i.text ?? '').join('\n');

  it('a ticket carries its follow link only when the hall has a public address', () => {
    const linked = ticketReceipt(ticket('https://zwfw.gz.gov.cn/display/?ticket=x'), where);
    expect(qrs(linked)).toEqual(['https://zwfw.gz.gov.cn/display/?ticket=x']);
    expect(words(linked)).toContain('手机扫码查看排队进度');
    const plain = ticketReceipt(ticket(null), where);
    expect(qrs(plain)).toEqual([]);
    expect(words(plain)).not.toContain('扫码');
    expect(words(plain)).toContain('A012');
  });

  it('a checklist carries the phone guide only when the hall has one', () => {
    const item = base.catalogue.items.find((i) => i.cases.length > 0)!;
    const now = new Date('2026-09-29T01:05:00Z');
    const plain = checklistReceipt({ config: base, item, kioskName: '一号机', now });
    expect(qrs(plain)).toEqual([]);
    expect(words(plain)).not.toContain('扫码');
    const guided = withHall({ guideBaseUrl: 'https://zwfw.gz.gov.cn/guide/' });
    const linked = checklistReceipt({ config: guided, item, caseCode: item.cases[0].code, kioskName: '一号机', now });
    expect(qrs(linked)).toEqual([`https://zwfw.gz.gov.cn/guide/${encodeURIComponent(item.code)}?case=${encodeURIComponent(item.cases[0].code)}`]);
    expect(words(linked)).toContain('手机扫码查看办事指南');
  });
});
