/** A manual clock: scheduled callbacks run only when the test advances time. */
export class ManualTime {
  now = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  schedule = (ms: number, fn: () => void) => {
    const id = ++this.seq;
    this.queue.push({ at: this.now + ms, fn, id });
    return () => {
      this.queue = this.queue.filter((q) => q.id !== id);
    };
  };
  /** Callbacks waiting to run. */
  get pending(): number {
    return this.queue.length;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
}
