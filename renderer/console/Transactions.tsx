/**
 * The transaction browser: what terminals recorded, newest first, as a table a clerk can
 * read (translated type, service and outcome), filtered by type, terminal and days.
 */
import { useEffect, useMemo, useState } from 'react';
import { platform, PlatformError } from '../shared/platform.ts';
import type { DevicesAnswer, TransactionRow, TransactionsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';
import { useDraft } from './config-draft.tsx';
import { describeTx, type TxNames } from './tx-describe.ts';

const TYPES = ['', 'ticket', 'signin', 'signout', 'print', 'rating', 'appointment', 'device-fault'];

export function Transactions() {
  const [filter, setFilter] = useState({ type: '', device: '', from: '', to: '' });
  const [devices, setDevices] = useState<string[]>([]);
  const [rows, setRows] = useState<TransactionRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const { t, i18n } = useTranslation();
  const { config } = useDraft();
  const en = i18n.language === 'en';
  const names = useMemo<TxNames>(() => {
    const items = new Map(config?.catalogue.items.map((i) => [i.code, (en && i.nameEn) || i.name]));
    const groups = new Map(config?.hall.groups.map((g) => [g.id, (en && g.nameEn) || g.name]));
    return { item: (code) => items.get(code), group: (id) => groups.get(id) };
  }, [config, en]);
  const typeName = (type: string) => t(`transactions.types.${type || 'all'}`, { defaultValue: type });

  const query = (before?: string) => {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filter)) if (v.trim()) q.set(k, v.trim());
    if (before) q.set('before', before);
    return platform<TransactionsAnswer>('GET', `/api/transactions?${q}`);
  };
  const load = async (before?: string) => {
    setError('');
    try {
      const r = await query(before);
      setRows((x) => (before ? [...x, ...r.transactions] : r.transactions));
      setNext(r.next);
    } catch (err) {
      setError(err instanceof PlatformError ? err.message : String(err));
    }
  };
  useEffect(() => {
    void load();
  }, [filter.type, filter.from, filter.to]);
  useEffect(() => {
    platform<DevicesAnswer>('GET', '/api/devices').then((r) => setDevices(r.devices.map((d) => d.id)), () => setDevices([]));
  }, []);
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));

  return (
    <section>
      <h2>{t('transactions.title')}</h2>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          {t('transactions.typeLabel')}
          <select value={filter.type} onChange={set('type')}>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {typeName(x)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('transactions.deviceLabel')}
          <input list="tx-devices" placeholder={t('transactions.device')} value={filter.device} onChange={set('device')} />
          <datalist id="tx-devices">
            {devices.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
        <label>
          {t('transactions.from')}
          <input type="date" value={filter.from} onChange={set('from')} />
        </label>
        <label>
          {t('transactions.to')}
          <input type="date" value={filter.to} onChange={set('to')} />
        </label>
        <button type="submit">{t('transactions.search')}</button>
      </form>
      {error ? <p className="bad" role="alert">{error}</p> : null}
      <table className="grid" aria-label={t('transactions.title')}>
        <TableHead labels={[t('transactions.time'), t('transactions.deviceColumn'), t('transactions.type'), t('transactions.content'), t('transactions.status')]} />
        <tbody>
          {rows.map((tx) => (
            <tr key={tx.id} className="tx-row" data-type={tx.type}>
              <td>{fmtTime(tx.at)}</td>
              <td>{tx.deviceId}</td>
              <td className="tx-type">{typeName(tx.type)}</td>
              <td className="tx-details">{describeTx(tx, t, names).join(' · ')}</td>
              <td className={tx.status === 'failed' ? 'bad' : ''}>{tx.status === 'failed' ? t('transactions.failed', { error: tx.error }) : t('transactions.accepted')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !error ? <p className="muted">{t('transactions.none')}</p> : null}
      {next ? <button onClick={() => void load(next)}>{t('transactions.more')}</button> : null}
    </section>
  );
}
