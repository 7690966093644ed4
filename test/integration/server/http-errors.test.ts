/**
 * Every HTTP error of the platform has one shape, {error: {code, message, detail?}}, with
 * the status that says what went wrong, fastify's own refusals included.
 */
import { describe, expect, it } from 'vitest';
import { platformForFile, Staff } from './helpers.ts';

const platform = platformForFile();

async function call(method: string, path: string, init: { body?: string; type?: string; auth?: boolean } = {}): Promise<{ status: number; body: unknown; allow: string | null }> {
  const headers: Record<string, string> = {};
  if (init.type) headers['content-type'] = init.type;
  if (init.auth) headers.authorization = `Bearer ${platform.staff.token}`;
  const res = await fetch(`${platform.server.url}${path}`, { method, headers, body: init.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion below says so
  }
  return { status: res.status, body, allow: res.headers.get('allow') };
}

const shaped = (code: string) => ({ error: { code, message: expect.stringMatching(/\S/) } });

describe('HTTP errors', () => {
  it('answers each refusal with its status and the one error shape', async () => {
    const cases: [string, Awaited<ReturnType<typeof call>>, number, string][] = [
      ['malformed JSON', await call('POST', '/api/login', { body: '{"username":', type: 'application/json' }), 400, 'bad-request'],
      ['schema violation', await call('POST', '/api/login', { body: '{"user":1}', type: 'application/json' }), 400, 'bad-request'],
      ['no session', await call('GET', '/api/devices'), 401, 'unauthorized'],
      ['unknown route', await call('GET', '/api/no-such-thing'), 404, 'not-found'],
      ['unknown device', await call('POST', '/api/devices/nobody/revoke', { auth: true }), 404, 'not-found'],
      ['wrong method', await call('DELETE', '/api/login'), 405, 'method-not-allowed'],
      ['GET of a POST route', await call('GET', '/api/devices/kiosk-1/revoke'), 405, 'method-not-allowed'],
      ['unsupported media type', await call('POST', '/api/login', { body: 'username=a', type: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type'],
      ['body too large', await call('POST', '/api/enroll', { body: JSON.stringify({ code: 'x'.repeat(2 * 1024 * 1024) }), type: 'application/json' }), 413, 'too-large'],
      ['empty JSON body', await call('POST', '/api/login', { body: '', type: 'application/json' }), 400, 'bad-request'],
    ];
    expect(cases.map(([what, res]) => ({ what, status: res.status, body: res.body }))).toEqual(cases.map(([what, , status, code]) => ({ what, status, body: shaped(code) })));
    expect(cases.find(([what]) => what === 'wrong method')![1].allow).toMatch(/POST/);
  });

  it('keeps detail for errors that carry it', async () => {
    const staffOnly = await Staff.login(platform.server.url);
    const cfg = (await staffOnly.call('GET', '/api/config')).body;
    const broken = structuredClone(cfg.config);
    broken.hall.windows[0].groups = ['no-such-group'];
    const refused = await staffOnly.call('POST', '/api/config', { config: broken });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'invalid-config', message: expect.any(String), detail: { problems: expect.any(Array) } } });
  });
});
