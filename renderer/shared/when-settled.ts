/**
 * Runs work the first screen does not need once the page has settled: loaded, and no
 * long task (> 50 ms) on the main thread for `quietMs`. Until then every slice of main
 * thread goes to showing the screen and answering the first touch. A page that never
 * settles still gets the work after `maxMs`, so it is late, never missing.
 */
export function whenSettled(run: () => void, { quietMs = 500, maxMs = 5000 } = {}): () => void {
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let observer: PerformanceObserver | undefined;
  let done = false;
  const stop = () => {
    done = true;
    clearTimeout(quiet);
    clearTimeout(deadline);
    observer?.disconnect();
    window.removeEventListener('load', start);
  };
  const fire = () => {
    if (done) return;
    stop();
    run();
  };
  const rearm = () => {
    clearTimeout(quiet);
    quiet = setTimeout(fire, quietMs);
  };
  function start() {
    rearm();
    deadline = setTimeout(fire, maxMs);
    try {
      observer = new PerformanceObserver(rearm);
      observer.observe({ type: 'longtask' });
    } catch {
      // A browser without long-task timing: the quiet period after load alone.
    }
  }
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
  return stop;
}
