/**
 * One result per citizen action. The screen names each action with a request id; a
 * second tap, or a retry, carrying the same id gets the first call's promise, so it is
 * answered with the same ticket or rating even while the first is still under way. A
 * failed action is forgotten, so asking again tries again.
 */
export class RequestMemo<T> {
  private readonly results = new Map<string, Promise<T>>();

  /** `keep` bounds the memory: only the latest actions can still be repeated. */
  constructor(private readonly keep = 256) {}

  run(requestId: string, action: () => Promise<T>): Promise<T> {
    const known = this.results.get(requestId);
    if (known) return known;
    const result = action();
    this.results.set(requestId, result);
    result.catch(() => {
      if (this.results.get(requestId) === result) this.results.delete(requestId);
    });
    while (this.results.size > this.keep) this.results.delete(this.results.keys().next().value!);
    return result;
  }
}
