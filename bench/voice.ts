/**
 * `npm run bench:voice`: the robot's wake word on synthesised speech. Wake recall on clips
 * of 小今小今 at several speeds and pitches, clean, in a quiet room (50 dB) and in brown
 * noise at 20 and 10 dB SNR, and of 你好小今 (third-tone sandhi); false wakes per hour over
 * at least 30 minutes of other, distinct hall speech (bench/voice-corpus.ts); wake latency
 * (end of the keyword's audio → detection); end of speech → first audio sample of the
 * spoken answer through the real pipeline (Silero VAD, spotter, the robot's engine,
 * espeak-ng); CPU share of one core and memory while idle-listening. Baseline in the same
 * run: the same spotter and keywords at sherpa-onnx's defaults (keyword score 1.0,
 * threshold 0.25, 4 active paths), and the hall's wide search without its wake check.
 *
 * Settings were chosen on one half of the material (wake clips at every other pitch,
 * even-numbered hall sentences) and are reported on the other half as well as on the whole.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore, loadConfigDir } from '../config/load.ts';
import { RobotService } from '../electron/services/robot.ts';
import { pipelineOptions, robotIntent } from '../electron/services/voice.ts';
import { EspeakEngine } from '../models/speech/tts.ts';
import { keywordsFromConfig, type KeywordSpec } from '../models/voice/keywords.ts';
import { KeywordSpotter, spotterOptions, type SpotterOptions } from '../models/voice/kws.ts';
import { fetchModel } from '../models/voice/models.ts';
import { VoicePipeline } from '../models/voice/pipeline.ts';
import { kwsStage, vadStage } from '../models/voice/stages.ts';
import { SileroVad, VAD_FRAME, VoiceActivity } from '../models/voice/vad.ts';
import { int16ToFloat32, SAMPLE_RATE } from '../models/voice/wav.ts';
import { KWS, MIRROR } from '../test/integration/voice/mirror.ts';
import { concat, mixNoise, msOf, rms, silence, speak } from '../test/integration/voice/synth.ts';
import { hallSentences } from './voice-corpus.ts';
import { writeSection } from './report.ts';

const COMMAND = 'npm run bench:voice';
const SPEEDS = [110, 125, 140, 155, 170, 185];
const PITCHES = [20, 30, 40, 50, 60, 70, 80, 90, 99];
// 'clean' is digital silence around the keyword; a microphone always hears some room, which
// the 50 dB condition adds (the spotter does markedly better with it than on digital zeros).
const CONDITIONS = [{ name: 'clean' }, { name: '50 dB brown noise', snr: 50 }, { name: '20 dB brown noise', snr: 20 }, { name: '10 dB brown noise', snr: 10 }] as const;
const HALL_MINUTES = 32;
const HALL_NOISES = [null, 50, 30, 20, 15, 10] as const;

const models = mkdtempSync(join(tmpdir(), 'xj-bench-voice-'));
await fetchModel(KWS, { from: MIRROR, dir: models });
const config = loadConfigDir();
const voice = config.robot.voice;
const tuned = keywordsFromConfig(voice, config.hall);
interface Settings {
  label: string;
  keywords: KeywordSpec[];
  options: SpotterOptions;
}
const hallOptions = spotterOptions(voice);
const check = hallOptions.check;
const SETTINGS: Settings[] = [
  { label: 'baseline: sherpa-onnx defaults (score 1.0, threshold 0.25, 4 paths)', keywords: tuned.map((k) => ({ ...k, boost: 1.0, threshold: 0.25 })), options: { paths: 4 } },
  { label: `the hall's wake spotter without its check (wake ${voice.wake.boost}/${voice.wake.threshold}, ${hallOptions.wakePaths ?? voice.spotterPaths} paths)`, keywords: tuned, options: { ...hallOptions, check: null } },
  {
    label: `hall settings (wake ${voice.wake.boost}/${voice.wake.threshold}, ${hallOptions.wakePaths ?? voice.spotterPaths} paths, ${check ? `checked over ${check.windowMs} ms, slack ${check.slack}` : 'no check'}; commands ${voice.command.boost}/${voice.command.threshold}, ${voice.spotterPaths} paths)`,
    keywords: tuned,
    options: hallOptions,
  },
];

/** Feeds a stream of clips; the spotter is reset once, at the start, as a microphone's stream. */
function run(kws: KeywordSpotter, ...pcms: Int16Array[]): { text: string; kind: string; atMs: number; checkMs?: number }[] {
  kws.reset();
  const out: { text: string; kind: string; atMs: number; checkMs?: number }[] = [];
  for (const pcm of pcms) {
    const f = int16ToFloat32(pcm);
    for (let i = 0; i < f.length; i += VAD_FRAME) out.push(...kws.accept(f.subarray(i, i + VAD_FRAME)).map(({ text, kind, atMs, check }) => ({ text, kind, atMs, checkMs: check?.ms })));
  }
  return out;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

// Wake clips: one second of room before (the spotter needs context), the keyword, 1.5 s after.
// A microphone goes on hearing the room after the keyword, and the wake check looks only
// 400 ms after the spotter's (sometimes late) candidate: a clip cut 800 ms after the word
// ended before that look for some clips, a miss no robot would have.
console.error(`synthesising ${SPEEDS.length * PITCHES.length} wake clips × ${CONDITIONS.length} conditions…`);
const LEAD = silence(1000);
/** The half a clip or sentence belongs to: settings are chosen on 'dev' and reported on 'test' too. */
type Half = 'dev' | 'test';
const half = (index: number): Half => (index % 2 === 0 ? 'dev' : 'test');
const wakeClip = (text: string, speed: number, pitch: number) => {
  const said = speak(text, { speed, pitch });
  return { said, pcm: concat(LEAD, said, silence(1500)), keywordEndMs: msOf(LEAD.length + said.length) };
};
const clips = CONDITIONS.map((c) => ({
  name: c.name,
  clips: SPEEDS.flatMap((speed) =>
    PITCHES.map((pitch, p) => {
      const { said, pcm, keywordEndMs } = wakeClip('小今小今', speed, pitch);
      return { pcm: 'snr' in c ? mixNoise(pcm, c.snr, rms(said)) : pcm, keywordEndMs, half: half(p) };
    }),
  ),
}));
// 你好小今 is said ní háo xiǎo jīn (third-tone sandhi), which the dictionary's tones miss.
const NIHAO_SPEEDS = [120, 150, 180];
const NIHAO_PITCHES = [25, 50, 75];
const nihao = NIHAO_SPEEDS.flatMap((speed) => NIHAO_PITCHES.map((pitch) => wakeClip('你好小今', speed, pitch).pcm));

// Hall speech: distinct sentences, each in its own voice, until HALL_MINUTES; noise changes every minute or so.
console.error('synthesising hall speech…');
const hallBlocks: Int16Array[] = [];
let hallSamples = 0;
let hallCount = 0;
let pending: Int16Array[] = [];
/** Where each hall sentence starts in the stream (samples), and how much audio each half has. */
const sentenceStarts: number[] = [];
const halfSamples: Record<Half, number> = { dev: 0, test: 0 };
for (const { text, voice: v } of hallSentences(voice.wakeWords)) {
  if (hallSamples >= HALL_MINUTES * 60 * SAMPLE_RATE) break;
  const said = speak(text, v);
  const gap = silence(500 + (hallCount % 5) * 150);
  sentenceStarts.push(hallSamples);
  halfSamples[half(hallCount)] += said.length + gap.length;
  pending.push(said, gap);
  hallSamples += said.length + gap.length;
  hallCount++;
  if (pending.length >= 30) {
    const pcm = concat(...pending);
    const snr = HALL_NOISES[hallBlocks.length % HALL_NOISES.length];
    hallBlocks.push(snr === null ? pcm : mixNoise(pcm, snr, rms(pcm), hallBlocks.length % 2 ? 'pinknoise' : 'brownnoise'));
    pending = [];
  }
}
if (pending.length) hallBlocks.push(concat(...pending));
const hallMinutes = hallSamples / SAMPLE_RATE / 60;
/** The half of the hall sentence playing at a detection. */
function halfAt(ms: number): Half {
  const at = (ms / 1000) * SAMPLE_RATE;
  let i = 0;
  while (i + 1 < sentenceStarts.length && sentenceStarts[i + 1] <= at) i++;
  return half(i);
}

interface Figures {
  recall: Record<string, number>;
  cleanRecall: Record<Half, number>;
  falseWakesBy: Record<Half, number>;
  /** Wake candidates the check turned down, and its median cost per candidate. */
  rejected: number;
  checkMs: number[];
  nihao: number;
  latency: number[];
  falseWakes: number;
  falseCommands: number;
  spotWallMs: number;
}

async function measure({ label, keywords, options }: Settings): Promise<Figures> {
  console.error(`spotting with ${label}…`);
  const kws = await KeywordSpotter.load(keywords, { ...options, dir: models });
  const recall: Record<string, number> = {};
  const cleanHits: Record<Half, number> = { dev: 0, test: 0 };
  const latency: number[] = [];
  const checkMs: number[] = [];
  const t0 = performance.now();
  for (const c of clips) {
    let hits = 0;
    for (const clip of c.clips) {
      const wake = run(kws, clip.pcm).find((k) => k.kind === 'wake');
      if (!wake) continue;
      hits++;
      if (c.name === 'clean') cleanHits[clip.half]++;
      if (wake.checkMs !== undefined) checkMs.push(wake.checkMs);
      latency.push(wake.atMs - clip.keywordEndMs);
    }
    recall[c.name] = hits / c.clips.length;
  }
  const cleanCount = (h: Half) => clips[0].clips.filter((c) => c.half === h).length;
  const nihaoHits = nihao.filter((pcm) => run(kws, pcm).some((k) => k.text === '你好小今')).length;
  const found = run(kws, ...hallBlocks);
  const wakes = found.filter((k) => k.kind === 'wake');
  const falseCommands = found.filter((k) => k.kind === 'command').length;
  return {
    recall,
    cleanRecall: { dev: cleanHits.dev / cleanCount('dev'), test: cleanHits.test / cleanCount('test') },
    nihao: nihaoHits / nihao.length,
    latency,
    falseWakes: wakes.length,
    falseWakesBy: { dev: wakes.filter((k) => halfAt(k.atMs) === 'dev').length, test: wakes.filter((k) => halfAt(k.atMs) === 'test').length },
    falseCommands,
    rejected: kws.rejected,
    checkMs,
    spotWallMs: performance.now() - t0,
  };
}

const figures: Figures[] = [];
for (const s of SETTINGS) figures.push(await measure(s));

// Idle listening: a minute of quiet hall rumble through VAD and the spotter, as from the microphone.
console.error('idle listening…');
const rssBefore = process.memoryUsage().rss;
const vad = new VoiceActivity(await SileroVad.load(), { hangMs: voice.vadHangMs });
const kws = await KeywordSpotter.load(tuned, { ...hallOptions, dir: models });
const rssLoaded = process.memoryUsage().rss;
const idle = int16ToFloat32(mixNoise(silence(60_000), 0, 100));
const cpu = async (withVad: boolean) => {
  kws.reset();
  vad.reset();
  const start = process.cpuUsage();
  for (let i = 0; i + VAD_FRAME <= idle.length; i += VAD_FRAME) {
    const frame = idle.subarray(i, i + VAD_FRAME);
    if (withVad) await vad.push(frame);
    kws.accept(frame);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / ((idle.length / SAMPLE_RATE) * 1000);
};
const cpuKws = await cpu(false);
const cpuBoth = await cpu(true);
const rssPeak = process.memoryUsage().rss;

// End of speech → first audio: 小今小今, then a command word, through the real pipeline fed at
// the microphone's pace (20 ms chunks) from the end of the command word, so the VAD's hang
// time passes as it does live. No recognition model here: command words need none.
console.error('end of speech → first audio…');
const robot = new RobotService(new ConfigStore(loadConfigDir()), { schedule: () => () => {} });
await robot.ready();
const intent = robotIntent(robot);
const COMMANDS = ['取号', '洗手间', '人工服务', '带我去'];
const answer: { command: string; heard: boolean; total: number; intent: number; tts: number }[] = [];
const CHUNK = 320;
for (let i = 0; i < 12; i++) {
  kws.reset();
  vad.reset();
  let firstAudio = 0;
  const sink = { play: async () => void (firstAudio ||= performance.now()), stop: () => {} };
  const p = new VoicePipeline({ wake: kwsStage(kws), vad: vadStage(vad), stt: null, intent, tts: new EspeakEngine(), sink }, { ...pipelineOptions(voice), followUpSeconds: 0 });
  const speech = int16ToFloat32(concat(silence(1000), speak('小今小今', { speed: 140 + (i % 3) * 15 }), silence(600), speak(COMMANDS[i % COMMANDS.length], { speed: 140 + (i % 3) * 15 })));
  for (let at = 0; at < speech.length; at += CHUNK) while (!p.feed(speech.subarray(at, at + CHUNK))) await p.idle();
  await p.idle();
  const end = performance.now();
  const tail = int16ToFloat32(silence(3000));
  // Paced like a microphone: chunk k is handed over k × 20 ms after the end of speech.
  for (let k = 0; k * CHUNK < tail.length && !firstAudio; k++) {
    const due = end + (k * CHUNK * 1000) / SAMPLE_RATE - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    p.feed(tail.subarray(k * CHUNK, (k + 1) * CHUNK));
  }
  await waitUntil(() => firstAudio > 0 || p.state === 'idle');
  // The tts stage is written when the last sentence has played: read the breakdown only then.
  await waitUntil(() => p.history.at(-1)?.stages.some((s) => s.stage === 'tts') === true || p.state === 'idle');
  const run = p.history[p.history.length - 1];
  const stage = (name: string) => run?.stages.find((s) => s.stage === name);
  const tts = stage('tts');
  const firstAt = tts ? Number(/first audio at (\d+) ms/.exec(tts.result)?.[1] ?? NaN) : NaN;
  answer.push({ command: COMMANDS[i % COMMANDS.length], heard: run?.stages.some((s) => s.result === `command ${COMMANDS[i % COMMANDS.length]}`) === true, total: firstAudio ? firstAudio - end : NaN, intent: stage('intent') ? stage('intent')!.end - stage('intent')!.start : NaN, tts: firstAt - (stage('intent')?.end ?? NaN) });
  p.stop();
}
robot.close();

/** Waits for the pipeline to answer (the sink is called) or give up. */
async function waitUntil(done: () => boolean): Promise<void> {
  const until = performance.now() + 15_000;
  while (!done() && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const perHour = (n: number) => (n / (hallMinutes / 60)).toFixed(1);
const ms = (x: number) => (Number.isNaN(x) ? '—' : `${Math.round(x)} ms`);
const row = (label: string, f: Figures) =>
  `| ${label} | ${CONDITIONS.map((c) => pct(f.recall[c.name])).join(' | ')} | ${pct(f.nihao)} | ${f.falseWakes} (${perHour(f.falseWakes)}/h) | ${f.falseCommands} (${perHour(f.falseCommands)}/h) | ${ms(median(f.latency))} / ${ms(quantile(f.latency, 0.9))} |`;
const halfPerHour = (n: number, h: Half) => (n / (halfSamples[h] / SAMPLE_RATE / 3600)).toFixed(1);
const splitRow = (label: string, f: Figures) =>
  `| ${label} | ${pct(f.cleanRecall.dev)} / ${pct(f.cleanRecall.test)} | ${halfPerHour(f.falseWakesBy.dev, 'dev')} / ${halfPerHour(f.falseWakesBy.test, 'test')} | ${f.rejected} | ${f.checkMs.length ? `${ms(median(f.checkMs))} / ${ms(quantile(f.checkMs, 0.9))}` : '—'} |`;
// A run whose command word the spotter missed is answered too (questions need the model), after the full hang: that is recall, reported apart.
const answered = answer.filter((a) => !Number.isNaN(a.total) && a.heard);
const missed = answer.filter((a) => !a.heard).length;

const body = `## Robot voice: wake word recall, false wakes, latency, idle cost (issue 14)

Command: \`${COMMAND}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)} when written: other engineers' builds and tests shared the two cores, so wall-clock figures are under load)

sherpa-onnx keyword spotter (${KWS}, one thread) fed 512-sample (32 ms) frames of 16 kHz
audio, keywords from config/default (${voice.wakeWords.join(', ')} and the command words). Wake clips: espeak-ng
cmn-latn-pinyin saying 小今小今 at ${SPEEDS.length} speeds (${SPEEDS.join(', ')} wpm) × ${PITCHES.length} pitches = ${clips[0].clips.length} clips per
condition, 1 s of room before and 1.5 s after (the room a microphone goes on hearing; the check looks 400 ms after a candidate); noise is sox brown noise at the stated SNR against the
keyword alone ("clean" is digital silence around the keyword, which no microphone gives: 50 dB is
a quiet room); 你好小今: ${nihao.length} clean clips (${NIHAO_SPEEDS.length} speeds × ${NIHAO_PITCHES.length} pitches). Hall speech: ${hallCount} distinct sentences
(bench/voice-corpus.ts: questions about catalogue and Guangdong portal items, places, windows, FAQ
questions and answers, chatter and near-misses such as 小琴小琴/小新小新/小金鱼), each said once in
its own voice (12 espeak-ng variants, 110–190 wpm, pitch 15–95), ${hallMinutes.toFixed(1)} min fed as one stream with the
noise changing every 30 sentences (none, brown/pink at 50, 30, 20, 15, 10 dB); a false wake is any
wake detection in it. Latency: detection time − end of the keyword's audio (frame granularity
32 ms). Synthesised speech, not people: these figures rank settings, they do not promise a hall's recall.

| spotter settings | recall clean | recall 50 dB | recall 20 dB | recall 10 dB | 你好小今 clean | false wakes in ${hallMinutes.toFixed(0)} min | false commands | wake latency median / p90 |
|---|---|---|---|---|---|---|---|---|
${SETTINGS.map((s, i) => row(s.label, figures[i])).join('\n')}

Halves: the settings were chosen on the dev half (wake clips at pitches ${PITCHES.filter((_, i) => half(i) === 'dev').join(', ')}; even-numbered hall
sentences, ${(halfSamples.dev / SAMPLE_RATE / 60).toFixed(1)} min) and are reported on the test half (pitches ${PITCHES.filter((_, i) => half(i) === 'test').join(', ')}; odd-numbered
sentences, ${(halfSamples.test / SAMPLE_RATE / 60).toFixed(1)} min), which did not take part in choosing them. A false wake counts for the half
whose sentence was playing when it was decided.

| spotter settings | clean recall dev / test | false wakes/h dev / test | candidates the check turned down | check cost per confirmed wake, median / p90 |
|---|---|---|---|---|
${SETTINGS.map((s, i) => splitRow(s.label, figures[i])).join('\n')}

The wake check (models/voice/wake-check.ts): the permissive wake spotter's candidate is
confirmed by decoding the last ${check?.windowMs ?? '—'} ms again with the same model as a free recogniser
(greedy search, no keyword forced) and matching the units heard against the wake phrase and
its rivals (its syllables' initials swapped j/q/x, z/c/s, zh/ch/sh, and the hall's
wakeCheck.nearMisses): accepted when no rival is nearer and the distance is at most
${check?.slack ?? '—'} per unit of the phrase. It runs only on candidates, so idle listening does not pay for it.
你好小今 is listed with its third-tone sandhi spelling (ní háo) beside the dictionary's.

End of speech → first audio sample of the spoken answer (real pipeline: Silero VAD, the spotter, the robot's engine, espeak-ng;
${answered.length} of ${answer.length} runs of 小今小今 + a command word heard and answered, fed at the microphone's pace after the command word;
${missed} run(s) where the spotter missed the command word were answered with the "questions need the model" message after the full hang and are left out).
Once a complete command is heard, its answer is asked and its first piece synthesised while the hang runs out.
Without a recognition model the utterance ends ${voice.commandHangMs} ms after the quiet once a complete command word has been
heard (\`commandHangMs\`: the command is all the robot acts on); ${voice.openCommandWords.join('、')} needs a place after it and keeps the VAD's
${voice.vadHangMs} ms hang, as does any utterance without a command word.

| command words | runs | end of speech → first audio, median / p90 | engine (intent) median | first sentence's synthesis median |
|---|---|---|---|---|
${[
  ['complete (取号, 洗手间, 人工服务)', answered.filter((a) => !voice.openCommandWords.includes(a.command))],
  [`${voice.openCommandWords.join('、')} alone (asks where)`, answered.filter((a) => voice.openCommandWords.includes(a.command))],
]
  .map(([label, rows]) => {
    const r = rows as typeof answered;
    return `| ${label as string} | ${r.length} | ${ms(median(r.map((a) => a.total)))} / ${ms(quantile(r.map((a) => a.total), 0.9))} | ${ms(median(r.map((a) => a.intent)))} | ${ms(median(r.map((a) => a.tts)))} |`;
  })
  .join('\n')}

Floor: ≤ 800 ms without recognition. Recognition is not in it: command
words need no recogniser, and no Chinese recognition model is installable on this machine, so
the stt stage was not measured.

Idle listening (60 s of quiet brown noise, as a microphone delivers it): keyword spotter alone
${pct(cpuKws)} of one core, Silero VAD + spotter ${pct(cpuBoth)} of one core (floor ≤ 15 %), at the hall's settings.
Memory: resident set ${(rssBefore / 2 ** 20).toFixed(0)} MB before loading VAD + spotter, ${(rssLoaded / 2 ** 20).toFixed(0)} MB loaded,
${(rssPeak / 2 ** 20).toFixed(0)} MB after listening (the process also holds the synthesised bench audio).
Spotting wall time for all clips and hall speech: ${SETTINGS.map((s, i) => `${(figures[i].spotWallMs / 1000).toFixed(1)} s`).join(', ')} (rows in order)
for ${((clips.reduce((s, c) => s + c.clips.reduce((t, x) => t + x.pcm.length, 0), 0) / SAMPLE_RATE + hallMinutes * 60) / 60).toFixed(1)} min of audio.
`;

writeSection('voice', body);
console.log(body);
