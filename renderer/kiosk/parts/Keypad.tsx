/**
 * A digit keypad for short codes (the booking code): big keys, the digits typed so far
 * in boxes, and a confirm key that waits until the code is whole.
 */
import { useTranslation } from 'react-i18next';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

interface Props {
  value: string;
  length: number;
  onChange(value: string): void;
  onConfirm(): void;
  busy?: boolean;
}

export function Keypad({ value, length, onChange, onConfirm, busy }: Props) {
  const { t } = useTranslation();
  const type = (d: string) => value.length < length && onChange(value + d);
  return (
    <div className="keypad" data-testid="keypad">
      <div className="keypad-code" data-testid="keypad-code" aria-live="polite">
        {Array.from({ length }, (_, i) => (
          <span key={i} className="keypad-digit">{value[i] ?? ''}</span>
        ))}
      </div>
      <div className="keypad-keys">
        {KEYS.map((d) => (
          <button key={d} data-key={d} onClick={() => type(d)} disabled={busy}>{d}</button>
        ))}
        <button data-key="clear" onClick={() => onChange('')} disabled={busy}>{t('keypad.clear')}</button>
        <button data-key="0" onClick={() => type('0')} disabled={busy}>0</button>
        <button data-key="del" onClick={() => onChange(value.slice(0, -1))} disabled={busy} aria-label={t('keypad.delete')}>⌫</button>
      </div>
      <button className="primary big" data-testid="keypad-confirm" disabled={busy || value.length !== length} onClick={onConfirm}>
        {t('keypad.confirm')}
      </button>
    </div>
  );
}
