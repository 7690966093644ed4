/**
 * The one contract between a kiosk's main process and its UI. Each domain declares its
 * methods (an input schema and an output type) and the events it pushes; both
 * transports (Electron IPC and the browser kiosk's WebSocket bridge) carry exactly this.
 */
import { z } from 'zod';
import { kioskMethods, type KioskEvents } from './domains/kiosk.ts';
import { catalogueMethods } from './domains/catalogue.ts';
import { sessionMethods, type SessionEvents } from './domains/session.ts';
import { printMethods, type PrintEvents } from './domains/print.ts';
import { ratingMethods } from './domains/rating.ts';
import { queueMethods, type QueueEvents } from './domains/queue.ts';
import { robotMethods, type RobotEvents } from './domains/robot.ts';
import { voiceMethods, type VoiceEvents } from './domains/voice.ts';
import { helpMethods, type HelpEvents } from './domains/help.ts';
import { recordsMethods } from './domains/records.ts';
import { eligibilityMethods } from './domains/eligibility.ts';
import { bundleMethods } from './domains/bundles.ts';
import { caseMethods } from './domains/cases.ts';
import { prereviewMethods } from './domains/prereview.ts';

import type { MethodSpec } from './method.ts';

export { method, type MethodSpec } from './method.ts';

export const methods = {
  ...kioskMethods,
  ...catalogueMethods,
  ...sessionMethods,
  ...printMethods,
  ...ratingMethods,
  ...queueMethods,
  ...robotMethods,
  ...voiceMethods,
  ...helpMethods,
  ...recordsMethods,
  ...eligibilityMethods,
  ...bundleMethods,
  ...caseMethods,
  ...prereviewMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export type Events = KioskEvents & SessionEvents & PrintEvents & QueueEvents & RobotEvents & VoiceEvents & HelpEvents;
export type EventName = keyof Events;

/** The surface both transports expose to the renderer (window.xiaojin in Electron). */
export interface KioskBridge {
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Sends one microphone frame (16 kHz mono int16, see AUDIO_FRAME); false when it could not be sent. */
  audio?(pcm: Int16Array): boolean;
}

/** IPC channel names live beside the preload's other wire helpers, which must not pull in zod. */
export { IPC } from './ipc-wire.ts';

/** Wire messages of the WebSocket bridge. */
export const WireCall = z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(64), input: z.unknown() });
export type WireCall = z.infer<typeof WireCall>;
export type WireMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: import('./errors.ts').WireError }
  | { t: 'event'; name: string; payload: unknown };
