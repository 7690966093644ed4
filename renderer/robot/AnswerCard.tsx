/** The big answer card: the spoken sentence, then the card's sections; options as big buttons. */
import type { RobotAnswer } from '../../protocol/ui/domains/robot.ts';

interface Props {
  answer: RobotAnswer;
  onChoose: (index: number) => void;
  chooseLabel: string;
}

export function AnswerCard({ answer, onChoose, chooseLabel }: Props) {
  const card = answer.card;
  const options = answer.clarify?.options ?? [];
  return (
    <section className="answer" data-intent={answer.intent} aria-live="polite">
      <p className="spoken" data-testid="answer">{answer.answer}</p>
      {options.length > 0 && (
        <div className="options" role="group" aria-label={chooseLabel}>
          {options.map((o) => (
            <button key={o.index} className="option" data-testid="option" onClick={() => onChoose(o.index)}>
              <span className="num">{o.index}</span>
              {o.title}
            </button>
          ))}
        </div>
      )}
      {card && card.kind !== 'message' && card.kind !== 'clarify' && (
        <article className="card" data-testid="card">
          <h2>{card.title}</h2>
          {card.subtitle && <p className="subtitle">{card.subtitle}</p>}
          {card.sections.map((s) => (
            <div className="section" key={s.label}>
              <h3>{s.label}</h3>
              <ul>
                {s.lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
            </div>
          ))}
        </article>
      )}
    </section>
  );
}
