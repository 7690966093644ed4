/**
 * The browser kiosk's transport: the same contract as Electron IPC, carried as JSON over
 * a WebSocket at /api. Only connections from this machine are accepted, because a
 * browser kiosk and its host always run on the same terminal.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireCall, type WireMessage } from '../../protocol/ui/contract.ts';
import type { ApiRouter } from '../api/router.ts';
import type { EventHub } from '../api/events.ts';
import { AUDIO_FRAME } from '../../protocol/ui/domains/voice.ts';

const MAX_MESSAGE = 64 * 1024;

export interface BridgeOptions {
  /** Accept connections from other machines too (a teller machine whose screen is a thin client). */
  allowRemote?: boolean;
  onConnection?: (count: number) => void;
  /**
   * Microphone frames: a binary message is 16 kHz mono int16 samples (AUDIO_FRAME). Without
   * this, binary messages are refused. Returns false when the frame was dropped.
   */
  onAudio?: (pcm: Int16Array) => boolean;
}

function isLocal(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

/**
 * A browser says which page opened the socket. Any web page the kiosk's browser (or a
 * browser on this machine) visits could otherwise open ws://127.0.0.1:port/api and drive
 * the devices, so only the host's own pages may. The Host header is not trusted for a
 * name (DNS rebinding makes evil.example resolve here): loopback names, or for a remote
 * screen the address it dialled. A client with no Origin is not a web page.
 */
function originAllowed(req: IncomingMessage, port: number | undefined, allowRemote: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const own = ['127.0.0.1', 'localhost', '[::1]'].map((h) => `http://${h}:${port}`);
  const dialled = req.headers.host ?? '';
  if (allowRemote && /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d+$/i.test(dialled)) own.push(`http://${dialled}`);
  return own.includes(origin);
}

export function attachWsBridge(server: HttpServer, router: ApiRouter, hub: EventHub, opts: BridgeOptions = {}): { close(): void; clients(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api') return;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : undefined;
    if ((!opts.allowRemote && !isLocal(req)) || !originAllowed(req, port, !!opts.allowRemote)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, msg: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  wss.on('connection', (ws) => {
    opts.onConnection?.(wss.clients.size);
    const unsubscribe = hub.subscribe((name, payload) => send(ws, { t: 'event', name, payload }));
    ws.on('close', () => {
      unsubscribe();
      opts.onConnection?.(wss.clients.size);
    });
    ws.on('message', async (data, isBinary) => {
      if (isBinary) {
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        const samples = bytes.length >> 1;
        if (!opts.onAudio || bytes.length % 2 !== 0 || samples === 0 || samples > AUDIO_FRAME.maxSamples) {
          send(ws, { t: 'result', id: -1, ok: false, error: { code: 'bad-input', message: opts.onAudio ? `an audio frame is 1 to ${AUDIO_FRAME.maxSamples} 16-bit samples` : 'this terminal takes no audio' } });
          return;
        }
        // Copied: the socket's buffer may be reused, and Int16Array needs an aligned offset.
        const pcm = new Int16Array(samples);
        for (let i = 0; i < samples; i++) pcm[i] = bytes.readInt16LE(2 * i);
        opts.onAudio(pcm);
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        send(ws, { t: 'result', id: -1, ok: false, error: { code: 'bad-input', message: 'message is not JSON' } });
        return;
      }
      const call = WireCall.safeParse(raw);
      if (!call.success) {
        send(ws, { t: 'result', id: -1, ok: false, error: { code: 'bad-input', message: 'message is not a call' } });
        return;
      }
      const result = await router.dispatch(call.data.method, call.data.input);
      send(ws, result.ok ? { t: 'result', id: call.data.id, ok: true, value: result.value } : { t: 'result', id: call.data.id, ok: false, error: result.error });
    });
  });

  return {
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
    clients: () => wss.clients.size,
  };
}
