/** The transaction browser: what kiosks recorded, newest first, filtered by type and device. */
import { useEffect, useState } from 'react';
import { platform } from '../shared/platform.ts';
import type { TransactionRow, TransactionsAnswer } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';

const TYPES = ['', 'ticket', 'signin', 'print', 'rating', 'appointment', 'device-fault'];
const TYPE_NAMES: Record<string, string> = { '': '全部类型', ticket: '取号', signin: '身份核验', print: '打印', rating: '评价', appointment: '预约', 'device-fault': '设备故障' };

export function Transactions() {
  const [type, setType] = useState('');
  const [device, setDevice] = useState('');
  const [rows, setRows] = useState<TransactionRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
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
      <h2>业务记录</h2>
      <div className="form-row">
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label="类型">
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_NAMES[t]}
            </option>
          ))}
        </select>
        <input placeholder="设备编号" value={device} onChange={(e) => setDevice(e.target.value)} aria-label="设备编号筛选" />
        <button onClick={() => void search()}>查询</button>
      </div>
      <table className="grid" aria-label="业务记录">
        <thead>
          <tr>
            <th>时间</th>
            <th>设备</th>
            <th>序号</th>
            <th>类型</th>
            <th>状态</th>
            <th>内容</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id} className="tx-row" onClick={() => setOpen(open === t.id ? null : t.id)}>
              <td>{fmtTime(t.at)}</td>
              <td>{t.deviceId}</td>
              <td>{t.seq}</td>
              <td>{TYPE_NAMES[t.type] ?? t.type}</td>
              <td className={t.status === 'failed' ? 'bad' : ''}>{t.status === 'failed' ? `未执行：${t.error}` : '已入账'}</td>
              <td className="payload">{open === t.id ? <pre>{JSON.stringify(t.payload, null, 2)}</pre> : JSON.stringify(t.payload).slice(0, 80)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="muted">没有记录。</p> : null}
      {next ? (
        <button
          onClick={() =>
            void query(next).then((r) => {
              setRows((x) => [...x, ...r.transactions]);
              setNext(r.next);
            })
          }
        >
          更多
        </button>
      ) : null}
    </section>
  );
}
