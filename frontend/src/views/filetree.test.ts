import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderFiles, setFilesApi, dropTarget, type FilesApi, type FilesStatus } from './files';
import { percentDone, stateText, type TreeEntry } from './filetree';
import type { Activity } from './activity';

const status = (): FilesStatus => ({
  folder: '/home/anna/Deskport', server: 'https://x/remote.php/dav/files/anna/', ready: true, problem: '',
  sync: { state: 'idle', lastSync: '', lastError: '', progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: -1, current: '' } },
  files: 3, bytes: 10, conflicts: [], errors: [], drop: { active: false, done: 0, total: 0, error: '' },
});

const f = (path: string, state = 'synced', isDir = false, reason = ''): TreeEntry =>
  ({ name: path.split('/').pop()!, path, isDir, size: 2048, mtime: 0, state, reason });

function api(tree: Record<string, TreeEntry[]>, activity: Activity[] = []): FilesApi & { calls: string[]; listed: string[] } {
  const calls: string[] = [];
  const listed: string[] = [];
  const nop = async () => {};
  let listeners: ((s: FilesStatus) => void)[] = [];
  return {
    calls, listed, Status: async () => status(), Pause: nop, Resume: nop, SyncNow: nop, ConfirmDeletes: nop,
    KeepMine: nop, KeepTheirs: nop, KeepBoth: nop,
    Open: async (p) => { calls.push(`Open ${p}`); }, Reveal: async (p) => { calls.push(`Reveal ${p}`); },
    Lists: async () => ({ ignore: null, excluded: null }), SetLists: nop, SetLimit: nop,
    Children: async (d) => { listed.push(d); return tree[d] ?? []; },
    Find: async (q) => Object.values(tree).flat().filter((e) => e.name.toLowerCase().includes(q.toLowerCase())),
    Activity: async () => activity,
    DropFiles: async (sub, paths) => { calls.push(`Drop ${sub}|${paths.join(',')}`); return paths; },
    CanShare: async () => true, OpenInSuite: async (p: string) => { calls.push(`Suite ${p}`); },
    ShareLink: async (p: string, pw: string, exp: string) => { calls.push(`Share ${p}|${pw}|${exp}`); return { id: '1', url: 'https://files.example.org/s/AbC', token: 'AbC', permissions: 1, expiration: '' }; },
    ServerFolders: async (d) => { calls.push(`Folders ${d}`); return d === '' ? [{ name: 'Photos', path: 'Photos', size: 3500, synced: true, inherited: false }]
      : [{ name: '2026', path: 'Photos/2026', size: 3000, synced: true, inherited: false }]; },
    SetFolderSynced: async (p, on, ok) => {
      calls.push(`Set ${p} ${on} ${ok}`);
      return !on && !ok ? { done: false, unsynced: ['Photos/2026/notes.txt'], count: 1 } : { done: true, unsynced: null, count: 0 };
    },
    onStatus: (cb) => { listeners.push(cb); return () => { listeners = listeners.filter((x) => x !== cb); }; },
  };
}

