/** The staff console: sign-in, then one page per task, shown by role. */
import { useEffect, useState } from 'react';
import { platform, PlatformError } from '../shared/platform.ts';
import type { SignedIn, StaffUser } from '../../protocol/platform-http.ts';
import { DraftProvider, SaveBar } from './config-draft.tsx';
import { Devices } from './Devices.tsx';
import { Enrollment } from './Enrollment.tsx';
import { Transactions } from './Transactions.tsx';
import { Figures } from './Figures.tsx';
import { MenuEditor } from './MenuEditor.tsx';
import { ItemEditor } from './ItemEditor.tsx';
import { HallEditor } from './HallEditor.tsx';
import { Versions } from './Versions.tsx';
import { SignIns } from './SignIns.tsx';

const ROLE_NAMES = { admin: '系统管理员', 'hall-manager': '大厅主管', 'window-staff': '窗口人员' };

type Page = 'figures' | 'devices' | 'menu' | 'items' | 'hall' | 'versions' | 'transactions' | 'enrollment' | 'sign-ins';
const PAGES: { id: Page; name: string; manager?: boolean }[] = [
  { id: 'figures', name: '数据概览' },
  { id: 'devices', name: '设备状态' },
  { id: 'menu', name: '终端菜单', manager: true },
  { id: 'items', name: '服务事项', manager: true },
  { id: 'hall', name: '窗口与地图', manager: true },
  { id: 'versions', name: '配置版本' },
  { id: 'transactions', name: '业务记录' },
  { id: 'enrollment', name: '注册码', manager: true },
  { id: 'sign-ins', name: '登录安全', manager: true },
];

function Login({ onDone }: { onDone(u: StaffUser): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      className="login"
      onSubmit={(e) => {
        e.preventDefault();
        setError('');
        platform<SignedIn>('POST', '/api/login', { username, password })
          .then((r) => onDone(r.user))
          .catch((err: PlatformError) => setError(err.status === 401 ? '用户名或密码错误' : err.status === 429 ? '失败次数过多，账号已暂时锁定，请稍后再试或联系管理员' : err.message));
      }}
    >
      <h1>小今 管理后台</h1>
      <label>
        用户名
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      </label>
      <label>
        密码
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error ? <p className="bad" role="alert">{error}</p> : null}
      <button className="primary" type="submit">
        登录
      </button>
    </form>
  );
}

export function App() {
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  const [page, setPage] = useState<Page>(() => (location.hash.slice(1) as Page) || 'figures');
  useEffect(() => {
    platform<SignedIn>('GET', '/api/me')
      .then((r) => setUser(r.user))
      .catch(() => setUser(null));
  }, []);
  useEffect(() => {
    location.hash = page;
  }, [page]);
  if (user === undefined) return null;
  if (!user) return <Login onDone={setUser} />;
  const manager = user.role !== 'window-staff';
  const pages = PAGES.filter((p) => manager || !p.manager);
  const current = pages.find((p) => p.id === page) ? page : 'figures';
  return (
    <DraftProvider>
      <div className="shell">
        <nav className="side" aria-label="主菜单">
          <div className="brand">小今 管理后台</div>
          {pages.map((p) => (
            <button key={p.id} className={p.id === current ? 'active' : ''} onClick={() => setPage(p.id)}>
              {p.name}
            </button>
          ))}
          <div className="who">
            {user.displayName}
            <div className="muted small">{ROLE_NAMES[user.role]}</div>
            <button onClick={() => void platform('POST', '/api/logout').then(() => setUser(null))}>退出登录</button>
          </div>
        </nav>
        <main>
          {current === 'figures' && <Figures canClose />}
          {current === 'devices' && <Devices canManage={manager} />}
          {current === 'menu' && <MenuEditor />}
          {current === 'items' && <ItemEditor />}
          {current === 'hall' && <HallEditor />}
          {current === 'versions' && <Versions canRestore={manager} />}
          {current === 'transactions' && <Transactions />}
          {current === 'enrollment' && <Enrollment />}
          {current === 'sign-ins' && <SignIns />}
          {manager ? <SaveBar /> : null}
        </main>
      </div>
    </DraftProvider>
  );
}
