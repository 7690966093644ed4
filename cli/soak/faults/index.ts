/**
 * Every fault class the soak run injects, in one list. A class is a FaultClass
 * (contract.ts); the runner schedules each several times and measures it from outside.
 */
import type { FaultClass } from '../contract.ts';
import { idcardUnplug } from './idcard.ts';
import { networkCut, networkStall } from './network.ts';
import { platformKill } from './platform.ts';
import { printerJam, printerPaper } from './printer.ts';

export const faultClasses: FaultClass[] = [printerPaper(), printerJam(), idcardUnplug(), networkCut(), networkStall(), platformKill()];
