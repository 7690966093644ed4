/**
 * A transaction as a clerk reads it: its payload turned into short translated phrases
 * (号码、事项、结果…) instead of JSON. Payloads hold masked values only (the platform
 * refuses any other), so what is shown here is what the record holds, never more.
 */
import type { TFunction } from 'i18next';
import type { TransactionRow } from '../../protocol/platform-http.ts';

/** Names the console knows from the hall configuration; a code it cannot name is shown as the code. */
export interface TxNames {
  item(code: string): string | undefined;
  group(id: string): string | undefined;
}

type P = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function describeTx(tx: Pick<TransactionRow, 'type' | 'payload'>, t: TFunction, names: TxNames): string[] {
  const p: P = tx.payload;
  const item = (code: unknown) => (str(code) ? (names.item(str(code)!) ?? str(code)) : undefined);
  const word = (group: string, value: unknown) => (str(value) ? t(`transactions.${group}.${str(value)}`, { defaultValue: str(value) }) : undefined);
  const parts: (string | undefined | false)[] = (() => {
    switch (tx.type) {
      case 'ticket':
        return [
          str(p.number),
          str(p.groupId) && (names.group(str(p.groupId)!) ?? str(p.groupId)),
          item(p.itemCode),
          str(p.priority) && t('transactions.priority', { reason: word('priorities', p.priority) }),
          num(p.estimatedWaitMinutes) !== undefined && t('transactions.wait', { count: Math.round(num(p.estimatedWaitMinutes)!) }),
          p.offline === true && t('transactions.offline'),
          str(p.maskedId) && t('transactions.boundTo', { id: str(p.maskedId) }),
        ];
      case 'signin':
        return [
          `${str(p.maskedName) ?? ''}（${str(p.maskedId) ?? ''}）`,
          word('cards', p.cardType),
          word('outcomes', p.outcome ?? 'ok'),
          p.cardExpired === true && t('transactions.cardExpired'),
          p.idNumberValid === false && t('transactions.checkDigit'),
        ];
      case 'signout':
        return [str(p.maskedId), word('signoutReasons', p.reason), num(p.seconds) !== undefined && t('transactions.seconds', { count: num(p.seconds) })];
      case 'print':
        return [word('documents', p.document), item(p.itemCode), word('printStates', p.state), str(p.reason), str(p.cause) && word('printCauses', p.cause)];
      case 'rating': {
        const levels = t('figures.levels', { returnObjects: true }) as string[];
        const reasons = Array.isArray(p.reasons) ? p.reasons.filter((r): r is string => typeof r === 'string') : [];
        return [num(p.level) !== undefined ? levels[num(p.level)! - 1] : undefined, item(p.itemCode), reasons.join(t('listSeparator')), str(p.comment) && `“${str(p.comment)}”`];
      }
      case 'appointment': {
        const slot = p.slot as { start?: unknown; end?: unknown } | undefined;
        return [word('appointmentActions', p.action), item(p.itemCode), str(p.date) && `${str(p.date)} ${str(slot?.start) ?? ''}–${str(slot?.end) ?? ''}`];
      }
      case 'device-fault':
        return [str(p.device), word('deviceKinds', p.kind), word('deviceStates', p.state), str(p.paper) && word('paper', p.paper), str(p.detail)];
      default:
        // A deployment's own type: its plain fields as "key: value", nested ones left to the raw view.
        return Object.entries(p)
          .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
          .map(([k, v]) => `${k}: ${String(v)}`);
    }
  })();
  return parts.filter((x): x is string => typeof x === 'string' && x.length > 0);
}
