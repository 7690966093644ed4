/** The citizen kiosk: the home menu of the hall. */
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import type { HomeMenu } from '../../electron/api/domains/catalogue.ts';

export function App() {
  const [home, setHome] = useState<HomeMenu | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('catalogue.home', {}).then(setHome, (e: Error) => setError(e.message));
  }, []);
  if (error) return <main className="kiosk"><p role="alert">暂时无法加载服务目录，请稍后再试。</p></main>;
  if (!home) return <main className="kiosk"><p>正在加载…</p></main>;
  const name = (code: string) => home.items[code]?.name ?? code;
  return (
    <main className="kiosk" data-testid="home">
      <header className="kiosk-header">
        <h1>{home.hallName}</h1>
      </header>
      <section aria-labelledby="hot-title">
        <h2 id="hot-title">热门服务</h2>
        <ul className="tiles">
          {home.menus.hot.map((code) => (
            <li key={code}><button className="tile" data-code={code}>{name(code)}</button></li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="theme-title">
        <h2 id="theme-title">按主题办理</h2>
        <ul className="tiles themes">
          {home.menus.themes.map((t) => (
            <li key={t.id}><button className="tile" data-theme={t.id}>{t.title}<small>{t.items.length} 项</small></button></li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="dept-title">
        <h2 id="dept-title">按部门办理</h2>
        <ul className="tiles depts">
          {home.menus.departments.map((d) => (
            <li key={d.id}><button className="tile" data-dept={d.id}>{d.title}</button></li>
          ))}
        </ul>
      </section>
    </main>
  );
}
