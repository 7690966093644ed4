/**
 * The simulated devices' control panel on a one-machine hall's kiosk host: a technician
 * or a test places a fixture ID card, takes it away, changes the paper roll, injects a
 * reader fault and reads back what the simulated printer printed. It exists only when
 * the terminal runs simulators and only answers callers on this machine. The scanner
 * can be unplugged and plugged back.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeviceManager } from '../../drivers/manager.ts';
import { fixtureCards, residentBornOn, toSimCard } from '../../drivers/idcard/fixtures.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const Insert = z
  .object({
    card: z.enum(['resident', 'hk-macau-taiwan', 'foreign-permanent']).default('resident'),
    /** The fixture's end date replaced, to place an expired or soon-expiring card. */
    validTo: z.string().regex(/^(\d{4}-\d{2}-\d{2}|长期)$/, 'a date like 2026-10-01, or 长期').optional(),
    /** The resident born on another day (its number follows), to place an older or younger citizen. */
    birth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 1960-05-01').optional(),
  })
  .strict()
  .refine((b) => !b.birth || b.card === 'resident', { message: 'birth changes only the resident card', path: ['birth'] });
const Scan = z.object({ data: z.string().min(1).max(2000), aim: z.string().regex(/^\][A-Za-z]\d$/, 'an AIM id like ]Q1').optional() }).strict();
const Paper = z.object({ lines: z.number().int().min(0).max(1_000_000) }).strict();
const PrinterCondition = z.object({ jammed: z.boolean().optional(), coverOpen: z.boolean().optional() }).strict();
const Cable = z.object({ kind: z.enum(['idcard', 'printer']) }).strict();
const A4Condition = z.object({ paper: z.boolean().optional(), jammed: z.boolean().optional() }).strict();
const Fault = z
  .object({
    kind: z.enum(['no-card', 'read-failure', 'select-failure', 'checksum-noise', 'garbage', 'slow', 'silent']),
    times: z.number().int().min(1).max(1000).optional(),
    delayMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | null {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: { code: 'bad-input', message: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') } });
  return null;
}

export function simRoutes(manager: () => DeviceManager | null) {
  return async (app: FastifyInstance): Promise<void> => {
    const guard = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return reply.code(403).send({ error: { code: 'forbidden', message: 'the simulators answer only on this machine' } });
    };
    const sims = () => manager()?.simulators;
    const missing = (reply: FastifyReply, what: string) => reply.code(404).send({ error: { code: 'no-simulator', message: `no simulated ${what} on this terminal` } });

    app.post('/sim/idcard/insert', { preHandler: guard }, async (request, reply) => {
      const body = parse(Insert, request.body, reply);
      if (!body) return reply;
      const reader = sims()?.idcard;
      if (!reader) return missing(reply, 'ID-card reader');
      const fixture = body.birth ? residentBornOn(body.birth) : fixtureCards[body.card];
      reader.insert(toSimCard(body.validTo ? { ...fixture, text: { ...fixture.text, validTo: body.validTo } } : fixture));
      return { inserted: body.card };
    });
    app.post('/sim/idcard/remove', { preHandler: guard }, async (_request, reply) => {
      const reader = sims()?.idcard;
      if (!reader) return missing(reply, 'ID-card reader');
      reader.remove();
      return { removed: true };
    });
    app.post('/sim/idcard/fault', { preHandler: guard }, async (request, reply) => {
      const body = parse(Fault, request.body, reply);
      if (!body) return reply;
      const reader = sims()?.idcard;
      if (!reader) return missing(reply, 'ID-card reader');
      if (body.kind === 'slow') reader.inject({ kind: 'slow', delayMs: body.delayMs ?? 2000, times: body.times });
      else reader.inject({ kind: body.kind, times: body.times });
      return { injected: body.kind };
    });
    app.post('/sim/scanner/scan', { preHandler: guard }, async (request, reply) => {
      const body = parse(Scan, request.body, reply);
      if (!body) return reply;
      const scanner = sims()?.scanner;
      if (!scanner) return missing(reply, 'scanner');
      if (!scanner.present) return reply.code(409).send({ error: { code: 'unplugged', message: 'the simulated scanner is unplugged: plug it back first' } });
      await scanner.scan(body.data, body.aim);
      return { scanned: true };
    });
    app.post('/sim/scanner/unplug', { preHandler: guard }, async (_request, reply) => {
      const scanner = sims()?.scanner;
      if (!scanner) return missing(reply, 'scanner');
      await scanner.unplug();
      return { present: scanner.present };
    });
    app.post('/sim/scanner/plug', { preHandler: guard }, async (_request, reply) => {
      const scanner = sims()?.scanner;
      if (!scanner) return missing(reply, 'scanner');
      scanner.plug();
      return { present: scanner.present };
    });
    app.post('/sim/printer/paper', { preHandler: guard }, async (request, reply) => {
      const body = parse(Paper, request.body, reply);
      if (!body) return reply;
      const printer = sims()?.printer;
      if (!printer) return missing(reply, 'printer');
      printer.setPaper(body.lines);
      return { paper: printer.paper };
    });
    // A cutter jam or an open cover takes the receipt printer offline until cleared.
    app.post('/sim/printer/condition', { preHandler: guard }, async (request, reply) => {
      const body = parse(PrinterCondition, request.body, reply);
      if (!body) return reply;
      const printer = sims()?.printer;
      if (!printer) return missing(reply, 'printer');
      if (body.jammed !== undefined) printer.cutterError = body.jammed;
      if (body.coverOpen !== undefined) printer.coverOpen = body.coverOpen;
      return { jammed: printer.cutterError, coverOpen: printer.coverOpen };
    });
    app.post('/sim/cable/unplug', { preHandler: guard }, async (request, reply) => {
      const body = parse(Cable, request.body, reply);
      if (!body) return reply;
      const unplug = sims()?.unplug;
      if (!unplug || !sims()?.[body.kind]) return missing(reply, body.kind);
      await sims()!.unplug!(body.kind);
      return { unplugged: body.kind };
    });
    app.post('/sim/cable/replug', { preHandler: guard }, async (request, reply) => {
      const body = parse(Cable, request.body, reply);
      if (!body) return reply;
      if (!sims()?.replug || !sims()?.[body.kind]) return missing(reply, body.kind);
      sims()!.replug!(body.kind);
      return { replugged: body.kind };
    });
    app.post('/sim/a4/paper', { preHandler: guard }, async (request, reply) => {
      const body = parse(A4Condition, request.body, reply);
      if (!body) return reply;
      const a4 = sims()?.a4;
      if (!a4) return missing(reply, 'A4 printer');
      if (body.paper !== undefined) a4.setPaper(body.paper);
      if (body.jammed !== undefined) a4.setJammed(body.jammed);
      return { paper: body.paper, jammed: body.jammed };
    });
    app.get('/sim/a4/printed', { preHandler: guard }, async (_request, reply) => {
      const a4 = sims()?.a4;
      if (!a4) return missing(reply, 'A4 printer');
      // Names and sizes only: the documents carry the citizen's data.
      return a4.printed.map((d) => ({ jobId: d.jobId, name: d.name, bytes: d.pdf.length, at: d.at }));
    });
    app.get('/sim/printer/receipts', { preHandler: guard }, async (_request, reply) => {
      const printer = sims()?.printer;
      if (!printer) return missing(reply, 'printer');
      return printer.receipts.map((r) => ({ text: r.text, qr: r.qr, barcodes: r.barcodes }));
    });
  };
}
