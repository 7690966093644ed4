/**
 * The kiosk page with its home screen already in the HTML: the built page
 * (dist/renderer/kiosk/index.html) with the home screen rendered into its root from the
 * configuration in force at this request, and the data it was drawn from beside it for
 * the page's script to take over. Tiles are on screen before any script has run; a
 * reload after a configuration change serves the new menu.
 *
 * The page's stylesheets are written into it too: a stylesheet blocks the first paint
 * until it arrives, and on a busy kiosk it queues behind the page's scripts.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { KIOSK_BOOT_ID, ROOT_ELEMENT, type KioskHomeBoot } from '../../protocol/ui/prerender.ts';
import type { MethodName, OutputOf } from '../../protocol/ui/contract.ts';
import type { ApiRouter } from '../api/router.ts';

/** JSON inside a script element: `<` escaped so no text in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLESHEET = /<link rel="stylesheet"[^>]*? href="(\/assets\/[^"]+\.css)"[^>]*>/g;

export class KioskPage {
  // React's server renderer loads once, when the first page is asked for.
  private renderer: Promise<typeof import('../../renderer/kiosk/prerender.tsx')> | null = null;
  private template: { mtimeMs: number; html: string } | null = null;
  /** The last page served and the boot data it was drawn from: most requests find the menu unchanged. */
  private last: { template: string; boot: string; html: string } | null = null;

  constructor(
    private readonly router: ApiRouter,
    private readonly staticDir: string,
  ) {}

  /** Starts loading the renderer now, so the first visitor does not wait for it. */
  warm(): void {
    this.renderer ??= import('../../renderer/kiosk/prerender.tsx');
  }

  private async call<M extends MethodName>(method: M): Promise<OutputOf<M>> {
    const result = await this.router.dispatch(method, {});
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  /** What the home screen is drawn from: the terminal and its menu, nothing of any citizen. */
  async boot(): Promise<KioskHomeBoot> {
    const [info, home] = await Promise.all([this.call('kiosk.info'), this.call('catalogue.home')]);
    // The home screen names only its hot items; the summaries of everything the menus
    // list (some 450 KB for the default hall) follow over the bridge once the page runs.
    const items = Object.fromEntries(home.menus.hot.filter((code) => home.items[code]).map((code) => [code, home.items[code]]));
    return { info, home: { ...home, items } };
  }

  /** The built page with its stylesheets written in; read again when a new build replaces it. */
  private async page(): Promise<string> {
    const file = join(this.staticDir, 'kiosk', 'index.html');
    const { mtimeMs } = await stat(file);
    if (this.template?.mtimeMs === mtimeMs) return this.template.html;
    let html = await readFile(file, 'utf8');
    if (!html.includes(ROOT_ELEMENT)) throw new Error(`kiosk/index.html has no ${ROOT_ELEMENT} to render into`);
    const root = resolve(this.staticDir);
    for (const [link, href] of [...html.matchAll(STYLESHEET)]) {
      const css = resolve(root, `.${href}`);
      if (!css.startsWith(root + sep)) continue;
      const text = await readFile(css, 'utf8');
      html = html.replace(link, () => `<style>${text.replace(/<\/style/gi, '<\\/style')}</style>`);
    }
    this.template = { mtimeMs, html };
    return html;
  }

  async html(): Promise<string> {
    this.warm();
    const [template, boot, { renderKioskHome }] = await Promise.all([this.page(), this.boot(), this.renderer!]);
    const json = scriptJson(boot);
    if (this.last?.template === template && this.last.boot === json) return this.last.html;
    const filled = `<div id="root">${renderKioskHome(boot)}</div>\n    <script type="application/json" id="${KIOSK_BOOT_ID}">${json}</script>`;
    // A function, so a `$` in the menu's text is never read as a replacement pattern.
    const html = template.replace(ROOT_ELEMENT, () => filled);
    this.last = { template, boot: json, html };
    return html;
  }
}
