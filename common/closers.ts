/**
 * Cleanup registered while something starts, run when it stops: last registered first, so
 * what was opened on top of something closes before it; one failing step is reported and
 * the rest still run.
 */
export type Closer = () => Promise<void> | void;

export async function runClosers(closers: Closer[], onError: (err: Error) => void): Promise<void> {
  for (const fn of closers.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      onError(err as Error);
    }
  }
}
