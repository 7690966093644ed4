/**
 * 小今's screen (portrait): a friendly face and greeting, the big answer card, suggested
 * questions as buttons, typed input, clarification options as big buttons, and the
 * hall map with the route while the robot leads someone.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { HelpButton } from '../shared/HelpButton.tsx';
import { startSpeechPlayer } from '../shared/speech.ts';
import type { GuideStatus, RobotAnswer, RobotHome, RobotSay, RobotStateView } from '../../protocol/ui/domains/robot.ts';
import { AnswerCard } from './AnswerCard.tsx';
import { RobotMap } from './RobotMap.tsx';
import { VoicePanel } from './VoicePanel.tsx';
import { FollowCheck } from './FollowCheck.tsx';
import { TicketButton } from './TicketButton.tsx';
import { useTranslation } from 'react-i18next';
import { LangSwitch } from '../i18n/LangSwitch.tsx';
import { htmlLang, isLang, setLang, type Lang } from '../i18n/index.ts';

export function RobotApp() {
  const [home, setHome] = useState<RobotHome | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<RobotAnswer | null>(null);
  const [guide, setGuide] = useState<GuideStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [robot, setRobot] = useState<RobotStateView | null>(null);
  const [said, setSaid] = useState<RobotSay | null>(null);
  // The robot follows the visitor's choice, as the kiosk does; the host answers in it too.
  const { t, i18n } = useTranslation();
  const lang: Lang = isLang(i18n.language) ? i18n.language : 'zh';

  useEffect(() => {
    let live = true;
    api.call('robot.home', { lang }).then((h) => {
      if (!live) return;
      setHome(h);
      setGuide(h.guide);
      setRobot(h.robot);
    }, (e: Error) => setError(e.message));
    return () => {
      live = false;
    };
  }, [lang]);

  useEffect(() => startSpeechPlayer().stop, []);

  useEffect(() => api.on('robot.guide', (s) => setGuide(s.state === 'docked' ? null : s)), []);
  useEffect(() => api.on('robot.state', setRobot), []);
  // What the robot says on its walk (请跟我来, 请让一让, directions) is shown and spoken.
  useEffect(
    () =>
      api.on('robot.say', (s) => {
        setSaid(s);
        void api.call('kiosk.speak', { text: s.text.slice(0, 500), lang: 'zh' }).catch(() => {});
      }),
    [],
  );
  // The visitor's yes: the only way the screen starts a walk.
  const lead = (id: string) => {
    setError(null);
    api.call('robot.guide', { target: id, confirmed: true }).then(setGuide, (e: Error) => setError(e.message));
  };
  // The host sends every screen home between visitors; the next one starts in Chinese.
  useEffect(() => api.on('kiosk.reset', () => setLang('zh')), []);
  // A spoken question's answer shows the same card as a typed one.
  useEffect(() => api.on('voice.answer', ({ answer: a }) => a && setAnswer(a)), []);

  const ask = useCallback(
    async (question: string, choice?: number) => {
      if (!question.trim() && choice === undefined) return;
      setBusy(true);
      setError(null);
      try {
        const reply = await api.call('robot.ask', { text: question.trim() || `第${choice}个`, lang, ...(choice !== undefined ? { choice } : {}) });
        setAnswer(reply);
        // The robot says its answer; a robot without a voice still shows it.
        void api.call('kiosk.speak', { text: reply.answer.slice(0, 500), lang }).catch(() => {});
        setText('');
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [lang],
  );

  const target = guide?.target ?? answer?.guide?.id ?? null;
  const showMap = home && (guide || answer?.guide);
  return (
    <main className={`robot ${guide ? 'guiding' : ''}`} lang={htmlLang(lang)}>
      <header>
        <div className="face" aria-hidden="true">
          <span className="eye" />
          <span className="eye" />
          <span className="smile" />
        </div>
        <div className="title">
          <h1>{home?.name ?? t('name')}</h1>
          <p>{home?.hallName ?? t('offline')}</p>
        </div>
        <LangSwitch />
      </header>

      {robot?.base && (
        <div className={`robot-state ${robot.state}`} data-testid="robot-state" data-state={robot.state}>
          <strong>{t(`state.${robot.state}`)}</strong>
          {robot.battery !== null && <span data-testid="battery">{t('battery', { count: Math.round(robot.battery) })}</span>}
          {robot.distanceRemaining !== null && robot.state === 'guiding' && <span data-testid="remaining">{t('metres', { count: robot.distanceRemaining })}</span>}
          {robot.reason && <span className="reason">{robot.reason}</span>}
          {robot.state === 'stopped' || robot.state === 'fault' ? (
            <button data-testid="resume" onClick={() => void api.call('robot.resume', {}).then(setRobot)}>{t('resume')}</button>
          ) : (
            <button className="estop" data-testid="estop" onClick={() => void api.call('robot.estop', {}).then(setRobot)}>{t('estop')}</button>
          )}
        </div>
      )}
      {said && <p className="robot-say" data-testid="robot-say" data-kind={said.kind}>{said.text}</p>}
      {robot?.followCheck && <FollowCheck check={robot.followCheck} onAnswered={setRobot} />}

      {guide && (
        <div className={`guide-banner ${guide.state}`} data-testid="guide" data-state={guide.state}>
          <strong>{t(`guide.${guide.state}`)}</strong> {guide.name} · {t('metres', { count: guide.metres })}
          {guide.state === 'leading' && (
            <button onClick={() => api.call('robot.stop', {}).then(setGuide)}>{t('stop')}</button>
          )}
        </div>
      )}

      <VoicePanel />

      <div className="stage">
        {answer ? (
          <AnswerCard answer={answer} onChoose={(i) => ask('', i)} chooseLabel={t('clarify')} />
        ) : (
          <section className="welcome">
            <p className="spoken">{t('listening')}</p>
            <p className="hint">{t('hint')}</p>
          </section>
        )}
        {/* An offer's answers (是 / 不用) are the visitor's next turn, as if said: the yes leads through the host. */}
        {answer?.choices?.length && !guide ? (
          <div className="choices" role="group">
            {answer.choices.map((c) => (
              <button key={c.label} className="primary choice" data-testid="choice" disabled={busy} onClick={() => void ask(c.reply)}>
                {c.label}
              </button>
            ))}
          </div>
        ) : (
          answer?.guide && !answer.lead && !guide && (
            <button className="primary lead" data-testid="lead" onClick={() => lead(answer.guide!.id)}>
              {t('lead')} {answer.guide.name}
            </button>
          )
        )}
        {answer?.ticket && <TicketButton key={`${answer.ticket.group}:${answer.answer}`} ticket={answer.ticket} />}
        {showMap && <RobotMap home={home} guide={guide} target={target} robot={robot} />}
        {error && <p className="error" role="alert">{error}</p>}
      </div>

      <footer>
        <div className="suggestions">
          {(home?.suggestions ?? []).map((s) => (
            <button key={s} className="suggestion" data-testid="suggestion" disabled={busy} onClick={() => ask(s)}>
              {s}
            </button>
          ))}
        </div>
        <form
          className="ask"
          onSubmit={(e) => {
            e.preventDefault();
            void ask(text);
          }}
        >
          <input data-testid="question" value={text} maxLength={200} placeholder={t('placeholder')} onChange={(e) => setText(e.target.value)} />
          <button className="primary" type="submit" disabled={busy || !text.trim()}>{busy ? t('thinking') : t('ask')}</button>
        </form>
        {answer && (
          <button
            className="restart"
            onClick={() => {
              setAnswer(null);
              void api.call('robot.reset', {});
            }}
          >
            {t('restart')}
          </button>
        )}
      </footer>
      <HelpButton screen="robot" />
    </main>
  );
}
