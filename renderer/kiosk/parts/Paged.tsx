/**
 * A list shown a page at a time: elderly mode shows fewer, larger choices per screen. A
 * list that `fills` its space takes as many of those larger tiles as fit there instead.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';
import { useFittedPage } from './useFittedPage.ts';

interface Props<T> {
  items: T[];
  perPage: number;
  elderlyPerPage: number;
  render: (item: T) => ReactNode;
  className?: string;
  testId?: string;
  /** In elderly mode, size the page to the grid's box (the stylesheet gives it one) rather than to elderlyPerPage. */
  fill?: boolean;
}

export function Paged<T>({ items, perPage, elderlyPerPage, render, className, testId, fill = false }: Props<T>) {
  const { t } = useTranslation();
  const { elderly } = useKiosk();
  const grid = useRef<HTMLUListElement>(null);
  const fitted = useFittedPage(grid, elderly && fill);
  const size = !elderly ? perPage : fitted ? fitted.columns * fitted.rows : elderlyPerPage;
  const pages = Math.max(1, Math.ceil(items.length / size));
  const [page, setPage] = useState(0);
  const current = Math.min(page, pages - 1);
  return (
    <div className="paged">
      {/* A fitted page keeps its rows on the last page too, so its tiles stay the size of the others. */}
      <ul ref={grid} className={className} data-testid={testId} style={fitted ? { gridTemplateRows: `repeat(${fitted.rows}, 1fr)` } : undefined}>
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
