// Recent activity: the last changes the sync made, newest first; a click
// shows the file in the tree.
import { addStrings, locale, t } from '../i18n';

addStrings('en', {
  'activity.heading': 'Recent activity',
  'activity.none': 'Nothing synced yet.',
  'activity.uploaded': '↑ Uploaded',
  'activity.downloaded': '↓ Downloaded',
  'activity.moved-here': 'Moved here',
  'activity.moved-server': 'Moved on the server',
  'activity.deleted-here': 'Deleted here',
  'activity.deleted-server': 'Deleted on the server',
  'activity.conflict': 'Conflict',
  'activity.gone': '{path} is no longer in the synced folder.',
});
addStrings('de', {
  'activity.heading': 'Letzte Änderungen',
  'activity.none': 'Noch nichts synchronisiert.',
  'activity.uploaded': '↑ Hochgeladen',
  'activity.downloaded': '↓ Heruntergeladen',
  'activity.moved-here': 'Hier verschoben',
  'activity.moved-server': 'Auf dem Server verschoben',
  'activity.deleted-here': 'Hier gelöscht',
  'activity.deleted-server': 'Auf dem Server gelöscht',
  'activity.conflict': 'Konflikt',
  'activity.gone': '{path} ist nicht mehr im synchronisierten Ordner.',
});

export interface Activity { id: number; kind: string; path: string; to: string; size: number; at: string }

export function activityText(a: Activity, humanBytes: (n: number) => string): string {
  const when = new Date(a.at);
  const time = isNaN(when.getTime()) ? '' : when.toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' });
  const what = a.to ? `${a.path} → ${a.to}` : a.path;
  const size = a.kind === 'uploaded' || a.kind === 'downloaded' || a.kind === 'conflict' ? humanBytes(a.size) : '';
  return [t(`activity.${a.kind}`), what, size, time].filter((x) => x).join(' · ');
}

export interface ActivityList { el: HTMLElement; update(list: Activity[] | null): void }

export function activityList(humanBytes: (n: number) => string, show: (path: string) => Promise<boolean>): ActivityList {
  const el = document.createElement('section');
  el.setAttribute('aria-labelledby', 'files-activity-h');
  const h = document.createElement('h2');
  h.id = 'files-activity-h';
  h.textContent = t('activity.heading');
  h.tabIndex = -1;
  const none = document.createElement('p');
  none.textContent = t('activity.none');
  const msg = document.createElement('p');
  msg.id = 'files-activity-msg';
  msg.setAttribute('role', 'status');
  const ul = document.createElement('ul');
  ul.id = 'files-activity';
  ul.className = 'files-items files-activity';
  ul.setAttribute('aria-labelledby', 'files-activity-h');
  el.append(h, none, msg, ul);

  const item = (a: Activity): HTMLElement => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.textContent = activityText(a, humanBytes);
    const target = a.to || a.path;
    b.addEventListener('click', () => {
      msg.textContent = '';
      void show(target).then((ok) => { if (!ok) msg.textContent = t('activity.gone', { path: target }); });
    });
    li.append(b);
    return li;
  };

  function update(list: Activity[] | null): void {
    const xs = list ?? [];
    none.hidden = xs.length > 0;
    // in place: entries only come in at the top, and keep their elements
    const old = new Map<string, HTMLElement>();
    for (const li of [...ul.children] as HTMLElement[]) old.set(li.dataset.key ?? '', li);
    const next = xs.map((a) => {
      const k = String(a.id);
      const li = old.get(k) ?? item(a);
      li.dataset.key = k;
      old.delete(k);
      return li;
    });
    let lost = false;
    for (const li of old.values()) { if (li.contains(document.activeElement)) lost = true; li.remove(); }
    next.forEach((li, i) => { if (ul.children[i] !== li) ul.insertBefore(li, ul.children[i] ?? null); });
    if (lost) (ul.querySelector<HTMLElement>('button') ?? h).focus();
  }
  return { el, update };
}
