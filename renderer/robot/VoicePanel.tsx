/**
 * The voice strip of the robot's screen: what the robot is doing (listening, thinking,
 * speaking), a live input level, what it heard, the caption of what it is saying, and the
 * touch-to-talk button. It also plays the spoken answer and cuts it on barge-in.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.ts';
import type { VoiceNotice, VoiceStateName } from '../../protocol/ui/domains/voice.ts';
import { startMicrophone, type MicState } from './microphone.ts';

export function VoicePanel() {
  const { t } = useTranslation();
  const [state, setState] = useState<VoiceStateName>('off');
  const [level, setLevel] = useState(0);
  const [heard, setHeard] = useState<string | null>(null);
  const [caption, setCaption] = useState<string | null>(null);
  const [mic, setMic] = useState<MicState>({ kind: 'off' });
  const [notices, setNotices] = useState<VoiceNotice[]>([]);
  const audio = useRef<{ el: HTMLAudioElement; url: string } | null>(null);

  useEffect(() => {
    const hush = () => {
      const a = audio.current;
      audio.current = null;
      if (!a) return;
      a.el.pause();
      URL.revokeObjectURL(a.url);
    };
    const offs = [
      api.on('voice.state', ({ state: s }) => {
        setState(s);
        if (s === 'listening') setCaption(null);
      }),
      api.on('voice.level', ({ level: l }) => setLevel(l)),
      api.on('voice.heard', ({ text }) => setHeard(text)),
      api.on('voice.hush', hush),
      api.on('voice.say', ({ caption: c, wav }) => {
        hush();
        setCaption(c);
        const bytes = Uint8Array.from(atob(wav), (ch) => ch.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
        const el = new Audio(url);
        audio.current = { el, url };
        void el.play().catch(() => {});
      }),
    ];
    let stopMic: (() => void) | null = null;
    let cancelled = false;
    void api
      .call('voice.status', {})
      .then(async (status) => {
        setState(status.state);
        setNotices(status.notices);
        if (status.state === 'off' || cancelled) return;
        // Asked once per page load; the browser remembers a refusal and so does this screen.
        const m = await startMicrophone(api, setMic);
        if (cancelled) m.stop();
        else stopMic = () => m.stop();
      })
      .catch(() => setState('off'));
    return () => {
      cancelled = true;
      offs.forEach((off) => off());
      stopMic?.();
      hush();
    };
  }, []);

  const micProblem = mic.kind === 'denied' ? t('voice.denied') : mic.kind === 'unavailable' ? t('voice.unavailable') : null;
  // A missing recognition model is the usual case (no Chinese model can be fetched here) and is said aloud when it matters; the rest is damage or absence staff must fix.
  const shown = notices.filter((n) => !(n.stage === 'stt' && n.problem === 'not-installed'));
  const stageProblems = shown.map((n) => ({ key: `${n.stage}-${n.problem}`, text: t(`voice.notice.${n.stage}-${n.problem}`) }));
  if (state === 'off' && stageProblems.length === 0) stageProblems.push({ key: 'off', text: t('voice.noVoice') });
  return (
    <section className={`voice ${state}`} data-testid="voice" data-state={state} data-mic={mic.kind}>
      <button
        className="talk"
        data-testid="talk"
        disabled={state === 'off'}
        onClick={() => void api.call('voice.touch', {}).catch(() => {})}
      >
        {t('voice.talk')}
      </button>
      <div className="voice-status">
        <strong data-testid="voice-state">{t(`voice.${state}`)}</strong>
        <div className="level" aria-hidden="true">
          <span data-testid="level" data-level={level} style={{ width: `${Math.round(level * 100)}%` }} />
        </div>
        {heard && (
          <p className="heard" data-testid="heard">
            {t('voice.heard')}
            {heard}
          </p>
        )}
        {caption && <p className="caption" data-testid="caption">{caption}</p>}
        {micProblem && state !== 'off' && <p className="mic-problem" role="status" data-testid="mic-problem">{micProblem}</p>}
        {stageProblems.map((p) => (
          <p key={p.key} className="mic-problem" role="status" data-testid="voice-notice" data-notice={p.key}>
            {p.text}
          </p>
        ))}
      </div>
    </section>
  );
}
