/**
 * 一键求助 on the terminal: a tap records a 'help' transaction in the durable outbox (so a
 * cut link delays the call for staff, never loses it) and the platform's pushes move it
 * on: filed (staff told), then acknowledged (工作人员马上到). While one request is
 * outstanding every further tap is that request, so staff get one call per need.
 * The payload names the screen only, never the citizen.
 */
import { randomUUID } from 'node:crypto';
import { HELP_PUSH, HelpPush } from '../../protocol/help.ts';
import type { HelpStatus } from '../../protocol/ui/domains/help.ts';
import { definePart, type Capabilities } from './compose.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { RequestMemo } from './request-memo.ts';

export class HelpDesk {
  private current: HelpStatus | null = null;
  private readonly raised = new RequestMemo<HelpStatus>();
  /** A request being committed: taps landing meanwhile, with any request id, are that request. */
  private raising: Promise<HelpStatus> | null = null;

  constructor(
    private readonly rt: TerminalContext,
    private readonly deps: Pick<Capabilities, 'transactions' | 'central'>,
  ) {
    deps.central?.onPush(HELP_PUSH, (raw) => {
      const push = HelpPush.safeParse(raw);
      if (!push.success) return this.rt.log.warn('the platform pushed a help state this terminal does not understand');
      this.moved(push.data);
    });
  }

  status(): HelpStatus | null {
    return this.current;
  }

  raise(requestId: string, screen?: string): Promise<HelpStatus> {
    return this.raised.run(requestId, () => {
      if (this.current && this.current.state !== 'acknowledged') return Promise.resolve(this.current);
      this.raising ??= this.append(screen).finally(() => (this.raising = null));
      return this.raising;
    });
  }

  private async append(screen?: string): Promise<HelpStatus> {
    const before = this.current;
    const status: HelpStatus = { helpId: randomUUID(), state: 'queued', raisedAt: new Date().toISOString() };
    // Current before the commit, so a platform answer that overtakes the append is not dropped.
    this.current = status;
    try {
      await this.deps.transactions.append('help', { helpId: status.helpId, raisedAt: status.raisedAt, ...(screen ? { screen } : {}) });
    } catch (err) {
      this.current = before;
      throw err;
    }
    this.rt.log.info({ help: status.helpId, screen }, 'help requested');
    this.rt.hub.emit('help.changed', this.current);
    return this.current;
  }

  private moved(push: HelpPush): void {
    const now = this.current;
    if (!now || now.helpId !== push.helpId || now.state === push.state || now.state === 'acknowledged') return;
    this.current = { ...now, state: push.state };
    this.rt.hub.emit('help.changed', this.current);
  }
}

export const helpPart = definePart({
  name: 'help',
  needs: ['transactions', 'central'],
  provides: [],
  build: (ctx, deps) => {
    const desk = new HelpDesk(ctx, deps);
    return {
      provides: {},
      handlers: {
        'help.raise': ({ requestId, screen }) => desk.raise(requestId, screen),
        'help.status': () => Promise.resolve(desk.status()),
      },
    };
  },
});
