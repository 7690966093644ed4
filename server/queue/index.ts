/** The queue module of the central platform (tickets, windows, calls, appointments). */
import type { ServerContext, ServerModule } from '../context.ts';
import { registerQueueRoutes } from './routes.ts';
import { QueueService, type QueueServiceOptions } from './service.ts';

export { QueueService } from './service.ts';
export { DISPLAY_NAMESPACE } from './routes.ts';

const services = new WeakMap<ServerContext, QueueService>();

/** The queue a running platform uses, for tests and benchmarks that steer its clock. */
export function queueOf(ctx: ServerContext): QueueService | undefined {
  return services.get(ctx);
}

export function createQueueModule(opts: Omit<QueueServiceOptions, 'db' | 'config' | 'log' | 'nodeId'> = {}): ServerModule {
  return async (ctx) => {
    const service = new QueueService({ ...opts, db: ctx.db, config: () => ctx.config.config, nodeId: ctx.nodeId, log: ctx.log.child({ module: 'queue' }) });
    await service.start();
    services.set(ctx, service);
    registerQueueRoutes(ctx, service);
    ctx.onClose(() => service.stop());
  };
}

export const registerQueue: ServerModule = createQueueModule();
