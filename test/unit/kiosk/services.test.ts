/** The kiosk host's session, print and rating modules, on the default hall with fake devices. */
import { randomUUID } from 'node:crypto';
import { checkPayload } from '../../../protocol/sync.ts';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeTerminal, type KioskServices, type PrinterPort } from '../../../electron/services/kiosk-services.ts';
import type { DeviceManager } from '../../../drivers/manager.ts';
import { devicesWith, linkPart } from '../../helpers/terminal-parts.ts';
import { cardValidity, hallDate, maskIdNumber, maskName, personOf, sessionPart } from '../../../electron/services/session.ts';
import { printPart } from '../../../electron/services/print.ts';
import { ratingPart } from '../../../electron/services/rating.ts';
import type { PrintJobStatus } from '../../../protocol/ui/domains/print.ts';
import { decodeCardText, encodeCardText, type CardText } from '../../../drivers/idcard/text.ts';
import { foreignPermanentCard } from '../../../drivers/idcard/fixtures.ts';
import { createLogger } from '../../../electron/services/log.ts';

const card: CardText = {
  cardType: 'resident',
  name: '李今华',
  sex: '男',
  sexCode: '1',
  nation: '汉',
  nationCode: '01',
  birth: '1968-03-15',
  address: '广东省广州市越秀区府前路1号',
  idNumber: '440104196803150038',
  idNumberValid: true,
  authority: '广州市公安局越秀分局',
  validFrom: '2016-05-20',
  validTo: '长期',
};

interface Rig {
  services: KioskServices;
  transactions: { type: string; payload: Record<string, unknown> }[];
  devices: EventEmitter;
  printed: unknown[];
  events: [string, unknown][];
  printerState: { next: PrintJobStatus['state']; present: boolean };
  /** Jobs the kiosk withdrew from the printer. */
  cancelled: string[];
}

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.services.close();
  rig = null;
});

async function makeRig(): Promise<Rig> {
  const transactions: Rig['transactions'] = [];
  const devices = new EventEmitter();
  const printed: unknown[] = [];
  const printerState: Rig['printerState'] = { next: 'done', present: true };
  const cancelled: string[] = [];
  const printer: PrinterPort = {
    get available() {
      return printerState.present;
    },
    async print(doc) {
      printed.push(doc);
      const state = printerState.next;
      return { jobId: `J${printed.length}`, state, reason: state === 'held' ? '打印机缺纸' : undefined };
    },
    job: (id) => ({ jobId: id, state: 'done' }),
    cancel: (id) => (cancelled.push(id), true),
  };
  const log = {
    // The same check the real outbox makes before it commits: a part whose payload the
    // platform would refuse fails here, not in a hall.
    append: async (type: string, payload: unknown) => {
      const checked = checkPayload(type, payload);
      if (!checked.ok) throw new Error(`${type} payload refused: ${checked.message}`);
      transactions.push({ type, payload: checked.payload });
      return { id: `T${transactions.length}` };
    },
  };
  // The card reader's side of the device manager: the session listens for its card events.
  const cardSource = devices as unknown as DeviceManager;
  const services = await composeTerminal(
    { kioskId: 'kiosk-1', dataDir: mkdtempSync(join(tmpdir(), 'xj-kiosk-')), log: createLogger('test', 'silent') },
    [linkPart(log, null), devicesWith(printer, cardSource), sessionPart, printPart, ratingPart],
  );
  const events: [string, unknown][] = [];
  services.hub.subscribe((name, payload) => events.push([name, payload]));
  rig = { services, transactions, devices, printed, events, printerState, cancelled };
  return rig;
}

const call = async (r: Rig, method: string, input: unknown) => {
  const res = await r.services.router.dispatch(method, input);
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.value as never;
};

const kinds = (r: Rig) => r.transactions.map((t) => t.type);

