import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiRouter } from '../../../electron/api/router.ts';
import { EventHub } from '../../../electron/api/events.ts';
import { attachWsBridge } from '../../../electron/host/ws-bridge.ts';
import { AUDIO_FRAME } from '../../../protocol/ui/domains/voice.ts';

let server: Server | null = null;
let close: (() => void) | null = null;
afterEach(async () => {
  close?.();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function bridge(onAudio?: (pcm: Int16Array) => boolean): Promise<{ ws: WebSocket; replies: unknown[] }> {
  server = createServer();
  close = attachWsBridge(server, new ApiRouter(), new EventHub(), onAudio ? { onAudio } : {}).close;
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/api`);
  const replies: unknown[] = [];
  ws.on('message', (d) => replies.push(JSON.parse(String(d))));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return { ws, replies };
}

describe('microphone frames over the WebSocket bridge', () => {
  it('hands binary frames to the audio input as 16-bit samples', async () => {
    const got: number[][] = [];
    const { ws } = await bridge((pcm) => (got.push(Array.from(pcm)), true));
    ws.send(Buffer.from(Int16Array.from([0, 1000, -1000, 32767]).buffer));
    ws.send(Buffer.from(Int16Array.from([-32768]).buffer));
    await expect.poll(() => got).toEqual([[0, 1000, -1000, 32767], [-32768]]);
  });

  it('refuses a frame of half a sample or too many samples, and keeps taking good ones', async () => {
    const got: number[][] = [];
    const { ws, replies } = await bridge((pcm) => (got.push(Array.from(pcm)), true));
    ws.send(Buffer.alloc(3));
    ws.send(Buffer.alloc(2 * (AUDIO_FRAME.maxSamples + 1)));
    ws.send(Buffer.from(Int16Array.from([7]).buffer));
    await expect.poll(() => got).toEqual([[7]]);
    await expect.poll(() => replies.length).toBe(2);
    expect(replies[0]).toMatchObject({ t: 'result', ok: false, error: { code: 'bad-input', message: expect.stringContaining('16-bit samples') } });
  });

  it('refuses audio on a terminal that takes none', async () => {
    const { ws, replies } = await bridge();
    ws.send(Buffer.from(Int16Array.from([1, 2]).buffer));
    await expect.poll(() => replies).toEqual([{ t: 'result', id: -1, ok: false, error: { code: 'bad-input', message: 'this terminal takes no audio' } }]);
  });
});
