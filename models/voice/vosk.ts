/**
 * Recognition: vosk's libvosk, the shared library the `vosk` npm package ships, called
 * through koffi (the package's own ffi-napi binding builds neither on Node 20 nor inside
 * Electron). The Chinese model comes from the models folder, verified by the manifest.
 * Every way it can fail to start is a SttError with a code the robot reports in device
 * health while it goes on working by touch and command words.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import { locateModel, ModelError, type Manifest } from './models.ts';
import { SAMPLE_RATE } from './wav.ts';

export const STT_MODEL = 'vosk-model-small-cn-0.22';

export type SttErrorCode = 'library-missing' | 'library-unloadable' | 'model-not-installed' | 'model-damaged';

export class SttError extends Error {
  constructor(
    readonly code: SttErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SttError';
  }
}

/** One utterance's recognition, fed 16 kHz mono samples as they arrive. */
export interface Recognizer {
  /** True when vosk decided an utterance ended within these samples (final() then has it). */
  acceptWaveform(pcm: Int16Array): boolean;
  /** The text so far of the utterance in progress. */
  partial(): string;
  /** The utterance's text; the recognizer starts the next one afresh. */
  final(): { text: string };
  reset(): void;
  close(): void;
}

export interface SpeechToText {
  readonly model: string;
  recognizer(): Recognizer;
  close(): void;
}

const PLATFORM_DIRS: Partial<Record<NodeJS.Platform, [string, string]>> = {
  linux: ['linux-x86_64', 'libvosk.so'],
  win32: ['win-x86_64', 'libvosk.dll'],
  darwin: ['osx-universal', 'libvosk.dylib'],
};

/** Where the vosk npm package keeps libvosk for this platform. */
export function voskLibraryPath(): string {
  const plat = PLATFORM_DIRS[process.platform];
  if (!plat) throw new SttError('library-missing', `vosk ships no libvosk for ${process.platform}`);
  let pkg: string;
  try {
    pkg = dirname(createRequire(import.meta.url).resolve('vosk/package.json'));
  } catch {
    throw new SttError('library-missing', 'the npm package vosk (which ships libvosk) is not installed');
  }
  return join(pkg, 'lib', ...plat);
}

interface VoskLib {
  modelNew(path: string): unknown;
  modelFree(model: unknown): void;
  recognizerNew(model: unknown, rate: number): unknown;
  recognizerFree(rec: unknown): void;
  accept(rec: unknown, data: Int16Array, length: number): number;
  result(rec: unknown): string;
  partial(rec: unknown): string;
  final(rec: unknown): string;
  reset(rec: unknown): void;
}

const libraries = new Map<string, VoskLib>();

/** Loads libvosk once per path; SttError when it is absent or not a usable libvosk. */
export function loadVoskLibrary(path = voskLibraryPath()): VoskLib {
  const known = libraries.get(path);
  if (known) return known;
  if (!existsSync(path)) throw new SttError('library-missing', `libvosk is missing (${path}); reinstall the npm package vosk`);
  let lib: VoskLib;
  try {
    const so = koffi.load(path);
    const setLogLevel = so.func('void vosk_set_log_level(int)');
    // Kaldi logs every model load on stderr otherwise; errors still come back as null handles.
    setLogLevel(-1);
    lib = {
      modelNew: so.func('void *vosk_model_new(const char *path)'),
      modelFree: so.func('void vosk_model_free(void *model)'),
      recognizerNew: so.func('void *vosk_recognizer_new(void *model, float rate)'),
      recognizerFree: so.func('void vosk_recognizer_free(void *rec)'),
      accept: so.func('int vosk_recognizer_accept_waveform_s(void *rec, const int16_t *data, int length)'),
      result: so.func('const char *vosk_recognizer_result(void *rec)'),
      partial: so.func('const char *vosk_recognizer_partial_result(void *rec)'),
      final: so.func('const char *vosk_recognizer_final_result(void *rec)'),
      reset: so.func('void vosk_recognizer_reset(void *rec)'),
    };
  } catch (err) {
    throw new SttError('library-unloadable', `libvosk at ${path} does not load: ${(err as Error).message}`);
  }
  libraries.set(path, lib);
  return lib;
}

/** vosk's Chinese model writes words apart ("护照 在 哪 办"); Chinese is written without spaces. */
export function joinChinese(text: string): string {
  return text.trim().replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '');
}

function textOf(json: string, key: 'text' | 'partial'): string {
  try {
    const v = (JSON.parse(json) as Record<string, unknown>)[key];
    return typeof v === 'string' ? joinChinese(v) : '';
  } catch {
    return '';
  }
}

class VoskRecognizer implements Recognizer {
  private handle: unknown;

  constructor(
    private readonly lib: VoskLib,
    model: unknown,
  ) {
    this.handle = lib.recognizerNew(model, SAMPLE_RATE);
    if (!this.handle) throw new SttError('model-damaged', 'vosk could not make a recognizer from the model');
  }

  private get live(): unknown {
    if (!this.handle) throw new Error('the recognizer is closed');
    return this.handle;
  }

  acceptWaveform(pcm: Int16Array): boolean {
    return this.lib.accept(this.live, pcm, pcm.length) === 1;
  }

  partial(): string {
    return textOf(this.lib.partial(this.live), 'partial');
  }

  final(): { text: string } {
    return { text: textOf(this.lib.final(this.live), 'text') };
  }

  reset(): void {
    this.lib.reset(this.live);
  }

  close(): void {
    if (this.handle) this.lib.recognizerFree(this.handle);
    this.handle = null;
  }
}

export class VoskEngine implements SpeechToText {
  private handle: unknown;

  private constructor(
    private readonly lib: VoskLib,
    handle: unknown,
    readonly model: string,
  ) {
    this.handle = handle;
  }

  /**
   * The verified model loaded into libvosk. SttError: library-missing / library-unloadable,
   * model-not-installed, model-damaged (files missing, or vosk refusing the folder).
   */
  static async load(opts: { dir?: string; manifest?: Manifest; library?: string } = {}): Promise<VoskEngine> {
    // The library first: a machine without it is told so, whether or not a model was fetched.
    const lib = loadVoskLibrary(opts.library);
    let dir: string;
    try {
      dir = (await locateModel(STT_MODEL, opts)).dir;
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      const code = err.code === 'not-installed' ? 'model-not-installed' : 'model-damaged';
      throw new SttError(code, `${err.message}; free questions need it, touch and command words work without it`);
    }
    const handle = lib.modelNew(dir);
    if (!handle) throw new SttError('model-damaged', `vosk refused the model in ${dir} (damaged or not a vosk model); fetch it again: xiaojin models fetch ${STT_MODEL}`);
    return new VoskEngine(lib, handle, STT_MODEL);
  }

  recognizer(): Recognizer {
    if (!this.handle) throw new Error('the recognition engine is closed');
    return new VoskRecognizer(this.lib, this.handle);
  }

  close(): void {
    if (this.handle) this.lib.modelFree(this.handle);
    this.handle = null;
  }
}
