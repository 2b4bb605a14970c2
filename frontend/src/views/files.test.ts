import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderFiles, setFilesApi, humanBytes, humanDuration, type FilesApi, type FilesStatus } from './files';

function status(over: Partial<FilesStatus> = {}): FilesStatus {
  return {
    folder: '/home/anna/Deskport', server: 'https://files.example.org/remote.php/dav/files/anna/', ready: true, problem: '',
    sync: { state: 'idle', lastSync: '', lastError: '', progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: -1, current: '' } },
    files: 12, bytes: 3 << 20, conflicts: [], errors: [], drop: { active: false, done: 0, total: 0, error: '' }, ...over,
  };
}

function fakeApi(st: () => FilesStatus): FilesApi & { calls: string[] } {
  const calls: string[] = [];
  const rec = (s: string) => async () => { calls.push(s); };
  return {
    calls, Status: async () => st(),
    Pause: rec('Pause'), Resume: rec('Resume'), SyncNow: rec('SyncNow'), ConfirmDeletes: rec('Confirm'),
    KeepMine: async (c) => { calls.push(`Mine ${c}`); }, KeepTheirs: async (c) => { calls.push(`Theirs ${c}`); },
    KeepBoth: async (c) => { calls.push(`Both ${c}`); }, Open: async (p) => { calls.push(`Open ${p}`); }, Reveal: async (p) => { calls.push(`Reveal ${p}`); },
    Lists: async () => ({ ignore: ['*.tmp'], excluded: null }),
    SetLists: async (l) => { calls.push(`Lists ${JSON.stringify(l)}`); },
    SetLimit: async (k) => { calls.push(`Limit ${k}`); },
    Children: async () => [], Find: async () => [], Activity: async () => [],
    DropFiles: async (sub, paths) => { calls.push(`Drop ${sub} ${paths.join(',')}`); return paths; },
    CanShare: async () => true, OpenInSuite: async (p: string) => { calls.push(`Suite ${p}`); },
    ShareLink: async (p: string, pw: string, exp: string) => { calls.push(`Share ${p}|${pw}|${exp}`); return { id: '1', url: 'https://files.example.org/s/AbC', token: 'AbC', permissions: 1, expiration: '' }; },
    ServerFolders: async () => [], SetFolderSynced: async () => ({ done: true, unsynced: null, count: 0 }),
  };
}

afterEach(() => { setFilesApi(undefined); vi.unstubAllGlobals(); });

