import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, ConfigStore, loadConfigDir } from '../../../config/load.ts';
import { copyDefaultHall, editJson } from './helpers.ts';

describe('ConfigStore', () => {
  it('keeps the last good configuration in force when a reload fails, and says why', () => {
    const dir = copyDefaultHall();
    const store = ConfigStore.fromDir(dir);
    const good = store.config;
    const changed = vi.fn();
    const failed = vi.fn();
    store.on('change', changed);
    store.on('error-config', failed);

    writeFileSync(join(dir, 'hall.json'), '{"id": "hall", "name": ');
    const err = store.reloadDir(dir);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain(join(dir, 'hall.json'));
    expect(store.config).toBe(good);
    expect(store.version).toBe(1);
    expect(store.lastError).toBe(err);
    expect(failed).toHaveBeenCalledWith(err);
    expect(changed).not.toHaveBeenCalled();
  });

  it('keeps it too when the files parse but point at nothing', () => {
    const dir = copyDefaultHall();
    const store = ConfigStore.fromDir(dir);
    const good = store.config;
    editJson(dir, 'hall.json', (h) => (h.windows[0].groups = ['ghost']));
    expect(store.reloadDir(dir)?.problems[0]).toMatchObject({ path: 'windows[0].groups[0]' });
    expect(store.config).toBe(good);
  });

  it('takes the next good configuration after a bad one and clears the error', () => {
    const dir = copyDefaultHall();
    const store = ConfigStore.fromDir(dir);
    const changed = vi.fn();
    store.on('change', changed);
    editJson(dir, 'settings.json', (s) => (s.queue.priorityRatio = 0));
    expect(store.reloadDir(dir)).toBeInstanceOf(ConfigError);
    editJson(dir, 'settings.json', (s) => (s.queue.priorityRatio = 5));
    expect(store.reloadDir(dir)).toBeNull();
    expect(store.config.queue.priorityRatio).toBe(5);
    expect(store.version).toBe(2);
    expect(store.lastError).toBeNull();
    expect(changed).toHaveBeenCalledWith({ config: store.config, version: 2 });
  });

  it('refuses a bad configuration pushed in memory (a staff edit) without dropping the old one', () => {
    const base = loadConfigDir();
    const store = new ConfigStore(base, 4);
    const next = structuredClone(base);
    (next.hall as { name: unknown }).name = 42;
    const err = store.apply(next, 5, 'configuration version 5');
    expect(err?.problems[0]).toMatchObject({ file: 'configuration version 5', path: 'hall.name' });
    expect(store.config).toBe(base);
    expect(store.version).toBe(4);
  });

  it('refuses to start on a broken folder, naming the file', () => {
    const dir = copyDefaultHall();
    editJson(dir, 'kiosks.json', (k) => (k[0].kind = 'atm'));
    expect(() => ConfigStore.fromDir(dir)).toThrow(`${join(dir, 'kiosks.json')}: [0].kind:`);
  });
});
