// The synced folder as a WAI-ARIA tree: folders load their children when
// opened, only the rows in view are in the DOM (a folder may hold 100,000
// files), and the focus stays on the tree itself while the active row is
// named by aria-activedescendant, so a refresh that redraws rows never
// takes the focus away.
import { addStrings, t } from '../i18n';

addStrings('en', {
  'tree.heading': 'Files in the folder',
  'tree.filter': 'Find by name',
  'tree.empty': 'This folder is empty.',
  'tree.nomatch': 'No synced file or folder has this name.',
  'tree.selected': 'Selected: {path}',
  'tree.none': 'Nothing selected. Use the arrow keys in the list.',
  'tree.open': 'Open',
  'tree.reveal': 'Show in folder',
  'tree.state.synced': 'Synced',
  'tree.state.upload': 'Waiting to upload',
  'tree.state.download': 'Waiting to download',
  'tree.state.transferring': 'Transferring',
  'tree.state.transferring.pct': 'Transferring, {pct} %',
  'tree.state.conflict': 'Conflict',
  'tree.state.error': 'Error: {reason}',
  'tree.state.excluded': 'Not synced',
  'tree.loading': 'Loading…',
  'tree.dropto': 'Drop files onto a folder in the list, or anywhere else to add them to {folder}.',
  'tree.top': 'the top of the synced folder',
});
addStrings('de', {
  'tree.heading': 'Dateien im Ordner',
  'tree.filter': 'Nach Namen suchen',
  'tree.empty': 'Dieser Ordner ist leer.',
  'tree.nomatch': 'Keine synchronisierte Datei und kein Ordner heißt so.',
  'tree.selected': 'Ausgewählt: {path}',
  'tree.none': 'Nichts ausgewählt. Wählen Sie mit den Pfeiltasten in der Liste.',
  'tree.open': 'Öffnen',
  'tree.reveal': 'Im Ordner zeigen',
  'tree.state.synced': 'Synchronisiert',
  'tree.state.upload': 'Wartet auf Hochladen',
  'tree.state.download': 'Wartet auf Herunterladen',
  'tree.state.transferring': 'Wird übertragen',
  'tree.state.transferring.pct': 'Wird übertragen, {pct} %',
  'tree.state.conflict': 'Konflikt',
  'tree.state.error': 'Fehler: {reason}',
  'tree.state.excluded': 'Nicht synchronisiert',
  'tree.loading': 'Lädt…',
  'tree.dropto': 'Dateien auf einen Ordner der Liste ziehen oder woanders hin, um sie in {folder} zu legen.',
  'tree.top': 'die oberste Ebene des synchronisierten Ordners',
});

// done of total bytes have moved while a file is transferring (0 otherwise).
export interface TreeEntry { name: string; path: string; isDir: boolean; size: number; mtime: number; state: string; reason: string; done?: number; total?: number }
export interface TreeApi {
  Children(dir: string): Promise<TreeEntry[] | null>;
  Find(q: string): Promise<TreeEntry[] | null>;
  Open(rel: string): Promise<void>;
  Reveal(rel: string): Promise<void>;
}

interface Node { entry: TreeEntry; expanded: boolean; children?: string[]; loading?: boolean }
interface Row { path: string; level: number; pos: number; size: number }

// percentDone is the share of a transferring file that has moved, in whole
// percent (rounded down: 100 only when all is there), or undefined.
export function percentDone(e: TreeEntry): number | undefined {
  if (e.state !== 'transferring' || e.isDir || !e.total || e.total <= 0) return undefined;
  return Math.min(100, Math.max(0, Math.floor(((e.done ?? 0) * 100) / e.total)));
}

export function stateText(e: TreeEntry): string {
  const pct = percentDone(e);
  if (pct !== undefined) return t('tree.state.transferring.pct', { pct });
  return t(`tree.state.${e.state || 'synced'}`, { reason: e.reason });
}

export const parentOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

export interface FileTree {
  el: HTMLElement;
  tree: HTMLElement;
  refresh(): Promise<void>;
  show(path: string): Promise<boolean>;
  dropFolder(target: Element | null): string;
  active(): string;
  // transferring: a row in the list is being transferred (its numbers move).
  transferring(): boolean;
}

const overscan = 8;

