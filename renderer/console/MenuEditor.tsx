/** The kiosk menu: hot items, theme and department categories, their order, their items and which kiosks show them. */
import { useState } from 'react';
import type { HallConfig, MenuEntry } from '../../config/schema.ts';
import { move, useDraft } from './config-draft.tsx';

type Section = 'themes' | 'departments';

export function MenuEditor() {
  const { config, edit } = useDraft();
  const [section, setSection] = useState<Section>('themes');
  const [openId, setOpenId] = useState<string | null>(null);
  const [newCode, setNewCode] = useState('');
  if (!config) return <p>载入中…</p>;
  const names = new Map(config.catalogue.items.map((i) => [i.code, i.name]));
  const entries = config.menus[section];
  const entryEdit = (i: number, fn: (e: MenuEntry, c: HallConfig) => void) => edit((c) => fn(c.menus[section][i], c));
  return (
    <section>
      <h2>终端菜单</h2>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={section === 'themes'} className={section === 'themes' ? 'active' : ''} onClick={() => setSection('themes')}>
          按主题
        </button>
        <button role="tab" aria-selected={section === 'departments'} className={section === 'departments' ? 'active' : ''} onClick={() => setSection('departments')}>
          按部门
        </button>
      </div>
      <ol className="menu-list" aria-label="菜单分类">
        {entries.map((e, i) => (
          <li key={e.id} className="menu-entry" data-entry={e.id}>
            <div className="entry-head">
              <span className="entry-title">{e.title}</span>
              <span className="muted small">
                {e.items.length} 项 · {e.kiosks.length ? `仅 ${e.kiosks.join('、')}` : '全部终端'}
              </span>
              <span className="spacer" />
              <button aria-label={`上移 ${e.title}`} disabled={i === 0} onClick={() => edit((c) => move(c.menus[section], i, -1))}>
                ↑
              </button>
              <button aria-label={`下移 ${e.title}`} disabled={i === entries.length - 1} onClick={() => edit((c) => move(c.menus[section], i, 1))}>
                ↓
              </button>
              <button onClick={() => setOpenId(openId === e.id ? null : e.id)}>{openId === e.id ? '收起' : '编辑'}</button>
            </div>
            {openId === e.id ? (
              <div className="entry-body">
                <label>
                  名称
                  <input value={e.title} onChange={(ev) => entryEdit(i, (x) => (x.title = ev.target.value))} aria-label="分类名称" />
                </label>
                <fieldset>
                  <legend>显示于终端（都不选即全部显示）</legend>
                  {config.kiosks.map((k) => (
                    <label key={k.id} className="check">
                      <input
                        type="checkbox"
                        checked={e.kiosks.includes(k.id)}
                        onChange={(ev) => entryEdit(i, (x) => (x.kiosks = ev.target.checked ? [...x.kiosks, k.id] : x.kiosks.filter((y) => y !== k.id)))}
                      />
                      {k.name}（{k.id}）
                    </label>
                  ))}
                </fieldset>
                <ol className="item-list">
                  {e.items.map((code, j) => (
                    <li key={code}>
                      <span>{names.get(code) ?? code}</span> <code className="muted small">{code}</code>
                      <span className="spacer" />
                      <button aria-label="上移事项" disabled={j === 0} onClick={() => entryEdit(i, (x) => move(x.items, j, -1))}>
                        ↑
                      </button>
                      <button aria-label="下移事项" disabled={j === e.items.length - 1} onClick={() => entryEdit(i, (x) => move(x.items, j, 1))}>
                        ↓
                      </button>
                      <button aria-label="移除事项" onClick={() => entryEdit(i, (x) => x.items.splice(j, 1))}>
                        移除
                      </button>
                    </li>
                  ))}
                </ol>
                <div className="form-row">
                  <input list="item-codes" placeholder="事项编码" value={newCode} onChange={(ev) => setNewCode(ev.target.value)} aria-label="添加事项编码" />
                  <datalist id="item-codes">
                    {config.catalogue.items.slice(0, 2000).map((it) => (
                      <option key={it.code} value={it.code}>
                        {it.name}
                      </option>
                    ))}
                  </datalist>
                  <button
                    disabled={!names.has(newCode) || e.items.includes(newCode)}
                    onClick={() => {
                      entryEdit(i, (x) => x.items.push(newCode));
                      setNewCode('');
                    }}
                  >
                    添加事项
                  </button>
                </div>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
