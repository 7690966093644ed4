/**
 * `xiaojin sim idcard|printer --port PATH`: a device simulator on a serial port (usually
 * one end of a socat pty pair), so the kiosk or `xiaojin devices` can be exercised
 * without hardware. Runs until Ctrl-C. Commands typed on stdin change the device:
 * `insert resident|hk-macau-taiwan|foreign-permanent`, `remove`, `paper N`, `cover open|closed`.
 * `xiaojin sim base --port N` is the robot base: a rosbridge endpoint on a TCP port instead.
 * `xiaojin sim datashare --port N` is the province's data-sharing gateway over HTTP, serving
 * records for the ID-card simulator's cards; `down`, `slow MS`, `no-record`, `well` on stdin.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { PortAbsentError, PortOpenError, openSerial } from '../drivers/transport/serial.ts';
import { IdCardSimulator } from '../drivers/idcard/simulator.ts';
import { fixtureCards, toSimCard } from '../drivers/idcard/fixtures.ts';
import type { CardType } from '../drivers/idcard/text.ts';
import { PrinterSimulator } from '../drivers/printer/simulator.ts';
import { BaseSimulator } from '../drivers/base/simulator.ts';
import { DEFAULT_CONFIG_DIR, loadConfigDir } from '../config/load.ts';
import type { HallConfig } from '../config/schema.ts';
import { legOnFloor } from '../models/navigation/route.ts';
import { DataShareSimulator } from '../server/datashare/simulator.ts';
import type { SimCitizen } from '../server/datashare/records.ts';
import { hasRecord } from '../server/datashare/records.ts';
import { RECORD_KINDS } from '../protocol/datashare.ts';

const USAGE = `usage:
  xiaojin sim idcard --port PATH [--card resident|hk-macau-taiwan|foreign-permanent|none] [--baud N]
  xiaojin sim printer --port PATH [--paper N] [--baud N]
  xiaojin sim base --port N [--host ADDR] [--config DIR] [--time-scale X] [--battery PERCENT]
  xiaojin sim datashare --port N [--host ADDR]`;

const CARDS = ['resident', 'hk-macau-taiwan', 'foreign-permanent'] as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const command: Command = {
  summary: 'run a device simulator on a serial port',
  async run(argv) {
    const [kind, ...rest] = argv;
    if (kind === 'idcard') return simIdcard(rest);
    if (kind === 'printer') return simPrinter(rest);
    if (kind === 'base') return simBase(rest);
    if (kind === 'datashare') return simDataShare(rest);
    console.error(kind && kind !== '--help' ? `xiaojin sim: unknown device '${kind}'\n\n${USAGE}` : USAGE);
    return kind === '--help' ? 0 : 2;
  },
};

function parse(argv: string[], extra: Record<string, { type: 'string' }>) {
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, baud: { type: 'string' }, ...extra }, strict: true });
    if (!values.port) throw new Error('--port PATH is required');
    const baud = values.baud === undefined ? 115200 : Number(values.baud);
    if (!Number.isInteger(baud) || baud <= 0) throw new Error(`--baud must be a positive integer, got '${values.baud}'`);
    return { values: values as Record<string, string | undefined>, port: values.port as string, baud };
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
}

async function openPort(port: string, baud: number) {
  try {
    return await openSerial(port, { baudRate: baud });
  } catch (err) {
    if (err instanceof PortAbsentError || err instanceof PortOpenError) throw new CliError(err.message, 3);
    throw err;
  }
}

/** Resolves on Ctrl-C / SIGTERM, or when the port goes away. */
function untilStopped(onClose: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    onClose(resolve);
  });
}

/** Reads device commands from stdin; returns a function that stops reading (so the process can exit). */
function commands(handle: (words: string[]) => string | null): () => void {
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const answer = handle(words);
    console.error(answer ?? `unknown command '${line.trim()}'`);
  });
  // stdin closing (e.g. started from a script) must not stop the simulator.
  rl.on('close', () => undefined);
  return () => {
    rl.close();
    process.stdin.destroy();
  };
}

function isCardType(s: string | undefined): s is CardType {
  return CARDS.includes(s as CardType);
}

async function simIdcard(argv: string[]): Promise<number> {
  const { values, port, baud } = parse(argv, { card: { type: 'string' } });
  const card = values.card ?? 'resident';
  if (card !== 'none' && !isCardType(card)) throw new CliError(`--card must be one of ${CARDS.join(', ')}, none`, 2);
  const transport = await openPort(port, baud);
  const sim = new IdCardSimulator(transport, { card: card === 'none' ? null : toSimCard(fixtureCards[card]) });
  console.error(`ID-card reader simulator on ${port} at ${baud} baud, card: ${card}`);
  const stopCommands = commands(([verb, arg]) => {
    if (verb === 'remove') {
      sim.remove();
      return 'card removed';
    }
    if (verb === 'insert' && isCardType(arg)) {
      sim.insert(toSimCard(fixtureCards[arg]));
      return `${arg} card inserted`;
    }
    return null;
  });
  await untilStopped((resolve) => transport.once('close', resolve));
  stopCommands();
  await transport.close();
  return 0;
}

