import { describe, expect, it } from 'vitest';
import { levelOf, scrubTranscript, sentencesOf, speechPieces } from '../../../models/voice/pipeline.ts';

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

  it('cuts a long first sentence after its first comma so speech can start on a short piece', () => {
    expect(speechPieces('洗手间在一楼东侧，出电梯右转。需要我带您过去吗？')).toEqual(['洗手间在一楼东侧，', '出电梯右转。', '需要我带您过去吗？']);
    expect(speechPieces('Window B01, on floor 1. Shall I take you?')).toEqual(['Window B01,', 'on floor 1. Shall I take you?']);
    // Too short to be worth cutting, and lists are not cut at 、.
    expect(speechPieces('好的，请稍等。')).toEqual(['好的，请稍等。']);
    expect(speechPieces('请到B01、B10窗口。')).toEqual(['请到B01、B10窗口。']);
    expect(speechPieces('')).toEqual([]);
  });

  it('gives silence no level and loud speech a high one', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(new Float32Array(512).fill(0.5))).toBeGreaterThan(0.8);
    expect(levelOf(new Float32Array(512).fill(0.01))).toBeLessThan(levelOf(new Float32Array(512).fill(0.1)));
  });
});
