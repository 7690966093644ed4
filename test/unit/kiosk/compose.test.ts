import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompositionError, composeTerminal, orderParts, type TerminalPart } from '../../../electron/services/compose.ts';
import { terminalParts } from '../../../electron/services/modules.ts';
import { createLogger } from '../../../electron/services/log.ts';

function part(name: string, needs: TerminalPart['needs'], provides: TerminalPart['provides'], built: string[] = []): TerminalPart {
  return {
    name,
    needs,
    provides,
    build: () => {
      built.push(name);
      return {};
    },
  };
}

describe('composing a terminal from declared parts', () => {
  it('builds each part after the parts providing what it needs, whatever the listed order', async () => {
    const built: string[] = [];
    const services = await composeTerminal({ kioskId: 'kiosk-1', dataDir: mkdtempSync(join(tmpdir(), 'xj-compose-')), log: createLogger('test', 'silent') }, [
      part('queue', ['transactions', 'session'], ['queue'], built),
      part('session', ['transactions'], ['session'], built),
      part('speech', [], ['tts'], built),
      part('sync', [], ['transactions'], built),
    ]);
    expect(built).toEqual(['sync', 'session', 'queue', 'speech']);
    await services.close();
  });

  it('names the part and the need when nothing provides it', () => {
    expect(() => orderParts([part('print', ['printer'], [])])).toThrow(new CompositionError("part 'print' needs 'printer', which no part provides"));
  });

  it('names the parts that need each other', () => {
    const parts = [part('a', ['session'], ['queue']), part('b', ['queue'], ['session'])];
    expect(() => orderParts(parts)).toThrow(new CompositionError('parts need each other: a → b → a'));
  });

  it('refuses two parts providing the same thing', () => {
    expect(() => orderParts([part('sync', [], ['transactions']), part('outbox', [], ['transactions'])])).toThrow(/'sync' and 'outbox' both provide 'transactions'/);
  });

  it('orders the real terminal as it always ran: sync, devices, then the services built on them', () => {
    expect(orderParts(terminalParts()).map((p) => p.name)).toEqual(['sync', 'devices', 'speech', 'session', 'print', 'rating', 'queue', 'robot']);
  });

  it('keeps that order when the terminal is listed backwards', () => {
    const order = orderParts(terminalParts().reverse()).map((p) => p.name);
    for (const [before, after] of [['sync', 'devices'], ['devices', 'session'], ['session', 'queue'], ['devices', 'print']]) {
      expect(order.indexOf(before)).toBeLessThan(order.indexOf(after));
    }
  });
});
