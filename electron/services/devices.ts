/**
 * The terminal's hardware as a kiosk module: opens the devices its configuration names
 * through the device manager, keeps the health the screen and the central platform see
 * current, and hands the receipt printer to the modules that print. A device that fails
 * changes a health line and records a device-fault transaction; it never stops the kiosk.
 */
import type { Logger } from 'pino';
import { DeviceManager, type DeviceHealth, type DeviceManagerOptions } from '../../drivers/manager.ts';
import type { DriverLogger } from '../../drivers/log.ts';
import { SIM_PORT, SimulatedDevices, type SimulatedDevicesOptions } from '../../drivers/simulated.ts';
import { definePart, type A4PrinterPort, type DeviceBoard, type PrinterPort, type TerminalPart } from './compose.ts';
import { recordFault } from './fault-log.ts';

export interface DevicesModuleOptions {
  /** Passed to the device manager (reconnect backoff, test seams). */
  manager?: DeviceManagerOptions;
  /** The simulators' starting state (card on the reader, paper on the roll) for devices on port 'sim'. */
  simulated?: SimulatedDevicesOptions;
}

function driverLogger(log: Logger): DriverLogger {
  return {
    debug: (obj, msg) => log.debug(obj, msg),
    info: (obj, msg) => log.info(obj, msg),
    warn: (obj, msg) => log.warn(obj, msg),
    error: (obj, msg) => log.error(obj, msg),
  };
}

/** A health change worth a record at the platform: a device going wrong, or coming back from wrong; the first "ok" after start is not news. */
function isFaultTransition(prev: DeviceHealth | undefined, next: DeviceHealth): boolean {
  if (!prev) return next.state !== 'ok';
  return prev.state !== next.state || prev.paper !== next.paper;
}

function printerPort(manager: DeviceManager): PrinterPort {
  return {
    print: (doc) => manager.print(doc),
    job: (jobId) => manager.printJob(jobId),
    cancel: (jobId) => manager.cancelPrintJob(jobId),
    get available() {
      // A printer that is out of paper is still available: the job is held and resumes.
      return manager.health().some((h) => h.kind === 'printer' && h.state === 'ok');
    },
  };
}

function a4Port(manager: DeviceManager): A4PrinterPort {
  return {
    print: (pdf, options) => manager.printA4(pdf, options),
    job: (jobId) => manager.a4Job(jobId),
    cancel: (jobId) => manager.cancelA4Job(jobId),
    get available() {
      return manager.health().some((h) => h.kind === 'a4printer' && h.state !== 'absent');
    },
  };
}

/** A terminal configured without devices: nothing to read, nothing to print on. */
const noDevices: DeviceBoard = { manager: null, printer: null, a4: null, health: () => [] };

export function devicesPart(options: DevicesModuleOptions = {}): TerminalPart {
  return definePart({
    name: 'devices',
    needs: ['transactions'],
    provides: ['devices'],
    build: async (rt, { transactions }) => {
      const configs = rt.kiosk.devices;
      if (configs.length === 0) {
        rt.log.info('no devices configured on this terminal');
        return { provides: { devices: noDevices } };
      }
      // A one-machine hall configures devices on port 'sim': this terminal then runs their simulators.
      const simulators = configs.some((c) => c.port === SIM_PORT) ? new SimulatedDevices(options.simulated) : undefined;
      const manager = new DeviceManager(configs, { logger: driverLogger(rt.log.child({ part: 'devices' })), simulators, ...options.manager });
      const board: DeviceBoard = {
        manager,
        printer: configs.some((c) => c.kind === 'printer') ? printerPort(manager) : null,
        a4: configs.some((c) => c.kind === 'a4printer') ? a4Port(manager) : null,
        health: () => manager.health(),
      };

      const last = new Map<string, DeviceHealth>();
      const publish = () => rt.hub.emit('kiosk.devices', manager.health());
      manager.on('health', (h) => {
        const prev = last.get(h.id);
        last.set(h.id, { ...h });
        publish();
        if (isFaultTransition(prev, h)) {
          void recordFault(transactions, rt.log, { device: h.id, kind: h.kind, state: h.state, ...(h.paper ? { paper: h.paper } : {}), ...(h.detail ? { detail: h.detail } : {}) });
        }
      });
      manager.on('print-job', (job) => rt.hub.emit('print.job', { jobId: job.jobId, state: job.state, reason: job.reason, cause: job.cause }));
      // Its text is not logged: a citizen may scan anything (a health code, a bank card's QR).
      manager.on('scan', (scan) => rt.hub.emit('kiosk.scan', { data: scan.data }));
      manager.on('a4-print-job', (job) => rt.hub.emit('print.a4job', { jobId: job.jobId, state: job.state, cause: job.cause }));

      await manager.start();
      for (const h of manager.health()) if (!last.has(h.id)) last.set(h.id, { ...h });
      publish();
      rt.onClose(() => manager.stop());
      return { provides: { devices: board } };
    },
  });
}
