/**
 * The robot's name as a wake phrase. A visitor who only calls the robot (小今小今, 嘿小今)
 * asks nothing yet: that is a greeting that opens the microphone, not an unknown question.
 * One who calls it and asks (小今小今，护照在哪办) asks the rest. The name is the hall's
 * (a hall may rename its robot) and is compared by sound, because a recogniser writes
 * whatever characters it likes for a name it has never seen (小金, 晓今).
 */
import { fuzzySyllable, readingsOf, unitsOf } from './pinyin.ts';

/** Calls that go with the name and say nothing on their own. */
const CALLS = /^(?:嘿|嗨|喂|哎|诶|你好|您好|哈喽|hey|hi|hello|ok)+/i;
const PAUSE = /^[\s,.!?;:'"、，。！？]+/;

export class WakePhrase {
  private readonly name: string[];

  constructor(private readonly robotName: string) {
    this.name = unitsOf(robotName).map((u) => u.fuzzy);
  }

  /** Whether the character is heard as the name's i-th syllable. */
  private sounds(ch: string, i: number): boolean {
    return readingsOf(ch).some((r) => fuzzySyllable(r) === this.name[i]);
  }

  /**
   * The text with leading calls of the robot cut off, and whether nothing else was said.
   * A name heard only by sound needs two calls or a greeting word beside it, so a question
   * that happens to start with the name's sounds (小金库) keeps them.
   */
  strip(norm: string): { rest: string; called: boolean; only: boolean } {
    let s = norm.trim();
    let calls = 0;
    let exact = false;
    let greeted = false;
    for (;;) {
      const before = s;
      const c = CALLS.exec(s);
      if (c) {
        greeted = true;
        s = s.slice(c[0].length);
      }
      s = s.replace(PAUSE, '');
      const chars = [...s];
      if (this.name.length && chars.length >= this.name.length && this.name.every((_, i) => this.sounds(chars[i], i))) {
        exact ||= chars.slice(0, this.name.length).join('') === this.robotName;
        calls++;
        s = chars.slice(this.name.length).join('').replace(PAUSE, '');
      }
      if (s === before) break;
    }
    const called = calls > 0 && (exact || calls > 1 || greeted);
    if (!called) return { rest: norm, called: false, only: false };
    const rest = s.replace(/^[啊呀呢吧]+/, '').replace(PAUSE, '');
    return { rest, called: true, only: rest.length === 0 };
  }
}
