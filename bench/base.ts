/**
 * The robot base link's latency against the simulated base, over real WebSockets on
 * this machine, at real time (time scale 1, 10 Hz control loop): from sending a
 * navigate_to_pose goal to the first motion command on /cmd_vel, and from the simulator
 * sending a feedback frame to BaseLink's progress event. Baseline in the same run: a bare
 * roslib topic round trip (publish, hear it back) through the same endpoint.
 *
 *   node --import tsx bench/base.ts
 */
import { cpus, loadavg } from 'node:os';
import { Ros, Topic } from 'roslib';
import { BaseLink } from '../drivers/base/link.ts';
import { BaseSimulator } from '../drivers/base/simulator.ts';
import type { Twist } from '../drivers/base/messages.ts';
import { writeSection } from './report.ts';

const COMMAND = 'npm run bench:base';
const TRIALS = 20;
const ROUND_TRIPS = 200;

const sim = new BaseSimulator({ timeScale: 1, start: { x: 10, y: 20, theta: 0 } });
const { url } = await sim.start();
const base = new BaseLink({ url });
base.start();
const ros = new Ros({});
await ros.connect(url);
await new Promise<void>((resolve) => (ros.isConnected ? resolve() : ros.once('connection', () => resolve())));
await until(() => base.snapshot.link === 'up' && base.snapshot.pose !== null);

function until(ok: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (ok()) {
        clearInterval(t);
        resolve();
      }
    }, 1);
  });
}

// Baseline: a bare roslib topic round trip through the endpoint.
const echo = new Topic<{ data: number }>({ ros, name: '/bench/echo', messageType: 'std_msgs/msg/Float64' });
let heard: ((n: number) => void) | null = null;
echo.subscribe((m) => heard?.(m.data));
const roundTrips: number[] = [];
for (let i = 0; i < ROUND_TRIPS + 20; i++) {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    heard = (n) => n === i && resolve();
    echo.publish({ data: i });
  });
  if (i >= 20) roundTrips.push(performance.now() - t0);
}

// Goal → first motion command.
const cmd = new Topic<Twist>({ ros, name: '/cmd_vel', messageType: 'geometry_msgs/msg/Twist' });
let onMotion: (() => void) | null = null;
cmd.subscribe((m) => {
  if (Math.abs(m.linear.x) > 0 || Math.abs(m.angular.z) > 0) onMotion?.();
});
const firstMotion: number[] = [];
const feedbackLatency: number[] = [];
const sentAt = new Map<number, number>();
sim.on('feedback', (s) => sentAt.set(Math.round(s * 10), performance.now()));
base.on('progress', (p) => {
  const sent = sentAt.get(Math.round(p.navigationSeconds * 10));
  if (sent !== undefined) feedbackLatency.push(performance.now() - sent);
});
for (let i = 0; i < TRIALS; i++) {
  const target = { x: i % 2 === 0 ? 12 : 10, y: 20, theta: i % 2 === 0 ? 0 : Math.PI };
  sentAt.clear();
  const t0 = performance.now();
  const moved = new Promise<void>((resolve) => (onMotion = resolve));
  const outcome = base.navigateTo(target);
  await moved;
  firstMotion.push(performance.now() - t0);
  onMotion = null;
  const o = await outcome;
  if (!o.ok) throw new Error(`trial ${i}: ${o.reason} ${o.message}`);
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const median = (xs: number[]) => q(xs, 0.5);
const f = (ms: number) => `${ms.toFixed(2)} ms`;

const body = `
## Robot base: goal to first motion, feedback latency (issue 15)

Command: \`${COMMAND}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)} when written)

\`BaseLink\` (roslib) against the simulated base (\`drivers/base/simulator.ts\`) over a real
WebSocket on loopback, real time (10 Hz control loop, so a goal waits up to one 100 ms tick
for its first command). ${TRIALS} goals of 2 m, each driven to arrival; ${feedbackLatency.length} feedback frames.

| figure | median | p90 |
|---|---|---|
| baseline: bare roslib topic round trip (publish → hear it back), ${ROUND_TRIPS} trips | ${f(median(roundTrips))} | ${f(q(roundTrips, 0.9))} |
| goal sent → first /cmd_vel with motion | ${f(median(firstMotion))} | ${f(q(firstMotion, 0.9))} |
| feedback frame sent → BaseLink progress event | ${f(median(feedbackLatency))} | ${f(q(feedbackLatency, 0.9))} |

Feedback reaches the link in ${(median(feedbackLatency) / median(roundTrips)).toFixed(2)}× a bare round trip (one way against two);
first motion is the control loop's tick, not the link: each goal here is sent the moment the
previous one ends, which is on a tick, so it waits a whole 100 ms period for the next.
`;

writeSection('base', body);
console.log(body);
await base.stop();
ros.close();
await sim.stop();
