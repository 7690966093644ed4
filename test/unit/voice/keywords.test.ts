import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VoiceSettings } from '../../../config/schema.ts';
import { loadConfigDir } from '../../../config/load.ts';
import { keywordLines, keywordsFromConfig, KeywordTokenError, parseTokens, phraseSpellings, sandhiSyllables } from '../../../models/voice/keywords.ts';
import { MIRROR, KWS } from '../../integration/voice/mirror.ts';

const valid = parseTokens(readFileSync(resolve(MIRROR, KWS, 'tokens.txt'), 'utf8'));

describe('keyword spellings for the spotter', () => {
  it('turns every third tone but the last of a run into a second tone', () => {
    expect(sandhiSyllables(['nǐ', 'hǎo', 'xiǎo', 'jīn'])).toEqual(['ní', 'háo', 'xiǎo', 'jīn']);
    expect(sandhiSyllables(['xǐ', 'shǒu', 'jiān'])).toEqual(['xí', 'shǒu', 'jiān']);
    expect(sandhiSyllables(['xiǎo', 'jīn', 'xiǎo', 'jīn'])).toBeNull();
    expect(sandhiSyllables(['dài', 'wǒ', 'qù'])).toBeNull();
  });

  it('lists a phrase said with sandhi twice under one name, the dictionary spelling first', () => {
    const specs = keywordsFromConfig(VoiceSettings.parse({ wakeWords: ['小今小今', '你好小今'], commandWords: ['洗手间'] }));
    expect(keywordLines(specs, valid).trim().split('\n')).toEqual([
      'x iǎo j īn x iǎo j īn :1.75 #0.05 @小今小今',
      'n ǐ h ǎo x iǎo j īn :1.75 #0.05 @你好小今',
      'n í h áo x iǎo j īn :1.75 #0.05 @你好小今',
      'x ǐ sh ǒu j iān :1.5 #0.15 @洗手间',
      'x í sh ǒu j iān :1.5 #0.15 @洗手间',
    ]);
  });

  it('keeps the dictionary spelling when the model lacks a unit of the spoken one, and refuses a phrase it cannot spell at all', () => {
    const noSecondTone = new Set([...valid].filter((t) => t !== 'í'));
    expect(phraseSpellings('你好小今', noSecondTone).map((t) => t.join(' '))).toEqual(['n ǐ h ǎo x iǎo j īn']);
    const noThirdTone = new Set([...valid].filter((t) => t !== 'ǐ'));
    expect(() => phraseSpellings('你好小今', noThirdTone)).toThrow(KeywordTokenError);
  });

  it('ships the hall with the wake settings of the schema and a bounded search width', () => {
    const voice = loadConfigDir().robot.voice;
    const defaults = VoiceSettings.parse({});
    expect(voice.wake).toEqual(defaults.wake);
    expect(voice.spotterPaths).toBe(defaults.spotterPaths);
    expect(() => VoiceSettings.parse({ spotterPaths: 0 })).toThrow(/spotterPaths/);
    expect(() => VoiceSettings.parse({ spotterPaths: 65 })).toThrow(/spotterPaths/);
  });
});
