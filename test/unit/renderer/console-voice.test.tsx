import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { VoiceStages } from '../../../renderer/console/Devices.tsx';
import { strings } from '../../../renderer/console/strings.ts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { voiceDevices, voiceHealth } from '../../../models/voice/health.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The screen's own strings, without initI18n (it sets the page's lang, and there is no page here).
await i18next.use(initReactI18next).init({ resources: strings, lng: 'zh', fallbackLng: false, interpolation: { escapeValue: false } });
const cell = (health: Parameters<typeof VoiceStages>[0]['health']) => renderToStaticMarkup(<table><tbody><tr><VoiceStages health={health} /></tr></tbody></table>);

describe('console: a robot\'s voice stages in the device list', () => {
  it('shows each stage installed or not, with the reason, from the robot\'s real health entries', async () => {
    const health = voiceDevices(await voiceHealth({ dir: mkdtempSync(join(tmpdir(), 'xj-cv-')) }), new Date().toISOString());
    const html = cell(health);
    expect(html).toContain('<td class="warn">');
    expect(html).toContain('data-stage="voice-vad">vad 已安装');
    expect(html).toMatch(/data-stage="voice-stt">stt 未安装<div class="muted small">vosk-model-small-cn-0\.22 is not installed/);
    expect(html).toContain('data-stage="voice-tts">tts 已安装');
  });

  it('marks a damaged stage and shows a dash for a terminal without voice', () => {
    expect(cell([{ id: 'voice-kws', kind: 'voice', state: 'faulty', detail: 'truncated' }])).toContain('<td class="bad"><div class="voice-stage" data-stage="voice-kws">kws 损坏');
    expect(cell([{ id: 'printer', kind: 'printer', state: 'ok' }])).toContain('<td class="">—</td>');
  });
});
