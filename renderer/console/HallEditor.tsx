/** Windows and the hall map: which queues each window serves, and where it stands on the floor plan. */
import { useState } from 'react';
import { useDraft } from './config-draft.tsx';

export function HallEditor() {
  const { config, edit } = useDraft();
  const [floorId, setFloorId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  if (!config) return <p>载入中…</p>;
  const hall = config.hall;
  const floor = hall.floors.find((f) => f.id === floorId) ?? hall.floors[0];
  const windows = hall.windows;
  const onMap = (e: React.MouseEvent<SVGSVGElement>) => {
    if (!selected) return;
    const svg = e.currentTarget;
    const pt = svg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    const p = pt.matrixTransform(svg.getScreenCTM()!.inverse());
    const i = windows.findIndex((w) => w.id === selected);
    edit((c) => {
      c.hall.windows[i].position = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
      c.hall.windows[i].floor = floor.id;
    });
  };
  return (
    <section>
      <h2>窗口与大厅地图</h2>
      <div className="tabs">
        {hall.floors.map((f) => (
          <button key={f.id} className={f.id === floor.id ? 'active' : ''} onClick={() => setFloorId(f.id)}>
            {f.name}
          </button>
        ))}
      </div>
      <p className="muted small">{selected ? `点击地图放置窗口 ${selected}` : '在表格中选中一个窗口，再点击地图设置位置。'}</p>
      <svg className="hall-map" viewBox={`0 0 ${floor.width} ${floor.height}`} onClick={onMap} role="img" aria-label={`${floor.name}平面图`}>
        <rect x={0} y={0} width={floor.width} height={floor.height} className="floor" />
        {hall.zones
          .filter((z) => z.floor === floor.id)
          .map((z) => (
            <g key={z.id}>
              <rect x={z.rect.x} y={z.rect.y} width={z.rect.w} height={z.rect.h} className="zone" />
              <text x={z.rect.x + 0.5} y={z.rect.y + 1.5} className="zone-label">
                {z.name}
              </text>
            </g>
          ))}
        {hall.places
          .filter((p) => p.floor === floor.id)
          .map((p) => (
            <circle key={p.id} cx={p.position.x} cy={p.position.y} r={0.5} className="place">
              <title>{p.name}</title>
            </circle>
          ))}
        {windows
          .filter((w) => w.floor === floor.id)
          .map((w) => (
            <g key={w.id} className={w.id === selected ? 'win selected' : 'win'}>
              <rect x={w.position.x - 0.9} y={w.position.y - 0.6} width={1.8} height={1.2} />
              <text x={w.position.x} y={w.position.y + 0.35} textAnchor="middle">
                {w.id}
              </text>
            </g>
          ))}
      </svg>
      <table className="grid" aria-label="窗口列表">
        <thead>
          <tr>
            <th>窗口</th>
            <th>名称</th>
            <th>区域</th>
            <th>办理队列</th>
            <th>位置</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {windows.map((w, i) => (
            <tr key={w.id} className={w.id === selected ? 'selected' : ''} data-window={w.id}>
              <td>
                <button className={w.id === selected ? 'active' : ''} onClick={() => setSelected(w.id === selected ? null : w.id)}>
                  {w.id}
                </button>
              </td>
              <td>
                <input value={w.name} onChange={(e) => edit((c) => (c.hall.windows[i].name = e.target.value))} aria-label={`窗口 ${w.id} 名称`} />
              </td>
              <td>
                <select value={w.zone} onChange={(e) => edit((c) => (c.hall.windows[i].zone = e.target.value))} aria-label={`窗口 ${w.id} 区域`}>
                  {hall.zones.map((z) => (
                    <option key={z.id} value={z.id}>
                      {z.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {hall.groups.map((g) => (
                  <label key={g.id} className="check small">
                    <input
                      type="checkbox"
                      checked={w.groups.includes(g.id)}
                      onChange={(e) => edit((c) => (c.hall.windows[i].groups = e.target.checked ? [...w.groups, g.id] : w.groups.filter((x) => x !== g.id)))}
                    />
                    {g.prefix}
                  </label>
                ))}
              </td>
              <td className="small">
                {hall.floors.find((f) => f.id === w.floor)?.name} ({w.position.x}, {w.position.y})
              </td>
              <td>
                <button onClick={() => edit((c) => c.hall.windows.splice(i, 1))} disabled={windows.length <= 1}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        onClick={() =>
          edit((c) => {
            const letter = 'W';
            let n = 1;
            while (c.hall.windows.some((w) => w.id === `${letter}${String(n).padStart(2, '0')}`)) n++;
            c.hall.windows.push({ id: `${letter}${String(n).padStart(2, '0')}`, name: '新窗口', zone: c.hall.zones[0].id, floor: floor.id, position: { x: floor.width / 2, y: floor.height / 2 }, groups: [c.hall.groups[0].id] });
          })
        }
      >
        添加窗口
      </button>
    </section>
  );
}
