/**
 * The browser kiosk's host: serves the built renderer and carries the kiosk API over a
 * WebSocket. Chromium in kiosk mode points at it; so do the end-to-end tests.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { attachWsBridge } from './ws-bridge.ts';
import { KioskPage } from './kiosk-page.ts';
import { addSecurityHeaders } from '../../common/security-headers.ts';
import type { KioskServices } from '../services/kiosk-services.ts';

export const RENDERER_DIR = resolve(fileURLToPath(new URL('../../dist/renderer', import.meta.url)));

export interface HostOptions {
  port: number;
  host?: string;
  /** The page '/' opens: 'kiosk' for kiosks and teller machines, 'robot' for the robot. */
  home: string;
  staticDir?: string;
  /** Extra routes (the simulators' control panel in a one-machine hall). */
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface RunningHost {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startKioskHost(services: KioskServices, opts: HostOptions): Promise<RunningHost> {
  const staticDir = opts.staticDir ?? RENDERER_DIR;
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  addSecurityHeaders(app);
  if (existsSync(staticDir)) {
    await app.register(fastifyStatic, { root: staticDir, index: ['index.html'], redirect: true });
    if (existsSync(join(staticDir, 'kiosk', 'index.html'))) {
      const page = new KioskPage(services.router, staticDir);
      page.warm();
      const servePage = async (_req: FastifyRequest, reply: FastifyReply) => {
        // Built for this request from the configuration in force: never cached, so a reload shows a changed menu.
        reply.header('cache-control', 'no-store');
        try {
          return reply.type('text/html; charset=utf-8').send(await page.html());
        } catch (err) {
          // The page still works drawn by its script alone; the host says why it could not draw it.
          services.context.log.error({ err: (err as Error).message }, 'rendering the kiosk home screen failed; serving the page without it');
          return reply.sendFile('kiosk/index.html');
        }
      };
      app.get('/kiosk/', servePage);
      app.get('/kiosk/index.html', servePage);
    }
  } else {
    app.get('/*', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send(`The kiosk screens are not built yet: run \`npm run build\` (looked in ${staticDir}).`),
    );
  }
  app.get('/', async (_req, reply) => reply.redirect(`/${opts.home}/`));
  const robotHealth = () => {
    const robot = services.has('robot') ? services.get('robot') : null;
    if (!robot) return null;
    const { base, link, state, reason } = robot.robotState;
    return { base, link, state, reason };
  };
  const outbox = () => (services.has('transactions') ? (services.get('transactions').status?.() ?? null) : null);
  app.get('/healthz', async () => ({ ok: true, kiosk: services.context.kiosk.id, devices: services.get('devices').health(), screen: services.context.watchdog.state, robot: robotHealth(), outbox: outbox() }));
  if (opts.routes) await opts.routes(app);
  await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  const voice = services.has('voice') ? services.get('voice') : null;
  const bridge = attachWsBridge(app.server, services.router, services.hub, voice ? { onAudio: (pcm) => voice.feed(pcm) } : {});
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      bridge.close();
      await app.close();
    },
  };
}
