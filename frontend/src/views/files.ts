// Files: the synced folder's state, a progress bar with rate and time left,
// conflicts (keep mine / keep theirs / keep both) and per-file errors with
// open and show-in-folder, pause/resume, and files dropped on the window.
import { registerView } from '../views';
import { addStrings, t } from '../i18n';
import { setupHint } from './setup-hint';
import * as Go from '../wailsjs/go/app/Files';
import { EventsOn, OnFileDrop } from '../wailsjs/runtime/runtime';
import { fileTree, type FileTree, type TreeEntry } from './filetree';
import { activityList, type Activity } from './activity';
import { folderPicker, type ServerFolder, type FolderChange } from './folderpicker';
import { shareControls, type Share } from './share';

addStrings('en', {
  'files.title': 'Files',
  'files.heading': 'Synced folder',
  'files.folder': 'Folder: {path}',
  'files.server': 'Server: {url}',
  'files.summary': '{files} files, {size}',
  'files.state.idle': 'Up to date',
  'files.state.scanning': 'Looking for changes…',
  'files.state.syncing': 'Syncing…',
  'files.state.paused': 'Paused',
  'files.state.error': 'Problem',
  'files.state.waiting-confirm': 'Waiting for you',
  'files.lastsync': 'Last synced {time}',
  'files.pause': 'Pause',
  'files.resume': 'Resume',
  'files.syncnow': 'Sync now',
  'files.openfolder': 'Open folder',
  'files.confirm': 'Delete them',
  'files.progress': '{done} of {total} files, {bytes} of {totalBytes}',
  'files.rate': '{rate}/s, {eta} left',
  'files.conflicts': 'Conflicts',
  'files.conflict.text': '{original} was changed here and on the server. Your version is kept as {copy}.',
  'files.keepmine': 'Keep mine',
  'files.keeptheirs': 'Keep theirs',
  'files.keepboth': 'Keep both',
  'files.errors': 'Files that could not be synced',
  'files.open': 'Open',
  'files.reveal': 'Show in folder',
  'files.noconflicts': 'No conflicts.',
  'files.noerrors': 'No problems.',
  'files.drop': 'Drop files here to add them to the synced folder.',
  'files.dropping': 'Copying dropped files: {done} of {total}',
  'files.notready': 'File sync is not set up: {problem}',
  'files.settings': 'Settings',
  'files.ignore': 'Also ignore (one pattern per line, e.g. *.tmp or build)',
  'files.excluded': 'Server folders not synced (one per line)',
  'files.limit': 'Bandwidth limit in KiB/s (0 = none)',
  'files.save': 'Save',
  'files.saved': 'Saved. The next sync applies it; nothing is deleted.',
  'files.failed': 'That did not work: {error}',
});
addStrings('de', {
  'files.title': 'Dateien',
  'files.heading': 'Synchronisierter Ordner',
  'files.folder': 'Ordner: {path}',
  'files.server': 'Server: {url}',
  'files.summary': '{files} Dateien, {size}',
  'files.state.idle': 'Aktuell',
  'files.state.scanning': 'Suche nach Änderungen…',
  'files.state.syncing': 'Synchronisiere…',
  'files.state.paused': 'Angehalten',
  'files.state.error': 'Problem',
  'files.state.waiting-confirm': 'Wartet auf Sie',
  'files.lastsync': 'Zuletzt synchronisiert {time}',
  'files.pause': 'Anhalten',
  'files.resume': 'Fortsetzen',
  'files.syncnow': 'Jetzt synchronisieren',
  'files.openfolder': 'Ordner öffnen',
  'files.confirm': 'Löschen',
  'files.progress': '{done} von {total} Dateien, {bytes} von {totalBytes}',
  'files.rate': '{rate}/s, noch {eta}',
  'files.conflicts': 'Konflikte',
  'files.conflict.text': '{original} wurde hier und auf dem Server geändert. Ihre Fassung liegt als {copy} daneben.',
  'files.keepmine': 'Meine behalten',
  'files.keeptheirs': 'Server-Fassung behalten',
  'files.keepboth': 'Beide behalten',
  'files.errors': 'Dateien, die nicht synchronisiert werden konnten',
  'files.open': 'Öffnen',
  'files.reveal': 'Im Ordner zeigen',
  'files.noconflicts': 'Keine Konflikte.',
  'files.noerrors': 'Keine Probleme.',
  'files.drop': 'Dateien hierher ziehen, um sie in den synchronisierten Ordner zu legen.',
  'files.dropping': 'Kopiere abgelegte Dateien: {done} von {total}',
  'files.notready': 'Die Dateisynchronisierung ist nicht eingerichtet: {problem}',
  'files.settings': 'Einstellungen',
  'files.ignore': 'Zusätzlich ignorieren (ein Muster pro Zeile, z. B. *.tmp oder build)',
  'files.excluded': 'Nicht synchronisierte Server-Ordner (einer pro Zeile)',
  'files.limit': 'Bandbreite begrenzen in KiB/s (0 = keine Grenze)',
  'files.save': 'Speichern',
  'files.saved': 'Gespeichert. Die nächste Synchronisierung übernimmt es; nichts wird gelöscht.',
  'files.failed': 'Das hat nicht geklappt: {error}',
});

