import { afterEach, describe, expect, it, vi } from 'vitest';
import { getView } from '../views';
import { offlineTarget, renderLauncher, syncText, setLauncherApi, setNavigate, setOfflinePollMs, LOCAL_REFRESH_MS, type LauncherApi } from './home';

const apps = [
  { id: 'webmail', name: 'Mail', letter: 'M', color: '#c92a2a', url: 'https://webmail.example.org/', key: 2 },
  { id: 'files', name: 'Files', letter: 'F', color: '#1971c2', url: 'https://files.example.org/', key: 3 },
];

function fakeApi(over: Partial<LauncherApi> = {}): LauncherApi {
  return {
    Apps: async () => apps,
    Status: async () => ({ webmail: 'online', files: 'offline' }),
    Badges: async () => ({ webmail: 3, files: 0 }),
    Reachable: async () => false,
    ...over,
  };
}

afterEach(() => {
  setLauncherApi(undefined);
  vi.unstubAllGlobals();
  location.hash = '';
});

describe('launcher', () => {
  it('shows each app with icon, name, link, status, shortcut and badge', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const root = document.createElement('main');
    await renderLauncher(root, fakeApi());
    const tiles = root.querySelectorAll<HTMLAnchorElement>('a.tile');
    expect(tiles).toHaveLength(2);
    expect(tiles[0].href).toBe('https://webmail.example.org/');
    expect(tiles[0].querySelector('.name')!.textContent).toBe('Mail');
    expect(tiles[0].querySelector('.icon')!.getAttribute('aria-hidden')).toBe('true');
    expect(tiles[0].querySelector('.status')!.textContent).toBe('Online');
    // the dot repeats the status in colour only: not part of the tile's name
    expect(tiles[0].querySelector('.dot')!.getAttribute('aria-hidden')).toBe('true');
    expect(tiles[0].querySelector('.dot')!.getAttribute('data-state')).toBe('online');
    expect(tiles[1].querySelector('.status')!.textContent).toBe('Offline');
    expect(tiles[0].querySelector('.badge')!.textContent).toBe('3');
    expect(tiles[0].querySelector('.badge')!.getAttribute('aria-label')).toBe('3 new');
    expect(tiles[1].querySelector('.badge')).toBeNull();
    expect(tiles[0].getAttribute('aria-keyshortcuts')).toBe('Control+2');
  });

  it('speaks German when the OS does', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    const root = document.createElement('main');
    await renderLauncher(root, fakeApi());
    expect(root.querySelector('a[data-app=files] .name')!.textContent).toBe('Dateien');
    expect(root.querySelector('a[data-app=files] .status')!.textContent).toBe('Nicht erreichbar');
    expect(root.querySelector('a[data-app=files] .key')!.textContent).toBe('Strg+3');
  });

  it('asks to connect a suite when there is none', async () => {
    const root = document.createElement('main');
    await renderLauncher(root, fakeApi({ Apps: async () => [] }));
    expect(root.querySelector('#connect')).not.toBeNull();
    expect(root.querySelector('a.tile')).toBeNull();
  });
});

