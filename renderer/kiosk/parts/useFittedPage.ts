/**
 * How many tiles a grid holds when its size comes from the screen rather than its
 * content: the columns its CSS lays out times the rows of at least `--tile-min-height`
 * that its height allows. Elderly mode uses it so a page of tiles fills the space it is
 * given instead of a fixed count leaving half the screen empty, and a larger screen shows more.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

export interface FittedPage {
  columns: number;
  rows: number;
}

export function useFittedPage(grid: RefObject<HTMLElement | null>, enabled: boolean): FittedPage | null {
  const [fit, setFit] = useState<FittedPage | null>(null);
  useLayoutEffect(() => {
    const el = grid.current;
    if (!enabled || !el) {
      setFit(null);
      return;
    }
    const measure = () => {
      const style = getComputedStyle(el);
      const minHeight = parseFloat(style.getPropertyValue('--tile-min-height'));
      // Without a minimum tile height in the stylesheet the grid is not meant to fill its box.
      if (!(minHeight > 0)) return setFit(null);
      const columns = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
      const gap = parseFloat(style.rowGap) || 0;
      const rows = Math.max(1, Math.floor((el.clientHeight + gap) / (minHeight + gap)));
      setFit((old) => (old && old.columns === columns && old.rows === rows ? old : { columns, rows }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [grid, enabled]);
  return fit;
}
