/**
 * Command dispatcher for `xiaojin`. Each subcommand lives in its own module and is
 * loaded only when asked for, so `xiaojin ask` never pays for serialport or React.
 */
export interface Command {
  summary: string;
  run(argv: string[]): Promise<number | void>;
}

type Loader = () => Promise<{ command: Command }>;

const commands: Record<string, Loader> = {
  start: () => import('./start.ts'),
  kiosk: () => import('./kiosk.ts'),
  catalogue: () => import('./catalogue.ts'),
  devices: () => import('./devices.ts'),
  sim: () => import('./sim.ts'),
  ask: () => import('./ask.ts'),
  server: () => import('./server.ts'),
  load: () => import('./load.ts'),
  models: () => import('./models.ts'),
  robot: () => import('./robot.ts'),
  ocr: () => import('./ocr.ts'),
  soak: () => import('./soak.ts'),
};

function usage(): string {
  return [
    'usage: xiaojin <command> [options]',
    '',
    'commands:',
    '  start                       the whole hall on one machine (central platform, kiosk, robot, simulated devices)',
    '  kiosk --id ID [--central URL] one terminal with its screen in Chromium kiosk mode (no Electron needed)',
    '  catalogue import FILE       convert the Guangdong seed .jsonl into the hall catalogue',
    '  devices ...                 list and exercise kiosk devices (idcard, printer)',
    '  sim idcard|printer|base|datashare ...  run a device or gateway simulator',
    '  ask "问题"                   ask the robot\'s understanding engine a question',
    '  server                      run the central platform',
    '  load                        simulate many kiosks against a central platform',
    '  models list|fetch NAME      the voice models: list them, install one verified against the manifest',
    '  ocr FILE…                   read a document picture with the offline OCR (lines as JSON)',
    '  soak --days N --seed S --out DIR  the hall unattended for simulated days with traffic and injected faults',
    '  robot listen --wav FILE     the robot\'s ears (voice activity, wake/command words, recognition) over a recording, as a JSON trace',
    '',
    'xiaojin <command> --help shows the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`xiaojin: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  let mod: { command: Command };
  try {
    mod = await load();
  } catch (err) {
    console.error(`xiaojin: command '${name}' is not available: ${(err as Error).message}`);
    return 2;
  }
  try {
    const code = await mod.command.run(rest);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    const e = err as Error & { exitCode?: number };
    console.error(`xiaojin ${name}: ${e.message}`);
    return e.exitCode ?? 1;
  }
}
