import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../cli/soak/proxy.ts';

/** An echo server standing in for the platform. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    // A cut cable resets the proxy's side of the pair: expected, not a failure of the echo.
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

function client(port: number): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  return new Promise((done, fail) => {
    let data = '';
    let closed = false;
    const socket = connect({ host: '127.0.0.1', port }, () => done({ socket, received: () => data, closed: () => closed }));
    socket.on('data', (d) => (data += String(d)));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('error', fail);
  });
}

const opened: { close(): unknown }[] = [];

/** An echo server behind a fresh proxy, both closed after the test. */
async function proxiedEcho(): Promise<TcpProxy> {
  const { server, port } = await echoServer();
  opened.push({ close: () => new Promise((d) => server.close(d)) });
  const proxy = new TcpProxy(() => ({ host: '127.0.0.1', port }));
  await proxy.start();
  opened.push(proxy);
  return proxy;
}
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

describe('the soak run’s network cable', () => {
  it('forwards both ways, then drops live connections and refuses new ones when cut, and forwards again when restored', async () => {
    const proxy = await proxiedEcho();

    const a = await client(proxy.port);
    a.socket.write('hello');
    await expect.poll(a.received).toBe('hello');

    proxy.cut();
    await expect.poll(a.closed).toBe(true);
    // Refused: reset at once, whether the client saw the connection open first or not.
    let refusedClosed = false;
    const refused = connect({ host: '127.0.0.1', port: proxy.port });
    refused.on('error', () => undefined);
    refused.on('close', () => (refusedClosed = true));
    await expect.poll(() => refusedClosed).toBe(true);
    expect(refused.bytesRead).toBe(0);

    proxy.restore();
    const b = await client(proxy.port);
    b.socket.write('again');
    await expect.poll(b.received).toBe('again');
    b.socket.destroy();
  });

  it('holds bytes on a stalled link without closing it, and delivers them when restored', async () => {
    const proxy = await proxiedEcho();

    const a = await client(proxy.port);
    a.socket.write('one');
    await expect.poll(a.received).toBe('one');
    proxy.stall();
    a.socket.write('two');
    // Nothing may come back while stalled; waiting on the restore below proves the bytes were held, not lost.
    await new Promise((done) => setTimeout(done, 300));
    expect(a.received()).toBe('one');
    expect(a.closed()).toBe(false);
    expect(proxy.connections).toBe(1);

    proxy.restore();
    await expect.poll(a.received).toBe('onetwo');
    a.socket.destroy();
  });
});
