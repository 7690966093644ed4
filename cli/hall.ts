/**
 * The whole hall on one machine: the central platform on embedded SQLite, one citizen
 * kiosk and the robot, each on its own port with simulated devices, and the province's
 * data-sharing gateway simulated for the simulated cards. `xiaojin start`
 * and the end-to-end tests both bring the hall up through here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import type { Logger } from 'pino';
import { composeTerminal, type KioskServices } from '../electron/services/kiosk-services.ts';
import { RENDERER_DIR, startKioskHost, type RunningHost } from '../electron/host/kiosk-host.ts';
import { simRoutes } from '../electron/host/sim-routes.ts';
import { createLogger } from '../electron/services/log.ts';
import { terminalParts } from '../electron/services/modules.ts';
import { DEFAULT_CONFIG_DIR, loadConfigDir } from '../config/load.ts';
import { fixtureCitizens, hallBaseSimulator } from './sim.ts';
import { startServer, type RunningServer } from '../server/app.ts';
import { DataShareSimulator } from '../server/datashare/simulator.ts';
import type { HttpGatewayOptions } from '../server/datashare/gateway.ts';

export { terminalParts };

export interface HallOptions {
  dataDir?: string;
  configDir?: string;
  /** Ports for the central platform, kiosk and robot; 0 picks free ones (tests). */
  ports?: { central?: number; kiosk?: number; robot?: number; robotBase?: number; datashare?: number; teller?: number };
  /** The platform's limits for the gateway (tests shorten the timeout). */
  dataShare?: Partial<Omit<HttpGatewayOptions, 'url' | 'requester'>>;
  kioskId?: string;
  robotId?: string;
  /**
   * Also run the unattended teller machine (the configuration's first 'teller' terminal) on
   * its own port. `xiaojin start` does; tests that do not need it save the start-up.
   */
  teller?: boolean;
  /** Rebuild the screens even when a build exists. */
  rebuild?: boolean;
  log?: Logger;
}

export interface HallUrls {
  central: string;
  kiosk: string;
  robot: string;
  console: string;
  window: string;
  display: string;
  /** The simulated robot base's control endpoint (block the aisle, drop the link, set the battery). */
  robotBase: string;
  /** The 24/7 teller machine's screen, when the hall runs one. */
  teller?: string;
  /** The simulated data-sharing gateway (its controls under /sim/datashare/). */
  datashare: string;
}

export interface RunningHall {
  urls: HallUrls;
  kiosk: KioskServices;
  robot: KioskServices;
  /** Control of the kiosk's simulated devices (insert a card, set paper, read receipts). */
  kioskHost: RunningHost;
  robotHost: RunningHost;
  /** The teller machine, when asked for (HallOptions.teller). */
  teller?: { services: KioskServices; host: RunningHost };
  central: RunningServer;
  dataShareSim: DataShareSimulator;
  /** Where the first administrator's password was written, when the platform created one. */
  adminPasswordFile: string;
  close(): Promise<void>;
}

export async function ensureRendererBuilt(force = false): Promise<void> {
  if (!force && existsSync(join(RENDERER_DIR, 'kiosk', 'index.html'))) return;
  await build({ configFile: resolve(import.meta.dirname, '../vite.config.ts'), logLevel: 'warn' });
}

async function startTerminal(id: string, home: string, port: number, central: RunningServer, opts: HallOptions, log: Logger, robotBaseUrl?: string): Promise<{ services: KioskServices; host: RunningHost }> {
  const dataDir = resolve(opts.dataDir ?? 'data', id);
  mkdirSync(dataDir, { recursive: true });
  const services = await composeTerminal(
    { kioskId: id, dataDir, configDir: opts.configDir ?? DEFAULT_CONFIG_DIR, centralUrl: central.url, log: log.child({ terminal: id }), robotBaseUrl },
    terminalParts({ sync: { localEnrollment: true, launcherToken: central.launcherToken, software: 'xiaojin-hall' } }),
  );
  try {
    const host = await startKioskHost(services, { port, home, routes: simRoutes(() => services.get('devices').manager) });
    return { services, host };
  } catch (err) {
    await services.close();
    throw err;
  }
}

export async function startHall(opts: HallOptions = {}): Promise<RunningHall> {
  const log = opts.log ?? createLogger('hall');
  await ensureRendererBuilt(opts.rebuild);
  const ports = { central: 4800, kiosk: 4801, robot: 4802, ...opts.ports };
  // The base sits next to the robot's port; a robot on a free port gets a free one too.
  const robotBasePort = ports.robotBase ?? (ports.robot === 0 ? 0 : ports.robot + 1);
  const datasharePort = ports.datashare ?? (ports.robot === 0 ? 0 : robotBasePort + 1);
  const started: (() => Promise<void>)[] = [];
  try {
    const dataShareSim = new DataShareSimulator({ citizens: fixtureCitizens(), port: datasharePort });
    const dataShareAt = await dataShareSim.start();
    started.push(() => dataShareSim.stop());
    const centralDir = resolve(opts.dataDir ?? 'data', 'central');
    const central = await startServer({
      port: ports.central,
      dataDir: centralDir,
      configDir: opts.configDir ?? DEFAULT_CONFIG_DIR,
      staticDir: RENDERER_DIR,
      localEnrollment: true,
      logLevel: log.level,
      dataShare: { url: dataShareAt.url, ...opts.dataShare },
    });
    started.push(() => central.close());
    const kiosk = await startTerminal(opts.kioskId ?? 'kiosk-1', 'kiosk', ports.kiosk, central, opts, log);
    started.push(async () => {
      await kiosk.host.close();
      await kiosk.services.close();
    });
    // The robot walks on a simulated base, on its dock at the start like a real one.
    const { sim: baseSim } = hallBaseSimulator(loadConfigDir(opts.configDir ?? DEFAULT_CONFIG_DIR), { port: robotBasePort });
    const baseSimAt = await baseSim.start();
    started.push(() => baseSim.stop());
    const robot = await startTerminal(opts.robotId ?? 'robot-1', 'robot', ports.robot, central, opts, log, baseSimAt.url);
    started.push(async () => {
      await robot.host.close();
      await robot.services.close();
    });
    let teller: { services: KioskServices; host: RunningHost } | undefined;
    if (opts.teller) {
      const id = loadConfigDir(opts.configDir ?? DEFAULT_CONFIG_DIR).kiosks.find((k) => k.kind === 'teller')?.id;
      if (!id) throw new Error('the hall configuration has no teller terminal (a kiosks.json entry of kind "teller")');
      const run = await startTerminal(id, 'kiosk', ports.teller ?? 0, central, opts, log);
      teller = run;
      started.push(async () => {
        await run.host.close();
        await run.services.close();
      });
    }
    const base = central.url.replace(/\/$/, '');
    return {
      urls: {
        central: base,
        kiosk: `${kiosk.host.url}/kiosk/`,
        robot: `${robot.host.url}/robot/`,
        console: `${base}/console/`,
        window: `${base}/window/`,
        display: `${base}/display/`,
        robotBase: baseSimAt.controlUrl,
        ...(teller ? { teller: `${teller.host.url}/kiosk/` } : {}),
        datashare: dataShareAt.url,
      },
      central,
      dataShareSim,
      adminPasswordFile: join(centralDir, 'initial-admin.txt'),
      kiosk: kiosk.services,
      robot: robot.services,
      kioskHost: kiosk.host,
      robotHost: robot.host,
      teller,
      async close() {
        for (const stop of started.reverse()) await stop();
      },
    };
  } catch (err) {
    for (const stop of started.reverse()) await stop().catch(() => {});
    throw err;
  }
}
