/**
 * How the HTTP API reports errors: one shape, {error: {code, message, detail?}}, a stable
 * code per status, a plain message, never a stack. fastify's own refusals (bad JSON, media
 * type, size, unknown routes and methods) are answered in the same shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { summarizeIssues } from '../electron/services/sync-protocol.ts';

export type HttpErrorCode =
  | 'bad-request'
  | 'too-large'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'invalid-config'
  | 'gone'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<HttpErrorCode, number> = {
  'bad-request': 400,
  'too-large': 413,
  'unsupported-media-type': 415,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'invalid-config': 422,
  gone: 410,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

/** Parse a body, query or params object or answer 400 naming the fields (never their values). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new HttpError('bad-request', `invalid ${what}: ${summarizeIssues(result.error)}`);
  return result.data;
}

/** The code a client error status of fastify's own is reported under (others become 400 bad-request). */
const CODE_OF_STATUS = new Map(Object.entries(STATUS).map(([code, status]) => [status, code as HttpErrorCode]));

/** `/api/devices/:id/revoke` → a pattern for concrete paths; wildcard routes (the pages) never count. */
function pathPattern(url: string): RegExp | null {
  if (url.includes('*')) return null;
  const escaped = url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

export function installErrorHandler(app: FastifyInstance): void {
  // fastify answers an existing path with the wrong method as an unknown route; these tell them apart.
  const routes: { methods: string[]; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const pattern = pathPattern(route.url ?? route.path ?? '');
    if (pattern) routes.push({ methods: ([] as string[]).concat(route.method), pattern });
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      if (err.status >= 500) request.log.error({ code: err.code, url: request.routeOptions.url }, err.message);
      else request.log.info({ code: err.code, url: request.routeOptions.url, status: err.status }, 'request refused');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, detail: err.detail } });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      request.log.info({ code: 'too-large', url: request.routeOptions.url }, 'request body too large');
      return reply.status(413).send({ error: { code: 'too-large', message: 'request body is too large' } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code = CODE_OF_STATUS.get(err.statusCode) ?? 'bad-request';
      request.log.info({ code, url: request.routeOptions.url, fastify: err.code }, 'malformed request');
      const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported media type; send the body as application/json' : err.message.slice(0, 300);
      return reply.status(STATUS[code]).send({ error: { code, message } });
    }
    request.log.error({ err: { message: err.message, stack: err.stack }, url: request.routeOptions.url }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'the platform hit an internal problem' } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (allowed.length) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: 'method-not-allowed', message: `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}` } });
    }
    return reply.status(404).send({ error: { code: 'not-found', message: `no route ${request.method} ${path}` } });
  });
}
