/**
 * The hall map for guiding: zones, windows and places of one floor, the robot's dock,
 * and the route being walked (each leg drawn on its own floor; the screen shows the
 * floor of the target, or the first floor of the route while leaving).
 */
import type { GuideStatus, RobotHome, RobotStateView } from '../../protocol/ui/domains/robot.ts';

interface Props {
  home: RobotHome;
  guide: GuideStatus | null;
  target: string | null;
  /** Where the base is, live, when the robot has one. */
  robot?: RobotStateView | null;
}

export function RobotMap({ home, guide, target, robot }: Props) {
  const { map } = home;
  const targetFloor = map.windows.find((w) => w.id === target)?.floor ?? map.places.find((p) => p.id === target)?.floor;
  const floorId = (guide?.state === 'returning' ? guide.route[0]?.floor : undefined) ?? targetFloor ?? home.dock.floor;
  const floor = map.floors.find((f) => f.id === floorId) ?? map.floors[0];
  if (!floor) return null;
  const legs = (guide?.route ?? []).filter((l) => l.floor === floor.id);
  return (
    <figure className="map" data-testid="map" data-floor={floor.id}>
      <figcaption>{floor.name}</figcaption>
      <svg viewBox={`-2 -2 ${floor.width + 4} ${floor.height + 4}`} role="img" aria-label={floor.name}>
        <rect x={0} y={0} width={floor.width} height={floor.height} className="floor" />
        {map.zones
          .filter((z) => z.floor === floor.id)
          .map((z) => (
            <g key={z.id}>
              <rect x={z.rect.x} y={z.rect.y} width={z.rect.w} height={z.rect.h} className="zone" />
              <text x={z.rect.x + 0.8} y={z.rect.y + z.rect.h / 2 + 0.8} className="zone-label">{z.name}</text>
            </g>
          ))}
        {map.windows
          .filter((w) => w.floor === floor.id)
          .map((w) => (
            <g key={w.id} className={w.id === target ? 'window target' : 'window'}>
              <rect x={w.position.x - 1.5} y={w.position.y - 1.5} width={3} height={3} rx={0.4} />
              <text x={w.position.x} y={w.position.y + 0.6} textAnchor="middle">{w.id}</text>
            </g>
          ))}
        {map.places
          .filter((p) => p.floor === floor.id)
          .map((p) => (
            <g key={p.id} className={`place ${p.kind}${p.id === target ? ' target' : ''}`}>
              <circle cx={p.position.x} cy={p.position.y} r={p.kind === 'robot-dock' ? 1.4 : 1} />
              <text x={p.position.x} y={p.position.y - 1.6} textAnchor="middle">{p.name}</text>
            </g>
          ))}
        {legs.map((l, i) => (
          <polyline key={i} className="route" data-testid="route" points={l.points.map((p) => `${p.x},${p.y}`).join(' ')} />
        ))}
        {robot?.pose && robot.floor === floor.id && (
          <circle className="robot-pose" data-testid="robot-pose" cx={robot.pose.x} cy={robot.pose.y} r={1.2} />
        )}
      </svg>
    </figure>
  );
}
