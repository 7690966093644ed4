/** Who this kiosk is, the health of its devices, and the hall configuration it runs. */
import { z } from 'zod';
import { method } from '../method.ts';
import type { RecordKind } from '../../datashare.ts';

export type DeviceState = 'ok' | 'absent' | 'faulty';

export interface DeviceHealth {
  id: string;
  /** 'voice': one of the robot's voice stages (voice-vad, voice-kws, voice-stt, voice-tts). */
  kind: 'idcard' | 'printer' | 'touch' | 'scanner' | 'a4printer' | 'voice';
  port: string;
  state: DeviceState;
  detail?: string;
  paper?: 'ok' | 'near-end' | 'out';
  since: string;
}

/** Whether this terminal serves now, by its own hours (a teller machine's are not the hall's). */
export interface TerminalServiceView {
  /** Unattended self-service (a teller machine): only what finishes at the machine with the ID card. */
  selfService: boolean;
  /** Weekly hours (ISO weekdays 1–7); null when it serves whenever it is on. */
  hours: { days: number[]; open: string; close: string }[] | null;
  open: boolean;
}

export interface KioskInfo {
  kioskId: string;
  kind: 'kiosk' | 'teller' | 'robot';
  name: string;
  hallName: string;
  hallNameEn?: string;
  configVersion: number;
  idleTimeoutSeconds: number;
  idleCountdownSeconds: number;
  devices: DeviceHealth[];
  /** Whether a speech engine is present, so elderly mode can offer read-aloud. */
  tts: boolean;
  online: boolean;
  service: TerminalServiceView;
  /** The records this terminal offers (查询打印); empty shows no entry. */
  records: RecordKind[];
}

export const kioskMethods = {
  'kiosk.info': method<KioskInfo>()(z.object({})),
  'kiosk.speak': method<{ queued: boolean }>()(
    z.object({ text: z.string().min(1).max(500), lang: z.enum(['zh', 'en']).optional() }),
  ),
  /** The renderer's heartbeat; a browser kiosk that stops beating is reloaded home by the host's watchdog. */
  'kiosk.heartbeat': method<{ ok: true }>()(z.object({ screen: z.string().max(64) })),
};

export interface KioskEvents {
  'kiosk.devices': DeviceHealth[];
  'kiosk.config': { version: number };
  'kiosk.online': { online: boolean };
  /** The terminal opened or closed by its own hours (or its hours were changed). */
  'kiosk.service': TerminalServiceView;
  /** The host asks the UI to go home (watchdog, staff command). */
  'kiosk.reset': { reason: string };
  /** Read-aloud audio for the screen to play (base64 WAV); a newer id supersedes older ones. */
  'kiosk.speech': { id: number; mime: 'audio/wav'; audio: string };
  /** A code the terminal's scanner read; only the screen open at the time makes anything of it. */
  'kiosk.scan': { data: string };
}
