// Choosing the server folders to sync by ticking them, in a list of the
// server's folders that opens folder by folder (one listing per folder).
// Unticking a folder that holds local changes asks first; nothing is ever
// deleted, the files stay here and stop syncing.
import { addStrings, t } from '../i18n';

addStrings('en', {
  'pick.summary': 'Choose folders to sync',
  'pick.intro': 'Ticked folders are synced. Unticking one deletes nothing: its files stay here and on the server.',
  'pick.label': '{name} ({size})',
  'pick.expand': 'Show folders in {name}',
  'pick.inherited': 'not synced because a folder above is not',
  'pick.none': 'No folders here.',
  'pick.loading': 'Loading the server’s folders…',
  'pick.ask.title': 'Stop syncing {path}?',
  'pick.ask.text1': 'A file in it was changed here and is not on the server yet. It stays on this computer, but no longer syncs:',
  'pick.ask.text': '{count} files in it were changed here and are not on the server yet. They stay on this computer, but no longer sync:',
  'pick.ask.more': '… and {n} more',
  'pick.ask.yes': 'Stop syncing, keep the files here',
  'pick.ask.no': 'Keep syncing',
  'pick.saved': 'Saved: {path} is {state} from the next sync.',
  'pick.on': 'synced',
  'pick.off': 'not synced',
});
addStrings('de', {
  'pick.summary': 'Ordner zum Synchronisieren auswählen',
  'pick.intro': 'Angehakte Ordner werden synchronisiert. Abwählen löscht nichts: Die Dateien bleiben hier und auf dem Server.',
  'pick.label': '{name} ({size})',
  'pick.expand': 'Ordner in {name} zeigen',
  'pick.inherited': 'nicht synchronisiert, weil ein Ordner darüber es nicht ist',
  'pick.none': 'Hier sind keine Ordner.',
  'pick.loading': 'Lade die Ordner des Servers…',
  'pick.ask.title': '{path} nicht mehr synchronisieren?',
  'pick.ask.text1': 'Eine Datei darin wurde hier geändert und ist noch nicht auf dem Server. Sie bleibt auf diesem Computer, wird aber nicht mehr synchronisiert:',
  'pick.ask.text': '{count} Dateien darin wurden hier geändert und sind noch nicht auf dem Server. Sie bleiben auf diesem Computer, werden aber nicht mehr synchronisiert:',
  'pick.ask.more': '… und {n} weitere',
  'pick.ask.yes': 'Nicht mehr synchronisieren, Dateien hier behalten',
  'pick.ask.no': 'Weiter synchronisieren',
  'pick.saved': 'Gespeichert: {path} wird ab der nächsten Synchronisierung {state}.',
  'pick.on': 'synchronisiert',
  'pick.off': 'nicht synchronisiert',
});

export interface ServerFolder { name: string; path: string; size: number; synced: boolean; inherited: boolean }
export interface FolderChange { done: boolean; unsynced: string[] | null; count: number }
export interface PickerApi {
  ServerFolders(dir: string): Promise<ServerFolder[] | null>;
  SetFolderSynced(path: string, synced: boolean, confirmed: boolean): Promise<FolderChange>;
}

let seq = 0;

