/** A bar code scanner under the supervisor: a serial one (or its simulator), or HID POS. */
import { HidPosScanner, SerialScanner } from '../scanner/scanner.ts';
import { VENDOR_LAYOUT, hidPosLayout } from '../scanner/hidpos.ts';
import type { DeviceAdapter, DeviceContext } from './types.ts';

/** HID usage page of point-of-sale bar code scanners. */
const HID_POS_PAGE = 0x8c;

export class ScannerAdapter implements DeviceAdapter {
  private serial: SerialScanner | null = null;

  constructor(private readonly ctx: DeviceContext) {}

  async open(): Promise<void> {
    if (this.ctx.config.port === 'hid') return this.openHid();
    const transport = await this.ctx.openPort(9600, () => this.serial?.detach());
    if (!transport) return;
    if (!this.serial) {
      this.serial = new SerialScanner();
      this.serial.on('scan', (scan) => this.ctx.emit('scan', scan, this.ctx.config.id));
    }
    this.serial.attach(transport);
    this.ctx.setHealth('ok');
  }

  private async openHid(): Promise<void> {
    const { config, log } = this.ctx;
    if (!config.hid) throw new Error(`scanner '${config.id}' on port 'hid' needs hid.vendorId and hid.productId`);
    const opened = await this.ctx.openHid({ ...config.hid, usagePage: HID_POS_PAGE });
    const layout = (opened.descriptor && layoutOf(opened.descriptor)) || VENDOR_LAYOUT;
    const scanner = new HidPosScanner(opened.source, layout);
    scanner.on('scan', (scan) => this.ctx.emit('scan', scan, config.id));
    scanner.on('scan-error', (err) => log.warn({ device: config.id, err: err.message }, 'scanner report error'));
    this.ctx.opened(() => opened.source.close(), opened.source);
    this.ctx.setHealth('ok');
  }
}

/** A descriptor that does not describe HID POS reports falls back to the common vendor layout. */
function layoutOf(descriptor: Uint8Array) {
  try {
    return hidPosLayout(descriptor);
  } catch {
    return null;
  }
}