const key = (el: Element, k: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
const items = (root: Element) => [...root.querySelectorAll<HTMLElement>('[role=treeitem]')];

afterEach(() => { setFilesApi(undefined); vi.unstubAllGlobals(); document.body.replaceChildren(); });

describe('file tree', () => {
  it('loads folders when opened, shows states and works by keyboard', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const a = api({
      '': [f('Projects', 'upload', true), f('notes.txt', 'error', false, 'the server refused the name'), f('Private', 'excluded', true)],
      Projects: [f('Projects/plan.odt', 'transferring'), f('Projects/old.odt', 'download')],
    });
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const tree = root.querySelector<HTMLElement>('[role=tree]')!;
    expect(a.listed).toEqual(['']); // only the top until a folder is opened
    expect(items(root).map((r) => r.textContent)).toEqual([
      '▸ProjectsWaiting to upload', 'notes.txtError: the server refused the name2.0 kB', '▸PrivateNot synced']);
    tree.focus();
    expect(tree.getAttribute('aria-activedescendant')).toBe(items(root)[0].id);
    expect(items(root)[0].getAttribute('aria-expanded')).toBe('false');
    key(tree, 'ArrowRight');
    await vi.waitFor(() => expect(items(root)).toHaveLength(5));
    expect(a.listed).toEqual(['', 'Projects']);
    const plan = items(root)[1];
    expect(plan.getAttribute('aria-level')).toBe('2');
    expect(plan.getAttribute('aria-posinset')).toBe('1');
    expect(plan.getAttribute('aria-setsize')).toBe('2');
    expect(plan.textContent).toContain('Transferring');
    expect(items(root)[2].textContent).toContain('Waiting to download');
    key(tree, 'ArrowRight'); // into the folder
    expect(tree.getAttribute('aria-activedescendant')).toBe(plan.id);
    expect(plan.getAttribute('aria-selected')).toBe('true');
    key(tree, 'Enter');
    await vi.waitFor(() => expect(a.calls).toContain('Open Projects/plan.odt'));
    root.querySelector<HTMLButtonElement>('#files-tree-reveal')!.click();
    await vi.waitFor(() => expect(a.calls).toContain('Reveal Projects/plan.odt'));
    expect(root.querySelector('#files-tree-current')!.textContent).toBe('Selected: Projects/plan.odt');
    // a drop on a file row goes into its folder; elsewhere, into the selected one's folder
    expect(dropTarget(0, 0)).toBe('Projects');
    key(tree, 'ArrowLeft'); // to the parent
    key(tree, 'ArrowLeft'); // close it
    expect(items(root)).toHaveLength(3);
    expect(document.activeElement).toBe(tree);
    expect(dropTarget(0, 0)).toBe('Projects');
    key(tree, 'End');
    expect(tree.getAttribute('aria-activedescendant')).toBe(items(root)[2].id);
  });

  it('keeps only the rows in view in the DOM at 20,000 files, and finds by name', async () => {
    vi.stubGlobal('navigator', { language: 'de' });
    const many = Array.from({ length: 20000 }, (_, i) => f(`Archiv/doc-${String(i).padStart(5, '0')}.pdf`));
    setFilesApi(api({ '': [f('Archiv', 'synced', true)], Archiv: many }));
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const tree = root.querySelector<HTMLElement>('[role=tree]')!;
    tree.focus();
    const t0 = performance.now();
    key(tree, 'ArrowRight');
    await vi.waitFor(() => expect(items(root).length).toBeGreaterThan(10));
    key(tree, 'End');
    const ms = performance.now() - t0;
    expect(items(root).length).toBeLessThan(80);
    const last = items(root).find((r) => r.getAttribute('aria-selected') === 'true')!;
    expect(last.textContent).toContain('doc-19999.pdf');
    expect(last.getAttribute('aria-posinset')).toBe('20000');
    expect(last.textContent).toContain('Synchronisiert');
    expect(ms).toBeLessThan(2000);
    const filter = root.querySelector<HTMLInputElement>('#files-filter')!;
    expect(root.querySelector('label[for=files-filter]')!.textContent).toBe('Nach Namen suchen');
    filter.value = 'doc-0001';
    filter.dispatchEvent(new Event('input'));
    await vi.waitFor(() => expect(items(root)).toHaveLength(10));
    expect(items(root)[0].textContent).toContain('Archiv/doc-00010.pdf');
  });

  it('updates in place on a status and shows a file from the activity', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const tree: Record<string, TreeEntry[]> = { '': [f('Projects', 'synced', true), f('a.txt', 'upload')], Projects: [f('Projects/plan.odt')] };
    const acts: Activity[] = [
      { id: 2, kind: 'uploaded', path: 'Projects/plan.odt', to: '', size: 2048, at: '2026-12-07T09:05:00Z' },
      { id: 1, kind: 'deleted-server', path: 'gone.txt', to: '', size: 0, at: '2026-12-07T09:00:00Z' },
    ];
    const a = api(tree, acts);
    let push: ((s: FilesStatus) => void) | undefined;
    a.onStatus = (cb) => { push = cb; return () => {}; };
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const rows = [...root.querySelectorAll('#files-activity button')];
    expect(rows.map((b) => b.textContent!.split(' · ').filter((x) => !/\d:\d/.test(x)).join(' · '))).toEqual(['↑ Uploaded · Projects/plan.odt · 2.0 kB', 'Deleted on the server · gone.txt']);
    const treeEl = root.querySelector<HTMLElement>('[role=tree]')!;
    treeEl.focus();
    key(treeEl, 'ArrowDown');
    const aRow = items(root)[1];
    tree[''] = [f('Projects', 'synced', true), f('a.txt', 'transferring')];
    push!(status());
    await vi.waitFor(() => expect(aRow.textContent).toContain('Transferring'));
    expect(items(root)[1]).toBe(aRow); // the same element: nothing redrawn
    expect(document.activeElement).toBe(treeEl);
    (rows[0] as HTMLElement).click();
    await vi.waitFor(() => expect(treeEl.getAttribute('aria-activedescendant')).toBe(items(root).find((r) => r.dataset.path === 'Projects/plan.odt')?.id));
    (rows[1] as HTMLElement).click();
    await vi.waitFor(() => expect(root.querySelector('#files-activity-msg')!.textContent).toBe('gone.txt is no longer in the synced folder.'));
  });
});

