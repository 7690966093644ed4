/**
 * The hall's floor plan with the way from this terminal to the target windows: zones,
 * windows, places, "you are here", and a dashed route (through the lift when the
 * target is on another floor). Coordinates are the config's metres; the SVG scales.
 */
import { useState } from 'react';
import type { HallMap as HallMapData } from '../../protocol/ui/domains/catalogue.ts';

interface Props {
  map: HallMapData;
  /** Window ids to highlight; the route leads to the first. */
  targets: string[];
  labels: { here: string; lift: (floor: string) => string; sameFloor: string };
}

type P = { x: number; y: number };

/** An L-shaped walk (along the hall, then across) reads better than a diagonal through counters. */
function walk(a: P, b: P): string {
  return `M${a.x},${a.y} L${b.x},${a.y} L${b.x},${b.y}`;
}

export function HallMap({ map, targets, labels }: Props) {
  const target = map.windows.find((w) => w.id === targets[0]);
  const hereFloor = map.here?.floor;
  const [floorId, setFloorId] = useState(target?.floor ?? hereFloor ?? map.floors[0]?.id);
  const floor = map.floors.find((f) => f.id === floorId) ?? map.floors[0];
  if (!floor) return null;
  const lift = (f: string) => map.places.find((p) => p.kind === 'lift' && p.floor === f)?.position;
  const otherFloor = target && hereFloor && target.floor !== hereFloor;
  const targetFloorName = map.floors.find((f) => f.id === target?.floor)?.name ?? '';

  let route: string | null = null;
  if (target && map.here) {
    if (!otherFloor && floor.id === target.floor) route = walk(map.here.position, target.position);
    else if (otherFloor && floor.id === hereFloor) {
      const l = lift(floor.id);
      if (l) route = walk(map.here.position, l);
    } else if (otherFloor && floor.id === target.floor) {
      const l = lift(floor.id);
      if (l) route = walk(l, target.position);
    }
  }
  const pad = 2;
  return (
    <div className="hall-map">
      <div className="map-floors" role="tablist">
        {map.floors.map((f) => (
          <button key={f.id} role="tab" aria-selected={f.id === floor.id} className={f.id === floor.id ? 'primary' : ''} onClick={() => setFloorId(f.id)}>
            {f.name}
          </button>
        ))}
      </div>
      {target && (
        <p className="map-instruction" data-testid="map-instruction">
          {otherFloor ? labels.lift(targetFloorName) : labels.sameFloor} → {target.id} {target.name}
        </p>
      )}
      <svg viewBox={`${-pad} ${-pad} ${floor.width + pad * 2} ${floor.height + pad * 2}`} role="img" aria-label={floor.name}>
        <rect x={0} y={0} width={floor.width} height={floor.height} className="map-floor" />
        {map.zones
          .filter((z) => z.floor === floor.id)
          .map((z) => (
            <g key={z.id}>
              <rect x={z.rect.x} y={z.rect.y} width={z.rect.w} height={z.rect.h} className="map-zone" />
              <text x={z.rect.x + 0.8} y={z.rect.y + z.rect.h - 0.8} className="map-zone-label">{z.name}</text>
            </g>
          ))}
        {map.places
          .filter((p) => p.floor === floor.id)
          .map((p) => (
            <g key={p.id} className={`map-place map-${p.kind}`}>
              <circle cx={p.position.x} cy={p.position.y} r={0.9} />
              <text x={p.position.x} y={p.position.y + 2.4} textAnchor="middle">{p.name}</text>
            </g>
          ))}
        {map.windows
          .filter((w) => w.floor === floor.id)
          .map((w) => (
            <g key={w.id} className={targets.includes(w.id) ? 'map-window target' : 'map-window'} data-window={w.id}>
              <rect x={w.position.x - 1.2} y={w.position.y - 1} width={2.4} height={2} />
              <text x={w.position.x} y={w.position.y + 0.5} textAnchor="middle">{w.id}</text>
            </g>
          ))}
        {route && <path d={route} className="map-route" />}
        {map.here && map.here.floor === floor.id && (
          <g className="map-here">
            <circle cx={map.here.position.x} cy={map.here.position.y} r={1.3} />
            <text x={map.here.position.x} y={map.here.position.y - 2} textAnchor="middle">{labels.here}</text>
          </g>
        )}
      </svg>
    </div>
  );
}