export interface Progress { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; rate: number; etaSeconds: number; current: string }
export interface Conflict { copy: string; original: string; at: string }
export interface FileError { path: string; op: string; message: string; at: string; attempts: number }
export interface FilesStatus {
  folder: string; server: string; ready: boolean; problem: string;
  sync: { state: string; lastSync: string; lastError: string; progress: Progress };
  files: number; bytes: number; conflicts: Conflict[] | null; errors: FileError[] | null;
  drop: { active: boolean; done: number; total: number; error: string };
}
export interface FilesApi {
  Status(): Promise<FilesStatus>;
  Pause(): Promise<void>; Resume(): Promise<void>; SyncNow(): Promise<void>; ConfirmDeletes(): Promise<void>;
  KeepMine(copy: string): Promise<void>; KeepTheirs(copy: string): Promise<void>; KeepBoth(copy: string): Promise<void>;
  Open(rel: string): Promise<void>; Reveal(rel: string): Promise<void>;
  Lists(): Promise<Lists>; SetLists(l: Lists): Promise<void>; SetLimit(kib: number): Promise<void>;
  Children(dir: string): Promise<TreeEntry[] | null>; Find(q: string): Promise<TreeEntry[] | null>;
  Activity(): Promise<Activity[] | null>; DropFiles(sub: string, paths: string[]): Promise<string[] | null>;
  ServerFolders(dir: string): Promise<ServerFolder[] | null>;
  SetFolderSynced(path: string, synced: boolean, confirmed: boolean): Promise<FolderChange>;
  CanShare(): Promise<boolean>; ShareLink(rel: string, password: string, expireDate: string): Promise<Share>;
  OpenInSuite(rel: string): Promise<void>;
  // onStatus subscribes to "files:status" (tests); the app uses the Wails event.
  onStatus?(cb: (st: FilesStatus) => void): () => void;
}
export interface Lists { ignore: string[] | null; excluded: string[] | null }

const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l !== '');

// settings renders the ignore list, the deselected folders and the limit.
// Each label sits on its own line above its field, so none can be read as
// belonging to the field beside it.
export async function drawSettings(root: HTMLElement): Promise<void> {
  const l = await go().Lists();
  const form = el('form', { id: 'files-settings', className: 'files-settings' });
  const field = (id: string, label: string, input: HTMLElement) => {
    const lab = el('label', { textContent: label });
    lab.htmlFor = id;
    input.id = id;
    form.append(el('div', { className: 'field' }, lab, input));
  };
  const ign = el('textarea', { value: (l.ignore ?? []).join('\n'), rows: 4 });
  const exc = el('textarea', { value: (l.excluded ?? []).join('\n'), rows: 3 });
  const lim = el('input', { type: 'number', min: '0', value: '0' });
  field('files-ignore', t('files.ignore'), ign);
  field('files-excluded', t('files.excluded'), exc);
  field('files-limit', t('files.limit'), lim);
  const msg = el('p', { id: 'files-settings-msg' });
  msg.setAttribute('role', 'status');
  form.append(el('button', { type: 'submit', textContent: t('files.save') }), msg);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go().SetLists({ ignore: lines(ign.value), excluded: lines(exc.value) })
      .then(() => go().SetLimit(Math.max(0, Number(lim.value) || 0)))
      .then(() => { msg.textContent = t('files.saved'); msg.className = 'hint'; })
      .catch((e) => { msg.textContent = t('files.failed', { error: String(e) }); msg.className = 'error'; });
  });
  root.append(el('details', {}, el('summary', { textContent: t('files.settings') }), form));
}

let api: FilesApi | undefined;
export function setFilesApi(a: FilesApi | undefined): void { api = a; }
function go(): FilesApi { return api ?? (Go as unknown as FilesApi); }

