/**
 * HTTP security headers for every server that serves the built screens: the central
 * platform and the browser kiosk's host. The pages carry the same policy in a meta tag,
 * but a meta CSP cannot forbid framing (browsers ignore frame-ancestors there), so
 * clickjacking protection needs the headers. Both policies apply; the stricter wins.
 */
import type { FastifyInstance } from 'fastify';

/** The pages' own meta policy (renderer/*\/index.html); the console's narrower connect-src still applies through its meta tag. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': PAGE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Set on the request, before routing, so 404s, errors and static files carry them too. */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
}
