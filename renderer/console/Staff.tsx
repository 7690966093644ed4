/**
 * Staff accounts (administrators only): each window clerk signs in as themselves, so the
 * audit says who did what and nobody needs the admin password. Create, change role,
 * disable or enable, and set a new password (which signs the account out everywhere).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform, PlatformError } from '../shared/platform.ts';
import { STAFF_ROLES, type StaffAccount, type StaffAnswer, type StaffPatch, type StaffRole } from '../../protocol/platform-http.ts';
import { fmtTime } from './format.ts';
import { TableHead } from './TableHead.tsx';

const MIN_PASSWORD = 8;

function RoleSelect({ value, onChange, label }: { value: StaffRole; onChange(r: StaffRole): void; label: string }) {
  const { t } = useTranslation();
  return (
    <select value={value} aria-label={label} onChange={(e) => onChange(e.target.value as StaffRole)}>
      {STAFF_ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

export function Staff({ me }: { me: string }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<StaffAccount[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'window-staff' as StaffRole, password: '' });
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = async () => setUsers((await platform<StaffAnswer>('GET', '/api/staff')).users);
  useEffect(() => {
    void load();
  }, []);

  // The platform's refusal is already a sentence naming the field; passwords never appear in it.
  const run = async (done: string, call: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await call();
      setMessage({ ok: true, text: done });
      await load();
      return true;
    } catch (err) {
      setMessage({ ok: false, text: err instanceof PlatformError ? err.message : String(err) });
      return false;
    }
  };
  const patch = (u: StaffAccount, body: StaffPatch, done: string) => run(done, () => platform('PATCH', `/api/staff/${u.id}`, body));

  const create = async () => {
    if (form.password.length < MIN_PASSWORD) return setMessage({ ok: false, text: t('staff.tooShort', { count: MIN_PASSWORD }) });
    const body = { username: form.username.trim(), role: form.role, password: form.password, ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}) };
    if (await run(t('staff.created', { username: body.username }), () => platform('POST', '/api/staff', body))) setForm({ username: '', displayName: '', role: 'window-staff', password: '' });
  };

  const reset = async (u: StaffAccount) => {
    if (newPassword.length < MIN_PASSWORD) return setMessage({ ok: false, text: t('staff.tooShort', { count: MIN_PASSWORD }) });
    if (await patch(u, { password: newPassword }, t('staff.passwordSet', { username: u.username }))) {
      setResetFor(null);
      setNewPassword('');
    }
  };

  return (
    <section>
      <h2>{t('staff.title')}</h2>
      <p className="muted">{t('staff.intro')}</p>
      <form
        className="form-row"
        aria-label={t('staff.new')}
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input name="new-username" required placeholder={t('staff.username')} aria-label={t('staff.username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <input name="new-display-name" placeholder={t('staff.displayName')} aria-label={t('staff.displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        <RoleSelect label={t('staff.newRole')} value={form.role} onChange={(role) => setForm({ ...form, role })} />
        <input name="new-password" type="password" autoComplete="new-password" required placeholder={t('staff.password')} aria-label={t('staff.password')} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <button className="primary" type="submit">
          {t('staff.create')}
        </button>
      </form>
      {message ? (
        <p className={message.ok ? 'ok' : 'bad'} role={message.ok ? 'status' : 'alert'} data-testid="staff-message">
          {message.text}
        </p>
      ) : null}
      <table className="grid" aria-label={t('staff.title')}>
        <TableHead labels={[t('staff.username'), t('staff.displayName'), t('staff.role'), t('staff.state'), t('staff.createdAt'), '']} />
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-user={u.username} className={u.disabled ? 'muted' : ''}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                {u.id === me ? t(`role.${u.role}`) : <RoleSelect label={t('staff.roleOf', { username: u.username })} value={u.role} onChange={(role) => void patch(u, { role }, t('staff.roleSet', { username: u.username, role: t(`role.${role}`) }))} />}
              </td>
              <td className="account-state">{u.disabled ? t('staff.disabled') : t('staff.active')}</td>
              <td>{fmtTime(u.createdAt)}</td>
              <td>
                {u.id === me ? (
                  <span className="muted">{t('staff.you')}</span>
                ) : (
                  <button data-action="toggle" onClick={() => void patch(u, { disabled: !u.disabled }, t(u.disabled ? 'staff.enabledDone' : 'staff.disabledDone', { username: u.username }))}>
                    {u.disabled ? t('staff.enable') : t('staff.disable')}
                  </button>
                )}
                {resetFor === u.id ? (
                  <span className="reset">
                    <input type="password" autoComplete="new-password" aria-label={t('staff.newPasswordFor', { username: u.username })} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
                    <button className="primary" data-action="set-password" onClick={() => void reset(u)}>
                      {t('staff.setPassword')}
                    </button>
                  </span>
                ) : (
                  <button data-action="reset" onClick={() => {
                      setResetFor(u.id);
                      setNewPassword('');
                    }}>
                    {t('staff.resetPassword')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
