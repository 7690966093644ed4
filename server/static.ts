/**
 * The built renderer's pages (console, window, display and, on kiosk hosts, kiosk and
 * robot), served as files. Without a build the pages answer 503 saying how to make one,
 * rather than a bare 404 that looks like a wrong address.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export async function registerStatic(app: FastifyInstance, staticDir: string): Promise<boolean> {
  if (existsSync(staticDir)) {
    await app.register(fastifyStatic, { root: staticDir, prefix: '/', index: ['index.html'], redirect: true, wildcard: true });
    app.get('/', (_request, reply) => reply.redirect('/console/'));
    return true;
  }
  const notBuilt = (url: string) => !url.startsWith('/api/') && !url.startsWith('/socket.io/');
  app.get('/*', (request, reply) => {
    if (!notBuilt(request.url)) return reply.callNotFound();
    return reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send(`The staff pages have not been built (no ${staticDir}). Run \`npm run build\` and restart the platform.\n页面尚未构建：请先运行 npm run build，然后重新启动平台。\n`);
  });
  app.get('/', (_request, reply) => reply.redirect('/console/'));
  return false;
}
