import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { strings } from '../../../renderer/console/strings.ts';
import { describeTx, type TxNames } from '../../../renderer/console/tx-describe.ts';

// Its own i18next instance: the console's strings without a page to set the language on.
const i18n = i18next.createInstance();
await i18n.init({ resources: strings, lng: 'zh', fallbackLng: false, interpolation: { escapeValue: false } });
const names: TxNames = { item: (c) => ({ 'GZ-SB-001': '社会保障卡申领' })[c], group: (g) => ({ A: '社保医保' })[g] };
const zh = (type: string, payload: Record<string, unknown>) => describeTx({ type, payload }, i18n.getFixedT('zh'), names);
const en = (type: string, payload: Record<string, unknown>) => describeTx({ type, payload }, i18n.getFixedT('en'), names);

describe('console: a transaction as a clerk reads it', () => {
  it('names a ticket\'s number, line, service, priority, wait and the masked card it is tied to', () => {
    const p = { ticketId: 't', number: 'A012', groupId: 'A', itemCode: 'GZ-SB-001', priority: 'elderly', offline: true, issuedAt: '', estimatedWaitMinutes: 14.6, maskedId: '4401**********1234' };
    expect(zh('ticket', p)).toEqual(['A012', '社保医保', '社会保障卡申领', '优先办理（老年人）', '预计等候 15 分钟', '离线发号', '绑定证件 4401**********1234']);
    expect(en('ticket', p)).toEqual(['A012', '社保医保', '社会保障卡申领', 'Priority (senior)', 'expected wait 15 min', 'issued offline', 'tied to ID 4401**********1234']);
  });

  it('shows a sign-in with the masked name and number only, the card kind and what was wrong', () => {
    const p = { maskedName: '李*华', maskedId: '4401**********0038', cardType: 'resident', idNumberValid: false, cardExpired: true, outcome: 'ok' };
    expect(zh('signin', p)).toEqual(['李*华（4401**********0038）', '居民身份证', '核验成功', '证件已过期', '证件号码校验位不符']);
    expect(en('signin', { ...p, cardType: 'foreign-permanent', idNumberValid: null, cardExpired: false })).toEqual(['李*华（4401**********0038）', 'Foreign permanent residence card', 'verified']);
  });

  it('turns ratings, prints, bookings and device faults into words', () => {
    expect(zh('rating', { level: 1, reasons: ['等候时间长', '态度不好'], comment: '排了一个小时', itemCode: 'GZ-SB-001' })).toEqual(['非常不满意', '社会保障卡申领', '等候时间长、态度不好', '“排了一个小时”']);
    expect(en('rating', { level: 5, reasons: [] })).toEqual(['Very satisfied']);
    expect(zh('print', { jobId: 'j', document: 'checklist', itemCode: 'X-404', state: 'held', reason: 'paper-out' })).toEqual(['材料清单', 'X-404', '暂停（待恢复）', 'paper-out']);
    expect(en('appointment', { appointmentId: 'a', action: 'checked-in', itemCode: 'GZ-SB-001', date: '2026-05-06', slot: { start: '09:00', end: '09:30' } })).toEqual(['Checked in', '社会保障卡申领', '2026-05-06 09:00–09:30']);
    expect(zh('device-fault', { device: 'printer', kind: 'printer', state: 'faulty', paper: 'out' })).toEqual(['printer', '打印机', '故障', '缺纸']);
    expect(en('signout', { maskedId: '4401**********0038', reason: 'idle', seconds: 90 })).toEqual(['4401**********0038', 'idle timeout', '90 s on the terminal']);
  });

  it('shows a deployment\'s own type as its plain fields, never as JSON', () => {
    expect(zh('hall.visit', { counter: 3, note: 'ok', nested: { a: 1 } })).toEqual(['counter: 3', 'note: ok']);
  });
});
