/** `xiaojin start`: the whole hall on one machine, until Ctrl-C. */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { startHall } from './hall.ts';
import { createLogger } from '../electron/services/log.ts';
import { installProcessGuards } from '../server/process-guards.ts';

const HELP = `usage: xiaojin start [--data DIR] [--config DIR] [--port N] [--rebuild]

Starts the central platform (embedded SQLite in DIR, default ./data), one citizen kiosk,
the lobby robot and a 24/7 teller machine with simulated devices, and prints the URLs of
every screen. --port N uses N, N+1 … N+5 for the platform, the kiosk, the
robot, its simulated base, the simulated data-sharing gateway and the teller machine (default 4800).`;

/** A port in use is the usual reason a hall will not start: say which and what to do. */
async function startHallOrExplain(opts: Parameters<typeof startHall>[0]) {
  try {
    return await startHall(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      throw Object.assign(new Error(`port ${e.port ?? ''} is already in use (is another hall running?). Stop it, or start on other ports with --port N.`), { exitCode: 1 });
    }
    throw err;
  }
}

export const command: Command = {
  summary: 'start the whole hall',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        rebuild: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const base = values.port ? Number(values.port) : 4800;
    if (!Number.isInteger(base) || base < 1 || base > 65531) throw new Error(`--port must be a port number, got ${values.port}`);
    const started = Date.now();
    // The console is for the URLs and for trouble; XIAOJIN_LOG=info shows the traffic.
    const log = createLogger('hall', process.env.XIAOJIN_LOG ?? 'warn');
    installProcessGuards(log);
    const hall = await startHallOrExplain({
      dataDir: values.data,
      configDir: values.config,
      ports: { central: base, kiosk: base + 1, robot: base + 2, robotBase: base + 3, datashare: base + 4, teller: base + 5 },
      teller: true,
      rebuild: values.rebuild,
      log,
    });
    const { urls } = hall;
    console.log(
      [
        '',
        `小今 Xiaojin hall is up (${((Date.now() - started) / 1000).toFixed(1)} s). Open:`,
        `  citizen kiosk    ${urls.kiosk}`,
        `  robot screen     ${urls.robot}`,
        `  teller machine   ${urls.teller}`,
        `  staff console    ${urls.console}`,
        `  window terminal  ${urls.window}`,
        `  call display     ${urls.display}`,
        `  central platform ${urls.central}`,
        '',
        existsSync(hall.adminPasswordFile)
          ? `Staff console login: admin, password in ${hall.adminPasswordFile}`
          : 'Staff console login: the accounts already in the data folder.',
        'Simulated devices: POST /sim/idcard/insert {"card":"resident"} and /sim/printer/paper {"lines":0} on the kiosk URL.',
        `Simulated robot base: ${urls.robotBase}/{state,aisle,stall,link/drop,dock,battery} (POST /aisle {"blocked":true}).`,
        `Simulated data-sharing gateway: ${urls.datashare} (POST /sim/datashare/fault {"mode":"down"|"slow"|"no-record"}, /sim/datashare/clear).`,
        '',
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    await new Promise<void>((resolveStop) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the hall…`);
        hall.close().then(
          () => {
            console.log('stopped.');
            resolveStop();
          },
          (err: Error) => {
            console.error(`stopping failed: ${err.message}`);
            resolveStop();
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};
