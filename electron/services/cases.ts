/**
 * 办件进度 at the kiosk: the signed-in citizen's cases by their pseudonym (made here from the
 * card with the hall's key, as appointments are), or one case by the lookup code scanned
 * off its 受理回执. The platform answers; the kiosk keeps nothing.
 */
import { ApiError } from '../../protocol/ui/errors.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { lookupCodeOf } from '../../protocol/cases.ts';
import { definePart } from './compose.ts';
import { askPlatform } from './queue.ts';

export const casesPart = definePart({
  name: 'cases',
  needs: ['central', 'session'],
  provides: [],
  build: (rt, { central, session }) => ({
    provides: {},
    handlers: {
      'case.mine': async () => {
        const card = session.currentCard();
        if (!card) throw new ApiError('not-signed-in', '请先在读卡区放置身份证');
        const secret = central?.idKeySecret() ?? null;
        if (!secret) throw new ApiError('offline', '暂时连接不上服务平台');
        return askPlatform(central, 'cases:mine', { idKey: idKeyOf(card.idNumber, secret) }, rt.log);
      },
      'case.lookup': async ({ scanned }) => {
        const code = lookupCodeOf(scanned);
        if (!code) throw new ApiError('bad-input', '这不是办件受理回执上的二维码', { reason: 'not-a-case-code' });
        return askPlatform(central, 'cases:lookup', { code }, rt.log);
      },
    },
  }),
});
