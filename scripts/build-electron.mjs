#!/usr/bin/env node
// Bundles the Electron kiosk: electron/main.ts to dist/electron/main.js (ESM, like the
// rest of the project) and electron/preload.ts to dist/electron/preload.cjs (a
// sandboxed preload cannot load modules, so it must be one CommonJS file whose only
// require is 'electron'). npm packages stay external: `npm run electron` runs the bundle
// from this checkout with its node_modules, and electron-builder (`npm run dist:kiosk`)
// packs the production dependencies beside it, rebuilding the native ones (better-sqlite3,
// serialport, node-hid, onnxruntime-node) for Electron's ABI.
//
//   node scripts/build-electron.mjs [--out DIR] [--skip-renderer]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'skip-renderer': { type: 'boolean' } },
});
const outDir = resolve(values.out ?? join(ROOT, 'dist/electron'));

/**
 * Sources find their neighbours through import.meta (config/default next to
 * config/load.ts, dist/renderer relative to electron/host). Bundled into one file,
 * import.meta would describe the bundle instead, so each source's own location is
 * written in, relative to the bundle so the checkout can move. The entry itself is left
 * alone: main.ts looks for its preload and the screens beside the bundle.
 */
const MAIN = join(ROOT, 'electron/main.ts');
const sourceImportMeta = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path === MAIN || args.path.split(sep).includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!/import\.meta\.(url|dirname|filename)/.test(text)) return undefined;
      const rel = relative(outDir, args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      const contents =
        `import { fileURLToPath as __sourceFileURLToPath } from 'node:url';\n` +
        text
          .replace(/import\.meta\.url/g, url)
          .replace(/import\.meta\.dirname/g, `__sourceFileURLToPath(new URL('.', ${url}))`)
          .replace(/import\.meta\.filename/g, `__sourceFileURLToPath(${url})`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(args.path) };
    });
  },
};

async function ensureRenderer() {
  const missing = ['kiosk', 'robot'].filter((page) => !existsSync(join(ROOT, 'dist/renderer', page, 'index.html')));
  if (!missing.length) return;
  console.log(`building the screens (${missing.join(', ')} missing from dist/renderer)…`);
  const vite = await import('vite');
  await vite.build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

const common = { bundle: true, logLevel: 'warning', legalComments: 'none', sourcemap: false, absWorkingDir: ROOT };

try {
  if (!values['skip-renderer']) await ensureRenderer();
  await build({
    ...common,
    entryPoints: [MAIN],
    outfile: join(outDir, 'main.js'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    plugins: [sourceImportMeta],
  });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'electron/preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    // 'browser' makes any Node built-in an error here rather than a crash in the sandbox.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
  });
  console.log(`Electron kiosk built into ${relative(process.cwd(), outDir) || '.'}`);
} catch (err) {
  console.error(`build-electron: ${err.message}`);
  process.exit(1);
}
