/**
 * One soak run: the real hall as separate processes (the platform and each terminal a
 * child, every terminal behind its own network cable), all on one sped-up hall clock;
 * visitors and window staff for the days asked; faults on a seeded schedule; hourly
 * samples; and at the end the ledger against the platform and the invariants.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG_DIR, loadConfigDir } from '../../config/load.ts';
import { SIM_CLOCK_ENV, formatSimClock, hallDay, hallInstant, scaledClock, type SimClockSpec } from '../../protocol/clock.ts';
import type { FaultHistoryAnswer } from '../../protocol/platform-http.ts';
import { DataShareSimulator } from '../../server/datashare/simulator.ts';
import { ensureRendererBuilt } from '../hall.ts';
import { fixtureCitizens, hallBaseSimulator } from '../sim.ts';
import { SoakSummary, type FaultClass, type SoakFault, type SoakHall, type SoakSample } from './contract.ts';
import { faultClasses } from './faults/index.ts';
import { mountSmallFolder, type SmallFolder } from './faults/small-folder.ts';
import { startPostgres, startRedis, type RestartableService } from './local-services.ts';
import { HallProcess } from './processes.ts';
import { TcpProxy } from './proxy.ts';
import { Ledger } from './ledger.ts';
import { Traffic } from './traffic.ts';
import { StaffApi, WindowStaff } from './staff.ts';
import { faultSchedule, measureFault } from './schedule.ts';
import { growthPerDay, outboxDepth, rolledLogs, sample } from './measure.ts';
import { LOG_DIR_ENV, LOG_KEEP_ENV, LOG_SIZE_ENV } from '../../common/log-destination.ts';
import { personalDataFound, platformKeyCounts, platformTransactions, reusedTicketNumbers } from './audit.ts';
import { closeHealthClients, linkedToPlatform } from './health.ts';
import { simControl } from './faults/sim-control.ts';
import { FULL_ROLL } from './faults/printer.ts';
import { evaluateInvariants } from './invariants.ts';

export interface SoakOptions {
  days: number;
  seed: number;
  out: string;
  /** Simulated seconds per wall second (720: a day in two minutes). */
  speed: number;
  visitorsPerDay: number;
  /** The first simulated hall day (YYYY-MM-DD). */
  firstDay: string;
  /** Run Chromium (headless) on kiosk-1's screen. */
  browser: boolean;
  /** The platform on PostgreSQL and Redis (Debian's, started here) instead of SQLite, so they can be restarted too. */
  cluster?: boolean;
  /** Times each fault class strikes; by default one per three days, at least once. */
  faultRepeats?: number;
  /** Recovery limits per class, wall seconds; by default the class's hold, plus its cause's end, plus the hall's recovery time. */
  limits?: Record<string, number>;
  /** The hall's recovery time in wall seconds; by default the configuration's unattended.recoverWithinSeconds. */
  recoveryS?: number;
  /** Only these fault classes (default: all of the registry). */
  faults?: string[];
  /** Keep the hall's data directory after the run (it is removed otherwise). */
  keepData?: boolean;
  progress?: (line: string) => void;
}

const TERMINALS = ['kiosk-1', 'teller-1', 'robot-1'] as const;
/** The terminal whose data folder is a small filesystem of its own, for the disk-full fault: the teller, which nobody tends. */
const SMALL_DISK_TERMINAL = 'teller-1';
const SMALL_DISK_BYTES = 64 * 1024 * 1024;
/** Each process's log rolls at this size and keeps this many rolled files beside its current one. */
const SOAK_LOG_SIZE_KB = 8;
const SOAK_LOG_KEEP = 3;
/**
 * Wall time the processes are given to start before the hall clock reaches the first
 * morning: the clock's origin is fixed when they are spawned, so it cannot wait for them.
 */
const STARTUP_MS = 120_000;

