/**
 * Plays the read-aloud audio the host sends ('kiosk.speech'). Only the newest sentence
 * plays: when the citizen moves on, the old screen's sentence stops mid-word. Blob URLs
 * are revoked as soon as they are replaced, so a long day does not pile up audio.
 */
import { api } from './api.ts';

export function startSpeechPlayer(): { stop(): void; silence(): void } {
  let audio: HTMLAudioElement | null = null;
  let url: string | null = null;
  let newest = 0;

  const silence = () => {
    audio?.pause();
    audio = null;
    if (url) URL.revokeObjectURL(url);
    url = null;
  };

  const off = api.on('kiosk.speech', ({ id, mime, audio: b64 }) => {
    if (id < newest) return;
    newest = id;
    silence();
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    audio = new Audio(url);
    audio.dataset.speechId = String(id);
    // Autoplay can be refused before the first touch; the next screen will try again.
    void audio.play().catch(() => {});
  });

  return {
    silence,
    stop() {
      off();
      silence();
    },
  };
}
