// The linebreak package ships no types; only the iterator the layout uses is declared.
declare module 'linebreak' {
  export interface Break {
    position: number;
    required: boolean;
  }
  export class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
