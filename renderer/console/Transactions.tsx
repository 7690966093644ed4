/** The transaction browser: what kiosks recorded, newest first, filtered by type and device. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { TransactionRow, TransactionsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';

const TYPES = ['', 'ticket', 'signin', 'print', 'rating', 'appointment', 'device-fault'];

export function Transactions() {
  const [type, setType] = useState('');
  const [device, setDevice] = useState('');
  const [rows, setRows] = useState<TransactionRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const { t } = useTranslation();
  const typeName = (type: string) => t(`transactions.types.${type || 'all'}`, { defaultValue: type });
  const query = (before?: string) => {
    const q = new URLSearchParams({ limit: '50' });
    if (type) q.set('type', type);
    if (device) q.set('device', device);
    if (before) q.set('before', before);
    return platform<TransactionsAnswer>('GET', `/api/transactions?${q}`);
  };
  const search = async () => {
    const r = await query();
    setRows(r.transactions);
    setNext(r.next);
  };
  useEffect(() => {
    void search();
  }, [type]);
  return (
    <section>
      <h2>{t('transactions.title')}</h2>
      <div className="form-row">
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label={t('transactions.typeLabel')}>
          {TYPES.map((x) => (
            <option key={x} value={x}>
              {typeName(x)}
            </option>
          ))}
        </select>
        <input placeholder={t('transactions.device')} value={device} onChange={(e) => setDevice(e.target.value)} aria-label={t('transactions.deviceLabel')} />
        <button onClick={() => void search()}>{t('transactions.search')}</button>
      </div>
      <table className="grid" aria-label={t('transactions.title')}>
        <TableHead labels={[t('transactions.time'), t('transactions.deviceColumn'), t('transactions.seq'), t('transactions.type'), t('transactions.status'), t('transactions.content')]} />
        <tbody>
          {rows.map((tx) => (
            <tr key={tx.id} className="tx-row" onClick={() => setOpen(open === tx.id ? null : tx.id)}>
              <td>{fmtTime(tx.at)}</td>
              <td>{tx.deviceId}</td>
              <td>{tx.seq}</td>
              <td>{typeName(tx.type)}</td>
              <td className={tx.status === 'failed' ? 'bad' : ''}>{tx.status === 'failed' ? t('transactions.failed', { error: tx.error }) : t('transactions.accepted')}</td>
              <td className="payload">{open === tx.id ? <pre>{JSON.stringify(tx.payload, null, 2)}</pre> : JSON.stringify(tx.payload).slice(0, 80)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="muted">{t('transactions.none')}</p> : null}
      {next ? (
        <button
          onClick={() =>
            void query(next).then((r) => {
              setRows((x) => [...x, ...r.transactions]);
              setNext(r.next);
            })
          }
        >
          {t('transactions.more')}
        </button>
      ) : null}
    </section>
  );
}
