/**
 * The device side of the SAM reader protocol, over any ByteTransport: it decodes
 * requests with the same codec the driver uses and answers like a reader with a card
 * (or none) on it. Faults are injected to exercise the driver's recovery paths.
 */
import { EventEmitter } from 'node:events';
import type { ByteTransport } from '../transport/types.ts';
import {
  FrameDecoder,
  commandName,
  encodeCardPayload,
  encodeResponse,
  parseRequest,
  COMMAND_CLASS,
  type CommandClass,
  type CommandName,
} from './codec.ts';
import { SW3 } from './errors.ts';
import { encodeAdditionalAddress } from './text.ts';
import { deterministicBytes, type SimCard } from './fixtures.ts';

export type FaultTarget = CommandClass | 'any';

export type IdCardFault =
  /** Answer "no card" to find even with a card inserted. */
  | { kind: 'no-card'; times?: number }
  | { kind: 'read-failure'; times?: number }
  | { kind: 'select-failure'; times?: number }
  /** Corrupt the checksum of an answer. */
  | { kind: 'checksum-noise'; on?: FaultTarget; times?: number }
  /** Send noise bytes (and a truncated frame) before an answer. */
  | { kind: 'garbage'; on?: FaultTarget; bytes?: number; times?: number }
  /** Hold answers back for delayMs. */
  | { kind: 'slow'; delayMs: number; on?: FaultTarget; times?: number }
  /** Stop answering entirely, as if the cable were pulled (the port stays open). */
  | { kind: 'silent'; times?: number };

export interface IdCardSimulatorOptions {
  card?: SimCard | null;
  /** The 16 bytes returned by read SAM id. */
  samId?: Uint8Array;
}

export interface IdCardSimulatorEvents {
  request: [command: CommandName | 'unknown'];
}

interface ActiveFault {
  fault: IdCardFault;
  left: number;
}

export const DEFAULT_SAM_ID = Uint8Array.of(0x05, 0x00, 0x01, 0x00, 0x40, 0xe2, 0x01, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0xb1, 0x68, 0xde, 0x3a);

export class IdCardSimulator extends EventEmitter<IdCardSimulatorEvents> {
  private transport: ByteTransport | null = null;
  private readonly decoder = new FrameDecoder();
  private current: SimCard | null;
  private selected = false;
  private faults: ActiveFault[] = [];
  private readonly samIdBytes: Uint8Array;
  /** Requests received, by command, for tests to assert on. */
  readonly counts = new Map<CommandName | 'unknown', number>();

  constructor(transport: ByteTransport | null = null, options: IdCardSimulatorOptions = {}) {
    super();
    this.current = options.card ?? null;
    this.samIdBytes = options.samId ?? DEFAULT_SAM_ID;
    if (transport) this.attach(transport);
  }

  get card(): SimCard | null {
    return this.current;
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.transport = transport;
    this.decoder.reset();
    transport.on('data', this.onData);
    transport.on('error', () => undefined);
  }

  detach(): void {
    this.transport?.off('data', this.onData);
    this.transport = null;
  }

  insert(card: SimCard): void {
    this.current = card;
    this.selected = false;
  }

  remove(): void {
    this.current = null;
    this.selected = false;
  }

  /** Adds a fault; `times` answers are affected (all, until cleared, when omitted). */
  inject(fault: IdCardFault): void {
    this.faults.push({ fault, left: fault.times ?? Infinity });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Closes the transport: on a memory pair the driver sees an unplug. */
  async unplug(): Promise<void> {
    const t = this.transport;
    this.detach();
    await t?.close();
  }

  private readonly onData = (chunk: Uint8Array): void => {
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) {
        // A garbled request: a real reader answers with its request checksum status.
        this.send(r.error.name === 'ChecksumError' ? encodeResponse(SW3.requestChecksum) : encodeResponse(SW3.requestLength), 'any');
        continue;
      }
      const req = parseRequest(r.frame);
      const name = commandName(req.cmd, req.para);
      this.counts.set(name ?? 'unknown', (this.counts.get(name ?? 'unknown') ?? 0) + 1);
      this.emit('request', name ?? 'unknown');
      if (!name) {
        this.send(encodeResponse(SW3.commandError), 'any');
        continue;
      }
      if (this.take('silent', COMMAND_CLASS[name])) continue;
      this.send(this.answer(name), COMMAND_CLASS[name]);
    }
  };

  private answer(name: CommandName): Uint8Array {
    const card = this.current;
    switch (name) {
      case 'resetSam':
      case 'samStatus':
        return encodeResponse(SW3.success);
      case 'samId':
        return encodeResponse(SW3.success, this.samIdBytes);
      case 'findCard':
        if (!card || this.take('no-card', 'find')) {
          this.selected = false;
          return encodeResponse(SW3.noCard);
        }
        return encodeResponse(SW3.findOk, new Uint8Array(4));
      case 'selectCard':
        if (!card || this.take('select-failure', 'select')) {
          this.selected = false;
          return encodeResponse(SW3.selectFailed);
        }
        this.selected = true;
        return encodeResponse(SW3.success, new Uint8Array(8));
      case 'readTextPhoto':
      case 'readTextPhotoFingerprint': {
        if (!card || !this.selected || this.take('read-failure', 'read')) return encodeResponse(SW3.readFailed);
        const withFp = name === 'readTextPhotoFingerprint';
        return encodeResponse(
          SW3.success,
          encodeCardPayload({ text: card.textBlock, photo: card.photo, fingerprint: card.fingerprint }, withFp),
        );
      }
      case 'readAdditionalAddress':
        if (!card || !this.selected) return encodeResponse(SW3.readFailed);
        if (!card.additionalAddress) return encodeResponse(SW3.noContent);
        return encodeResponse(SW3.success, encodeAdditionalAddress(card.additionalAddress));
    }
  }

  private send(frame: Uint8Array, target: FaultTarget): void {
    let out = frame;
    if (this.take('checksum-noise', target)) {
      out = Uint8Array.from(frame);
      out[out.length - 1] ^= 0x5a;
    }
    const garbage = this.takeFault('garbage', target);
    if (garbage && garbage.kind === 'garbage') {
      const noise = deterministicBytes(frame.length + (garbage.bytes ?? 17), garbage.bytes ?? 17);
      // A truncated frame as well as noise: the decoder must resynchronise past both.
      const truncated = frame.subarray(0, Math.min(9, frame.length - 1));
      const joined = new Uint8Array(noise.length + truncated.length + out.length);
      joined.set(noise, 0);
      joined.set(truncated, noise.length);
      joined.set(out, noise.length + truncated.length);
      out = joined;
    }
    const slow = this.takeFault('slow', target);
    const delayMs = slow && slow.kind === 'slow' ? slow.delayMs : 0;
    const transport = this.transport;
    const write = () => {
      if (transport && transport.isOpen) transport.write(out).catch(() => undefined);
    };
    if (delayMs > 0) setTimeout(write, delayMs);
    else write();
  }

  private take(kind: IdCardFault['kind'], target: FaultTarget): boolean {
    return this.takeFault(kind, target) !== null;
  }

  private takeFault(kind: IdCardFault['kind'], target: FaultTarget): IdCardFault | null {
    for (const f of this.faults) {
      if (f.fault.kind !== kind || f.left <= 0) continue;
      const on = 'on' in f.fault && f.fault.on ? f.fault.on : 'any';
      if (on !== 'any' && target !== 'any' && on !== target) continue;
      f.left -= 1;
      this.faults = this.faults.filter((x) => x.left > 0);
      return f.fault;
    }
    return null;
  }
}
