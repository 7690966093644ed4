/** A list shown a page at a time: elderly mode shows fewer, larger choices per screen. */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';

interface Props<T> {
  items: T[];
  perPage: number;
  elderlyPerPage: number;
  render: (item: T) => ReactNode;
  className?: string;
  testId?: string;
}

export function Paged<T>({ items, perPage, elderlyPerPage, render, className, testId }: Props<T>) {
  const { t } = useTranslation();
  const { elderly } = useKiosk();
  const size = elderly ? elderlyPerPage : perPage;
  const pages = Math.max(1, Math.ceil(items.length / size));
  const [page, setPage] = useState(0);
  const current = Math.min(page, pages - 1);
  return (
    <div className="paged">
      <ul className={className} data-testid={testId}>
        {items.slice(current * size, current * size + size).map((item, i) => (
          <li key={i}>{render(item)}</li>
        ))}
      </ul>
      {pages > 1 && (
        <nav className="pager">
          <button onClick={() => setPage(current - 1)} disabled={current === 0}>{t('prevPage')}</button>
          <span>{t('page', { page: current + 1, pages })}</span>
          <button onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>{t('nextPage')}</button>
        </nav>
      )}
    </div>
  );
}
