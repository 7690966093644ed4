import { defineConfig } from 'vite';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, 'renderer');

// Every renderer/<page>/index.html is one screen of the hall: kiosk, robot, console,
// window terminal, call display. Hosts serve dist/renderer/<page>/.
const pages = Object.fromEntries(
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(resolve(root, d.name, 'index.html')))
    .map((d) => [d.name, resolve(root, d.name, 'index.html')]),
);

// A kiosk always runs the production build of React, whoever builds it: the e2e suite
// builds inside vitest (NODE_ENV=test), which would otherwise ship React's development
// build — twice the size and much slower on a kiosk's CPU.
export default defineConfig({
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', development: false } },
  root,
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: pages },
  },
});
