/**
 * The network cable between a terminal and the platform, as a loopback TCP proxy the soak
 * run can pull: forward passes bytes both ways; cut refuses new connections and drops live
 * ones (a cable out, a switch down); stall accepts and keeps connections but holds every
 * byte (a link that is up and carries nothing); restore forwards again and lets held bytes
 * through.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'cut' | 'stall';

interface Pipe {
  client: Socket;
  upstream: Socket;
}

// Unpiped as well as paused: a pipe resumes its source on the destination's 'drain'.
function hold(p: Pipe): void {
  p.client.unpipe(p.upstream);
  p.upstream.unpipe(p.client);
  p.client.pause();
  p.upstream.pause();
}

function flow(p: Pipe): void {
  p.client.pipe(p.upstream);
  p.upstream.pipe(p.client);
}

export class TcpProxy {
  private server: Server | null = null;
  private readonly pipes = new Set<Pipe>();
  private modeNow: ProxyMode = 'forward';
  private listenPort = 0;

  /** `target` is read on each new connection, so a restarted platform on a new port is reached. */
  constructor(private readonly target: () => { host: string; port: number }) {}

  get mode(): ProxyMode {
    return this.modeNow;
  }

  get port(): number {
    return this.listenPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.listenPort}`;
  }

  /** Listens on 127.0.0.1 (port 0: a free one; a given port keeps the terminals' address across runs). */
  async start(port = 0): Promise<string> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done());
    });
    this.server = server;
    const address = server.address();
    this.listenPort = typeof address === 'object' && address ? address.port : port;
    return this.url;
  }

  cut(): void {
    this.modeNow = 'cut';
    for (const p of this.pipes) this.drop(p);
  }

  stall(): void {
    this.modeNow = 'stall';
    for (const p of this.pipes) hold(p);
  }

  restore(): void {
    const wasStalled = this.modeNow === 'stall';
    this.modeNow = 'forward';
    if (wasStalled) for (const p of this.pipes) flow(p);
  }

  /** Live connections, for tests. */
  get connections(): number {
    return this.pipes.size;
  }

  async close(): Promise<void> {
    for (const p of this.pipes) this.drop(p);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }

  private accept(client: Socket): void {
    // A cut cable: the connection is refused as soon as it is made (RST, not a clean close).
    if (this.modeNow === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const { host, port } = this.target();
    const upstream = connect({ host, port });
    const pipe: Pipe = { client, upstream };
    this.pipes.add(pipe);
    if (this.modeNow === 'stall') hold(pipe);
    else flow(pipe);
    const end = () => this.drop(pipe);
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  }

  private drop(p: Pipe): void {
    if (!this.pipes.delete(p)) return;
    if (!p.client.destroyed) p.client.resetAndDestroy();
    if (!p.upstream.destroyed) p.upstream.resetAndDestroy();
  }
}
