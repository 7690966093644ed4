/**
 * Whether this browser lets the call display speak without anyone touching it. Chromium
 * refuses unmuted playback before a user gesture unless it was started with
 * --autoplay-policy=no-user-gesture-required (the kiosk launcher's flag) or the page runs
 * in Electron with autoplayPolicy set; a wall display has nobody to click, so the page
 * finds out at once, with a silent clip, rather than at the first call.
 */

export type SoundCheck = 'allowed' | 'blocked';

/** A tenth of a second of silence as a WAV file, made here so the check fetches nothing. */
function silentWav(): Blob {
  const samples = 800;
  const rate = 8000;
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  return new Blob([view.buffer], { type: 'audio/wav' });
}

/** NotAllowedError is the autoplay policy; any other failure (no sound card) is not something a click fixes. */
export function isAutoplayRefusal(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'NotAllowedError';
}

/** Plays the silent clip: 'blocked' when the autoplay policy refuses it. Called from a click, it also unlocks sound for the page. */
export async function checkSound(): Promise<SoundCheck> {
  const url = URL.createObjectURL(silentWav());
  try {
    await new Audio(url).play();
    return 'allowed';
  } catch (err) {
    return isAutoplayRefusal(err) ? 'blocked' : 'allowed';
  } finally {
    URL.revokeObjectURL(url);
  }
}
