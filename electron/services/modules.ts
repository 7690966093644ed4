/**
 * Which parts a terminal runs and what each needs from the others: the sync link records
 * transactions, the devices give the printer and the card reader, the citizen's services
 * build on both. Electron's main process and the browser kiosk host share this list, so the
 * two transports never drift apart in what the screen can call.
 */
import type { KioskModule } from './kiosk-services.ts';
import { orderParts, type TerminalPart } from './compose.ts';
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

export function terminalParts(opts: TerminalModuleOptions = {}): TerminalPart[] {
  return [
    { name: 'sync', needs: [], provides: ['transactions', 'central', 'online'], build: createSyncModule(opts.sync) },
    { name: 'devices', needs: ['transactions'], provides: ['deviceManager', 'printer', 'devices'], build: createDevicesModule(opts.devices) },
    { name: 'speech', needs: [], provides: ['tts'], build: createSpeechModule(opts.speech) },
    { name: 'session', needs: ['deviceManager', 'transactions'], provides: ['session'], build: sessionModule },
    { name: 'print', needs: ['printer', 'devices', 'transactions'], provides: [], build: printModule },
    { name: 'rating', needs: ['transactions'], provides: [], build: ratingModule },
    { name: 'queue', needs: ['central', 'transactions', 'printer', 'devices', 'session'], provides: ['queue'], build: queueModule },
    { name: 'robot', needs: [], provides: ['robot'], build: robotOnly },
  ];
}

/** The terminal's modules in the order their declared needs require. */
export function terminalModules(opts: TerminalModuleOptions = {}): KioskModule[] {
  return orderParts(terminalParts(opts)).map((p) => p.build);
}
