// The launcher: the suite's apps with icon, name, status and badges; and,
// when a suite page could not be reached, the offline mode that returns to
// that page once the suite answers again.
import { registerView } from '../views';
import { addStrings, locale, t } from '../i18n';
import { setupHint } from './setup-hint';

addStrings('en', {
  'home.title': 'Home',
  'home.welcome': 'Welcome to Deskport',
  'home.connect': 'Connect your suite: enter its domain under Accounts, or ask your IT to pre-set it.',
  'home.apps': 'Your apps',
  'home.status.checking': 'Checking…',
  'home.status.online': 'Online',
  'home.status.offline': 'Offline',
  'home.badge': '{n} new',
  'home.shortcut': 'Ctrl+{n}',
  'home.offline.title': 'You are offline',
  'home.offline.text': 'Your suite cannot be reached right now. Synced files and cached mail stay available in Deskport.',
  'home.offline.return': 'Deskport goes back to {page} as soon as the suite answers again.',
  'home.offline.retry': 'Try again now',
  'home.offline.back': 'Back online: returning…',
  'home.offline.local': 'Available on this computer',
  'home.sync.at': 'Synced {when}',
  'home.sync.never': 'Not synced yet',
  'home.local.files': 'Synced folder',
  'home.local.webmail': 'Mail cache',
  'app.portal': 'Portal', 'app.webmail': 'Mail', 'app.files': 'Files', 'app.office': 'Office',
  'app.chat': 'Chat', 'app.meet': 'Video', 'app.projects': 'Projects', 'app.wiki': 'Wiki',
});
addStrings('de', {
  'home.title': 'Start',
  'home.welcome': 'Willkommen bei Deskport',
  'home.connect': 'Verbinden Sie Ihre Suite: Geben Sie unter Konten ihre Domain ein, oder lassen Sie sie von Ihrer IT voreinstellen.',
  'home.apps': 'Ihre Anwendungen',
  'home.status.checking': 'Wird geprüft…',
  'home.status.online': 'Online',
  'home.status.offline': 'Nicht erreichbar',
  'home.badge': '{n} neu',
  'home.shortcut': 'Strg+{n}',
  'home.offline.title': 'Sie sind offline',
  'home.offline.text': 'Ihre Suite ist gerade nicht erreichbar. Synchronisierte Dateien und zwischengespeicherte E-Mails bleiben in Deskport verfügbar.',
  'home.offline.return': 'Deskport kehrt zu {page} zurück, sobald die Suite wieder antwortet.',
  'home.offline.retry': 'Jetzt erneut versuchen',
  'home.offline.back': 'Wieder online: Sie werden zurückgeleitet…',
  'home.offline.local': 'Auf diesem Computer verfügbar',
  'home.sync.at': 'Synchronisiert {when}',
  'home.sync.never': 'Noch nicht synchronisiert',
  'home.local.files': 'Synchronisierter Ordner',
  'home.local.webmail': 'E-Mail-Zwischenspeicher',
  'app.portal': 'Portal', 'app.webmail': 'E-Mail', 'app.files': 'Dateien', 'app.office': 'Office',
  'app.chat': 'Chat', 'app.meet': 'Video', 'app.projects': 'Projekte', 'app.wiki': 'Wiki',
});

export interface LauncherApp { id: string; name: string; letter: string; color: string; url: string; key: number }

// LauncherApi is the bound Go service (app.Launcher); tests pass a fake.
export interface LauncherApi {
  Apps(): Promise<LauncherApp[]>;
  Status(): Promise<Record<string, string>>;
  Badges(): Promise<Record<string, number>>;
  Reachable(url: string): Promise<boolean>;
  Local?(): Promise<LocalItem[]>;
}

// LocalItem is what Deskport keeps on this computer for an app.
export interface LocalItem { id: string; view: string; state: string; lastSync: string; detail: string }

