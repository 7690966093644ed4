/** The staff console: sign-in, then one page per task, shown by role. */
import { HelpAlerts } from '../shared/HelpAlerts.tsx';
import { useEffect, useState } from 'react';
import { platform, PlatformError } from '../shared/platform.ts';
import type { SignedIn, StaffUser } from '../../protocol/platform-http.ts';
import { DraftProvider, SaveBar } from './config-draft.tsx';
import { Devices } from './Devices.tsx';
import { Enrollment } from './Enrollment.tsx';
import { Transactions } from './Transactions.tsx';
import { Faults } from './Faults.tsx';
import { Figures } from './Figures.tsx';
import { MenuEditor } from './MenuEditor.tsx';
import { ItemEditor } from './ItemEditor.tsx';
import { HallEditor } from './HallEditor.tsx';
import { BundleEditor } from './BundleEditor.tsx';
import { Versions } from './Versions.tsx';
import { SignIns } from './SignIns.tsx';
import { Staff } from './Staff.tsx';
import { useTranslation } from 'react-i18next';
import { LangSwitch } from '../i18n/LangSwitch.tsx';


type Page = 'figures' | 'devices' | 'menu' | 'items' | 'bundles' | 'hall' | 'versions' | 'transactions' | 'faults' | 'enrollment' | 'sign-ins' | 'staff';
const PAGES: { id: Page; manager?: boolean; admin?: boolean }[] = [
  { id: 'figures' },
  { id: 'devices' },
  { id: 'menu', manager: true },
  { id: 'items', manager: true },
  { id: 'bundles', manager: true },
  { id: 'hall', manager: true },
  { id: 'versions' },
  { id: 'transactions' },
  { id: 'faults' },
  { id: 'enrollment', manager: true },
  { id: 'sign-ins', manager: true },
  { id: 'staff', admin: true },
];

function Login({ onDone }: { onDone(u: StaffUser): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const { t } = useTranslation();
  return (
    <form
      className="login"
      onSubmit={(e) => {
        e.preventDefault();
        setError('');
        platform<SignedIn>('POST', '/api/login', { username, password })
          .then((r) => onDone(r.user))
          .catch((err: PlatformError) => setError(err.status === 401 ? t('login.wrong') : err.status === 429 ? t('login.locked') : err.message));
      }}
    >
      <LangSwitch remember />
      <h1>{t('brand')}</h1>
      <label>
        {t('login.username')}
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      </label>
      <label>
        {t('login.password')}
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error ? <p className="bad" role="alert">{error}</p> : null}
      <button className="primary" type="submit">
        {t('login.submit')}
      </button>
    </form>
  );
}

export function App() {
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  const [page, setPage] = useState<Page>(() => (location.hash.slice(1) as Page) || 'figures');
  const { t } = useTranslation();
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
  const pages = PAGES.filter((p) => (manager || !p.manager) && (user.role === 'admin' || !p.admin));
  const current = pages.find((p) => p.id === page) ? page : 'figures';
  return (
    <DraftProvider>
      <div className="shell">
        <nav className="side" aria-label={t('mainMenu')}>
          <div className="brand">{t('brand')}</div>
          <LangSwitch remember />
          {pages.map((p) => (
            <button key={p.id} className={p.id === current ? 'active' : ''} onClick={() => setPage(p.id)}>
              {t(`page.${p.id}`)}
            </button>
          ))}
          <div className="who">
            {user.displayName}
            <div className="muted small">{t(`role.${user.role}`)}</div>
            <button onClick={() => void platform('POST', '/api/logout').then(() => setUser(null))}>{t('signOut')}</button>
          </div>
        </nav>
        <main>
          <HelpAlerts />
          {current === 'figures' && <Figures canClose />}
          {current === 'devices' && <Devices canManage={manager} />}
          {current === 'menu' && <MenuEditor />}
          {current === 'items' && <ItemEditor />}
          {current === 'bundles' && <BundleEditor />}
          {current === 'hall' && <HallEditor />}
          {current === 'versions' && <Versions canRestore={manager} />}
          {current === 'transactions' && <Transactions />}
          {current === 'faults' && <Faults />}
          {current === 'enrollment' && <Enrollment />}
          {current === 'sign-ins' && <SignIns />}
          {current === 'staff' && <Staff me={user.id} />}
          {manager ? <SaveBar /> : null}
        </main>
      </div>
    </DraftProvider>
  );
}
