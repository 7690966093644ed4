/**
 * One conversation at a time on a device's line: a request and its answer must not
 * interleave with another's, and a failed exchange must not block the next one.
 */
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