describe('transfer progress in the tree', () => {
  const moving = (done: number, total: number, isDir = false): TreeEntry => ({ ...f('big.iso', 'transferring', isDir), done, total });

  it('says how much of a transferring file has moved, in whole percent', () => {
    vi.stubGlobal('navigator', { language: 'en' });
    expect(percentDone(moving(0, 1000))).toBe(0);
    expect(percentDone(moving(999, 1000))).toBe(99); // 100 only when all is there
    expect(percentDone(moving(1000, 1000))).toBe(100);
    expect(percentDone(moving(5000, 1000))).toBe(100); // a resent chunk never shows more than all
    expect(percentDone(moving(-1, 1000))).toBe(0);
    expect(percentDone(moving(10, 0))).toBeUndefined(); // size unknown: no number
    expect(percentDone(moving(10, 100, true))).toBeUndefined(); // a folder: no number
    expect(percentDone({ ...f('a.txt', 'synced'), done: 5, total: 10 })).toBeUndefined();
    expect(stateText(moving(421, 1000))).toBe('Transferring, 42 %');
    expect(stateText(f('old.bin', 'transferring'))).toBe('Transferring');
    vi.stubGlobal('navigator', { language: 'de' });
    expect(stateText(moving(421, 1000))).toBe('Wird übertragen, 42 %');
  });

  it('updates the percentage in place while the focus stays on the row', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const tree: Record<string, TreeEntry[]> = { '': [f('a.txt'), moving(100, 1000), f('z.txt', 'download')] };
    const a = api(tree);
    let push: ((s: FilesStatus) => void) | undefined;
    a.onStatus = (cb) => { push = cb; return () => {}; };
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const treeEl = root.querySelector<HTMLElement>('[role=tree]')!;
    treeEl.focus();
    key(treeEl, 'ArrowDown');
    const row = items(root)[1];
    expect(row.querySelector('.state')!.textContent).toBe('Transferring, 10 %');
    expect(treeEl.getAttribute('aria-activedescendant')).toBe(row.id);
    for (const [done, want] of [[600, 'Transferring, 60 %'], [999, 'Transferring, 99 %']] as const) {
      tree[''] = [f('a.txt'), moving(done, 1000), f('z.txt', 'transferring')];
      push!(status());
      await vi.waitFor(() => expect(row.querySelector('.state')!.textContent).toBe(want), { timeout: 3000 });
      expect(items(root)[1]).toBe(row); // the same element: nothing redrawn
      expect(document.activeElement).toBe(treeEl);
      expect(treeEl.getAttribute('aria-activedescendant')).toBe(row.id);
    }
    tree[''] = [f('a.txt'), f('big.iso'), f('z.txt')];
    push!(status());
    await vi.waitFor(() => expect(row.querySelector('.state')!.textContent).toBe('Synced'), { timeout: 3000 });
    expect(document.activeElement).toBe(treeEl);
  });

  it('reads a transferring row again without a status (a stalled transfer sends none), and stops when none transfers', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const tree: Record<string, TreeEntry[]> = { '': [moving(100, 1000)] };
    const a = api(tree);
    a.onStatus = () => () => {}; // no status ever arrives
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    const cleanup = await renderFiles(root);
    expect(items(root)[0].textContent).toContain('Transferring, 10 %');
    tree[''] = [moving(500, 1000)];
    await vi.waitFor(() => expect(items(root)[0].textContent).toContain('Transferring, 50 %'), { timeout: 3000 });
    tree[''] = [f('big.iso')];
    await vi.waitFor(() => expect(items(root)[0].textContent).toContain('Synced'), { timeout: 3000 });
    const n = a.listed.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(a.listed.length).toBe(n); // nothing transfers: no reading again
    cleanup();
  });

  it('reads again less often when reading takes long (a big opened folder)', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const a = api({ '': [moving(100, 1000)] });
    const list = a.Children;
    a.Children = async (d) => { await new Promise((r) => setTimeout(r, 700)); return list(d); };
    a.onStatus = () => () => {};
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    const cleanup = await renderFiles(root);
    const n = a.listed.length;
    await new Promise((r) => setTimeout(r, 5000));
    // a reload takes 0.7 s: at most one every 2.8 s (every second, it would be 4 or 5)
    expect(a.listed.length - n).toBeGreaterThanOrEqual(1);
    expect(a.listed.length - n).toBeLessThanOrEqual(2);
    cleanup();
  });
});

