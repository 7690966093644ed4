/**
 * Which domain modules a terminal runs, in the order they build on each other: the
 * sync link first (every later module records transactions through it), then the
 * devices (the session reads cards, printing needs the printer), then the citizen's
 * services. Electron's main process and the browser kiosk host share this list, so the
 * two transports never drift apart in what the screen can call.
 */
import type { KioskModule } from './kiosk-services.ts';
import { createSyncModule, type SyncModuleOptions } from './sync.ts';
import { createDevicesModule, type DevicesModuleOptions } from './devices.ts';
import { sessionModule } from './session.ts';
import { printModule } from './print.ts';
import { ratingModule } from './rating.ts';
import { queueModule } from './queue.ts';
import { robotModule } from './robot.ts';
import { createSpeechModule, type SpeechModuleOptions } from './speech.ts';

export interface TerminalModuleOptions {
  sync?: SyncModuleOptions;
  devices?: DevicesModuleOptions;
  speech?: SpeechModuleOptions;
}

/** The robot's understanding loads only on a robot: a kiosk has no use for its index. */
const robotOnly: KioskModule = (rt) => (rt.kiosk.kind === 'robot' ? robotModule(rt) : {});

export function terminalModules(opts: TerminalModuleOptions = {}): KioskModule[] {
  return [createSyncModule(opts.sync), createDevicesModule(opts.devices), createSpeechModule(opts.speech), sessionModule, printModule, ratingModule, queueModule, robotOnly];
}
