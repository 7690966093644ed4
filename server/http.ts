/**
 * How the HTTP API reports errors: one shape, {error: {code, message, detail?}}, a stable
 * code per status, a plain message, never a stack. fastify's own refusals (bad JSON, media
 * type, size, unknown routes and methods) are answered in the same shape.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { LIMITS, summarizeIssues } from '../protocol/sync.ts';
import { checkBounds } from '../protocol/bounds.ts';

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
      return reply.status(STATUS[code]).send({ error: { code, message: malformedMessage(err) } });
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

/** Fastify's own words, where they could quote the request (a bad URL does), replaced by ones that cannot. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'this content type is not accepted; send application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but its content type says JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON, or it has a __proto__ or constructor key',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body does not match its Content-Length',
  FST_ERR_BAD_URL: 'the URL is not validly percent-encoded',
};

function malformedMessage(err: Error & { code?: string }): string {
  if (!err.code?.startsWith('FST_')) return err.message.slice(0, 300);
  return FRAMEWORK_MESSAGES[err.code] ?? `the request is malformed (${err.code})`;
}

/** Errors fastify meets before any route is chosen (a badly encoded URL), answered in the one error shape. */
export function frameworkErrors(err: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: 'bad-request', fastify: err.code }, 'malformed request');
  void reply.status(400).send({ error: { code: 'bad-request', message: malformedMessage(err) } });
}

/**
 * Requests node's HTTP parser refuses before fastify sees them (headers past 16 KB, broken
 * request lines) are answered in the one error shape too, with a status a client understands.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'too-large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'bad-request', 'the request took too long to arrive']
        : [400, 'Bad Request', 'bad-request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy();
}

/**
 * A body of a megabyte may still nest arrays a hundred thousand deep, which any schema
 * check or JSON.stringify would recurse into and overflow on; a configuration (the
 * largest legitimate body) holds about a hundred thousand values.
 */
const HTTP_MAX_NODES = 1_000_000;

/** Every route's parsed body and query are bounded before validation and handlers see them. */
export function installRequestBounds(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const maxStringBytes = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024;
    for (const [what, value] of [['request body', request.body], ['query', request.query]] as const) {
      const shape = checkBounds(value, { maxDepth: LIMITS.maxDepth, maxNodes: HTTP_MAX_NODES, maxStringBytes });
      if (!shape.ok) throw new HttpError('too-large', `invalid ${what}: ${shape.message}`);
    }
  });
}
