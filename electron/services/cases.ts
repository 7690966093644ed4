/**
 * 办件进度 at the kiosk: the signed-in citizen's cases by their pseudonym (made here from the
 * card with the hall's key, as appointments are), or one case by the lookup code scanned
 * off its 受理回执. The platform answers; the kiosk keeps nothing.
 */
import { ApiError } from '../../protocol/ui/errors.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { lookupCodeOf } from '../../protocol/cases.ts';
import type { CaseView } from '../../protocol/cases.ts';
import { definePart, type CentralLink } from './compose.ts';
import type { SessionService } from './session.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { askPlatform } from './queue.ts';

/** The cases filed under the card on the reader; null when no card is there. */
export async function casesOfSignedIn(central: CentralLink | null, session: SessionService, log: TerminalContext['log']): Promise<CaseView[] | null> {
  const card = session.currentCard();
  if (!card) return null;
  const secret = central?.idKeySecret() ?? null;
  if (!secret) throw new ApiError('offline', '暂时连接不上服务平台');
  return askPlatform(central, 'cases:mine', { idKey: idKeyOf(card.idNumber, secret) }, log);
}

export const casesPart = definePart({
  name: 'cases',
  needs: ['central', 'session'],
  provides: [],
  build: (rt, { central, session }) => ({
    provides: {},
    handlers: {
      'case.mine': async () => {
        const cases = await casesOfSignedIn(central, session, rt.log);
        if (!cases) throw new ApiError('not-signed-in', '请先在读卡区放置身份证');
        return cases;
      },
      'case.lookup': async ({ scanned }) => {
        const code = lookupCodeOf(scanned);
        if (!code) throw new ApiError('bad-input', '这不是办件受理回执上的二维码', { reason: 'not-a-case-code' });
        return askPlatform(central, 'cases:lookup', { code }, rt.log);
      },
    },
  }),
});
