/** A HID touchscreen under the supervisor; on port 'sim' touch comes from the screen itself. */
import { TouchScreen } from '../touch/touchscreen.ts';
import { SIM_PORT } from '../simulated.ts';
import type { DeviceAdapter, DeviceContext } from './types.ts';

/** HID usage page of digitizers. */
const HID_DIGITIZER_PAGE = 0x0d;

export class TouchAdapter implements DeviceAdapter {
  constructor(private readonly ctx: DeviceContext) {}

  async open(): Promise<void> {
    const { config, log } = this.ctx;
    if (config.port === SIM_PORT) {
      this.ctx.opened(async () => undefined);
      this.ctx.setHealth('ok', 'simulated: touch input comes from the kiosk screen itself');
      return;
    }
    if (config.port !== 'hid' || !config.hid) {
      throw new Error(`touchscreen '${config.id}' needs port 'hid' with hid.vendorId and hid.productId`);
    }
    const opened = await this.ctx.openHid({ ...config.hid, usagePage: HID_DIGITIZER_PAGE });
    if (!opened.descriptor) {
      await opened.source.close();
      throw new Error(`the report descriptor of ${opened.path} is not readable, so its touch reports cannot be parsed`);
    }
    const screen = new TouchScreen(opened.source, { descriptor: opened.descriptor, calibration: config.calibration });
    screen.on('touch', (points) => this.ctx.emit('touch', points, config.id));
    screen.on('error', (err) => log.warn({ device: config.id, err: err.message }, 'touchscreen error'));
    this.ctx.opened(() => screen.close(), opened.source);
    this.ctx.setHealth('ok');
  }
}
