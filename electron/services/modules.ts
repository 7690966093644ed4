/**
 * Which parts a terminal runs: the sync link records transactions, the devices give the
 * printer and the card reader, the citizen's services build on both. Electron's main
 * process and the browser kiosk host share this list, so the two transports never drift
 * apart in what the screen can call. The order they are built in follows from what each
 * part declares it needs (compose.ts), not from this list.
 */
import type { TerminalPart } from './compose.ts';
import { syncPart, type SyncModuleOptions } from './sync.ts';
import { devicesPart, type DevicesModuleOptions } from './devices.ts';
import { sessionPart } from './session.ts';
import { printPart } from './print.ts';
import { ratingPart } from './rating.ts';
import { queuePart, type KioskQueueOptions } from './queue.ts';
import { robotPart } from './robot.ts';
import { speechPart, type SpeechModuleOptions } from './speech.ts';
import { voicePart } from './voice.ts';
import { helpPart } from './help.ts';
import { recordsPart } from './records.ts';
import { idCopyPart } from './id-copy.ts';
import { certificatesPart } from './certificates.ts';
import { eligibilityPart } from './eligibility.ts';
import { bundlesPart } from './bundles.ts';
import { casesPart } from './cases.ts';
import { prereviewPart } from './prereview.ts';
import { screenFaultsPart } from './screen-faults.ts';

export interface TerminalPartOptions {
  sync?: SyncModuleOptions;
  devices?: DevicesModuleOptions;
  speech?: SpeechModuleOptions;
  queue?: KioskQueueOptions;
}

export function terminalParts(opts: TerminalPartOptions = {}): TerminalPart[] {
  return [syncPart(opts.sync), devicesPart(opts.devices), speechPart(opts.speech), sessionPart, printPart, ratingPart, queuePart(opts.queue), robotPart, voicePart, helpPart, recordsPart, idCopyPart, certificatesPart, eligibilityPart, bundlesPart, casesPart, prereviewPart(), screenFaultsPart];
}