// ask shows a modal dialog and resolves true for yes; Escape is no.
function ask(title: string, text: string, files: string[], more: number): Promise<boolean> {
  return new Promise((resolve) => {
    const d = document.createElement('dialog');
    d.id = 'files-pick-ask';
    const id = `pick-ask-${++seq}`;
    d.setAttribute('aria-labelledby', `${id}-h`);
    d.setAttribute('aria-describedby', `${id}-p`);
    const h = document.createElement('h2');
    h.id = `${id}-h`;
    h.textContent = title;
    const p = document.createElement('p');
    p.id = `${id}-p`;
    p.textContent = text;
    const ul = document.createElement('ul');
    for (const f of files) { const li = document.createElement('li'); li.textContent = f; ul.append(li); }
    if (more > 0) { const li = document.createElement('li'); li.textContent = t('pick.ask.more', { n: more }); ul.append(li); }
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.id = 'files-pick-yes';
    yes.textContent = t('pick.ask.yes');
    const no = document.createElement('button');
    no.type = 'button';
    no.id = 'files-pick-no';
    no.textContent = t('pick.ask.no');
    const bar = document.createElement('div');
    bar.className = 'toolbar';
    bar.append(no, yes);
    d.append(h, p, ul, bar);
    document.body.append(d);
    const done = (v: boolean) => { if (d.open && typeof d.close === 'function') d.close(); d.remove(); resolve(v); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    d.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
    no.focus(); // the safe answer first
  });
}

export function folderPicker(api: () => PickerApi, humanBytes: (n: number) => string, onError: (e: unknown) => void): HTMLElement {
  const details = document.createElement('details');
  details.id = 'files-pick';
  const summary = document.createElement('summary');
  summary.textContent = t('pick.summary');
  const intro = document.createElement('p');
  intro.className = 'hint';
  intro.textContent = t('pick.intro');
  const msg = document.createElement('p');
  msg.id = 'files-pick-msg';
  msg.setAttribute('role', 'status');
  const top = document.createElement('ul');
  top.className = 'files-pick-list';
  details.append(summary, intro, msg, top);

  async function fill(ul: HTMLElement, dir: string): Promise<void> {
    ul.setAttribute('aria-busy', 'true');
    ul.replaceChildren(Object.assign(document.createElement('li'), { textContent: t('pick.loading') }));
    try {
      const list = (await api().ServerFolders(dir)) ?? [];
      ul.replaceChildren(...list.map(item));
      if (list.length === 0) ul.append(Object.assign(document.createElement('li'), { textContent: t('pick.none'), className: 'hint' }));
    } finally {
      ul.removeAttribute('aria-busy');
    }
  }

  function item(f: ServerFolder): HTMLElement {
    const li = document.createElement('li');
    li.dataset.path = f.path;
    const id = `pick-${++seq}`;
    const expand = document.createElement('button');
    expand.type = 'button';
    expand.className = 'twisty-button';
    expand.textContent = '▸';
    expand.setAttribute('aria-expanded', 'false');
    expand.setAttribute('aria-label', t('pick.expand', { name: f.name }));
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.checked = f.synced;
    box.disabled = f.inherited;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = t('pick.label', { name: f.name, size: humanBytes(f.size) });
    const row = document.createElement('div');
    row.className = 'files-pick-row';
    row.append(expand, box, label);
    if (f.inherited) {
      const why = document.createElement('span');
      why.className = 'hint';
      why.id = `${id}-why`;
      why.textContent = ` (${t('pick.inherited')})`;
      box.setAttribute('aria-describedby', why.id);
      row.append(why);
    }
    const sub = document.createElement('ul');
    sub.hidden = true;
    li.append(row, sub);
    expand.addEventListener('click', () => {
      const open = expand.getAttribute('aria-expanded') !== 'true';
      expand.setAttribute('aria-expanded', String(open));
      expand.textContent = open ? '▾' : '▸';
      sub.hidden = !open;
      if (open && !sub.dataset.loaded) { sub.dataset.loaded = '1'; fill(sub, f.path).catch(onError); }
    });
    box.addEventListener('change', () => {
      const want = box.checked;
      msg.textContent = '';
      void (async () => {
        let ch = await api().SetFolderSynced(f.path, want, false);
        if (!ch.done && !want) {
          const files = ch.unsynced ?? [];
          const yes = await ask(t('pick.ask.title', { path: f.path }), t(ch.count === 1 ? 'pick.ask.text1' : 'pick.ask.text', { count: ch.count }), files, ch.count - files.length);
          if (!yes) { box.checked = true; box.focus(); return; }
          ch = await api().SetFolderSynced(f.path, false, true);
          box.focus();
        }
        if (ch.done) {
          msg.textContent = t('pick.saved', { path: f.path, state: t(want ? 'pick.on' : 'pick.off') });
          if (sub.dataset.loaded) await fill(sub, f.path); // the folders below follow
        }
      })().catch((e) => { box.checked = !want; onError(e); });
    });
    return li;
  }

  details.addEventListener('toggle', () => {
    if (details.open && !top.dataset.loaded) { top.dataset.loaded = '1'; fill(top, '').catch(onError); }
  });
  return details;
}
