/** The part of sherpa-onnx-node (CommonJS, no type declarations) the keyword spotter and its wake check use. */
declare module 'sherpa-onnx-node' {
  export interface OnlineStream {
    acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
    inputFinished(): void;
  }
  export interface KeywordSpotterConfig {
    featConfig: { sampleRate: number; featureDim: number };
    modelConfig: {
      transducer: { encoder: string; decoder: string; joiner: string };
      tokens: string;
      numThreads?: number;
      provider?: string;
      debug?: number;
    };
    maxActivePaths?: number;
    numTrailingBlanks?: number;
    keywordsScore?: number;
    keywordsThreshold?: number;
    keywordsBuf?: string;
    keywordsBufSize?: number;
  }
  export class KeywordSpotter {
    constructor(config: KeywordSpotterConfig);
    createStream(): OnlineStream;
    isReady(stream: OnlineStream): boolean;
    decode(stream: OnlineStream): void;
    reset(stream: OnlineStream): void;
    getResult(stream: OnlineStream): { keyword: string; start_time: number; tokens: string[]; timestamps: number[] };
  }
  export interface OnlineRecognizerConfig {
    featConfig: KeywordSpotterConfig['featConfig'];
    modelConfig: KeywordSpotterConfig['modelConfig'];
    decodingMethod?: 'greedy_search' | 'modified_beam_search';
    maxActivePaths?: number;
  }
  export class OnlineRecognizer {
    constructor(config: OnlineRecognizerConfig);
    createStream(): OnlineStream;
    isReady(stream: OnlineStream): boolean;
    decode(stream: OnlineStream): void;
    getResult(stream: OnlineStream): { text: string; tokens: string[]; timestamps: number[] };
  }
  const sherpa: { KeywordSpotter: typeof KeywordSpotter; OnlineRecognizer: typeof OnlineRecognizer };
  export default sherpa;
}
