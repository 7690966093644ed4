import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  homeUrl,
  isAppUrl,
  navigationAllowed,
  permissionAllowed,
  requestAllowed,
} from '../../../electron/shell/security.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('content security policy', () => {
  const csp = contentSecurityPolicy();
  const d = directives(csp);

  it('never allows eval or remote script', () => {
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('wasm-unsafe-eval');
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
  });

  it('lets the page connect nowhere but its own origin: the API goes through the preload', () => {
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/\bws:|\bwss:|https?:|\*/);
  });

  it('shuts plugins, frames, forms and base rewriting', () => {
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('origins and navigation', () => {
  it('recognises only the app origin', () => {
    expect(homeUrl('kiosk')).toBe(`${APP_ORIGIN}/kiosk/index.html`);
    expect(isAppUrl(homeUrl('robot'))).toBe(true);
    for (const url of ['xiaojin://app.evil/', 'xiaojin://a@app/', 'xiaojin://app:81/', 'xiaojinx://app/', 'https://app/', 'file:///etc/passwd', 'not a url', ''])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('never navigates away from the kiosk pages', () => {
    expect(navigationAllowed('xiaojin://app/robot/index.html')).toBe(true);
    expect(navigationAllowed('https://www.gdzwfw.gov.cn/')).toBe(false);
    expect(navigationAllowed('javascript:alert(1)')).toBe(false);
    expect(navigationAllowed('file:///')).toBe(false);
  });

  it('blocks network requests; devtools only for a technician', () => {
    expect(requestAllowed('xiaojin://app/assets/index.js')).toBe(true);
    expect(requestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(requestAllowed('blob:xiaojin://app/1234')).toBe(true);
    expect(requestAllowed('https://example.com/tracker.js')).toBe(false);
    expect(requestAllowed('ws://127.0.0.1:4801/api')).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/inspector.html')).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/inspector.html', true)).toBe(true);
  });
});

describe('permissions', () => {
  const fromApp = { requestingUrl: 'xiaojin://app/robot/index.html', isMainFrame: true };

  it('gives the citizen kiosk nothing', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'fullscreen', 'openExternal'])
      expect(permissionAllowed('kiosk', { ...fromApp, permission, mediaTypes: ['audio'] }), permission).toBe(false);
  });

  it('lets the robot screen use the microphone and nothing more', () => {
    expect(permissionAllowed('robot', { ...fromApp, permission: 'media', mediaTypes: ['audio'] })).toBe(true);
    expect(permissionAllowed('robot', { ...fromApp, permission: 'media', mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(permissionAllowed('robot', { ...fromApp, permission: 'media', mediaTypes: [] })).toBe(false);
    expect(permissionAllowed('robot', { ...fromApp, permission: 'geolocation' })).toBe(false);
  });

  it('refuses the microphone to other origins and to frames', () => {
    expect(permissionAllowed('robot', { permission: 'media', mediaTypes: ['audio'], requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(permissionAllowed('robot', { permission: 'media', mediaTypes: ['audio'] })).toBe(false);
    expect(permissionAllowed('robot', { ...fromApp, permission: 'media', mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
  });
});