async function simPrinter(argv: string[]): Promise<number> {
  const { values, port, baud } = parse(argv, { paper: { type: 'string' } });
  const paper = values.paper === undefined ? Infinity : Number(values.paper);
  if (!(paper >= 0)) throw new CliError(`--paper must be a number of lines, got '${values.paper}'`, 2);
  const transport = await openPort(port, baud);
  const sim = new PrinterSimulator(transport, { paper });
  sim.on('receipt', (r) => {
    const head = r.truncated ? '---- receipt (torn off: paper ran out) ----' : '---- receipt ----';
    console.log([head, r.text, '---- end ----'].join('\n'));
  });
  sim.on('paper-out', () => console.error('paper out'));
  console.error(`printer simulator on ${port} at ${baud} baud, paper: ${paper} lines`);
  const stopCommands = commands(([verb, arg]) => {
    if (verb === 'paper' && arg !== undefined && Number(arg) >= 0) {
      sim.setPaper(Number(arg));
      return `paper set to ${arg} lines`;
    }
    if (verb === 'cover' && (arg === 'open' || arg === 'closed')) {
      sim.coverOpen = arg === 'open';
      return `cover ${arg}`;
    }
    return null;
  });
  await untilStopped((resolve) => transport.once('close', resolve));
  stopCommands();
  await transport.close();
  return 0;
}

/**
 * The robot base on the hall's ground floor: it starts on its dock, routes along the
 * floor's aisle (models/navigation/route.ts) and takes goals in the hall's coordinates.
 */
async function simBase(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' }, 'time-scale': { type: 'string' }, battery: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  const port = Number(values.port);
  if (!values.port || !Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a TCP port number, got '${values.port ?? ''}'\n\n${USAGE}`, 2);
  const timeScale = values['time-scale'] === undefined ? 1 : Number(values['time-scale']);
  if (!(timeScale > 0)) throw new CliError(`--time-scale must be a positive number, got '${values['time-scale']}'`, 2);
  const battery = values.battery === undefined ? 100 : Number(values.battery);
  if (!(battery >= 0 && battery <= 100)) throw new CliError(`--battery must be 0…100, got '${values.battery}'`, 2);
  const config = loadConfigDir(values.config ?? DEFAULT_CONFIG_DIR);
  const { sim, floor } = hallBaseSimulator(config, { port, host: values.host ?? '127.0.0.1', timeScale, battery });
  const { url, controlUrl } = await sim.start();
  sim.on('goal', (action) => console.error(`goal on ${action}`));
  console.error(`robot base simulator: rosbridge ${url}, controls ${controlUrl}/{state,aisle,stall,link/drop,dock,battery}, floor ${floor.id}, time x${timeScale}`);
  await untilStopped(() => undefined);
  await sim.stop();
  return 0;
}

/**
 * The robot base of a hall, simulated: on the robot's dock, charging, on the dock's floor,
 * routing along its aisle. `xiaojin sim base` and `xiaojin start` both run this one.
 */
export function hallBaseSimulator(config: HallConfig, opts: { port?: number; host?: string; timeScale?: number; battery?: number } = {}): { sim: BaseSimulator; floor: { id: string } } {
  const hall = config.hall;
  const dockPlace = hall.places.find((p) => p.id === config.robot.dock);
  if (!dockPlace) throw new CliError(`the robot's dock '${config.robot.dock}' is not a place in the hall`, 2);
  const floor = hall.floors.find((f) => f.id === dockPlace.floor)!;
  // The dock faces the wall nearest to it; the base backs out towards the aisle.
  const theta = dockPlace.position.y < floor.height / 2 ? -Math.PI / 2 : Math.PI / 2;
  const dock = { ...dockPlace.position, theta };
  const sim = new BaseSimulator({
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    timeScale: opts.timeScale ?? 1,
    start: dock,
    docked: true,
    docks: { [dockPlace.id]: dock },
    battery: { percent: opts.battery ?? 100 },
    bounds: { minX: 0, minY: 0, maxX: floor.width, maxY: floor.height },
    plan: (from, to) => legOnFloor(hall, floor.id, from, to).points,
  });
  return { sim, floor };
}

/** The ID-card simulator's cardholders, as the data-sharing gateway simulator knows them. */
export function fixtureCitizens(): SimCitizen[] {
  return Object.values(fixtureCards).map(({ type, text }) => ({
    idNumber: text.idNumber,
    name: text.cardType === 'foreign-permanent' ? (text.chineseName ?? text.englishName) : text.name,
    birth: text.birth,
    sex: text.sexCode === '2' ? '女' : '男',
    address: 'address' in text ? text.address : '',
    cardType: type,
  }));
}

async function simDataShare(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  const port = Number(values.port);
  if (!values.port || !Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a TCP port number, got '${values.port ?? ''}'\n\n${USAGE}`, 2);
  const citizens = fixtureCitizens();
  const sim = new DataShareSimulator({ citizens, port, host: values.host ?? '127.0.0.1' });
  const { url } = await sim.start();
  console.error(`data-sharing gateway simulator on ${url} (POST /v1/records/query; controls ${url}/sim/datashare/{fault,clear,queries})`);
  for (const c of citizens) console.error(`  ${c.cardType}: ${RECORD_KINDS.filter((k) => hasRecord(c, k)).join(', ')}`);
  const stopCommands = commands(([verb, arg]) => {
    if (verb === 'down' || verb === 'no-record') {
      sim.setFault({ mode: verb });
      return `gateway: ${verb}`;
    }
    if (verb === 'slow') {
      sim.setFault({ mode: 'slow', delayMs: arg === undefined ? 60_000 : Number(arg) || 60_000 });
      return 'gateway: slow';
    }
    if (verb === 'well') {
      sim.setFault(null);
      return 'gateway: answering';
    }
    return null;
  });
  await untilStopped(() => undefined);
  stopCommands();
  await sim.stop();
  return 0;
}
