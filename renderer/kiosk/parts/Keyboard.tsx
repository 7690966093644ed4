/**
 * The on-screen keyboard. In pinyin mode letters gather into a composition and the
 * candidate bar offers catalogue words and characters for it; the screen sees committed
 * text plus the composition, so a search runs on the letters as they are typed too.
 * A physical keyboard types into the same composition (a teller machine has one), and a
 * system input method's text arrives whole when its composition ends. The length limit
 * is shown as a counter, and said when reached, instead of keys silently doing nothing.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PinyinIme } from '../search/ime.ts';
import type { SearchIndex } from '../search/index.ts';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

let shared: { index: SearchIndex | null; ime: PinyinIme } | null = null;
/** One input method per index: building its character table takes a moment, so it is kept. */
function imeFor(index: SearchIndex | null): PinyinIme {
  if (!shared || shared.index !== index) {
    shared = { index, ime: new PinyinIme(index?.charFrequency(), index ? (l) => index.phrases(l) : undefined) };
  }
  return shared.ime;
}

interface Props {
  index: SearchIndex | null;
  onChange: (value: string) => void;
  maxLength?: number;
}

export function Keyboard({ index, onChange, maxLength = 40 }: Props) {
  const { t } = useTranslation();
  const [committed, setCommitted] = useState('');
  const [composition, setComposition] = useState('');
  const [pinyinMode, setPinyinMode] = useState(true);
  const ime = useMemo(() => (pinyinMode ? imeFor(index) : null), [index, pinyinMode]);
  const candidates = useMemo(() => (ime && composition ? ime.candidates(composition, 24) : []), [ime, composition]);

  useEffect(() => onChange(committed + composition), [committed, composition, onChange]);

  const length = [...committed + composition].length;
  const full = length >= maxLength;
  const composing = useRef(false);
  const type = (key: string) => {
    if (full) return;
    if (pinyinMode && /[a-z]/.test(key)) setComposition((c) => c + key);
    else {
      setCommitted((c) => c + composition + key);
      setComposition('');
    }
  };
  const del = () => {
    if (composition) setComposition((c) => c.slice(0, -1));
    else setCommitted((c) => [...c].slice(0, -1).join(''));
  };
  const pick = (text: string, consumes: number) => {
    setCommitted((c) => c + text);
    setComposition((c) => c.slice(consumes));
  };
  /** Text from the system's input method or a paste: committed as typed, up to the limit. */
  const insert = (text: string) => {
    const room = maxLength - length;
    if (room <= 0 || !text) return;
    setCommitted((c) => c + composition + [...text].slice(0, room).join(''));
    setComposition('');
  };
  /** The box only carries what an input method or a paste put there; the keyboard's state is the text. */
  const flush = (box: HTMLInputElement) => {
    const text = box.value;
    box.value = '';
    insert(text);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // While a system input method composes, its keys are its own.
    if (composing.current || e.nativeEvent.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === 'Backspace') del();
    else if (key === ' ' || key === 'Enter') {
      if (composition && candidates[0]) pick(candidates[0].text, candidates[0].consumes);
      else if (key === ' ') type(' ');
    } else if (/^[1-9]$/.test(key) && composition && candidates[Number(key) - 1]) {
      const c = candidates[Number(key) - 1];
      pick(c.text, c.consumes);
    } else if (/^[a-z0-9]$/.test(key)) type(key);
    else return;
    e.preventDefault();
  };

  return (
    <div className="keyboard" data-testid="keyboard">
      <div className="typing">
        <input
          className="type-here"
          data-testid="type-here"
          aria-label={t('typeHere')}
          placeholder={t('typeHere')}
          autoFocus
          onKeyDown={onKeyDown}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={(e) => {
            composing.current = false;
            flush(e.currentTarget);
          }}
          onInput={(e) => {
            // Inserted text (an input method's commit, a paste); letters typed were taken on keydown.
            if (!composing.current && !(e.nativeEvent as InputEvent).isComposing) flush(e.currentTarget);
          }}
        />
        <span className={`length ${full ? 'full' : ''}`} data-testid="length">
          {t('lengthCount', { count: length, max: maxLength })}
        </span>
        {full && (
          <span className="length-full" role="status" data-testid="length-full">
            {t('lengthFull', { max: maxLength })}
          </span>
        )}
      </div>
      <div className="candidates" aria-label={t('candidates')} data-testid="candidates">
        {composition && <span className="composition" data-testid="composition">{composition}</span>}
        {candidates.map((c) => (
          <button key={c.text} className="candidate" onClick={() => pick(c.text, c.consumes)} data-candidate={c.text}>
            {c.text}
          </button>
        ))}
      </div>
      {ROWS.map((row) => (
        <div className="key-row" key={row}>
          {[...row].map((k) => (
            <button key={k} className="key" data-key={k} onClick={() => type(k)}>
              {k.toUpperCase()}
            </button>
          ))}
        </div>
      ))}
      <div className="key-row">
        <button className="key wide" data-key="mode" onClick={() => {
          setCommitted((c) => c + composition);
          setComposition('');
          setPinyinMode((m) => !m);
        }}>
          {pinyinMode ? t('pinyinMode') : t('letterMode')}
        </button>
        <button className="key wider" data-key="space" onClick={() => (composition && candidates[0] ? pick(candidates[0].text, candidates[0].consumes) : type(' '))}>
          {t('space')}
        </button>
        <button className="key wide" data-key="delete" onClick={del}>{t('delete')}</button>
        <button className="key wide" data-key="clear" onClick={() => {
          setCommitted('');
          setComposition('');
        }}>
          {t('clear')}
        </button>
      </div>
    </div>
  );
}
