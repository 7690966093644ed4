import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
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

/**
 * The kiosk page starts up in steps, each a dynamic import evaluated in a task of its own
 * (renderer/kiosk/main.tsx). Vite preloads only an entry's static imports, so the steps'
 * chunks would be fetched one after another; preloading them from the HTML fetches them
 * all at once while still evaluating each only when its step comes. A page's `onDemand`
 * chunks (the other language's strings) are imported by the entry too, but only when asked for.
 */
function preloadStartupSteps(pages: Record<string, { onDemand: string[] }>): Plugin {
  return {
    name: 'xiaojin:preload-startup-steps',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const page = ctx.path.split('/').filter(Boolean)[0];
        if (!ctx.bundle || !ctx.chunk || !Object.hasOwn(pages, page)) return [];
        const { onDemand } = pages[page];
        const files = new Set<string>();
        const visit = (file: string) => {
          const chunk = ctx.bundle![file];
          if (!chunk || chunk.type !== 'chunk' || files.has(file) || onDemand.includes(chunk.name)) return;
          files.add(file);
          chunk.imports.forEach(visit);
        };
        ctx.chunk.dynamicImports.forEach(visit);
        // The entry and its static imports are Vite's own script and preloads.
        for (const file of [ctx.chunk.fileName, ...ctx.chunk.imports]) files.delete(file);
        return [...files].map((file): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' }));
      },
    },
  };
}

// A kiosk always runs the production build of React, whoever builds it: the e2e suite
// builds inside vitest (NODE_ENV=test), which would otherwise ship React's development
// build — twice the size and much slower on a kiosk's CPU.
export default defineConfig({
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', development: false } },
  plugins: [preloadStartupSteps({ kiosk: { onDemand: ['strings-en'] } })],
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