describe('folder picker', () => {
  it('lists server folders lazily and asks before unticking one with local changes', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const a = api({ '': [] });
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    expect(a.calls.filter((c) => c.startsWith('Folders'))).toEqual([]); // nothing listed until opened
    const details = root.querySelector<HTMLDetailsElement>('#files-pick')!;
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await vi.waitFor(() => expect(details.querySelector('label')?.textContent).toBe('Photos (3.4 kB)'));
    const expand = details.querySelector<HTMLButtonElement>('button[aria-expanded]')!;
    expect(expand.getAttribute('aria-label')).toBe('Show folders in Photos');
    expand.click();
    await vi.waitFor(() => expect(a.calls).toContain('Folders Photos'));
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    const box = details.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    // untick, then answer "keep syncing": nothing changes
    box.click();
    await vi.waitFor(() => expect(document.querySelector('#files-pick-ask')).not.toBeNull());
    expect(document.querySelector('#files-pick-ask')!.textContent).toContain('Photos/2026/notes.txt');
    expect(document.querySelector('#files-pick-ask')!.textContent).toContain('A file in it was changed here and is not on the server yet.'); // one: not "1 files"
    expect(document.activeElement!.id).toBe('files-pick-no');
    document.querySelector<HTMLButtonElement>('#files-pick-no')!.click();
    await vi.waitFor(() => expect(box.checked).toBe(true));
    expect(a.calls.filter((c) => c.startsWith('Set'))).toEqual(['Set Photos false false']);
    expect(document.querySelector('#files-pick-ask')).toBeNull();
    // untick and confirm
    box.click();
    await vi.waitFor(() => expect(document.querySelector('#files-pick-yes')).not.toBeNull());
    document.querySelector<HTMLButtonElement>('#files-pick-yes')!.click();
    await vi.waitFor(() => expect(a.calls).toContain('Set Photos false true'));
    await vi.waitFor(() => expect(root.querySelector('#files-pick-msg')!.textContent).toBe('Saved: Photos is not synced from the next sync.'));
    expect(box.checked).toBe(false);
    expect(document.activeElement).toBe(box);
  });
});

describe('share', () => {
  it('creates a link for the selected entry and opens it in the suite', async () => {
    vi.stubGlobal('navigator', { language: 'de' });
    const a = api({ '': [f('Bericht.odt')] });
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    const tree = root.querySelector<HTMLElement>('[role=tree]')!;
    tree.focus();
    const details = root.querySelector<HTMLDetailsElement>('#files-share')!;
    await vi.waitFor(() => expect(details.hidden).toBe(false));
    expect(root.querySelector('label[for=files-share-password]')!.textContent).toBe('Passwort (freiwillig)');
    root.querySelector<HTMLInputElement>('#files-share-password')!.value = 'Sommer-2026!';
    root.querySelector<HTMLInputElement>('#files-share-expire')!.value = '2027-01-31';
    root.querySelector<HTMLButtonElement>('#files-share-create')!.click();
    await vi.waitFor(() => expect(root.querySelector('#files-share-result')!.textContent).toBe('Link zu Bericht.odt erstellt (hier kopieren): https://files.example.org/s/AbC'));
    expect(a.calls).toContain('Share Bericht.odt|Sommer-2026!|2027-01-31');
    expect(root.querySelector<HTMLInputElement>('#files-share-password')!.value).toBe(''); // not kept in the page
    root.querySelector<HTMLButtonElement>('#files-open-suite')!.click();
    await vi.waitFor(() => expect(a.calls).toContain('Suite Bericht.odt'));
  });

  it('offers no share link when the administrator turned it off', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const a = api({ '': [f('Bericht.odt')] });
    a.CanShare = async () => false;
    setFilesApi(a);
    const root = document.createElement('main');
    document.body.append(root);
    await renderFiles(root);
    await new Promise((r) => setTimeout(r, 20));
    expect(root.querySelector<HTMLDetailsElement>('#files-share')!.hidden).toBe(true);
  });
});
