// Files: the synced folder's state, a progress bar with rate and time left,
// conflicts (keep mine / keep theirs / keep both) and per-file errors with
// open and show-in-folder, pause/resume, and files dropped on the window.
import { registerView } from '../views';
import { addStrings, t } from '../i18n';
import { setupHint } from './setup-hint';
import * as Go from '../wailsjs/go/app/Files';
import { EventsOn } from '../wailsjs/runtime/runtime';

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
}
export interface Lists { ignore: string[] | null; excluded: string[] | null }

const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l !== '');

// settings renders the ignore list, the deselected folders and the limit.
export async function drawSettings(root: HTMLElement): Promise<void> {
  const l = await go().Lists();
  const form = el('form', { id: 'files-settings' });
  const field = (id: string, label: string, input: HTMLElement) => {
    const lab = el('label', { textContent: label });
    lab.htmlFor = id;
    input.id = id;
    form.append(lab, input);
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
      .then(() => { msg.textContent = t('files.saved'); })
      .catch((e) => { msg.textContent = String(e); });
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

function button(id: string, label: string, onClick: () => Promise<unknown>): HTMLButtonElement {
  const b = el('button', { type: 'button', textContent: label });
  if (id) b.id = id;
  b.addEventListener('click', () => {
    b.disabled = true;
    onClick().catch((e) => { b.title = String(e); }).finally(() => { b.disabled = false; });
  });
  return b;
}

// draw renders a status into root (pure: no calls until a button is pressed).
export function draw(root: HTMLElement, st: FilesStatus, refresh: () => Promise<void>): void {
  root.replaceChildren();
  root.append(el('h1', { textContent: t('files.heading') }));
  if (!st.ready) {
    // Not signed in is not a problem to report but a step to take.
    if (/not signed in/.test(st.problem)) root.append(setupHint('files-problem', t('setup.files')));
    else root.append(el('p', { id: 'files-problem', textContent: t('files.notready', { problem: st.problem }) }));
    return;
  }
  const act = (fn: () => Promise<unknown>) => async () => { await fn(); await refresh(); };
  const state = el('p', { id: 'files-state' });
  state.setAttribute('role', 'status');
  state.textContent = t(`files.state.${st.sync.state || 'idle'}`);
  if (st.sync.lastError) state.textContent += ` – ${st.sync.lastError}`;
  root.append(
    el('p', { textContent: t('files.folder', { path: st.folder }) }),
    el('p', { textContent: t('files.server', { url: st.server }) }),
    el('p', { id: 'files-summary', textContent: t('files.summary', { files: st.files, size: humanBytes(st.bytes) }) }),
    state,
  );
  const bar = el('div', { className: 'toolbar' });
  if (st.sync.state === 'paused') bar.append(button('files-resume', t('files.resume'), act(() => go().Resume())));
  else bar.append(button('files-pause', t('files.pause'), act(() => go().Pause())));
  bar.append(button('files-syncnow', t('files.syncnow'), act(() => go().SyncNow())),
    button('files-openfolder', t('files.openfolder'), () => go().Open('')));
  if (st.sync.state === 'waiting-confirm') bar.append(button('files-confirm', t('files.confirm'), act(() => go().ConfirmDeletes())));
  root.append(bar);

  const p = st.sync.progress;
  if (st.sync.state === 'syncing' && p && p.filesTotal > 0) {
    const prog = el('progress', { id: 'files-progress', max: Math.max(p.bytesTotal, 1), value: p.bytesDone });
    prog.setAttribute('aria-label', t('files.state.syncing'));
    root.append(prog,
      el('p', { id: 'files-progress-text', textContent: t('files.progress', { done: p.filesDone, total: p.filesTotal, bytes: humanBytes(p.bytesDone), totalBytes: humanBytes(p.bytesTotal) }) }),
      el('p', { id: 'files-rate', textContent: t('files.rate', { rate: humanBytes(p.rate), eta: humanDuration(p.etaSeconds) }) }));
  }
  if (st.drop?.active) {
    root.append(el('p', { id: 'files-drop-progress', textContent: t('files.dropping', { done: humanBytes(st.drop.done), total: humanBytes(st.drop.total) }) }));
  } else {
    const hint = el('p', { id: 'files-drop', textContent: st.drop?.error || t('files.drop') });
    root.append(hint);
  }

  root.append(el('h2', { textContent: t('files.conflicts') }));
  const conflicts = st.conflicts ?? [];
  if (conflicts.length === 0) root.append(el('p', { textContent: t('files.noconflicts') }));
  const cl = el('ul', { id: 'files-conflicts' });
  for (const c of conflicts) {
    const li = el('li', {}, el('span', { textContent: t('files.conflict.text', { original: c.original, copy: c.copy }) }), ' ',
      button('', t('files.keepmine'), act(() => go().KeepMine(c.copy))),
      button('', t('files.keeptheirs'), act(() => go().KeepTheirs(c.copy))),
      button('', t('files.keepboth'), act(() => go().KeepBoth(c.copy))),
      button('', t('files.open'), () => go().Open(c.copy)),
      button('', t('files.reveal'), () => go().Reveal(c.copy)));
    li.dataset.copy = c.copy;
    cl.append(li);
  }
  root.append(cl);

  root.append(el('h2', { textContent: t('files.errors') }));
  const errors = st.errors ?? [];
  if (errors.length === 0) root.append(el('p', { textContent: t('files.noerrors') }));
  const el2 = el('ul', { id: 'files-errors' });
  for (const e of errors) {
    const li = el('li', {}, el('strong', { textContent: e.path }), `: ${e.message} `,
      button('', t('files.reveal'), () => go().Reveal(e.path)));
    li.dataset.path = e.path;
    el2.append(li);
  }
  root.append(el2);
}

export async function renderFiles(root: HTMLElement): Promise<() => void> {
  let last: FilesStatus | undefined;
  const main = el('div');
  const settings = el('div');
  root.replaceChildren(main, settings);
  const refresh = async () => { last = await go().Status(); draw(main, last, refresh); };
  await refresh();
  if (last?.ready) await drawSettings(settings);
  const offs: (() => void)[] = [];
  if (!api) offs.push(EventsOn('files:status', (st: FilesStatus) => { last = st; draw(main, st, refresh); }));
  return () => offs.forEach((f) => f());
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