export function humanBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} kB`;
  return `${n} B`;
}

export function humanDuration(s: number): string {
  if (s < 0 || !isFinite(s)) return '–';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...kids);
  return e;
}

// setText writes only a change: a live region may announce a rewrite of the
// same text, and a status arrives every 500 ms during a sync.
function setText(e: HTMLElement, s: string): void {
  if (e.textContent !== s) e.textContent = s;
}

// keyed brings a list's items up to date in place: an item whose key was
// there keeps its element (and the keyboard focus in it); a removed item
// that held the focus hands it to the item that takes its place, or to
// fallback when the list is empty.
function keyed<T>(list: HTMLElement, items: T[], key: (x: T) => string, create: (x: T) => HTMLElement,
  fallback: HTMLElement): void {
  const old = new Map<string, HTMLElement>();
  for (const li of [...list.children] as HTMLElement[]) old.set(li.dataset.key ?? '', li);
  const next = items.map((x) => {
    const k = key(x);
    const li = old.get(k) ?? create(x);
    li.dataset.key = k;
    old.delete(k);
    return li;
  });
  let lostFocus = -1;
  for (const li of old.values()) {
    if (li.contains(document.activeElement)) lostFocus = [...list.children].indexOf(li);
    li.remove();
  }
  next.forEach((li, i) => { if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null); });
  if (lostFocus >= 0) {
    const heir = next[Math.min(lostFocus, next.length - 1)]?.querySelector<HTMLElement>('button');
    (heir ?? fallback).focus();
  }
}

// FilesPage is the view's DOM, built once and brought up to date by each
// status: a status (every 500 ms while syncing) never replaces an element,
// so the keyboard focus, a half-typed setting and the scroll position stay.
let itemIds = 0;

export interface FilesPage { el: HTMLElement; update(st: FilesStatus): void }

export function filesPage(refresh: () => Promise<void>): FilesPage {
  const root = el('div', { className: 'files' });
  const heading = el('h1', { id: 'files-h', textContent: t('files.heading'), tabIndex: -1 });
  const problem = el('div', { id: 'files-problem', hidden: true });
  // What problem shows now: redrawn only when that changes, so focus on its buttons stays.
  let problemShown = '';
  const body = el('div', { id: 'files-body' });
  root.append(heading, problem, body);

  const folder = el('p', { id: 'files-folder' });
  const server = el('p', { id: 'files-server' });
  const summary = el('p', { id: 'files-summary' });
  const state = el('p', { id: 'files-state' });
  state.setAttribute('role', 'status');
  // An action's failure: shown, and said at once by screen readers.
  const actionError = el('p', { id: 'files-action-error', className: 'error' });
  actionError.setAttribute('role', 'alert');

  let last: FilesStatus | undefined;
  const button = (id: string, label: string, onClick: () => Promise<unknown>, describedBy = ''): HTMLButtonElement => {
    const b = el('button', { type: 'button', textContent: label });
    if (id) b.id = id;
    if (describedBy) b.setAttribute('aria-describedby', describedBy);
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-disabled') === 'true') return;
      // aria-disabled, not disabled: a disabled button drops the keyboard focus
      b.setAttribute('aria-disabled', 'true');
      setText(actionError, '');
      onClick().catch((e) => { setText(actionError, t('files.failed', { error: String(e) })); })
        .finally(() => { b.removeAttribute('aria-disabled'); });
    });
    return b;
  };
  const act = (fn: () => Promise<unknown>) => async () => { await fn(); await refresh(); };

  // Pause and resume are one button whose label and action follow the state,
  // so it keeps the focus when pressed.
  const pauseResume = button('files-pause', t('files.pause'), act(() => (last?.sync.state === 'paused' ? go().Resume() : go().Pause())));
  const syncNow = button('files-syncnow', t('files.syncnow'), act(() => go().SyncNow()));
  const openFolder = button('files-openfolder', t('files.openfolder'), () => go().Open(''));
  const confirm = button('files-confirm', t('files.confirm'), act(() => go().ConfirmDeletes()), 'files-state');
  const bar = el('div', { className: 'toolbar' }, pauseResume, syncNow, openFolder, confirm);

  const progress = el('progress', { id: 'files-progress' });
  progress.setAttribute('aria-label', t('files.state.syncing'));
  progress.setAttribute('aria-describedby', 'files-progress-text');
  const progressText = el('p', { id: 'files-progress-text' });
  const rate = el('p', { id: 'files-rate' });
  const progressBox = el('div', { className: 'files-progress', hidden: true }, progress, progressText, rate);
  const drop = el('p', { id: 'files-drop' });

  const conflictsH = el('h2', { id: 'files-conflicts-h', textContent: t('files.conflicts'), tabIndex: -1 });
  const noConflicts = el('p', { textContent: t('files.noconflicts') });
  const conflicts = el('ul', { id: 'files-conflicts', className: 'files-items' });
  conflicts.setAttribute('aria-labelledby', 'files-conflicts-h');
  const errorsH = el('h2', { id: 'files-errors-h', textContent: t('files.errors'), tabIndex: -1 });
  const noErrors = el('p', { textContent: t('files.noerrors') });
  const errors = el('ul', { id: 'files-errors', className: 'files-items' });
  errors.setAttribute('aria-labelledby', 'files-errors-h');
  body.append(folder, server, summary, state, bar, actionError, progressBox, drop, conflictsH, noConflicts, conflicts, errorsH, noErrors, errors);

  const conflictItem = (c: Conflict): HTMLElement => {
    const text = el('span', { textContent: t('files.conflict.text', { original: c.original, copy: c.copy }) });
    text.id = `files-conflict-${++itemIds}`;
    // Each button says which file it acts on (the sentence before it).
    const b = (label: string, f: () => Promise<unknown>) => button('', label, f, text.id);
    const li = el('li', {}, text, el('span', { className: 'actions' },
      b(t('files.keepmine'), act(() => go().KeepMine(c.copy))),
      b(t('files.keeptheirs'), act(() => go().KeepTheirs(c.copy))),
      b(t('files.keepboth'), act(() => go().KeepBoth(c.copy))),
      b(t('files.open'), () => go().Open(c.copy)),
      b(t('files.reveal'), () => go().Reveal(c.copy))));
    li.dataset.copy = c.copy;
    return li;
  };
  const errorItem = (e: FileError): HTMLElement => {
    const text = el('span', {}, el('strong', { textContent: e.path }), `: ${e.message} `);
    text.id = `files-error-${++itemIds}`;
    const li = el('li', {}, text, button('', t('files.reveal'), () => go().Reveal(e.path), text.id));
    li.dataset.path = e.path;
    return li;
  };

  function update(st: FilesStatus): void {
    last = st;
    problem.hidden = st.ready;
    body.hidden = !st.ready;
    if (!st.ready) {
      // Not signed in is not a problem to report but a step to take.
      const shown = /not signed in/.test(st.problem) ? 'setup' : t('files.notready', { problem: st.problem });
      if (shown !== problemShown) {
        problemShown = shown;
        problem.replaceChildren(shown === 'setup' ? setupHint('files-setup', t('setup.files')) : el('p', { textContent: shown }));
      }
      return;
    }
    problemShown = '';
    setText(folder, t('files.folder', { path: st.folder }));
    setText(server, t('files.server', { url: st.server }));
    setText(summary, t('files.summary', { files: st.files, size: humanBytes(st.bytes) }));
    let s = t(`files.state.${st.sync.state || 'idle'}`);
    if (st.sync.lastError) s += ` – ${st.sync.lastError}`;
    setText(state, s);
    const paused = st.sync.state === 'paused';
    pauseResume.id = paused ? 'files-resume' : 'files-pause';
    setText(pauseResume, t(paused ? 'files.resume' : 'files.pause'));
    const waiting = st.sync.state === 'waiting-confirm';
    if (!waiting && confirm.contains(document.activeElement)) syncNow.focus();
    confirm.hidden = !waiting;

    const p = st.sync.progress;
    const syncing = st.sync.state === 'syncing' && !!p && p.filesTotal > 0;
    progressBox.hidden = !syncing;
    if (syncing) {
      progress.max = Math.max(p.bytesTotal, 1);
      progress.value = p.bytesDone;
      setText(progressText, t('files.progress', { done: p.filesDone, total: p.filesTotal, bytes: humanBytes(p.bytesDone), totalBytes: humanBytes(p.bytesTotal) }));
      setText(rate, t('files.rate', { rate: humanBytes(p.rate), eta: humanDuration(p.etaSeconds) }));
    }
    if (st.drop?.active) {
      drop.id = 'files-drop-progress';
      setText(drop, t('files.dropping', { done: humanBytes(st.drop.done), total: humanBytes(st.drop.total) }));
    } else {
      drop.id = 'files-drop';
      setText(drop, st.drop?.error || t('files.drop'));
    }
    drop.classList.toggle('error', !st.drop?.active && !!st.drop?.error);

    const cs = st.conflicts ?? [];
    noConflicts.hidden = cs.length > 0;
    keyed(conflicts, cs, (c) => c.copy, conflictItem, conflictsH);
    const es = st.errors ?? [];
    noErrors.hidden = es.length > 0;
    keyed(errors, es, (e) => `${e.path}\n${e.op}\n${e.message}`, errorItem, errorsH);
  }
  return { el: root, update };
}

// throttled runs fn at most once per ms(), the last call always getting through.
function throttled(fn: () => Promise<void>, ms: () => number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms() - Date.now());
    timer = setTimeout(() => { timer = undefined; last = Date.now(); fn().catch(() => {}); }, wait);
  };
}

// The tree on screen, if any: a drop lands in the folder under the pointer.
let shownTree: FileTree | undefined;

// dropTarget is the folder a drop at (x, y) goes to: the folder row under
// the pointer (a file row: its folder), else the tree's selected folder
// while the files view is shown, else the top of the synced folder.
export function dropTarget(x: number, y: number): string {
  if (!shownTree || !shownTree.el.isConnected) return '';
  const at = typeof document.elementFromPoint === 'function' ? document.elementFromPoint(x, y) : null;
  return shownTree.dropFolder(at && shownTree.tree.contains(at) ? at : null);
}

export function dropFiles(x: number, y: number, paths: string[]): Promise<unknown> {
  return go().DropFiles(dropTarget(x, y), paths).then(() => shownTree?.refresh());
}

export async function renderFiles(root: HTMLElement): Promise<() => void> {
  const settings = el('div');
  const page = filesPage(async () => { page.update(await go().Status()); });
  const actionError = page.el.querySelector<HTMLElement>('#files-action-error');
  const onError = (e: unknown) => { if (actionError) actionError.textContent = t('files.failed', { error: String(e) }); };
  const tree = fileTree(() => go(), humanBytes, onError);
  const activity = activityList(humanBytes, (p) => tree.show(p));
  tree.tree.before(shareControls(() => go(), () => tree.active(), onError));
  const more = el('div', { id: 'files-more' }, tree.el, activity.el, folderPicker(() => go(), humanBytes, onError));
  root.replaceChildren(page.el, more, settings);
  const st = await go().Status();
  page.update(st);
  more.hidden = !st.ready;
  shownTree = tree;
  // what the last reload took: reloads (every second during a sync) keep
  // to a quarter of the time, also with 10,000 entries in an opened folder
  let cost = 0;
  const reload = async () => {
    const t0 = Date.now();
    await tree.refresh();
    activity.update(await go().Activity());
    cost = Date.now() - t0;
  };
  if (st.ready) {
    await reload().catch(onError);
    await drawSettings(settings);
  }
  const again = throttled(reload, () => Math.max(1000, 4 * cost));
  // While a row transfers, its percentage is read again every second: a
  // stalled transfer sends no status, and the last bytes before it may fall
  // between two statuses.
  const poll = setInterval(() => { if (tree.transferring()) again(); }, 1000);
  const offs: (() => void)[] = [() => { if (shownTree === tree) shownTree = undefined; }, () => clearInterval(poll)];
  const onStatus = (s: FilesStatus) => {
    page.update(s);
    more.hidden = !s.ready;
    if (s.ready) again();
  };
  if (!api) offs.push(EventsOn('files:status', onStatus));
  else if (api.onStatus) offs.push(api.onStatus(onStatus));
  return () => offs.forEach((f) => f());
}

// Files dropped on the window (anywhere, any view) are copied in by Go's
// DropFiles; registered once, when the Wails runtime is there.
if (typeof window !== 'undefined' && (window as unknown as { runtime?: unknown }).runtime) {
  try {
    OnFileDrop((x, y, paths) => { void dropFiles(x, y, paths); }, false);
  } catch {
    // an older runtime without file drops: nothing to route
  }
}

registerView({
  id: 'files',
  title: () => t('files.title'),
  // the folder emoji has no glyph in common Linux UI fonts (an empty box): drawn instead
  icon: '<svg width="1em" height="1em" viewBox="0 0 16 16" fill="currentColor"><path d="M1 3.5A1.5 1.5 0 0 1 2.5 2h3.6l1.5 1.5h5.9A1.5 1.5 0 0 1 15 5v7.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 12.5z"/></svg>',
  render(root) {
    let cleanup: (() => void) | undefined;
    void renderFiles(root).then((c) => { cleanup = c; });
    return () => cleanup?.();
  },
});
