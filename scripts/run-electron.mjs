#!/usr/bin/env node
// Starts the bundled Electron kiosk (dist/electron/main.js) with the flags given, or
// explains what to do instead when Electron's binary cannot be had: it is a development
// dependency whose install-time download npm is told to skip (allowScripts), so installing
// works where the binary cannot be fetched, as on CI; the first `npm run electron` fetches it.
//
//   npm run electron -- --windowed --kiosk kiosk-1
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist/electron/main.js');
const require = createRequire(import.meta.url);

const BROWSER_KIOSK = `The same kiosk runs without Electron: \`npm start\` starts the hall and prints the
kiosk's URL; \`npx xiaojin kiosk --id kiosk-1 --central URL\` runs one terminal with its
screen in Chromium's kiosk mode, watched and recovered like the Electron window.`;

function electronBinary() {
  try {
    require.resolve('electron');
  } catch {
    return { problem: 'the electron package is not installed (npm ci --omit=dev leaves it out).\nRun `npm ci` on a machine that can download its binary.' };
  }
  try {
    // The package's main export is the path of the binary its install step downloaded.
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { problem: `the electron package is installed but its binary is missing (${binary}).` };
  } catch (err) {
    return { problem: `the electron package is installed but its binary is missing: ${err.message.split('\n')[0]}\nReinstall it with \`npm rebuild electron\` where downloads work.` };
  }
}

let found = electronBinary();
if (!found.binary && found.problem.startsWith('the electron package is installed')) {
  // npm is told not to run electron's download at install (package.json allowScripts), so
  // `npm install` never fails where it cannot be fetched; fetch it now, where it may be.
  console.error('npm run electron: fetching the Electron binary (once)…');
  const fetched = spawnSync(process.execPath, [join(dirname(require.resolve('electron/package.json')), 'install.js')], { stdio: 'inherit' });
  if (fetched.status === 0) found = electronBinary();
}
if (!found.binary) {
  console.error(`npm run electron: ${found.problem}\n\n${BROWSER_KIOSK}`);
  process.exit(1);
}
if (!existsSync(MAIN)) {
  console.error(`npm run electron: ${MAIN} is missing; run \`node scripts/build-electron.mjs\` first.`);
  process.exit(1);
}

const child = spawn(found.binary, [MAIN, ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
// Ctrl-C reaches the child through the terminal; a service manager's SIGTERM does not.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
