/**
 * Four-point calibration: the projective transform taking four raw touch points to the
 * four screen points a technician touched. Four point pairs fix a homography exactly,
 * which also absorbs a panel mounted slightly rotated or keystoned, not only scaled.
 */

export interface CalibrationPoint {
  raw: { x: number; y: number };
  screen: { x: number; y: number };
}

export interface CalibrationConfig {
  points: CalibrationPoint[];
}

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
}

export type Mapper = (raw: { x: number; y: number }) => { x: number; y: number };

/** Builds the raw → screen mapping; throws CalibrationError for degenerate points. */
export function createCalibration(config: CalibrationConfig): Mapper {
  const pts = config.points;
  if (pts.length !== 4) throw new CalibrationError(`calibration needs 4 points, got ${pts.length}`);
  // Unknowns h0…h7 with h8 = 1: sx = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), likewise sy.
  const a: number[][] = [];
  const b: number[] = [];
  for (const { raw, screen } of pts) {
    a.push([raw.x, raw.y, 1, 0, 0, 0, -screen.x * raw.x, -screen.x * raw.y]);
    b.push(screen.x);
    a.push([0, 0, 0, raw.x, raw.y, 1, -screen.y * raw.x, -screen.y * raw.y]);
    b.push(screen.y);
  }
  const h = solve(a, b);
  if (!h) throw new CalibrationError('calibration points are degenerate (three of them on one line, or repeated)');
  return ({ x, y }) => {
    const w = h[6] * x + h[7] * y + 1;
    return { x: (h[0] * x + h[1] * y + h[2]) / w, y: (h[3] * x + h[4] * y + h[5]) / w };
  };
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  const scale = Math.max(1, ...m.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12 * scale) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
