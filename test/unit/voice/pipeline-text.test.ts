import { describe, expect, it } from 'vitest';
import { levelOf, scrubTranscript, sentencesOf } from '../../../models/voice/pipeline.ts';

describe('voice pipeline text helpers', () => {
  it('keeps ID, phone and account numbers out of traces, in Arabic or Chinese digits', () => {
    expect(scrubTranscript('我的身份证是44010419680315003X')).toBe('我的身份证是#');
    expect(scrubTranscript('电话一三八零零一三八零零零')).toBe('电话#');
    expect(scrubTranscript('去A01号窗口，取3号')).toBe('去A01号窗口，取3号');
    expect(scrubTranscript('长'.repeat(300))).toHaveLength(120);
  });

  it('splits an answer into sentences for speaking, keeping their punctuation', () => {
    expect(sentencesOf('请到B01窗口。需要我带您过去吗？')).toEqual(['请到B01窗口。', '需要我带您过去吗？']);
    expect(sentencesOf('Window B01! Shall I take you?')).toEqual(['Window B01!', 'Shall I take you?']);
    expect(sentencesOf('  \n ')).toEqual([]);
  });

  it('gives silence no level and loud speech a high one', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(new Float32Array(512).fill(0.5))).toBeGreaterThan(0.8);
    expect(levelOf(new Float32Array(512).fill(0.01))).toBeLessThan(levelOf(new Float32Array(512).fill(0.1)));
  });
});
