/**
 * A terminal's outbox in a process of its own with no unhandled-rejection guard (as
 * `xiaojin kiosk` runs): records three transactions, waits for 'go' on stdin (the test
 * fills the disk meanwhile), then sends them to a sender that acknowledges them; exits 0
 * once the outbox has drained.
 */
import { Outbox } from '../../../electron/services/outbox.ts';

const outbox = new Outbox({ dataDir: process.argv[2], minFreeBytes: 0 });
for (let i = 0; i < 3; i++) await outbox.append('rating', { level: 5, reasons: [] });
console.log('recorded 3');
outbox.on('retry', ({ reason }) => console.log(`retry: ${reason}`));
outbox.on('drained', () => {
  console.log('drained');
  outbox.close();
  process.exit(0);
});
process.stdin.once('data', () => {
  outbox.run(async (txs) => {
    console.log(`acknowledged ${txs.length}`);
    return { ok: true as const, batchId: 'soak-settle', results: txs.map((t) => ({ id: t.id, status: 'applied' as const })), lastSeq: txs[txs.length - 1].seq };
  });
});
