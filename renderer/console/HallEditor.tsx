/** Windows and the hall map: which queues each window serves, and where it stands on the floor plan. */
import { useState } from 'react';
import { useDraft } from './config-draft.tsx';
import { useTranslation } from 'react-i18next';
import { TableHead } from './TableHead.tsx';

export function HallEditor() {
  const { config, edit } = useDraft();
  const [floorId, setFloorId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const { t } = useTranslation();
  if (!config) return <p>{t('loading')}</p>;
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
      <h2>{t('hall.title')}</h2>
      <div className="tabs">
        {hall.floors.map((f) => (
          <button key={f.id} className={f.id === floor.id ? 'active' : ''} onClick={() => setFloorId(f.id)}>
            {f.name}
          </button>
        ))}
      </div>
      <p className="muted small">{selected ? t('hall.placing', { id: selected }) : t('hall.pick')}</p>
      <svg className="hall-map" viewBox={`0 0 ${floor.width} ${floor.height}`} onClick={onMap} role="img" aria-label={t('hall.plan', { floor: floor.name })}>
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
      <table className="grid" aria-label={t('hall.list')}>
        <TableHead labels={[t('hall.window'), t('hall.name'), t('hall.zone'), t('hall.groups'), t('hall.position'), '']} />
        <tbody>
          {windows.map((w, i) => (
            <tr key={w.id} className={w.id === selected ? 'selected' : ''} data-window={w.id}>
              <td>
                <button className={w.id === selected ? 'active' : ''} onClick={() => setSelected(w.id === selected ? null : w.id)}>
                  {w.id}
                </button>
              </td>
              <td>
                <input value={w.name} onChange={(e) => edit((c) => (c.hall.windows[i].name = e.target.value))} aria-label={t('hall.windowName', { id: w.id })} />
              </td>
              <td>
                <select value={w.zone} onChange={(e) => edit((c) => (c.hall.windows[i].zone = e.target.value))} aria-label={t('hall.windowZone', { id: w.id })}>
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
                  {t('remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PhoneAddresses />
      <button
        onClick={() =>
          edit((c) => {
            const letter = 'W';
            let n = 1;
            while (c.hall.windows.some((w) => w.id === `${letter}${String(n).padStart(2, '0')}`)) n++;
            c.hall.windows.push({ id: `${letter}${String(n).padStart(2, '0')}`, name: t('hall.newWindow'), zone: c.hall.zones[0].id, floor: floor.id, position: { x: floor.width / 2, y: floor.height / 2 }, groups: [c.hall.groups[0].id] });
          })
        }
      >
        {t('hall.add')}
      </button>
    </section>
  );
}

/** The hall's addresses for phones; the platform's schema refuses one a phone cannot reach, and the save bar says why. */
function PhoneAddresses() {
  const { config, edit } = useDraft();
  const { t } = useTranslation();
  if (!config) return null;
  const field = (key: 'publicBaseUrl' | 'guideBaseUrl') => (
    <label>
      {t(`hall.${key}`)}
      <input
        type="url"
        name={key}
        value={config.hall[key] ?? ''}
        placeholder="https://"
        onChange={(e) =>
          edit((c) => {
            const v = e.target.value.trim();
            if (v) c.hall[key] = v;
            else delete c.hall[key];
          })
        }
      />
    </label>
  );
  return (
    <fieldset className="phone-addresses">
      <legend>{t('hall.phones')}</legend>
      <p className="muted small">{t('hall.phonesHint')}</p>
      {field('publicBaseUrl')}
      {field('guideBaseUrl')}
    </fieldset>
  );
}