export function fileTree(api: () => TreeApi, humanBytes: (n: number) => string, onError: (e: unknown) => void): FileTree {
  const nodes = new Map<string, Node>();
  let top: string[] | undefined;
  let found: string[] | undefined; // a filter's results, shown flat
  let rows: Row[] = [];
  let activePath = '';
  const ids = new Map<string, string>();
  let idSeq = 0;
  const idOf = (p: string) => { let id = ids.get(p); if (!id) { id = `ft-${++idSeq}`; ids.set(p, id); } return id; };

  const el = document.createElement('section');
  el.className = 'files-tree-box';
  el.setAttribute('aria-labelledby', 'files-tree-h');
  const h = document.createElement('h2');
  h.id = 'files-tree-h';
  h.textContent = t('tree.heading');
  const filterLabel = document.createElement('label');
  filterLabel.htmlFor = 'files-filter';
  filterLabel.textContent = t('tree.filter');
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.id = 'files-filter';
  filter.setAttribute('aria-controls', 'files-tree');
  const current = document.createElement('p');
  current.id = 'files-tree-current';
  const mkButton = (id: string, label: string, fn: (p: string) => Promise<void>) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = id;
    b.textContent = label;
    b.setAttribute('aria-describedby', 'files-tree-current');
    b.addEventListener('click', () => { const p = activePath; if (p) fn(p).catch(onError); });
    return b;
  };
  const openB = mkButton('files-tree-open', t('tree.open'), (p) => api().Open(p));
  const revealB = mkButton('files-tree-reveal', t('tree.reveal'), (p) => api().Reveal(p));
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.append(openB, revealB);
  const tree = document.createElement('div');
  tree.id = 'files-tree';
  tree.setAttribute('role', 'tree');
  tree.setAttribute('aria-labelledby', 'files-tree-h');
  tree.setAttribute('aria-describedby', 'files-tree-count');
  tree.tabIndex = 0;
  tree.className = 'files-tree';
  const spacer = document.createElement('div');
  spacer.setAttribute('role', 'none');
  spacer.className = 'files-tree-spacer';
  const win = document.createElement('div');
  win.setAttribute('role', 'none');
  win.className = 'files-tree-window';
  spacer.append(win);
  tree.append(spacer);
  const count = document.createElement('p');
  count.id = 'files-tree-count';
  count.className = 'hint';
  const dropHint = document.createElement('p');
  dropHint.id = 'files-tree-drop';
  dropHint.className = 'hint';
  const fieldBox = document.createElement('div');
  fieldBox.className = 'field';
  fieldBox.append(filterLabel, filter);
  el.append(h, fieldBox, current, bar, tree, count, dropHint);

  const setText = (e: HTMLElement, s: string) => { if (e.textContent !== s) e.textContent = s; };
  const setAttr = (e: HTMLElement, a: string, v: string | null) => {
    if (v === null) { if (e.hasAttribute(a)) e.removeAttribute(a); } else if (e.getAttribute(a) !== v) e.setAttribute(a, v);
  };

  function flatten(): Row[] {
    const out: Row[] = [];
    if (found) {
      found.forEach((p, i) => out.push({ path: p, level: 1, pos: i + 1, size: found!.length }));
      return out;
    }
    const walk = (kids: string[], level: number) => {
      kids.forEach((p, i) => {
        out.push({ path: p, level, pos: i + 1, size: kids.length });
        const n = nodes.get(p);
        if (n?.expanded && n.children) walk(n.children, level + 1);
      });
    };
    walk(top ?? [], 1);
    return out;
  }

  let rowPx = 0;
  const rowHeight = () => {
    const probe = win.firstElementChild as HTMLElement | null;
    const hgt = probe?.getBoundingClientRect().height ?? 0;
    if (hgt > 0) rowPx = hgt;
    return rowPx || 28;
  };

  const rowEls = new Map<string, HTMLElement>();
  function rowEl(path: string): HTMLElement {
    let r = rowEls.get(path);
    if (!r) {
      r = document.createElement('div');
      r.setAttribute('role', 'treeitem');
      r.id = idOf(path);
      r.dataset.path = path;
      r.className = 'files-tree-row';
      const twisty = document.createElement('span');
      twisty.className = 'twisty';
      twisty.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'name';
      const state = document.createElement('span');
      state.className = 'state';
      const size = document.createElement('span');
      size.className = 'size';
      r.append(twisty, name, state, size);
      rowEls.set(path, r);
    }
    return r;
  }

  // draw renders the rows in view; keep is a row that must be among them
  // (the active one, when the scroll position cannot be trusted yet).
  function draw(keepIndex = -1): void {
    rows = flatten();
    const rh = rowHeight();
    spacer.style.height = `${rows.length * rh}px`;
    const viewRows = tree.clientHeight > 0 ? Math.ceil(tree.clientHeight / rh) : 40;
    let start = Math.max(0, Math.floor(tree.scrollTop / rh) - overscan);
    if (keepIndex >= 0 && (keepIndex < start || keepIndex >= start + viewRows + 2 * overscan)) start = Math.max(0, keepIndex - overscan);
    const end = Math.min(rows.length, start + viewRows + 2 * overscan);
    if (end - start < viewRows && end === rows.length) start = Math.max(0, end - viewRows - 2 * overscan);
    win.style.transform = `translateY(${start * rh}px)`;
    const keep = new Set<string>();
    const want: HTMLElement[] = [];
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const n = nodes.get(row.path);
      if (!n) continue;
      const e = n.entry;
      const r = rowEl(row.path);
      keep.add(row.path);
      setAttr(r, 'aria-level', String(row.level));
      setAttr(r, 'aria-posinset', String(row.pos));
      setAttr(r, 'aria-setsize', String(row.size));
      setAttr(r, 'aria-expanded', e.isDir && !found ? String(n.expanded) : null);
      setAttr(r, 'aria-selected', row.path === activePath ? 'true' : 'false');
      r.classList.toggle('active', row.path === activePath);
      r.dataset.dir = e.isDir ? '1' : '';
      r.dataset.state = e.state;
      r.style.paddingInlineStart = `${(row.level - 1) * 1.25 + 0.25}em`;
      const [twisty, name, state, size] = [...r.children] as HTMLElement[];
      setText(twisty, e.isDir && !found ? (n.expanded ? '▾' : '▸') : '');
      setText(name, found ? e.path : e.name);
      setText(state, n.loading ? t('tree.loading') : stateText(e));
      setText(size, e.isDir ? '' : humanBytes(e.size));
      want.push(r);
    }
    for (const [p, r] of rowEls) if (!keep.has(p)) { r.remove(); rowEls.delete(p); }
    want.forEach((r, i) => { if (win.children[i] !== r) win.insertBefore(r, win.children[i] ?? null); });
    if (activePath && keep.has(activePath)) tree.setAttribute('aria-activedescendant', idOf(activePath));
    else tree.removeAttribute('aria-activedescendant');
    setText(current, activePath ? t('tree.selected', { path: activePath }) : t('tree.none'));
    openB.hidden = revealB.hidden = !activePath;
    setText(count, rows.length === 0 ? t(found ? 'tree.nomatch' : 'tree.empty') : '');
    const folder = dropFolderOf(activePath);
    el.dataset.dropFolder = folder;
    setText(dropHint, t('tree.dropto', { folder: folder || t('tree.top') }));
  }

  const dropFolderOf = (p: string): string => {
    if (!p) return '';
    const n = nodes.get(p);
    return n?.entry.isDir ? p : parentOf(p);
  };

  function store(list: TreeEntry[] | null): string[] {
    return (list ?? []).map((e) => {
      const n = nodes.get(e.path);
      if (n) n.entry = e; else nodes.set(e.path, { entry: e, expanded: false });
      return e.path;
    });
  }

  async function load(dir: string): Promise<void> {
    const kids = store(await api().Children(dir));
    if (dir === '') top = kids;
    else { const n = nodes.get(dir); if (n) n.children = kids; }
  }

  async function expand(p: string, open: boolean): Promise<void> {
    const n = nodes.get(p);
    if (!n || !n.entry.isDir) return;
    n.expanded = open;
    if (open && !n.children) {
      n.loading = true;
      draw();
      try { await load(p); } catch (e) { n.expanded = false; onError(e); } finally { n.loading = false; }
    }
    draw();
  }

  function setActive(p: string, scroll = true): void {
    activePath = p;
    const i = rows.findIndex((r) => r.path === p);
    if (scroll && i >= 0) {
      const rh = rowHeight();
      const topPx = i * rh;
      if (topPx < tree.scrollTop) tree.scrollTop = topPx;
      else if (tree.clientHeight > 0 && topPx + rh > tree.scrollTop + tree.clientHeight) tree.scrollTop = topPx + rh - tree.clientHeight;
    }
    draw(i);
  }

  tree.addEventListener('keydown', (ev) => {
    if (rows.length === 0) return;
    let i = rows.findIndex((r) => r.path === activePath);
    const n = nodes.get(activePath);
    const page = Math.max(1, Math.floor((tree.clientHeight || 280) / rowHeight()) - 1);
    switch (ev.key) {
      case 'ArrowDown': i = Math.min(rows.length - 1, i + 1); break;
      case 'ArrowUp': i = i < 0 ? 0 : Math.max(0, i - 1); break;
      case 'Home': i = 0; break;
      case 'End': i = rows.length - 1; break;
      case 'PageDown': i = Math.min(rows.length - 1, Math.max(0, i) + page); break;
      case 'PageUp': i = Math.max(0, i - page); break;
      case 'ArrowRight':
        ev.preventDefault();
        if (n?.entry.isDir && !found) {
          if (!n.expanded) void expand(activePath, true);
          else if (n.children?.length) setActive(n.children[0]);
        }
        return;
      case 'ArrowLeft':
        ev.preventDefault();
        if (n?.entry.isDir && n.expanded && !found) void expand(activePath, false);
        else if (parentOf(activePath) && !found) setActive(parentOf(activePath));
        return;
      case 'Enter':
        ev.preventDefault();
        if (n?.entry.isDir && !found) void expand(activePath, !n.expanded);
        else if (activePath) api().Open(activePath).catch(onError);
        return;
      default: return;
    }
    ev.preventDefault();
    setActive(rows[Math.max(0, i)].path);
  });
  tree.addEventListener('focus', () => { if (!activePath && rows.length) setActive(rows[0].path); });
  tree.addEventListener('scroll', () => draw());
  win.addEventListener('click', (ev) => {
    const r = (ev.target as Element).closest<HTMLElement>('[role=treeitem]');
    if (!r?.dataset.path) return;
    const p = r.dataset.path;
    setActive(p, false);
    tree.focus();
    if ((ev.target as Element).closest('.twisty')) { const n = nodes.get(p); if (n) void expand(p, !n.expanded); }
  });
  win.addEventListener('dblclick', (ev) => {
    const r = (ev.target as Element).closest<HTMLElement>('[role=treeitem]');
    const n = r?.dataset.path ? nodes.get(r.dataset.path) : undefined;
    if (!n) return;
    if (n.entry.isDir && !found) void expand(n.entry.path, !n.expanded);
    else api().Open(n.entry.path).catch(onError);
  });

  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  let filterSeq = 0;
  const runFilter = async () => {
    const q = filter.value.trim();
    const seq = ++filterSeq;
    if (!q) { found = undefined; draw(); return; }
    const res = await api().Find(q);
    if (seq !== filterSeq) return;
    found = store(res);
    if (!found.includes(activePath)) activePath = found[0] ?? '';
    tree.scrollTop = 0;
    draw();
  };
  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { runFilter().catch(onError); }, 200);
  });
  filter.addEventListener('keydown', (ev) => { if (ev.key === 'ArrowDown') { ev.preventDefault(); tree.focus(); } });

  // refresh reloads the top and every opened folder (a status arrives every
  // 500 ms during a sync: at most one reload at a time).
  let refreshing: Promise<void> | undefined;
  async function refresh(): Promise<void> {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      try {
        const open = [...nodes.values()].filter((n) => n.expanded && n.children).map((n) => n.entry.path);
        const before = rows.findIndex((r) => r.path === activePath);
        await load('');
        for (const p of open) await load(p);
        if (found) await runFilter();
        rows = flatten();
        if (activePath && !rows.some((r) => r.path === activePath)) activePath = rows[Math.min(before, rows.length - 1)]?.path ?? '';
        draw();
      } finally { refreshing = undefined; }
    })();
    return refreshing;
  }

  // show opens the folders above path and selects it; false when it is gone.
  async function show(path: string): Promise<boolean> {
    if (found) { filter.value = ''; found = undefined; }
    if (!top) await load('');
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const n = nodes.get(dir);
      if (!n) return false;
      n.expanded = true;
      if (!n.children) await load(dir);
    }
    draw();
    if (!nodes.has(path) || !rows.some((r) => r.path === path)) return false;
    setActive(path);
    tree.focus();
    return true;
  }

  function dropFolder(target: Element | null): string {
    const r = target?.closest<HTMLElement>('[role=treeitem]');
    if (r?.dataset.path) return dropFolderOf(r.dataset.path);
    return dropFolderOf(activePath);
  }

  draw();
  const transferring = () => rows.some((r) => nodes.get(r.path)?.entry.state === 'transferring');
  return { el, tree, refresh, show, dropFolder, active: () => activePath, transferring };
}
