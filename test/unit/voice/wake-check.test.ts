import { describe, expect, it } from 'vitest';
import { neighbourSpellings, phraseDistance } from '../../../models/voice/wake-check.ts';

const t = (s: string) => s.split(' ');

describe('the wake check’s rivals and matching', () => {
  it('swaps each syllable’s initial for its confusable neighbours everywhere the syllable occurs', () => {
    expect(neighbourSpellings(t('x iǎo j īn x iǎo j īn')).map((x) => x.join(' '))).toEqual([
      'j iǎo j īn j iǎo j īn',
      'q iǎo j īn q iǎo j īn',
      'x iǎo q īn x iǎo q īn',
      'x iǎo x īn x iǎo x īn',
    ]);
    // 洗手间: x, sh and j each have neighbours; n of 你 has none.
    expect(neighbourSpellings(t('x ǐ sh ǒu j iān')).map((x) => x.join(' '))).toContain('x ǐ ch ǒu j iān');
    expect(neighbourSpellings(t('n ǐ h ǎo'))).toEqual([]);
  });

  it('measures a phrase against the best stretch of what was heard, a tone slip costing half', () => {
    const wake = t('x iǎo j īn x iǎo j īn');
    expect(phraseDistance(wake, t('q ǐng w èn x iǎo j īn x iǎo j īn'))).toBe(0);
    expect(phraseDistance(wake, t('x iǎo y īn x iāo y īn'))).toBe(2.5);
    expect(phraseDistance(wake, t('x iǎo x īn x iǎo x īn'))).toBe(2);
    expect(phraseDistance(t('x iǎo x īn x iǎo x īn'), t('x iǎo x īn x iǎo x īn'))).toBe(0);
    // Half the phrase missing: four units to insert.
    expect(phraseDistance(wake, t('x iǎo j īn y ú'))).toBe(4);
    expect(phraseDistance(wake, [])).toBe(8);
  });
});
