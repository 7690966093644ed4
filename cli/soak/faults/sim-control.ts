/** POSTs to a terminal's simulated-device control panel (/sim/…), failing loudly on a refusal. */
export async function simControl(terminalUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${terminalUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} on ${terminalUrl}: HTTP ${res.status} ${await res.text()}`);
}
