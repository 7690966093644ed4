/**
 * Whatever a browser or script sends the HTTP API, the answer is the platform's one error
 * shape with a 4xx status: nested bodies are refused before a handler recurses into them,
 * and fastify's own refusals (bad JSON, content type, URL) speak the same shape.
 */
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { platformForFile } from './helpers.ts';

const platform = platformForFile();

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function send(method: string, path: string, body: string | undefined, contentType = 'application/json') {
  const res = await fetch(`${platform.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${platform.staff.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as { error?: { code: string; message: string } } };
}

describe('HTTP request bounds', () => {
  it('refuses a body nested thousands deep on every kind of route with 413 in the error shape', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/config', `{"config":${deepArray(20_000)}}`],
      ['POST', '/api/login', deepArray(20_000)],
      ['POST', '/api/staff', `{"username":${deepArray(5000)}}`],
      ['POST', '/api/enrollment-codes', `{"kind":"kiosk","name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
    ] as const) {
      const r = await send(method, path, body);
      expect(r.status, path).toBe(413);
      expect(r.json, path).toEqual({ error: { code: 'too-large', message: expect.stringContaining('deeper than the limit of 32') } });
    }
    expect((await send('GET', '/api/health', undefined)).status).toBe(200);
  });

  it('accepts the bundled configuration, the largest legitimate body, within the bounds', async () => {
    const current = await send('GET', '/api/config', undefined);
    expect(current.status).toBe(200);
    const { config } = JSON.parse(current.text) as { config: unknown };
    const r = await send('POST', '/api/config', JSON.stringify({ config, note: 'same again' }));
    expect(r.status, r.text).toBe(200);
  });

  it('answers fastify refusals in the error shape without quoting the request', async () => {
    const badJson = await send('POST', '/api/login', '{"username":"secret-value",');
    expect(badJson.status).toBe(400);
    expect(badJson.json.error?.code).toBe('bad-request');
    expect(badJson.text).not.toContain('secret-value');

    const proto = await send('POST', '/api/login', '{"__proto__":{"admin":true}}');
    expect(proto).toMatchObject({ status: 400, json: { error: { code: 'bad-request' } } });

    const xml = await send('POST', '/api/login', '<login/>', 'application/xml');
    expect(xml).toMatchObject({ status: 415, json: { error: { code: 'unsupported-media-type', message: expect.stringContaining('content type') } } });

    const badUrl = await send('GET', '/api/queue/tickets/%E0%A4%A-secret-value', undefined);
    expect(badUrl).toMatchObject({ status: 400, json: { error: { code: 'bad-request' } } });
    expect(badUrl.text).not.toContain('secret-value');
  });

  it('answers requests node refuses before fastify (oversized headers, broken HTTP) in the error shape', async () => {
    const rawHttp = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(platform.server.url);
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
        let out = '';
        socket.on('data', (c: Buffer) => (out += c.toString()));
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
      });
    const huge = await rawHttp(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.split('\r\n\r\n')[1])).toEqual({ error: { code: 'too-large', message: expect.any(String) } });
    const broken = await rawHttp('NOT HTTP AT ALL\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(broken.split('\r\n\r\n')[1])).toEqual({ error: { code: 'bad-request', message: expect.any(String) } });
  });
});
