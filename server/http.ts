/** How the HTTP API reports errors: a stable code, a plain message, never a stack. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { summarizeIssues } from '../electron/services/sync-protocol.ts';

export type HttpErrorCode =
  | 'bad-request'
  | 'too-large'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid-config'
  | 'gone'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<HttpErrorCode, number> = {
  'bad-request': 400,
  'too-large': 413,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
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

export function installErrorHandler(app: FastifyInstance): void {
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
      request.log.info({ code: 'bad-request', url: request.routeOptions.url, fastify: err.code }, 'malformed request');
      return reply.status(400).send({ error: { code: 'bad-request', message: err.message.slice(0, 300) } });
    }
    request.log.error({ err: { message: err.message, stack: err.stack }, url: request.routeOptions.url }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'the platform hit an internal problem' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