describe('masking', () => {
  it('masks names the way the screen shows them', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小华')).toBe('欧**华');
    expect(maskName('JOHN SMITH')).toBe('J*** S****');
  });
  it('keeps only the region and the last four of an ID number', () => {
    expect(maskIdNumber('440104196803150038')).toBe('4401**********0038');
    expect(maskIdNumber('ABC1234567')).toBe('AB******67');
  });
  it('never lets the name, the full number or the address into the person', () => {
    const json = JSON.stringify(personOf(card));
    for (const secret of ['李今华', '今华', '440104196803150038', '19680315', '府前路', '越秀分局']) expect(json).not.toContain(secret);
    expect(personOf(card)).toMatchObject({ maskedName: '李*华', maskedId: '4401**********0038', prefill: { sex: '男', birthYear: '1968' } });
  });
});

describe('session module', () => {
  it('signs the citizen in from a card event with masked values only', async () => {
    const r = await makeRig();
    r.devices.emit('card-present', { card, photo: new Uint8Array(4), fingerprint: null, additionalAddress: null, readAt: '' });
    await expect.poll(() => r.events.some(([n]) => n === 'session.changed')).toBe(true);
    const state = (await call(r, 'session.get', {})) as { person: { maskedName: string } };
    expect(state.person.maskedName).toBe('李*华');
    expect(r.events.find(([n]) => n === 'session.changed')).toBeDefined();
    const signin = r.transactions.find((t) => t.type === 'signin')!;
    expect(signin.payload).toMatchObject({ maskedName: '李*华', maskedId: '4401**********0038', cardType: 'resident', idNumberValid: true });
    expect(JSON.stringify(r.transactions)).not.toContain('440104196803150038');
    expect(JSON.stringify(r.events)).not.toContain('李今华');
    expect(r.services.get('session').currentCard()?.idNumber).toBe(card.idNumber);
  });

  it('records the sign-in of a foreign permanent resident, whose number has no check digit', async () => {
    const r = await makeRig();
    const foreign = decodeCardText(encodeCardText(foreignPermanentCard.text));
    expect(foreign.idNumberValid).toBeNull();
    r.devices.emit('card-present', foreign);
    await expect.poll(() => r.transactions.find((t) => t.type === 'signin')?.payload).toMatchObject({ cardType: 'foreign-permanent', idNumberValid: null });
    expect(JSON.stringify(r.transactions)).not.toContain(foreign.idNumber);
  });

  it('keeps the session when the card is taken back, wipes it on sign-out', async () => {
    const r = await makeRig();
    r.devices.emit('card-present', card);
    await expect.poll(() => kinds(r)).toEqual(['signin']);
    r.devices.emit('card-removed');
    // Taking the card back must not end the session, and no event says "nothing happened":
    // one turn of the event loop gives a wrong asynchronous sign-out its chance to show.
    await new Promise((resolve) => setImmediate(resolve));
    expect(kinds(r)).toEqual(['signin']);
    expect(((await call(r, 'session.get', {})) as { person: unknown }).person).not.toBeNull();
    await call(r, 'session.signOut', { reason: 'idle' });
    expect(((await call(r, 'session.get', {})) as { person: unknown }).person).toBeNull();
    expect(r.services.get('session').currentCard()).toBeNull();
    expect(r.transactions.at(-1)).toMatchObject({ type: 'signout', payload: { reason: 'idle' } });
  });

  it('ends the first citizen’s session before a different card signs in, and on a host reset', async () => {
    const r = await makeRig();
    r.devices.emit('card-present', card);
    await expect.poll(() => kinds(r)).toEqual(['signin']);
    r.devices.emit('card-present', { ...card, name: '王五', idNumber: '11010519491231002X' });
    await expect.poll(() => kinds(r)).toEqual(['signin', 'signout', 'signin']);
    expect(((await call(r, 'session.get', {})) as { person: { maskedName: string } }).person.maskedName).toBe('王*');
    r.services.hub.emit('kiosk.reset', { reason: 'watchdog' });
    await expect.poll(() => kinds(r)).toEqual(['signin', 'signout', 'signin', 'signout']);
    expect(r.services.get('session').currentCard()).toBeNull();
  });

  it('reports an unreadable card plainly', async () => {
    const r = await makeRig();
    r.devices.emit('card-error', new Error('crc'));
    expect(r.events.find(([n]) => n === 'session.cardError')?.[1]).toMatchObject({ message: expect.stringContaining('身份证') });
  });
});