export async function runSoak(o: SoakOptions): Promise<{ summary: SoakSummary; failed: string[] }> {
  const say = o.progress ?? (() => undefined);
  const wallStart = Date.now();
  const out = resolve(o.out);
  const logDir = join(out, 'logs');
  mkdirSync(logDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaojin-soak-'));
  const eventLog = join(out, 'events.jsonl');
  writeFileSync(eventLog, '');
  const config = loadConfigDir(DEFAULT_CONFIG_DIR);
  const citizens = new Map<string, string>(fixtureCitizens().map((c) => [c.idNumber, c.name]));

  await ensureRendererBuilt();
  const spec: SimClockSpec = { simStartMs: hallInstant(o.firstDay, '08:00'), realStartMs: Date.now() + STARTUP_MS, speed: o.speed };
  const clock = scaledClock(spec);
  const simEnd = spec.simStartMs + o.days * 86400_000;
  const runMs = (o.days * 86400_000) / o.speed;
  // Rolled small, so a run of a day already shows rolling and pruning.
  const rolledLogDir = join(logDir, 'rolled');
  const env = { [SIM_CLOCK_ENV]: formatSimClock(spec), XIAOJIN_LOG: 'info', [LOG_DIR_ENV]: rolledLogDir, [LOG_SIZE_ENV]: `${SOAK_LOG_SIZE_KB}k`, [LOG_KEEP_ENV]: String(SOAK_LOG_KEEP) };
  const adminPassword = randomBytes(18).toString('base64url');

  const cleanups: (() => Promise<void>)[] = [];
  const processes: Record<string, HallProcess> = {};
  // Unmounted only after everything written has been scanned, in the finally below.
  let smallDisk: SmallFolder | null = null;
  const scanned: string[] = [];
  // Removed in the finally, after the scan for personal data has read them.
  const ownDirs: string[] = [];
  // Stopped from outside (Ctrl-C, a test's time limit), the hall must not outlive the run:
  // its processes, PostgreSQL, Redis and the mounted folder are stopped before exiting.
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the hall`);
    void (async () => {
      closeHealthClients();
      for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => undefined);
      await smallDisk?.unmount().catch(() => undefined);
      for (const dir of ownDirs) rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    })();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    try {
      smallDisk = await mountSmallFolder(join(dataDir, SMALL_DISK_TERMINAL), SMALL_DISK_BYTES);
    } catch (err) {
      say(`the outbox-disk-full fault is left out: ${(err as Error).message}`);
    }
    const dataShare = new DataShareSimulator({ citizens: fixtureCitizens(), port: 0 });
    const dataShareAt = await dataShare.start();
    cleanups.push(() => dataShare.stop());
    const { sim: base } = hallBaseSimulator(config, { port: 0 });
    const baseAt = await base.start();
    cleanups.push(() => base.stop());

    // Stopped after the platform (cleanups run last first), and their folders scanned with the rest.
    let cluster: { postgres: RestartableService; redis: RestartableService } | null = null;
    // Sampled as the platform's database when it runs on PostgreSQL (the SQLite file is empty then).
    const pgFolders: Record<string, string> = {};
    if (o.cluster) {
      say('starting PostgreSQL and Redis');
      // Their own temp folders: PostgreSQL runs as the postgres user, who cannot enter the hall's.
      const pgDir = mkdtempSync(join(tmpdir(), 'xiaojin-soak-pg-'));
      const redisDir = mkdtempSync(join(tmpdir(), 'xiaojin-soak-redis-'));
      scanned.push(pgDir);
      ownDirs.push(pgDir, redisDir);
      const postgres = await startPostgres(pgDir);
      Object.assign(pgFolders, { 'central-postgres': join(pgDir, 'data', 'base'), 'central-postgres-wal': join(pgDir, 'data', 'pg_wal') });
      cleanups.push(() => postgres.stop());
      const redis = await startRedis(redisDir);
      cleanups.push(() => redis.stop());
      cluster = { postgres, redis };
    }
    const centralDir = join(dataDir, 'central');
    const central = new HallProcess({
      name: 'central',
      args: ['server', '--host', '127.0.0.1', '--data', centralDir, '--local-enrollment', '--datashare-url', dataShareAt.url, ...(cluster ? ['--db', cluster.postgres.url, '--redis', cluster.redis.url] : [])],
      env: { ...env, XIAOJIN_ADMIN_PASSWORD: adminPassword },
      ready: /listening on (\S+)/,
      logDir,
    });
    processes.central = central;
    cleanups.push(async () => {
      await central.stop();
      await central.closeLog();
    });
    say('starting the platform');
    const centralUrl = (await central.start(['--port', '0'])).replace(/\/$/, '');
    const centralPort = Number(new URL(centralUrl).port);
    const staff = new StaffApi(centralUrl, 'admin', adminPassword);
    const launcherToken = readFileSync(join(centralDir, 'launcher-token'), 'utf8').trim();

    const proxies: Record<string, TcpProxy> = {};
    const terminals: SoakHall['terminals'] = {};
    for (const id of TERMINALS) {
      const proxy = new TcpProxy(() => ({ host: '127.0.0.1', port: centralPort }));
      await proxy.start();
      proxies[id] = proxy;
      cleanups.push(() => proxy.close());
      const screen = o.browser && id === 'kiosk-1' ? ['--headless'] : ['--no-browser'];
      const proc = new HallProcess({
        name: id,
        args: ['kiosk', '--id', id, '--central', proxy.url, '--data', join(dataDir, id), '--port', '0', '--local-enrollment', ...screen, ...(id === 'robot-1' ? ['--robot-base', baseAt.url] : [])],
        env: { ...env, XIAOJIN_LAUNCHER_TOKEN: launcherToken },
        ready: /is up: (http:\/\/[^/\s]+)\//,
        logDir,
      });
      processes[id] = proc;
      cleanups.push(async () => {
        await proc.stop();
        await proc.closeLog();
      });
    }
    say('starting the terminals');
    await Promise.all(TERMINALS.map((id) => processes[id].start()));
    for (const id of TERMINALS) terminals[id] = { url: processes[id].url, dataDir: join(dataDir, id), pid: () => processes[id].pid };
    // A roll that lasts the run: paper running out is the printer-paper fault's to cause, at its times.
    for (const id of TERMINALS) await simControl(terminals[id].url, '/sim/printer/paper', { lines: FULL_ROLL }).catch(() => undefined);
    // Every terminal enrolled and linked before the day starts, so the first fault finds a hall at rest.
    await waitUntil(async () => (await Promise.all(TERMINALS.map((id) => linkedToPlatform(terminals[id].url)))).every(Boolean), 60_000, 'the terminals did not link to the platform');

    const hall: SoakHall = {
      centralUrl: proxies['kiosk-1'].url,
      terminals,
      simNow: () => clock.now(),
      note: (event, detail) => appendFileSync(eventLog, `${JSON.stringify({ wall: new Date().toISOString(), sim: new Date(clock.now()).toISOString(), event, ...detail })}\n`),
      network: Object.fromEntries(TERMINALS.map((id) => [id, { cut: () => proxies[id].cut(), stall: () => proxies[id].stall(), restore: () => proxies[id].restore() }])),
      platform: { kill9: () => central.kill9(), start: async () => void (await central.start(['--port', String(centralPort)])) },
    };

    const ledger = new Ledger();
    const traffic = new Traffic({
      seed: o.seed,
      visitorsPerDay: o.visitorsPerDay,
      speed: o.speed,
      clock,
      config,
      urls: { kiosk: terminals['kiosk-1'].url, teller: terminals['teller-1'].url, robot: terminals['robot-1'].url },
      ids: { kiosk: 'kiosk-1', teller: 'teller-1', robot: 'robot-1' },
      ledger,
      until: simEnd,
      onCitizen: (idNumber, name) => citizens.set(idNumber, name),
    });
    const windows = new WindowStaff({ api: staff, config, clock, speed: o.speed });

    const classes = faultClasses({ baseControlUrl: baseAt.controlUrl, screen: o.browser ? 'kiosk-1' : null, smallDisk: smallDisk ? SMALL_DISK_TERMINAL : null, cluster });
    const wanted = o.faults ? classes.filter((f) => o.faults!.includes(f.name)) : classes;
    const repeats = o.faultRepeats ?? Math.max(1, Math.round(o.days / 3));
    const plan = faultSchedule(wanted, repeats, runMs, o.seed);
    const recoverWithinS = o.recoveryS ?? config.unattended.recoverWithinSeconds;
    const limitOf = (f: FaultClass) => o.limits?.[f.name] ?? Math.round(f.holdMs / 1000 + (f.causeEndsS ?? 0) + recoverWithinS);

    // The hall's day starts when the shared clock reaches the first morning; a start-up
    // slower than its budget costs the first hours of traffic, and says so.
    const late = Date.now() - spec.realStartMs;
    if (late > 0) say(`the hall took ${Math.round(late / 1000)} s longer to start than its ${STARTUP_MS / 1000} s budget: the day begins at ${new Date(clock.now()).toISOString()}`);
    await new Promise((done) => setTimeout(done, Math.max(0, -late)));
    say(`hall day ${o.firstDay} starts: ${o.days} day(s) at ${o.speed}×, ${plan.length} faults`);
    hall.note('run started', { days: o.days, speed: o.speed, seed: o.seed });
    windows.start();

    const faults: SoakFault[] = [];
    const faultRun = (async () => {
      for (const p of plan) {
        const wait = spec.realStartMs + p.atMs - Date.now();
        if (wait > 0) await new Promise((done) => setTimeout(done, wait));
        const measured = await measureFault(hall, p.fault, { limitS: limitOf(p.fault), shown: (f, t0) => shownOnConsole(staff, f, t0, clock.now()) });
        faults.push(measured);
        say(`fault ${measured.name} on ${measured.target}: noticed ${measured.noticedS ?? '—'} s, shown ${measured.shownS ?? '—'} s, recovered ${measured.recoveredS ?? 'never'} s`);
      }
    })();

    const samples: SoakSample[] = [];
    const takeSample = () => {
      const s = sample((clock.now() - spec.simStartMs) / 86400_000, {
        processes: Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.pid])),
        withScreens: o.browser ? ['kiosk-1'] : [],
        outboxes: Object.fromEntries(TERMINALS.map((id) => [id, terminals[id].dataDir])),
        databases: { central: join(centralDir, 'central.db'), ...Object.fromEntries(TERMINALS.map((id) => [`${id}-outbox`, join(terminals[id].dataDir, 'outbox.db')])) },
        folders: pgFolders,
      });
      samples.push(s);
    };
    let nextSample = spec.simStartMs;
    let faultsDone = false;
    void faultRun.finally(() => (faultsDone = true));
    while (clock.now() < simEnd || !faultsDone) {
      if (clock.now() < simEnd) traffic.tick();
      if (clock.now() >= nextSample) {
        takeSample();
        nextSample += 3600_000;
        const day = Math.floor((clock.now() - spec.simStartMs) / 86400_000);
        if (samples.length % 24 === 1) say(`day ${day}: ${traffic.stats.served} visitors served, ${ledger.total} transactions, ${faults.length}/${plan.length} faults`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    await faultRun;
    await traffic.drain();
    traffic.close();
    await windows.stop();
    takeSample();
    hall.note('traffic over', { served: traffic.stats.served });

    // The outboxes drain once every terminal is linked; what stays is counted, not waited for forever.
    say('waiting for the outboxes to drain');
    await waitUntil(async () => TERMINALS.every((id) => (outboxDepth(terminals[id].dataDir) ?? 0) === 0), 120_000, null);
    const left = Object.fromEntries(TERMINALS.map((id) => [id, outboxDepth(terminals[id].dataDir) ?? 0]));

    const txs = await platformTransactions(staff);
    const held = platformKeyCounts(txs);
    const compared = ledger.compare(held);
    const atPlatform = [...held.values()].reduce((s, n) => s + n, 0);
    const tickets = reusedTicketNumbers(txs, ledger.ticketNumbers);
    if (compared.lost || compared.doubled) hall.note('ledger differs', { lost: compared.lostKeys.slice(0, 50), doubled: compared.doubledKeys.slice(0, 50) });

    // Everything written is scanned with the processes stopped, so their last words are on disk.
    closeHealthClients();
    for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => undefined);
    const pii = personalDataFound([dataDir, logDir, eventLog, ...scanned], [...citizens.keys(), ...citizens.values()]);

    const growth = growthPerDay(samples, o.days);
    const logs = rolledLogs(rolledLogDir);
    const invariants = evaluateInvariants({
      days: o.days,
      faults,
      lost: compared.lost,
      doubled: compared.doubled,
      reused: tickets.reused.length,
      growth,
      sampled: [...new Set(samples.flatMap((x) => Object.keys(x.rssMb)))],
      outboxLeft: left,
      logs: { byProcess: logs, keep: SOAK_LOG_KEEP, sizeKb: SOAK_LOG_SIZE_KB },
      pii,
      made: ledger.total,
    });
    const summary = SoakSummary.parse({
      seed: o.seed,
      days: o.days,
      firstDay: o.firstDay,
      wallSeconds: Math.round((Date.now() - wallStart) / 1000),
      visitors: traffic.stats.served,
      transactions: { made: ledger.total, atPlatform, lost: compared.lost, doubled: compared.doubled },
      tickets: { issued: tickets.issued, reused: tickets.reused.length },
      faults,
      samples,
      growthPerDay: growth,
      logs,
      invariants,
    });
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      join(out, 'traffic.json'),
      `${JSON.stringify({ perDayAsked: o.visitorsPerDay, ...traffic.stats, byType: ledger.byType(), windows: { calls: windows.calls, finished: windows.finished, errors: windows.errors }, outboxLeft: left }, null, 2)}\n`,
    );
    return { summary, failed: invariants.filter((i) => !i.held).map((i) => i.name) };
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    closeHealthClients();
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    await smallDisk?.unmount().catch(() => undefined);
    for (const dir of ownDirs) rmSync(dir, { recursive: true, force: true });
    if (!o.keepData) rmSync(dataDir, { recursive: true, force: true });
    else say(`hall data kept in ${dataDir}`);
  }
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, failure: string | null): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await new Promise((done) => setTimeout(done, 250));
  }
  if (failure) throw new Error(failure);
  return false;
}

/** The component each class breaks, as the console's fault history names it. */
const CONSOLE_KIND: Record<string, string> = {
  'printer-paper': 'printer',
  'printer-jam': 'printer',
  'idcard-unplug': 'idcard',
  'scanner-gone': 'scanner',
  'renderer-crash': 'screen',
  'renderer-hang': 'screen',
  'robot-base-link': 'base',
  'outbox-disk-full': 'disk',
};

/**
 * Whether the staff console lists the fault yet, read through the platform's own API as
 * the console reads it: a cut or stalled cable as the terminal offline in the device list
 * (its outage is written to the fault history only once it is over), everything else as
 * an episode in the fault history (故障记录) begun since the injection. The platform's own
 * death cannot be shown by the platform (null).
 */
export async function shownOnConsole(staff: StaffApi, fault: FaultClass, injectedAtMs: number, simNowMs: number): Promise<boolean | null> {
  if (fault.target === 'central') return null;
  if (fault.name.startsWith('network-')) {
    const { devices } = await staff.call<{ devices: { id: string; online: boolean }[] }>('GET', '/api/devices');
    return devices.some((d) => d.id === fault.target && !d.online);
  }
  const kind = CONSOLE_KIND[fault.name];
  if (!kind) return null;
  // Episodes are stamped on the terminals' wall clock (the same machine's as ours); the
  // platform's days run on the soak's clock, so the range asked spans both.
  const now = Date.now();
  const q = new URLSearchParams({ from: hallDay(Math.min(injectedAtMs, simNowMs) - 86400_000), to: hallDay(Math.max(now, simNowMs) + 86400_000) });
  const { episodes } = await staff.call<FaultHistoryAnswer>('GET', `/api/console/faults?${q}`);
  return episodes.some((e) => e.terminal === fault.target && e.kind === kind && Date.parse(e.startedAt) >= injectedAtMs - 2000);
}
