/**
 * `xiaojin kiosk`: one terminal as it runs in a hall where Electron is not installed —
 * its services and devices, the host that serves its screen, and Chromium in kiosk
 * mode on that screen, kept alive by the watchdog. `xiaojin start` is the whole hall
 * on one machine; this is one kiosk, teller machine or robot of a real hall.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { composeTerminal } from '../electron/services/kiosk-services.ts';
import { terminalParts } from '../electron/services/modules.ts';
import { createLogger } from '../electron/services/log.ts';
import { startKioskHost } from '../electron/host/kiosk-host.ts';
import { simRoutes } from '../electron/host/sim-routes.ts';
import { launchBrowserKiosk, type BrowserKiosk } from '../electron/host/browser-kiosk.ts';
import { DEFAULT_CONFIG_DIR } from '../config/load.ts';
import { ensureRendererBuilt } from './hall.ts';

const HELP = `usage: xiaojin kiosk --id ID [--central URL] [--enroll CODE] [--data DIR] [--config DIR]
                     [--port N] [--browser PATH | --no-browser] [--headless]
                     [--local-enrollment] [--robot-base URL]

  --id ID          this terminal's id in the hall configuration (kiosk-1, teller-1, robot-1)
  --central URL    the central platform; without it the terminal runs stand-alone
  --enroll CODE    one-time enrollment code from the staff console (first start only)
  --data DIR       where the outbox, credential and queue blocks live (default ./data/ID)
  --config DIR     hall configuration until the platform sends its own (default: the bundled hall)
  --port N         port of the screen host on 127.0.0.1 (default 4801)
  --browser PATH   Chromium to run in kiosk mode (default /usr/bin/chromium when present)
  --no-browser     serve the screen only (another browser, or Electron, shows it)
  --headless       run Chromium without a window (for checks on a server)
  --local-enrollment  enrol with a platform on this machine without a code, with the launcher
                   token from XIAOJIN_LAUNCHER_TOKEN (the platform's DATA/launcher-token)
  --robot-base URL the robot base's control endpoint (a robot terminal; e.g. the simulated base)`;

export const command: Command = {
  summary: 'run one kiosk, teller machine or robot with its screen in Chromium',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        id: { type: 'string' },
        central: { type: 'string' },
        enroll: { type: 'string' },
        data: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        browser: { type: 'string' },
        'no-browser': { type: 'boolean' },
        headless: { type: 'boolean' },
        'local-enrollment': { type: 'boolean' },
        'robot-base': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!values.id) throw Object.assign(new Error(`--id is required\n\n${HELP}`), { exitCode: 2 });
    const port = values.port ? Number(values.port) : 4801;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new Error(`--port must be a port number, got ${values.port}`), { exitCode: 2 });
    const browserPath = values['no-browser'] ? null : (values.browser ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null));
    if (values.browser && !existsSync(values.browser)) throw Object.assign(new Error(`no browser at ${values.browser}`), { exitCode: 2 });

    const log = createLogger(values.id);
    const dataDir = resolve(values.data ?? `data/${values.id}`);
    mkdirSync(dataDir, { recursive: true });
    await ensureRendererBuilt();
    const services = await composeTerminal(
      { kioskId: values.id, dataDir, configDir: values.config ?? DEFAULT_CONFIG_DIR, centralUrl: values.central, log, robotBaseUrl: values['robot-base'] },
      terminalParts({ sync: { enrollCode: values.enroll, localEnrollment: values['local-enrollment'], software: 'xiaojin-kiosk' } }),
    );
    const home = services.context.kiosk.kind === 'robot' ? 'robot' : 'kiosk';
    const host = await startKioskHost(services, { port, home, routes: simRoutes(() => services.get('devices').manager) });
    const url = `${host.url}/${home}/`;
    let screen: BrowserKiosk | null = null;
    if (browserPath) screen = await launchBrowserKiosk({ url, executablePath: browserPath, watchdog: services.context.watchdog, log, headless: values.headless });
    console.log(`${services.context.kiosk.name} (${values.id}) is up: ${url}${screen ? ' (in Chromium kiosk mode)' : ''}`);

    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await screen?.close();
    await host.close();
    await services.close();
    return 0;
  },
};
