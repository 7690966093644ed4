/**
 * IPP over HTTP (RFC 8010 4): each message is the body of a POST with the content type
 * application/ipp to the printer's path; ipp:// names port 631 over plain HTTP, ipps://
 * HTTPS. The answer is the response message's bytes.
 */
export type IppPost = (body: Uint8Array) => Promise<Uint8Array>;

export class IppTransportError extends Error {
  override readonly name = 'IppTransportError';
  constructor(
    message: string,
    /** True when nothing answered (refused, timed out): the print server is down or unreachable. */
    readonly unreachable: boolean,
  ) {
    super(message);
  }
}

/** The HTTP address an ipp:// or ipps:// printer URI is reached at. */
export function httpUrlOf(printerUri: string): string {
  const u = new URL(printerUri);
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
  if (u.protocol !== 'ipp:' && u.protocol !== 'ipps:') throw new TypeError(`${printerUri} is not an ipp://, ipps:// or http:// printer URI`);
  const scheme = u.protocol === 'ipps:' ? 'https' : 'http';
  return `${scheme}://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '631'}${u.pathname}${u.search}`;
}

export function httpIppPost(printerUri: string, timeoutMs = 10_000): IppPost {
  const url = httpUrlOf(printerUri);
  return async (body) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ipp', accept: 'application/ipp' },
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new IppTransportError(`the print server at ${new URL(url).host} did not answer (${cause})`, true);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) throw new IppTransportError(`the print server answered HTTP ${res.status}`, false);
    return bytes;
  };
}