/** The ISO date `days` after `iso` (negative: before). */
const shiftDay = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('card validity', () => {
  // 2026-12-06 00:30 in Guangzhou is still 2026-12-05 in UTC.
  const justAfterMidnight = new Date('2026-12-05T16:30:00Z');

  it('counts days on the hall’s calendar, the end date being the last valid day', () => {
    expect(hallDate(justAfterMidnight)).toBe('2026-12-06');
    expect(cardValidity('2026-12-05', justAfterMidnight)).toMatchObject({ expired: true, expiresSoon: false });
    expect(cardValidity('2026-12-06', justAfterMidnight)).toMatchObject({ expired: false, expiresSoon: true });
  });

  it('warns within 90 days of the end, not before', () => {
    expect(cardValidity('2027-03-06', justAfterMidnight)).toMatchObject({ expired: false, expiresSoon: true });
    expect(cardValidity('2027-03-07', justAfterMidnight)).toMatchObject({ expired: false, expiresSoon: false, renewal: null });
  });

  it('never expires a 长期 card, and does not guess at an unreadable end date', () => {
    expect(cardValidity('长期', justAfterMidnight, { code: 'X' })).toEqual({ validTo: '长期', expired: false, expiresSoon: false, renewal: null });
    expect(cardValidity('2026-02-30', justAfterMidnight)).toBeNull();
    expect(cardValidity('', justAfterMidnight)).toBeNull();
  });
});

describe('session with an expired or expiring card', () => {
  const today = hallDate(new Date());
  type State = { person: unknown; card: { expired: boolean; expiresSoon: boolean; validTo: string; renewal: unknown } | null };

  it('tells the screen an expired card is expired, offers the renewal item and records it', async () => {
    const r = await makeRig();
    const expired = { ...card, validFrom: shiftDay(today, -3653), validTo: shiftDay(today, -1) };
    r.devices.emit('card-present', expired);
    await expect.poll(() => r.transactions.find((t) => t.type === 'signin')?.payload).toMatchObject({ cardExpired: true });
    const state = (await call(r, 'session.get', {})) as State;
    expect(state.card).toEqual({ validTo: expired.validTo, expired: true, expiresSoon: false, renewal: { code: 'GZ-GA-003', caseCode: 'GZ-GA-003-02' } });
    expect(r.events.find(([n]) => n === 'session.changed')?.[1]).toMatchObject({ card: { expired: true } });
    expect(JSON.stringify(state)).not.toContain(card.idNumber);
    await call(r, 'session.signOut', {});
    expect(((await call(r, 'session.get', {})) as State).card).toBeNull();
  });

  it('says a card ending within 90 days expires soon; a 长期 card neither', async () => {
    const r = await makeRig();
    r.devices.emit('card-present', { ...card, validTo: shiftDay(today, 30) });
    await expect.poll(() => r.transactions.find((t) => t.type === 'signin')?.payload).toMatchObject({ cardExpired: false });
    expect(((await call(r, 'session.get', {})) as State).card).toMatchObject({ expired: false, expiresSoon: true, renewal: { code: 'GZ-GA-003' } });

    r.devices.emit('card-present', { ...card, name: '王五', idNumber: '11010519491231002X', validTo: '长期' });
    await expect.poll(() => r.transactions.filter((t) => t.type === 'signin').length).toBe(2);
    expect(r.transactions.filter((t) => t.type === 'signin')[1].payload).toMatchObject({ cardExpired: false });
    expect(((await call(r, 'session.get', {})) as State).card).toEqual({ validTo: '长期', expired: false, expiresSoon: false, renewal: null });
  });

  it('offers no resident-card renewal for an expired foreign permanent residence card', async () => {
    const r = await makeRig();
    const foreign = { ...decodeCardText(encodeCardText(foreignPermanentCard.text)), validTo: shiftDay(today, -1) };
    r.devices.emit('card-present', foreign);
    await expect.poll(() => r.transactions.find((t) => t.type === 'signin')?.payload).toMatchObject({ cardExpired: true });
    expect(((await call(r, 'session.get', {})) as State).card).toMatchObject({ expired: true, renewal: null });
  });
});

