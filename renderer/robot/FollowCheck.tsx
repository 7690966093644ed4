/**
 * The follow check on the robot's screen: the walk has paused and the robot asks 您还跟着我吗?
 * with one big button. The countdown is the screen's own from the seconds the robot gave;
 * the robot decides when the time is up, so a slow screen can never end a walk.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.ts';
import type { RobotStateView } from '../../protocol/ui/domains/robot.ts';

export function FollowCheck({ check, onAnswered }: { check: NonNullable<RobotStateView['followCheck']>; onAnswered: (view: RobotStateView) => void }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(check.secondsLeft);
  useEffect(() => {
    setLeft(check.secondsLeft);
    const timer = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, [check]);
  return (
    <div className="follow-check" role="alertdialog" aria-label={t('followCheck.question')} data-testid="follow-check">
      <p className="question">{t('followCheck.question')}</p>
      <button className="primary" data-testid="follow-yes" onClick={() => void api.call('robot.following', {}).then(onAnswered)}>
        {t('followCheck.yes')}
      </button>
      <p className="muted" data-testid="follow-left">
        {t('followCheck.left', { count: left })}
      </p>
    </div>
  );
}
