/**
 * The page's half of the hang watchdog. A page whose main thread is stuck cannot notice
 * it, so a Worker (its own thread) receives a ping every second; when the pings stop it
 * tells the host over its own WebSocket (`kiosk.heartbeat` with screen 'hung'). The
 * host, which already sees the page's regular heartbeats stop, can then reload or
 * relaunch the browser; a page that is only stuck in a bad state, not frozen, is sent
 * home by the host's 'kiosk.reset' event and by the error boundary.
 */
export function startWatchdog(): () => void {
  if (typeof Worker === 'undefined') return () => {};
  let worker: Worker;
  try {
    worker = new Worker(new URL('./watchdog.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return () => {};
  }
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  worker.postMessage({ t: 'start', url: `${proto}//${location.host}/api` });
  const timer = setInterval(() => worker.postMessage({ t: 'ping', at: Date.now() }), 1000);
  return () => {
    clearInterval(timer);
    worker.terminate();
  };
}