describe('local status', () => {
  it('updates the sync line of a tile while the launcher stays open', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let local = [{ id: 'webmail', view: 'mail', state: 'idle', lastSync: '0001-01-01T00:00:00Z', detail: '' }];
    setLauncherApi(fakeApi({ Local: async () => local }));
    location.hash = '#/home';
    const root = document.createElement('main');
    const cleanup = getView('home')!.render(root);
    await vi.waitFor(() => expect(root.querySelector('a[data-app=webmail] .sync')?.textContent).toBe('Not synced yet'));
    const synced = new Date();
    synced.setHours(14, 5, 0, 0);
    local = [{ ...local[0], lastSync: synced.toISOString() }];
    vi.advanceTimersByTime(LOCAL_REFRESH_MS);
    await vi.waitFor(() => expect(root.querySelector('a[data-app=webmail] .sync')?.textContent).toMatch(/^Synced (14.05|0?2.05.PM)/));
    expect(root.querySelectorAll('a[data-app=webmail] .sync')).toHaveLength(1); // replaced, not added
    if (typeof cleanup === 'function') cleanup();
    vi.useRealTimers();
  });

  it('shows last sync times on the tiles and in the offline mode', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const today = new Date();
    today.setHours(9, 5, 0, 0);
    const local = [
      { id: 'files', view: 'files', state: 'idle', lastSync: today.toISOString(), detail: '/home/alice/Deskport' },
      { id: 'webmail', view: 'mail', state: 'offline', lastSync: '0001-01-01T00:00:00Z', detail: '' },
    ];
    const root = document.createElement('main');
    await renderLauncher(root, fakeApi({ Local: async () => local }));
    expect(root.querySelector('a[data-app=files] .sync')!.textContent).toMatch(/^Synced 0?9.05/);
    expect(root.querySelector('a[data-app=webmail] .sync')!.textContent).toBe('Not synced yet');

    setLauncherApi(fakeApi({ Local: async () => local }));
    setOfflinePollMs(60000);
    location.hash = '#/home/offline/' + encodeURIComponent('https://files.example.org/');
    const off = document.createElement('main');
    const cleanup = getView('home')!.render(off);
    await vi.waitFor(() => expect(off.querySelectorAll('#offline ul.local li')).toHaveLength(2));
    const first = off.querySelector<HTMLAnchorElement>('#offline ul.local a')!;
    expect(first.getAttribute('href')).toBe('#/files');
    expect(first.parentElement!.textContent).toContain('/home/alice/Deskport');
    if (typeof cleanup === 'function') cleanup();
  });

  it('says when a sync was on another day', () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    const text = syncText({ id: 'files', view: 'files', state: 'idle', lastSync: '2026-01-02T10:00:00Z', detail: '' }, new Date('2026-03-01T10:00:00Z'));
    expect(text).toMatch(/^Synchronisiert .*2/);
  });

  it('still says when under LANG=C (WebKit reports the language "C")', () => {
    vi.stubGlobal('navigator', { language: 'C' });
    const now = new Date('2026-03-01T10:00:00Z');
    expect(syncText({ id: 'mail', view: 'mail', state: 'idle', lastSync: '2026-03-01T09:00:00Z', detail: '' }, now)).toMatch(/^Synced \d\d:\d\d/);
    expect(syncText({ id: 'mail', view: 'mail', state: 'idle', lastSync: '2026-01-02T10:00:00Z', detail: '' }, now)).toMatch(/^Synced .*Jan/);
  });
});

describe('badges', () => {
  it('refresh when Go says the counts changed', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    let counts: Record<string, number> = { files: 1 };
    const handlers: Record<string, () => void> = {};
    let unsubscribed = false;
    (window as any).runtime = { EventsOn: (name: string, cb: () => void) => { handlers[name] = cb; return () => { unsubscribed = true; }; } };
    setLauncherApi(fakeApi({ Badges: async () => counts }));
    const root = document.createElement('main');
    const cleanup = getView('home')!.render(root);
    await vi.waitFor(() => expect(root.querySelector('a[data-app=files] .badge')?.textContent).toBe('1'));
    counts = { files: 120, webmail: 2 };
    handlers['deskport:badges']();
    await vi.waitFor(() => expect(root.querySelector('a[data-app=files] .badge')?.textContent).toBe('99+'));
    expect(root.querySelectorAll('a[data-app=files] .badge')).toHaveLength(1);
    expect(root.querySelector('a[data-app=webmail] .badge')?.textContent).toBe('2');
    if (typeof cleanup === 'function') cleanup();
    expect(unsubscribed).toBe(true);
    delete (window as any).runtime;
  });
});

describe('offline mode', () => {
  it('reads the page to return to, only for web pages', () => {
    expect(offlineTarget('#/home/offline/' + encodeURIComponent('https://files.example.org/a?b=1#c'))).toBe('https://files.example.org/a?b=1#c');
    expect(offlineTarget('#/home/offline/' + encodeURIComponent('javascript:alert(1)'))).toBeNull();
    expect(offlineTarget('#/home')).toBeNull();
    expect(offlineTarget('#/home/offline/%E0%A4%A')).toBeNull();
  });

  it('shows the offline notice and returns when the suite answers again', async () => {
    const to = 'https://files.example.org/apps/files/';
    let up = false;
    const probes: string[] = [];
    setLauncherApi(fakeApi({ Reachable: async (u) => { probes.push(u); return up; } }));
    const went: string[] = [];
    setNavigate((u) => went.push(u));
    setOfflinePollMs(10);
    location.hash = '#/home/offline/' + encodeURIComponent(to);
    const root = document.createElement('main');
    const cleanup = getView('home')!.render(root);
    expect(root.querySelector('#offline')!.getAttribute('role')).toBe('alert');
    await vi.waitFor(() => expect(probes.length).toBeGreaterThan(1));
    expect(went).toEqual([]);
    up = true;
    await vi.waitFor(() => expect(went).toEqual([to]));
    if (typeof cleanup === 'function') cleanup();
  });
});
