/// <reference lib="webworker" />
/**
 * Runs beside the kiosk page and reports to the host when the page's main thread has
 * stopped answering for HANG_MS (see watchdog.ts).
 */
const HANG_MS = 10_000;
let last = Date.now();
let url = '';
let hung = false;
let id = 1;

function report(screen: string): void {
  if (!url) return;
  try {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      ws.send(JSON.stringify({ t: 'call', id: id++, method: 'kiosk.heartbeat', input: { screen } }));
      setTimeout(() => ws.close(), 500);
    };
    ws.onerror = () => ws.close();
  } catch {
    /* the host is down too; nothing to tell */
  }
}

self.onmessage = (ev: MessageEvent<{ t: 'start'; url: string } | { t: 'ping'; at: number }>) => {
  if (ev.data.t === 'start') url = ev.data.url;
  last = Date.now();
  if (hung) {
    hung = false;
    report('recovered');
  }
};

setInterval(() => {
  if (Date.now() - last > HANG_MS) {
    hung = true;
    report('hung');
  }
}, 2000);