describe('files view', () => {
  it('shows progress with rate and time left while syncing, and pauses', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    let st = status({ sync: { state: 'syncing', lastSync: '', lastError: '', progress: { filesDone: 3, filesTotal: 10, bytesDone: 5 << 20, bytesTotal: 20 << 20, rate: 1 << 20, etaSeconds: 15, current: 'a.txt' } } });
    const api = fakeApi(() => st);
    setFilesApi(api);
    const root = document.createElement('main');
    await renderFiles(root);
    expect(root.querySelector('#files-state')!.textContent).toBe('Syncing…');
    const bar = root.querySelector<HTMLProgressElement>('#files-progress')!;
    expect(bar.value).toBe(5 << 20);
    expect(root.querySelector('#files-progress-text')!.textContent).toBe('3 of 10 files, 5.0 MB of 20.0 MB');
    expect(root.querySelector('#files-rate')!.textContent).toBe('1.0 MB/s, 15 s left');
    st = status({ sync: { ...st.sync, state: 'paused' } });
    root.querySelector<HTMLButtonElement>('#files-pause')!.click();
    await vi.waitFor(() => expect(root.querySelector('#files-resume')).not.toBeNull());
    expect(api.calls).toContain('Pause');
    expect(root.querySelector('#files-state')!.textContent).toBe('Paused');
  });

  it('lists conflicts and errors with their actions', async () => {
    vi.stubGlobal('navigator', { language: 'de' });
    const api = fakeApi(() => status({
      conflicts: [{ copy: 'a (conflicted copy 2026-01-02 150405).txt', original: 'a.txt', at: '' }],
      errors: [{ path: 'CON.txt', op: 'skip', message: 'cannot exist on Windows', at: '', attempts: 1 }],
    }));
    setFilesApi(api);
    const root = document.createElement('main');
    await renderFiles(root);
    const li = root.querySelector('#files-conflicts li')!;
    expect(li.textContent).toContain('a.txt wurde hier und auf dem Server geändert');
    const buttons = [...li.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Meine behalten', 'Server-Fassung behalten', 'Beide behalten', 'Öffnen', 'Im Ordner zeigen']);
    buttons[0].click();
    await vi.waitFor(() => expect(api.calls).toContain('Mine a (conflicted copy 2026-01-02 150405).txt'));
    const err = root.querySelector('#files-errors li')!;
    expect(err.textContent).toContain('CON.txt: cannot exist on Windows');
    err.querySelector('button')!.click();
    await vi.waitFor(() => expect(api.calls).toContain('Reveal CON.txt'));
  });

  it('asks before a mass delete and explains a missing setup', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi(() => status({ sync: { state: 'waiting-confirm', lastSync: '', lastError: 'this sync would delete 60 server files', progress: status().sync.progress } }));
    setFilesApi(api);
    const root = document.createElement('main');
    await renderFiles(root);
    expect(root.querySelector('#files-state')!.textContent).toContain('Waiting for you – this sync would delete 60');
    root.querySelector<HTMLButtonElement>('#files-confirm')!.click();
    await vi.waitFor(() => expect(api.calls).toContain('Confirm'));

    setFilesApi(fakeApi(() => status({ ready: false, problem: 'no files account (sign in on the Accounts page)' })));
    const r2 = document.createElement('main');
    await renderFiles(r2);
    expect(r2.querySelector('#files-problem')!.textContent).toBe('File sync is not set up: no files account (sign in on the Accounts page)');

    // Without a files account: one plain sentence, Accounts and the demo, not the error text.
    setFilesApi(fakeApi(() => status({ ready: false, problem: "files: not signed in yet: sign in in Deskport's window, or run 'deskport login' (sign in on the Accounts page or with deskport login)" })));
    const r3 = document.createElement('main');
    await renderFiles(r3);
    const hint = r3.querySelector('#files-problem')!;
    expect(hint.textContent).toContain('File sync is not set up yet. Sign in to your suite');
    expect(hint.textContent).not.toContain('deskport login');
    expect(hint.querySelector('a[href="#/accounts"]')).not.toBeNull();
    expect(hint.querySelector('button.setup-demo')).not.toBeNull();
  });

  it('edits the ignore list, deselected folders and the limit', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi(() => status());
    setFilesApi(api);
    const root = document.createElement('main');
    await renderFiles(root);
    const ign = root.querySelector<HTMLTextAreaElement>('#files-ignore')!;
    expect(ign.value).toBe('*.tmp');
    expect(root.querySelector('label[for=files-excluded]')!.textContent).toBe('Server folders not synced (one per line)');
    ign.value = '*.tmp\n  build \n';
    root.querySelector<HTMLTextAreaElement>('#files-excluded')!.value = 'Photos\n\nArchive/2020';
    root.querySelector<HTMLInputElement>('#files-limit')!.value = '512';
    root.querySelector<HTMLFormElement>('#files-settings')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('#files-settings-msg')!.textContent).toContain('Saved'));
    expect(api.calls).toContain('Lists {"ignore":["*.tmp","build"],"excluded":["Photos","Archive/2020"]}');
    expect(api.calls).toContain('Limit 512');
  });

  it('formats sizes and durations', () => {
    expect(humanBytes(512)).toBe('512 B');
    expect(humanBytes(1536)).toBe('1.5 kB');
    expect(humanDuration(-1)).toBe('–');
    expect(humanDuration(125)).toBe('2 min 5 s');
  });

  it('keeps the keyboard focus on the control it is on while status events arrive', async () => {
    vi.stubGlobal('navigator', { language: 'de' });
    const conflict = (n: number) => ({ copy: `b${n} (conflicted copy).txt`, original: `b${n}.txt`, at: '' });
    let st = status({ conflicts: [conflict(1), conflict(2), conflict(3)] });
    let emit: (s: FilesStatus) => void = () => {};
    const api = { ...fakeApi(() => st), onStatus: (cb: (s: FilesStatus) => void) => { emit = cb; return () => {}; } };
    setFilesApi(api);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const syncNow = root.querySelector<HTMLButtonElement>('#files-syncnow')!;
    syncNow.focus();
    for (let i = 1; i <= 5; i++) {
      st = status({ conflicts: st.conflicts, sync: { state: 'syncing', lastSync: '', lastError: '', progress: { filesDone: i, filesTotal: 10, bytesDone: i << 20, bytesTotal: 10 << 20, rate: 1 << 20, etaSeconds: 10 - i, current: 'x' } } });
      emit(st);
      expect(document.activeElement).toBe(syncNow);
    }
    expect(root.querySelector('#files-progress-text')!.textContent).toBe('5 von 10 Dateien, 5.0 MB von 10.0 MB');
    // a conflict's button keeps the focus; when its conflict is gone, the
    // one that takes its place gets it, and with none left the heading
    const keepBoth = root.querySelectorAll<HTMLElement>('#files-conflicts li')[1].querySelectorAll('button')[2];
    keepBoth.focus();
    emit(st);
    expect(document.activeElement).toBe(keepBoth);
    st = status({ conflicts: [conflict(1), conflict(3)] });
    emit(st);
    expect(document.activeElement?.closest('li')?.dataset.copy).toBe('b3 (conflicted copy).txt');
    expect(document.activeElement?.textContent).toBe('Meine behalten');
    emit(status({ conflicts: [] }));
    expect(document.activeElement?.id).toBe('files-conflicts-h');
    root.remove();
  });

  it('shows an action that failed in words, announced, not in a tooltip', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi(() => status());
    api.SyncNow = async () => { throw new Error('server unreachable'); };
    setFilesApi(api);
    const root = document.createElement('main');
    await renderFiles(root);
    const b = root.querySelector<HTMLButtonElement>('#files-syncnow')!;
    b.click();
    const msg = root.querySelector<HTMLElement>('#files-action-error')!;
    await vi.waitFor(() => expect(msg.textContent).toBe('That did not work: Error: server unreachable'));
    expect(msg.getAttribute('role')).toBe('alert');
    expect(msg.hidden).toBe(false);
    expect(b.title).toBe('');
  });

  it('puts each settings label on its own line above its field', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    setFilesApi(fakeApi(() => status()));
    const root = document.createElement('main');
    await renderFiles(root);
    for (const id of ['files-ignore', 'files-excluded', 'files-limit']) {
      const field = root.querySelector(`#${id}`)!.parentElement!;
      expect(field.className).toBe('field');
      expect(field.firstElementChild!.getAttribute('for')).toBe(id);
      expect(field.children).toHaveLength(2);
    }
  });
});
