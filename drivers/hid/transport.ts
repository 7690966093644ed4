/**
 * The seam between HID report parsers and node-hid. Parsers see only a source of input
 * reports, so tests drive them with synthesised reports (this machine has no uhid to
 * make virtual devices). node-hid does not expose report descriptors; on Linux the
 * hidraw node's descriptor is read from sysfs instead.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface HidReportSourceEvents {
  /** One input report, starting with the report id byte when the device numbers its reports. */
  report: [data: Uint8Array];
  error: [err: Error];
  close: [];
}

export interface HidReportSource extends EventEmitter<HidReportSourceEvents> {
  readonly name: string;
  close(): Promise<void>;
}

/** A report source driven by hand: tests, and devices whose reports arrive by other means. */
export class ManualHidSource extends EventEmitter<HidReportSourceEvents> implements HidReportSource {
  constructor(readonly name = 'manual-hid') {
    super();
  }
  feed(report: Uint8Array): void {
    this.emit('report', report);
  }
  async close(): Promise<void> {
    this.emit('close');
  }
}

export class HidDeviceAbsentError extends Error {
  override readonly name = 'HidDeviceAbsentError';
  constructor(
    readonly vendorId: number,
    readonly productId: number,
  ) {
    super(`no HID device ${hex4(vendorId)}:${hex4(productId)} is connected (or it is not readable: check the udev rule)`);
  }
}

export interface HidDeviceSelector {
  vendorId: number;
  productId: number;
  /** Pick the interface with this usage page (0x0D digitizer, 0x8C bar code scanner). */
  usagePage?: number;
}

export interface OpenedHidDevice {
  source: HidReportSource;
  /** The report descriptor, or null where the OS does not expose it. */
  descriptor: Uint8Array | null;
  path: string;
}

/** Opens a device with node-hid (loaded lazily: it is a native module). */
export async function openHidDevice(selector: HidDeviceSelector): Promise<OpenedHidDevice> {
  const hid = await import('node-hid');
  const devices = await hid.devicesAsync(selector.vendorId, selector.productId);
  const match = devices.find((d) => selector.usagePage === undefined || d.usagePage === selector.usagePage) ?? devices[0];
  if (!match?.path) throw new HidDeviceAbsentError(selector.vendorId, selector.productId);
  const device = await hid.HIDAsync.open(match.path);
  const source = new NodeHidSource(device, match.path);
  return { source, descriptor: await readHidrawDescriptor(match.path), path: match.path };
}

type NodeHidDevice = Awaited<ReturnType<(typeof import('node-hid'))['HIDAsync']['open']>>;

class NodeHidSource extends EventEmitter<HidReportSourceEvents> implements HidReportSource {
  private closed = false;
  constructor(
    private readonly device: NodeHidDevice,
    readonly name: string,
  ) {
    super();
    device.on('data', (data: Buffer) => this.emit('report', new Uint8Array(data)));
    device.on('error', (err: Error) => {
      // node-hid reports an unplug as a read error; both mean this source is finished.
      if (this.listenerCount('error') > 0) this.emit('error', err);
      void this.close();
    });
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.device.close();
    } catch {
      // Already gone with the device.
    }
    this.emit('close');
  }
}

/** /dev/hidraw3 → /sys/class/hidraw/hidraw3/device/report_descriptor (Linux only). */
export async function readHidrawDescriptor(path: string): Promise<Uint8Array | null> {
  const node = basename(path);
  if (!/^hidraw\d+$/.test(node)) return null;
  try {
    return new Uint8Array(await readFile(`/sys/class/hidraw/${node}/device/report_descriptor`));
  } catch {
    return null;
  }
}

export async function listHidDevices(): Promise<
  Array<{ vendorId: number; productId: number; path?: string; product?: string; manufacturer?: string; usagePage?: number; usage?: number }>
> {
  const hid = await import('node-hid');
  return (await hid.devicesAsync()).map((d) => ({
    vendorId: d.vendorId,
    productId: d.productId,
    path: d.path,
    product: d.product,
    manufacturer: d.manufacturer,
    usagePage: d.usagePage,
    usage: d.usage,
  }));
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