describe('print module', () => {
  it('prints the checklist of a case and records a print transaction', async () => {
    const r = await makeRig();
    const status = (await call(r, 'print.checklist', { code: 'GZ-SB-001', caseCode: 'GZ-SB-001-02' })) as PrintJobStatus;
    expect(status).toEqual({ jobId: 'J1', state: 'done', reason: undefined });
    const text = JSON.stringify(r.printed[0]);
    expect(text).toContain('社会保障卡挂失证明');
    expect(text).toContain('遗失补领');
    expect(r.transactions.at(-1)).toMatchObject({ type: 'print', payload: { itemCode: 'GZ-SB-001', caseCode: 'GZ-SB-001-02', state: 'done' } });
  });

  it('says plainly when the printer is out of paper or absent', async () => {
    const r = await makeRig();
    r.printerState.next = 'held';
    expect(await call(r, 'print.checklist', { code: 'GZ-SB-001' })).toMatchObject({ jobId: 'J1', state: 'held', reason: '打印机缺纸' });
    // Withdrawn, so it cannot print later for whoever stands at the kiosk then.
    expect(r.cancelled).toEqual(['J1']);
    r.printerState.present = false;
    await expect(call(r, 'print.checklist', { code: 'GZ-SB-001' })).rejects.toMatchObject({ code: 'device-absent' });
    await expect(call(r, 'print.checklist', { code: 'NOPE' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('rating module', () => {
  it('records a rating; the two bad levels ask for follow-up', async () => {
    const r = await makeRig();
    expect(await call(r, 'rating.submit', { level: 5, itemCode: 'GZ-SB-001', requestId: randomUUID() })).toEqual({ id: 'T1', followUp: false });
    expect(await call(r, 'rating.submit', { level: 2, reasons: ['等候时间长'], comment: ' 排队太久 ', itemCode: 'GZ-SB-001', requestId: randomUUID() })).toEqual({ id: 'T2', followUp: true });
    expect(r.transactions[1]).toMatchObject({
      type: 'rating',
      payload: { level: 2, reasons: ['等候时间长'], comment: '排队太久', itemCode: 'GZ-SB-001' },
    });
  });

  it('records one rating for a double tap: two submissions with one request id, one at once with the other', async () => {
    const r = await makeRig();
    const requestId = randomUUID();
    const input = { level: 4, itemCode: 'GZ-SB-001', requestId };
    // The second tap lands while the first is still being recorded.
    const [a, b] = await Promise.all([call(r, 'rating.submit', input), call(r, 'rating.submit', input)]);
    expect(b).toEqual(a);
    // And once the first is answered, a repeat still finds it.
    expect(await call(r, 'rating.submit', input)).toEqual(a);
    expect(r.transactions.filter((t) => t.type === 'rating')).toEqual([{ type: 'rating', payload: expect.objectContaining({ level: 4, requestId }) }]);
    // Another action is another rating.
    await call(r, 'rating.submit', { ...input, requestId: randomUUID() });
    expect(r.transactions.filter((t) => t.type === 'rating')).toHaveLength(2);
  });

  it('refuses a rating without a request id, recording nothing', async () => {
    const r = await makeRig();
    await expect(call(r, 'rating.submit', { level: 5 })).rejects.toMatchObject({ code: 'bad-input' });
    expect(r.transactions).toHaveLength(0);
  });

  it('refuses a bad rating without a reason', async () => {
    const r = await makeRig();
    await expect(call(r, 'rating.submit', { level: 1, requestId: randomUUID() })).rejects.toMatchObject({ code: 'bad-input' });
    expect(r.transactions).toHaveLength(0);
  });
});
