/**
 * The import boundaries in eslint.config.js, checked by running ESLint on code that breaks
 * them, so a config edit cannot quietly turn them off. The files named here need not
 * exist: ESLint picks the rules by path.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.line);
}

describe('import boundaries', () => {
  it('keeps the screens off the platform, the drivers and the kiosk services', async () => {
    const code = [
      "import type { DisplaySnapshot } from '../../server/queue/store.ts';",
      "import type { IdCardReader } from '../../drivers/idcard/reader.ts';",
      "import type { QueueModule } from '../../electron/services/queue.ts';",
      "import type { WindowStatus } from '../../protocol/queue-views.ts';",
      'export type Seen = [DisplaySnapshot, IdCardReader, QueueModule, WindowStatus];',
    ].join('\n');
    expect(await boundaryErrors('renderer/window/Broken.tsx', code)).toEqual([1, 2, 3]);
  });

  it('keeps the platform off the kiosk', async () => {
    const code = [
      "import { OWNER_ONLY } from '../../electron/services/outbox.ts';",
      "import { LIMITS } from '../../protocol/sync.ts';",
      "import { restrictToOwner } from '../../common/private-files.ts';",
      'export const seen = [OWNER_ONLY, LIMITS, restrictToOwner];',
    ].join('\n');
    expect(await boundaryErrors('server/sync/broken.ts', code)).toEqual([1]);
  });

  it('lets a driver import only its own folder and the transport types', async () => {
    const code = [
      "import type { ByteTransport } from '../transport/types.ts';",
      "import type { DeviceConfig } from '../../config/schema.ts';",
      "import type { TxEnvelope } from '../../protocol/sync.ts';",
      "import { encode } from './codec.ts';",
      'export type Seen = [ByteTransport, DeviceConfig, TxEnvelope, typeof encode];',
    ].join('\n');
    expect(await boundaryErrors('drivers/printer/broken.ts', code)).toEqual([2, 3]);
  });

  it('keeps protocol/ free of every side it serves', async () => {
    const code = [
      "import { z } from 'zod';",
      "import { checkBounds } from './bounds.ts';",
      "import { HttpError } from '../server/http.ts';",
      "import { ApiRouter } from '../electron/api/router.ts';",
      'export const seen = [z, checkBounds, HttpError, ApiRouter];',
    ].join('\n');
    expect(await boundaryErrors('protocol/broken.ts', code)).toEqual([3, 4]);
  });

  it('keeps the UI contract\'s domains from importing the contract that gathers them', async () => {
    const code = ["import { method } from '../contract.ts';", "import { method as m } from '../method.ts';", "import { HttpError } from '../../../server/http.ts';", 'export const seen = [method, m, HttpError];'].join('\n');
    expect(await boundaryErrors('protocol/ui/domains/broken.ts', code)).toEqual([1, 3]);
  });

  it('still lets only the main process and the preload load electron', async () => {
    const code = "import { app } from 'electron';\nexport const seen = app;\n";
    expect(await boundaryErrors('electron/services/broken.ts', code)).toEqual([1]);
    expect(await boundaryErrors('renderer/kiosk/broken.ts', code)).toEqual([1]);
    expect(await boundaryErrors('electron/main.ts', code)).toEqual([]);
  });
});
