/** Shared set-up for the pty integration tests: a socat pair with real serialport on both ends. */
import { PtyPair } from '../../../drivers/transport/pty.ts';
import { openSerial, type SerialTransport } from '../../../drivers/transport/serial.ts';

export interface PtyRig {
  pair: PtyPair;
  driverEnd: SerialTransport;
  deviceEnd: SerialTransport;
  /** Reopens both ends (after pair.start() on a replug). */
  reopen(): Promise<void>;
  dispose(): Promise<void>;
}

export async function ptyRig(baudRate = 115200): Promise<PtyRig> {
  const pair = await PtyPair.create();
  const rig: PtyRig = {
    pair,
    driverEnd: await openSerial(pair.a, { baudRate }),
    deviceEnd: await openSerial(pair.b, { baudRate }),
    async reopen() {
      rig.driverEnd = await openSerial(pair.a, { baudRate });
      rig.deviceEnd = await openSerial(pair.b, { baudRate });
    },
    async dispose() {
      await rig.driverEnd.close().catch(() => undefined);
      await rig.deviceEnd.close().catch(() => undefined);
      await pair.dispose();
    },
  };
  return rig;
}