// syncText describes a local item: "Synced 14:05", "Never synced", ...
export function syncText(it: LocalItem, now: Date = new Date()): string {
  const d = it.lastSync ? new Date(it.lastSync) : null;
  if (!d || isNaN(d.getTime()) || d.getFullYear() < 2000) return t('home.sync.never');
  const sameDay = d.toDateString() === now.toDateString();
  const when = sameDay
    ? d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString(locale(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return t('home.sync.at', { when });
}

function boundApi(): LauncherApi | undefined {
  return (window as any).go?.app?.Launcher as LauncherApi | undefined;
}

let api: () => LauncherApi | undefined = boundApi;
export function setLauncherApi(a: LauncherApi | undefined): void {
  api = a ? () => a : boundApi;
}

// Poll interval for the offline mode (tests shorten it).
export let offlinePollMs = 3000;
export function setOfflinePollMs(ms: number): void {
  offlinePollMs = ms;
}
// navigateTo leaves the shell for a suite page (tests replace it).
let navigateTo = (url: string) => location.assign(url);
export function setNavigate(f: (url: string) => void): void {
  navigateTo = f;
}

const css = `
.launcher{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:16px}
.tile{position:relative;display:flex;flex-direction:column;align-items:center;gap:6px;padding:18px 8px 12px;border-radius:12px;background:#fff;border:1px solid #dde2ea;color:#1d2330;text-decoration:none}
.tile:hover{border-color:#2f6ad0}
.tile:focus-visible{border-color:#2f6ad0;outline:3px solid #1a56c4;outline-offset:2px}
.tile .icon{display:flex;align-items:center;justify-content:center;width:52px;height:52px;border-radius:14px;color:#fff;font:700 24px system-ui,sans-serif}
.tile .name{font-weight:600}
.tile .status{font-size:.8rem;color:#5c6678}
.tile .line{display:flex;gap:.3em;align-items:baseline}
.tile .dot{visibility:hidden}
.tile .dot[data-state=online]{visibility:visible;color:#2b8a3e}
.tile .dot[data-state=offline]{visibility:visible;color:#c92a2a}
.tile .key{font-size:.72rem;color:#5c6678}
.tile .badge{position:absolute;top:8px;right:10px;min-width:20px;padding:1px 6px;border-radius:10px;background:#c92a2a;color:#fff;font-size:.75rem;font-weight:700;text-align:center}
.offline{padding:16px 20px;border-radius:10px;background:#fff4e6;border:1px solid #ffa94d;margin-bottom:24px}
.offline h2{margin-top:0}
.tile .sync{font-size:.75rem;color:#5c6678}
.offline ul{margin:.5em 0 1em;padding-left:1.2em}
`;

function ensureStyle(): void {
  if (document.getElementById('home-style')) return;
  const s = document.createElement('style');
  s.id = 'home-style';
  s.textContent = css;
  document.head.append(s);
}

function appName(a: LauncherApp): string {
  const k = `app.${a.id}`;
  const n = t(k);
  return n === k ? a.name : n;
}

// offlineTarget reads the page to return to from #/home/offline/<encoded>.
export function offlineTarget(hash: string): string | null {
  const m = /^#\/?home\/offline\/(.+)$/.exec(hash);
  if (!m) return null;
  try {
    const u = decodeURIComponent(m[1]);
    return /^https?:\/\//i.test(u) ? u : null;
  } catch {
    return null;
  }
}

function renderOffline(root: HTMLElement, to: string, a: LauncherApi | undefined): () => void {
  const box = document.createElement('section');
  box.className = 'offline';
  box.id = 'offline';
  box.setAttribute('role', 'alert');
  const h = document.createElement('h2');
  h.textContent = t('home.offline.title');
  const p1 = document.createElement('p');
  p1.textContent = t('home.offline.text');
  const p2 = document.createElement('p');
  let page = to;
  try { page = new URL(to).host; } catch { /* keep the URL */ }
  p2.textContent = t('home.offline.return', { page });
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = t('home.offline.retry');
  box.append(h, p1, p2, retry);
  root.prepend(box);
  if (a?.Local) {
    a.Local().then((items) => {
      if (!items?.length) return;
      const h3 = document.createElement('h3');
      h3.textContent = t('home.offline.local');
      const ul = document.createElement('ul');
      ul.className = 'local';
      for (const it of items) {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#/${it.view}`;
        link.textContent = t(`home.local.${it.id}`);
        li.append(link, ` — ${syncText(it)}`);
        if (it.detail) li.append(` (${it.detail})`);
        ul.append(li);
      }
      box.insertBefore(h3, retry);
      box.insertBefore(ul, retry);
    }).catch(() => undefined);
  }
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async () => {
    if (stopped || !a) return;
    let ok = false;
    try { ok = await a.Reachable(to); } catch { ok = false; }
    if (stopped) return;
    if (ok) {
      p2.textContent = t('home.offline.back');
      stopped = true;
      navigateTo(to);
      return;
    }
    timer = setTimeout(check, offlinePollMs);
  };
  retry.addEventListener('click', () => { if (timer) clearTimeout(timer); void check(); });
  timer = setTimeout(check, offlinePollMs);
  return () => { stopped = true; if (timer) clearTimeout(timer); };
}

// showBadges puts the current counts on the tiles (replacing older ones).
export async function showBadges(ul: HTMLElement, a: LauncherApi): Promise<void> {
  let b: Record<string, number> = {};
  try { b = (await a.Badges()) ?? {}; } catch { return; }
  ul.querySelectorAll('.badge').forEach((el) => el.remove());
  for (const [id, n] of Object.entries(b)) {
    const el = ul.querySelector<HTMLAnchorElement>(`a[data-app="${id}"]`);
    if (!el || !(n > 0)) continue;
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.setAttribute('aria-label', t('home.badge', { n }));
    el.append(badge);
  }
}

export async function renderLauncher(root: HTMLElement, a: LauncherApi | undefined): Promise<void> {
  const apps = a ? await a.Apps().catch(() => [] as LauncherApp[]) : [];
  if (apps.length === 0) {
    root.append(setupHint('connect', t('setup.suite')));
    return;
  }
  const h2 = document.createElement('h2');
  h2.id = 'apps-heading';
  h2.textContent = t('home.apps');
  const ul = document.createElement('ul');
  ul.className = 'launcher';
  ul.setAttribute('aria-labelledby', 'apps-heading');
  for (const app of apps) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'tile';
    link.href = app.url;
    link.dataset.app = app.id;
    const icon = document.createElement('span');
    icon.className = 'icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.style.background = app.color;
    icon.textContent = app.letter;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = appName(app);
    const status = document.createElement('span');
    status.className = 'status';
    status.dataset.state = 'checking';
    status.textContent = t('home.status.checking');
    // The coloured dot only repeats the status in colour: hidden from screen
    // readers (a CSS ::before would be read as part of the tile's name).
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.dataset.state = 'checking';
    dot.setAttribute('aria-hidden', 'true');
    dot.textContent = '●';
    const line = document.createElement('span');
    line.className = 'line';
    line.append(dot, status);
    link.append(icon, name, line);
    if (app.key >= 1 && app.key <= 9) {
      const key = document.createElement('span');
      key.className = 'key';
      key.textContent = t('home.shortcut', { n: app.key });
      link.append(key);
      link.setAttribute('aria-keyshortcuts', `Control+${app.key}`);
    }
    li.append(link);
    ul.append(li);
  }
  root.append(h2, ul);
  const tile = (id: string) => ul.querySelector<HTMLAnchorElement>(`a[data-app="${id}"]`);
  const updates: Promise<void>[] = [];
  if (a) {
    updates.push(a.Status().then((st) => {
      for (const [id, s] of Object.entries(st ?? {})) {
        const el = tile(id)?.querySelector<HTMLElement>('.status');
        if (!el) continue;
        el.dataset.state = s;
        el.textContent = t(s === 'online' ? 'home.status.online' : 'home.status.offline');
        const dot = tile(id)?.querySelector<HTMLElement>('.dot');
        if (dot) dot.dataset.state = s;
      }
    }).catch(() => undefined));
    updates.push(showBadges(ul, a));
    updates.push(showLocal(ul, a));
  }
  await Promise.all(updates);
}

// showLocal writes each tile's line about what is kept on this computer
// ("Synced 14:05"), replacing the one it had.
export async function showLocal(ul: HTMLElement, a: LauncherApi): Promise<void> {
  if (!a.Local) return;
  const items = await a.Local().catch(() => undefined);
  for (const it of items ?? []) {
    const el = ul.querySelector<HTMLAnchorElement>(`a[data-app="${it.id}"]`);
    if (!el) continue;
    let sync = el.querySelector<HTMLElement>('.sync');
    if (!sync) {
      sync = document.createElement('span');
      sync.className = 'sync';
      el.querySelector('.line')?.after(sync);
    }
    const text = syncText(it);
    if (sync.textContent !== text) sync.textContent = text;
  }
}

// How often the open launcher reads the sync lines again.
export const LOCAL_REFRESH_MS = 15_000;

registerView({
  id: 'home',
  title: () => t('home.title'),
  icon: '⌂',
  render(root) {
    ensureStyle();
    root.innerHTML = '';
    const h = document.createElement('h1');
    h.textContent = t('home.welcome');
    root.append(h);
    const a = api();
    const to = offlineTarget(location.hash);
    let stop: (() => void) | undefined;
    if (to) stop = renderOffline(root, to, a);
    void renderLauncher(root, a);
    // Go emits deskport:badges when a count changed (new notifications).
    const rt = (window as any).runtime;
    let off: (() => void) | undefined;
    if (a && rt?.EventsOn) {
      off = rt.EventsOn('deskport:badges', () => {
        const ul = root.querySelector<HTMLElement>('ul.launcher');
        if (ul) void showBadges(ul, a);
      });
    }
    // The sync lines change while the launcher is shown (a background sync
    // ends): read them again now and then.
    const tick = a ? setInterval(() => {
      const ul = root.querySelector<HTMLElement>('ul.launcher');
      if (ul && a) void showLocal(ul, a);
    }, LOCAL_REFRESH_MS) : undefined;
    return () => { stop?.(); off?.(); if (tick) clearInterval(tick); };
  },
});
