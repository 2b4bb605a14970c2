// Mail: folders with unread counts, a virtualized message list, a reader
// that shows HTML only in a sandboxed iframe, search as you type, compose
// into the outbox, and the sync/outbox state. Works offline on the cache.
import { registerView } from '../views';
import { addStrings, t } from '../i18n';
import { wailsMailApi, type ComposeRequest, type Draft, type DraftAttachment, type Folder, type MailApi, type MailPolicy, type MessageView, type Response, type ResponseKind, type Status, type Summary } from './mail-api';
import { VirtualList, type Fetch } from '../mail/virtual-list';
import { latest } from '../mail/latest';
import { countBlocked, messageFrame } from '../mail/reader-frame';
import { formatCount, formatDate, formatFullDate, formatSize, fromBase64, toBase64 } from '../mail/format';
import '../mail/mail.css';
import { setupHint } from './setup-hint';

const FLAG_ICON = '<svg class="mark-flag" width="12" height="12" viewBox="0 0 16 16" fill="currentColor"><path d="M3 1h1.5v14H3zM5.5 2h8l-2 3.5 2 3.5h-8z"/></svg>';
const REPLIED_ICON = '<svg class="mark-replied" width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M6 3 2 7l4 4M2 7h7a5 5 0 0 1 5 5v1"/></svg>';
const CLIP_ICON = '<svg class="mark-clip" width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><path d="M10.5 4.5 5.8 9.2a1.4 1.4 0 0 0 2 2l5-5a2.8 2.8 0 0 0-4-4l-5.2 5.2a4.2 4.2 0 0 0 6 6L14 9"/></svg>';

addStrings('en', {
  'mail.title': 'Mail',
  'mail.folders': 'Folders',
  'mail.folder.inbox': 'Inbox', 'mail.folder.sent': 'Sent', 'mail.folder.drafts': 'Drafts',
  'mail.folder.trash': 'Trash', 'mail.folder.junk': 'Junk', 'mail.folder.archive': 'Archive',
  'mail.folder.label': '{name}, {unread} unread',
  'mail.folder.unread': 'unread',
  'mail.move.do': 'Move',
  'mail.move.target': 'Move to folder',
  'mail.back': 'Back to the list',
  'mail.list': 'Messages in {folder}',
  'mail.results': 'Search results for “{query}”',
  'mail.results.count': '{n} messages found',
  'mail.loading': 'Loading…',
  'mail.empty': 'No messages',
  'mail.search': 'Search mail',
  'mail.search.hint': 'Words, "phrases", from:, subject:, is:unread',
  'mail.compose': 'New message',
  'mail.sync': 'Sync now',
  'mail.row.unread': 'unread', 'mail.row.answered': 'answered', 'mail.row.flagged': 'flagged', 'mail.row.attachment': 'with attachment',
  'mail.row.label': '{state}From {from}, {subject}, {date}',
  'mail.nosubject': '(no subject)',
  'mail.reader': 'Message',
  'mail.reader.empty': 'Select a message to read it.',
  'mail.reader.frame': 'Message content',
  'mail.from': 'From', 'mail.to': 'To', 'mail.cc': 'Cc', 'mail.date': 'Date', 'mail.subject': 'Subject',
  'mail.reply': 'Reply', 'mail.flag': 'Flag', 'mail.delete': 'Delete', 'mail.move': 'Move to…',
  'mail.markunread': 'Mark unread',
  'mail.remote': 'Show remote images',
  'mail.remote.blocked': '{n} remote images or trackers were blocked to protect your privacy.',
  'mail.remote.shown': 'Remote images are shown for this message.',
  'mail.offline.body': 'This message has not been downloaded yet. It will be shown when you are online.',
  'mail.problems': 'This message is malformed and is shown as well as possible.',
  'mail.attachments': 'Attachments',
  'mail.attachment.save': 'Save {name}, {size}',
  'mail.attachment.saved': '{name} saved to {path}',
  'mail.attachment.saving': 'Saving {name} …',
  'mail.attachment.dialog': 'Save attachment {name}',
  'mail.attachment.online': 'online only',
  'mail.attachment.saveOnline': 'Save {name}, {size}, online only',
  'mail.attachment.online.title': 'Not stored on this computer: saving downloads it from the server and needs a connection',
  'mail.status.online': 'Online', 'mail.status.offline': 'Offline – changes are kept and sent when the connection is back',
  'mail.status.syncing': 'Syncing…',
  'mail.progress.label': 'Downloading messages',
  'mail.progress': '{folder}: {done} of {total}',
  'mail.status.last': 'last sync {time}', 'mail.status.never': 'not synced yet',
  'mail.status.outbox': '{n} in the outbox', 'mail.status.pending': '{n} changes waiting',
  'mail.status.uncertain': '{n} messages may not have been sent – check the outbox',
  'mail.status.error': 'Last error: {error}',
  'mail.outbox': 'Outbox ({n})',
  'mail.outbox.title': 'Outbox',
  'mail.outbox.empty': 'The outbox is empty.',
  'mail.outbox.item': '“{subject}” to {to}: {state}',
  'mail.outbox.state.queued': 'waiting to be sent', 'mail.outbox.state.sending': 'being sent', 'mail.outbox.state.sent': 'sent',
  'mail.outbox.state.uncertain': 'may have been sent – the connection broke while sending',
  'mail.outbox.state.failed': 'refused by the server',
  'mail.outbox.resend': 'Send again', 'mail.outbox.discard': 'Discard',
  'mail.outbox.confirm': 'Discard the unsent message “{subject}”? This cannot be undone.',
  'mail.dropped': '{n} changes could not be applied – show',
  'mail.dropped.item': '{kind}: “{subject}” in {folder} – {reason}',
  'mail.dropped.ok': 'Understood',
  'mail.kind.seen': 'Mark read', 'mail.kind.unseen': 'Mark unread', 'mail.kind.flag': 'Flag', 'mail.kind.unflag': 'Remove flag',
  'mail.kind.move': 'Move', 'mail.kind.delete': 'Delete', 'mail.kind.answered': 'Mark answered',
  'mail.error': 'Something went wrong: {error}',
  'mail.deleted': 'Message deleted.',
  'mail.moved': 'Message moved to {folder}.',
  'mail.compose.title': 'New message',
  'mail.compose.from': 'From',
  'mail.compose.nofrom': 'Sign in to mail under Accounts to send messages. Your draft is kept.',
  'mail.compose.to': 'To', 'mail.compose.cc': 'Cc', 'mail.compose.subject': 'Subject', 'mail.compose.text': 'Message',
  'mail.compose.attach': 'Attach files', 'mail.compose.remove': 'Remove {name}',
  'mail.compose.send': 'Send', 'mail.compose.close': 'Close (the draft is kept)',
  'mail.compose.discard': 'Discard draft', 'mail.compose.discard.confirm': 'Discard? Click again',
  'mail.compose.restored': 'Your draft from {time} was restored.',
  'mail.compose.unsaved': 'The draft could not be saved on this computer: {error}',
  'mail.compose.busy': 'This draft is still open: send or discard it, then reply or forward again.',
  'mail.compose.queued': 'The message is in the outbox and will be sent when you are online.',
  'mail.compose.sent': 'The message is in the outbox.',
  'mail.compose.noto': 'Enter at least one recipient.',
  'mail.reply.prefix': 'Re: ',
  'mail.reply.wrote': '{from} wrote:',
  'mail.replyAll': 'Reply all', 'mail.forward': 'Forward',
  'mail.forward.prefix': 'Fwd: ',
  'mail.forward.header': '-------- Forwarded message --------',
  'mail.forward.missing': '{name} could not be attached: {error}',
  'mail.respond.partial': 'This message is not on this computer and the server cannot be reached: only its stored sender, recipients and preview are used.',
  'mail.offline.title': 'Offline storage',
  'mail.offline.days': 'Keep message text offline for the last {n} days',
  'mail.offline.attachments': 'Keep attachments up to {n} MB offline',
  'mail.offline.attachments.hint': 'Larger ones are downloaded when opened.',
  'mail.offline.lower': 'Lowering a number deletes nothing already stored on this computer.',
  'mail.offline.locked': 'Set by your administrator.',
  'mail.offline.save': 'Save',
  'mail.offline.saved': 'Saved. The next sync downloads what the new settings include.',
  'mail.offline.whole': 'Enter a whole number of at least 1.',
  'mail.offline.error': 'Not saved: {error}',
  'mail.offline.unreadable': 'The offline settings cannot be read: {error}',
});
addStrings('de', {
  'mail.title': 'E-Mail',
  'mail.folders': 'Ordner',
  'mail.folder.inbox': 'Posteingang', 'mail.folder.sent': 'Gesendet', 'mail.folder.drafts': 'Entwürfe',
  'mail.folder.trash': 'Papierkorb', 'mail.folder.junk': 'Spam', 'mail.folder.archive': 'Archiv',
  'mail.folder.label': '{name}, {unread} ungelesen',
  'mail.folder.unread': 'ungelesen',
  'mail.move.do': 'Verschieben',
  'mail.move.target': 'In Ordner verschieben',
  'mail.back': 'Zurück zur Liste',
  'mail.list': 'Nachrichten in {folder}',
  'mail.results': 'Suchergebnisse für „{query}“',
  'mail.results.count': '{n} Nachrichten gefunden',
  'mail.loading': 'Wird geladen…',
  'mail.empty': 'Keine Nachrichten',
  'mail.search': 'E-Mails durchsuchen',
  'mail.search.hint': 'Wörter, "Wortgruppen", from:, subject:, is:unread',
  'mail.compose': 'Neue Nachricht',
  'mail.sync': 'Jetzt abgleichen',
  'mail.row.unread': 'ungelesen', 'mail.row.answered': 'beantwortet', 'mail.row.flagged': 'markiert', 'mail.row.attachment': 'mit Anhang',
  'mail.row.label': '{state}Von {from}, {subject}, {date}',
  'mail.nosubject': '(kein Betreff)',
  'mail.reader': 'Nachricht',
  'mail.reader.empty': 'Wählen Sie eine Nachricht aus, um sie zu lesen.',
  'mail.reader.frame': 'Inhalt der Nachricht',
  'mail.from': 'Von', 'mail.to': 'An', 'mail.cc': 'Kopie', 'mail.date': 'Datum', 'mail.subject': 'Betreff',
  'mail.reply': 'Antworten', 'mail.flag': 'Markieren', 'mail.delete': 'Löschen', 'mail.move': 'Verschieben nach…',
  'mail.markunread': 'Als ungelesen markieren',
  'mail.remote': 'Externe Bilder anzeigen',
  'mail.remote.blocked': '{n} externe Bilder oder Zählpixel wurden zum Schutz Ihrer Privatsphäre blockiert.',
  'mail.remote.shown': 'Externe Bilder werden für diese Nachricht angezeigt.',
  'mail.offline.body': 'Diese Nachricht ist noch nicht heruntergeladen. Sie wird angezeigt, sobald Sie online sind.',
  'mail.problems': 'Diese Nachricht ist fehlerhaft aufgebaut und wird so gut wie möglich angezeigt.',
  'mail.attachments': 'Anhänge',
  'mail.attachment.save': '{name} speichern, {size}',
  'mail.attachment.saved': '{name} gespeichert unter {path}',
  'mail.attachment.saving': '{name} wird gespeichert …',
  'mail.attachment.dialog': 'Anhang {name} speichern',
  'mail.attachment.online': 'nur online',
  'mail.attachment.saveOnline': '{name} speichern, {size}, nur online',
  'mail.attachment.online.title': 'Nicht auf diesem Computer gespeichert: Speichern lädt ihn vom Server und braucht eine Verbindung',
  'mail.status.online': 'Online', 'mail.status.offline': 'Offline – Änderungen bleiben erhalten und werden gesendet, sobald die Verbindung wieder besteht',
  'mail.status.syncing': 'Wird abgeglichen…',
  'mail.progress.label': 'Nachrichten werden heruntergeladen',
  'mail.progress': '{folder}: {done} von {total}',
  'mail.status.last': 'zuletzt abgeglichen {time}', 'mail.status.never': 'noch nicht abgeglichen',
  'mail.status.outbox': '{n} im Postausgang', 'mail.status.pending': '{n} Änderungen warten',
  'mail.status.uncertain': '{n} Nachrichten wurden vielleicht nicht gesendet – bitte Postausgang prüfen',
  'mail.status.error': 'Letzter Fehler: {error}',
  'mail.outbox': 'Postausgang ({n})',
  'mail.outbox.title': 'Postausgang',
  'mail.outbox.empty': 'Der Postausgang ist leer.',
  'mail.outbox.item': '„{subject}“ an {to}: {state}',
  'mail.outbox.state.queued': 'wartet auf Versand', 'mail.outbox.state.sending': 'wird gesendet', 'mail.outbox.state.sent': 'gesendet',
  'mail.outbox.state.uncertain': 'vielleicht gesendet – die Verbindung brach beim Senden ab',
  'mail.outbox.state.failed': 'vom Server abgelehnt',
  'mail.outbox.resend': 'Erneut senden', 'mail.outbox.discard': 'Verwerfen',
  'mail.outbox.confirm': 'Die nicht gesendete Nachricht „{subject}“ verwerfen? Das kann nicht rückgängig gemacht werden.',
  'mail.dropped': '{n} Änderungen konnten nicht übernommen werden – anzeigen',
  'mail.dropped.item': '{kind}: „{subject}“ in {folder} – {reason}',
  'mail.dropped.ok': 'Verstanden',
  'mail.kind.seen': 'Als gelesen markieren', 'mail.kind.unseen': 'Als ungelesen markieren', 'mail.kind.flag': 'Markieren', 'mail.kind.unflag': 'Markierung entfernen',
  'mail.kind.move': 'Verschieben', 'mail.kind.delete': 'Löschen', 'mail.kind.answered': 'Als beantwortet markieren',
  'mail.error': 'Etwas ist schiefgegangen: {error}',
  'mail.deleted': 'Nachricht gelöscht.',
  'mail.moved': 'Nachricht nach {folder} verschoben.',
  'mail.compose.title': 'Neue Nachricht',
  'mail.compose.from': 'Von',
  'mail.compose.nofrom': 'Melden Sie sich unter Konten bei E-Mail an, um Nachrichten zu senden. Ihr Entwurf bleibt erhalten.',
  'mail.compose.to': 'An', 'mail.compose.cc': 'Kopie', 'mail.compose.subject': 'Betreff', 'mail.compose.text': 'Nachricht',
  'mail.compose.attach': 'Dateien anhängen', 'mail.compose.remove': '{name} entfernen',
  'mail.compose.send': 'Senden', 'mail.compose.close': 'Schließen (der Entwurf bleibt erhalten)',
  'mail.compose.discard': 'Entwurf verwerfen', 'mail.compose.discard.confirm': 'Verwerfen? Erneut klicken',
  'mail.compose.restored': 'Ihr Entwurf von {time} wurde wiederhergestellt.',
  'mail.compose.unsaved': 'Der Entwurf konnte auf diesem Computer nicht gespeichert werden: {error}',
  'mail.compose.busy': 'Dieser Entwurf ist noch offen: senden oder verwerfen Sie ihn, dann erneut antworten oder weiterleiten.',
  'mail.compose.queued': 'Die Nachricht liegt im Postausgang und wird gesendet, sobald Sie online sind.',
  'mail.compose.sent': 'Die Nachricht liegt im Postausgang.',
  'mail.compose.noto': 'Geben Sie mindestens einen Empfänger an.',
  'mail.reply.prefix': 'AW: ',
  'mail.reply.wrote': '{from} schrieb:',
  'mail.replyAll': 'Allen antworten', 'mail.forward': 'Weiterleiten',
  'mail.forward.prefix': 'WG: ',
  'mail.forward.header': '-------- Weitergeleitete Nachricht --------',
  'mail.forward.missing': '{name} konnte nicht angehängt werden: {error}',
  'mail.respond.partial': 'Diese Nachricht ist nicht auf diesem Computer und der Server ist nicht erreichbar: nur der gespeicherte Absender, die Empfänger und die Vorschau werden übernommen.',
  'mail.offline.title': 'Offline-Speicher',
  'mail.offline.days': 'Nachrichtentext der letzten {n} Tage offline behalten',
  'mail.offline.attachments': 'Anhänge bis {n} MB offline behalten',
  'mail.offline.attachments.hint': 'Größere werden beim Öffnen heruntergeladen.',
  'mail.offline.lower': 'Kleinere Werte löschen nichts, was schon auf diesem Computer gespeichert ist.',
  'mail.offline.locked': 'Von Ihrer IT-Administration festgelegt.',
  'mail.offline.save': 'Speichern',
  'mail.offline.saved': 'Gespeichert. Der nächste Abgleich lädt herunter, was die neuen Einstellungen umfassen.',
  'mail.offline.whole': 'Geben Sie eine ganze Zahl ab 1 ein.',
  'mail.offline.error': 'Nicht gespeichert: {error}',
  'mail.offline.unreadable': 'Die Offline-Einstellungen können nicht gelesen werden: {error}',
});

let api: MailApi = wailsMailApi;
// setMailApi swaps the Go side for a fake in tests (undefined restores it).
export function setMailApi(a: MailApi | undefined): void { api = a ?? wailsMailApi; }

export const ROW_HEIGHT = 56;
// How often the folders and list are read again while a sync downloads.
export const SYNC_REFRESH_MS = 3000;
// A draft is saved this long after the last keystroke (and at once on close and send).
export const DRAFT_SAVE_MS = 800;
export const SEARCH_DELAY_MS = 150;
const SEARCH_LIMIT = 500;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

export function folderName(f: Folder): string {
  const special: Record<string, string> = {
    '\\Inbox': 'inbox', '\\Sent': 'sent', '\\Drafts': 'drafts', '\\Trash': 'trash', '\\Junk': 'junk', '\\Archive': 'archive',
  };
  const key = f.name.toUpperCase() === 'INBOX' ? 'inbox' : special[f.specialUse];
  if (key) return t(`mail.folder.${key}`);
  const parts = f.delimiter ? f.name.split(f.delimiter) : [f.name];
  return parts[parts.length - 1];
}

// displayName shows "Name" for "Name <address>", the address alone otherwise.
export function displayName(from: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(from);
  return m && m[1] ? m[1] : from;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errText(e: unknown): string {
  return t('mail.error', { error: message(e) });
}

export interface MailViewHandle {
  list: VirtualList<Summary>;
  cleanup: () => void;
  ready: Promise<void>;
}

// renderMail builds the view into root; the returned handle is for tests.
export function renderMail(root: HTMLElement): MailViewHandle {
  root.replaceChildren();
  const a = api;
  let folders: Folder[] = [];
  let folder = 'INBOX';
  let query = '';
  let openId = -1;
  let openToken = 0;

  // What the last action did, or why it failed: shown under the bar and
  // said by screen readers (a live region), never only in a tooltip.
  const live = el('p', { id: 'mail-live', className: 'mail-live hint' });
  live.setAttribute('aria-live', 'polite');
  const announce = (s: string, error = false) => { live.textContent = s; live.className = error ? 'mail-live error' : 'mail-live hint'; };
  const fail = (e: unknown) => announce(errText(e), true);

  // Bar: search, compose, sync, status.
  const search = el('input', { type: 'search', id: 'mail-search', placeholder: t('mail.search.hint'), autocomplete: 'off' });
  search.setAttribute('aria-controls', 'mail-list');
  const searchLabel = el('label', { htmlFor: 'mail-search', className: 'mail-search-label', textContent: t('mail.search') });
  const heading = el('h1', { id: 'mail-h', className: 'mail-h', tabIndex: -1, textContent: t('mail.title') });
  const composeBtn = el('button', { type: 'button', id: 'mail-compose', textContent: t('mail.compose') });
  const syncBtn = el('button', { type: 'button', id: 'mail-sync', textContent: t('mail.sync') });
  const status = el('div', { id: 'mail-status', className: 'mail-status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  // The first sync's download: a bar beside the status, outside its live
  // region, so screen readers hear the sync start and end (the status text)
  // but not every update; the bar's value text is there when they look.
  const progress = el('progress', { id: 'mail-progress', max: 1, value: 0 });
  progress.setAttribute('aria-label', t('mail.progress.label'));
  const progressText = el('span', { id: 'mail-progress-text' });
  progressText.setAttribute('aria-hidden', 'true'); // the bar's aria-valuetext says the same
  const progressBox = el('div', { id: 'mail-progress-box', className: 'mail-progress', hidden: true }, progress, progressText);
  const outboxBtn = el('button', { type: 'button', id: 'mail-outbox', hidden: true });
  outboxBtn.setAttribute('aria-expanded', 'false');
  outboxBtn.setAttribute('aria-controls', 'mail-outbox-list');
  const outboxBox = el('div', { id: 'mail-outbox-list', className: 'mail-outbox', hidden: true });
  const droppedBtn = el('button', { type: 'button', id: 'mail-dropped', hidden: true });
  droppedBtn.setAttribute('aria-expanded', 'false');
  droppedBtn.setAttribute('aria-controls', 'mail-dropped-list');
  const droppedBox = el('div', { id: 'mail-dropped-list', className: 'mail-dropped', hidden: true });
  const state = el('div', { className: 'mail-state' }, status, progressBox);
  const bar = el('header', { className: 'mail-bar' }, heading, el('div', { className: 'mail-search' }, searchLabel, search), composeBtn, syncBtn, state, outboxBtn, droppedBtn, live);

  // Folders.
  const folderList = el('ul', { id: 'mail-folders' });
  const folderNav = el('nav', { className: 'mail-folders' }, folderList);
  folderNav.setAttribute('aria-label', t('mail.folders'));

  // List.
  const listFetch = (name: string): Fetch<Summary> => (offset, limit) => a.list(name, offset, limit);
  const list = new VirtualList<Summary>(listFetch(folder), {
    rowHeight: ROW_HEIGHT,
    label: t('mail.list', { folder: t('mail.folder.inbox') }),
    placeholder: () => t('mail.loading'),
    renderRow: (m, row) => {
      row.classList.toggle('unread', !m.seen);
      row.classList.toggle('flagged', m.flagged);
      const marks = el('span', { className: 'marks' });
      marks.setAttribute('aria-hidden', 'true'); // the row's label says flagged / attachment
      // Drawn, not emoji: the paperclip emoji has no glyph in common Linux UI fonts.
      marks.innerHTML = (m.answered ? REPLIED_ICON : '') + (m.flagged ? FLAG_ICON : '') + (m.hasAttachments ? CLIP_ICON : '');
      // The row's name is what it shows, led by its state in words (the
      // marks are drawn); so the name a speech user reads is in it.
      const state = [!m.seen && t('mail.row.unread'), m.answered && t('mail.row.answered'), m.flagged && t('mail.row.flagged'),
        m.hasAttachments && t('mail.row.attachment')].filter(Boolean).join(', ');
      const sep = () => el('span', { className: 'sr-only', textContent: ', ' });
      if (state) row.append(el('span', { className: 'sr-only row-state', textContent: `${state}: ` }));
      row.append(
        el('div', { className: 'r1' }, el('span', { className: 'from', textContent: displayName(m.from) }),
          marks, sep(),
          el('span', { className: 'date', textContent: formatDate(m.date) }), sep()),
        el('div', { className: 'r2' }, el('span', { className: 'subject', textContent: m.subject || t('mail.nosubject') }),
          el('span', { className: 'snippet', textContent: m.snippet ? ` – ${m.snippet}` : '' })),
      );
    },
    onOpen: (m) => { void open(m); },
    onDelete: (m, i) => { void remove(m, i); },
  });
  list.el.id = 'mail-list';
  const listPane = el('section', { className: 'mail-list-pane' }, list.el);

  // Reader.
  const reader = el('section', { id: 'mail-reader', className: 'mail-reader' }, el('p', { className: 'hint', textContent: t('mail.reader.empty') }));
  reader.setAttribute('aria-label', t('mail.reader'));

  const offline = buildOfflineSettings(a);
  const side = el('div', { className: 'mail-side' }, folderNav, offline.el);
  const panes = el('div', { className: 'mail-panes' }, side, listPane, reader);
  const compose = buildCompose(a, announce, {
    // While compose is open, everything else is out of reach (modal).
    behind: () => [document.querySelector<HTMLElement>('#app > nav'), bar, outboxBox, droppedBox, panes].filter((x): x is HTMLElement => !!x),
    fallbackFocus: () => composeBtn,
  });
  root.append(el('div', { className: 'mail' }, bar, outboxBox, droppedBox, panes, compose.el));
  // A draft left by a crash or a restart comes back in the panel.
  a.draft().then((d) => {
    if (!d) return;
    const files = d.attachments.map((f) => new File([fromBase64(f.data)], f.name, { type: f.type }));
    compose.open({ ...d, files, restored: true, notice: t('mail.compose.restored', { time: formatFullDate(d.saved) }) });
  }, (e) => fail(e));

  // --- folders
  // renderFolders brings the folder buttons up to date in place: a
  // mail:changed never replaces the button that has the keyboard focus.
  const folderButtons = new Map<string, HTMLButtonElement>();
  function renderFolders(): void {
    const items = folders.map((f) => {
      let b = folderButtons.get(f.name);
      if (!b) {
        b = el('button', { type: 'button', className: 'folder' },
          el('span', { className: 'name' }), el('span', { className: 'unread' }));
        b.dataset.folder = f.name;
        const name = f.name;
        b.addEventListener('click', () => showFolder(name));
        folderButtons.set(f.name, b);
      }
      const name = folderName(f);
      const depth = f.delimiter ? f.name.split(f.delimiter).length - 1 : 0;
      b.style.paddingLeft = `${8 + depth * 14}px`;
      const [nameEl, unreadEl] = b.children as unknown as HTMLElement[];
      if (nameEl.textContent !== name) nameEl.textContent = name;
      const unread = f.unread > 0 ? String(f.unread) : '';
      if (unreadEl.dataset.n !== unread) {
        unreadEl.dataset.n = unread;
        const sr = (text: string) => el('span', { className: 'sr-only', textContent: text });
        unreadEl.replaceChildren(...(unread ? [sr(', '), unread, sr(` ${t('mail.folder.unread')}`)] : []));
      }
      if (f.name === folder && !query) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
      return b;
    });
    const keep = new Set(folders.map((f) => f.name));
    for (const [name, b] of folderButtons) {
      if (keep.has(name)) continue;
      if (b.contains(document.activeElement)) list.el.focus();
      folderButtons.delete(name);
    }
    items.forEach((b, i) => {
      const li = folderList.children[i];
      if (li?.firstElementChild === b) return;
      folderList.insertBefore(el('li', {}, b), li ?? null);
    });
    while (folderList.children.length > items.length) folderList.lastElementChild!.remove();
  }
  async function loadFolders(): Promise<void> {
    try {
      folders = await a.folders();
      renderFolders();
    } catch (e) { fail(e); }
  }
  function showFolder(name: string): void {
    folder = name;
    query = '';
    search.value = '';
    searcher.cancel();
    const f = folders.find((x) => x.name === name);
    list.reset(listFetch(name), t('mail.list', { folder: f ? folderName(f) : name }));
    renderFolders();
  }

  // --- search
  const searcher = latest<string, Summary[]>(SEARCH_DELAY_MS, (q) => a.search(q, SEARCH_LIMIT), (items, q) => {
    query = q;
    list.reset(async (offset, limit) => ({ total: items.length, items: items.slice(offset, offset + limit) }),
      t('mail.results', { query: q }));
    renderFolders();
    announce(t('mail.results.count', { n: items.length }));
  }, (e) => fail(e));
  search.addEventListener('input', () => {
    const q = search.value.trim();
    if (q === '') {
      if (query !== '') showFolder(folder);
      else searcher.cancel();
      return;
    }
    searcher.push(q);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); list.select(0, true); }
    if (e.key === 'Escape') { search.value = ''; showFolder(folder); }
  });

  // --- reader
  async function open(m: Summary, allowRemote = false): Promise<void> {
    const token = ++openToken;
    openId = m.id;
    panes.dataset.reading = 'true';
    reader.replaceChildren(el('p', { className: 'hint', textContent: t('mail.loading') }));
    let v: MessageView;
    try {
      v = await a.message(m.id, allowRemote);
    } catch (e) {
      if (token === openToken) reader.replaceChildren(el('p', { className: 'error', textContent: errText(e) }));
      return;
    }
    if (token !== openToken) return; // the user opened another message meanwhile
    const listHad = list.el.contains(document.activeElement);
    showMessage(v, allowRemote);
    // In the narrow layout the reader takes the list's place: the keyboard follows.
    if (listHad && getComputedStyle(listPane).display === 'none') reader.querySelector<HTMLElement>('#mail-subject')?.focus();
    if (!m.seen) {
      m.seen = true; // shown at once; the cache queues it for the server
      list.update();
      a.setSeen(m.id, true).catch((e) => fail(e));
    }
  }

  function showMessage(v: MessageView, allowRemote: boolean): void {
    const head = el('header', { className: 'mail-head' },
      el('h2', { id: 'mail-subject', tabIndex: -1, textContent: v.subject || t('mail.nosubject') }));
    const meta = el('dl', { className: 'mail-meta' });
    const row = (k: string, val: string) => { if (val) meta.append(el('dt', { textContent: t(k) }), el('dd', { textContent: val })); };
    row('mail.from', v.from); row('mail.to', v.to); row('mail.cc', v.cc); row('mail.date', formatDate(v.date));
    head.append(meta);

    const tools = el('div', { className: 'mail-tools' });
    tools.setAttribute('role', 'toolbar');
    tools.setAttribute('aria-label', t('mail.reader'));
    const respondButton = (id: string, key: string, kind: ResponseKind) => {
      const b = el('button', { type: 'button', id, textContent: t(key) });
      b.addEventListener('click', () => { void respond(v, kind); });
      return b;
    };
    const reply = respondButton('mail-reply', 'mail.reply', 'reply');
    const replyAll = respondButton('mail-reply-all', 'mail.replyAll', 'replyAll');
    const forward = respondButton('mail-forward', 'mail.forward', 'forward');
    const flag = el('button', { type: 'button', id: 'mail-flag', textContent: t('mail.flag') });
    flag.setAttribute('aria-pressed', String(v.flagged));
    flag.addEventListener('click', async () => {
      const to = !v.flagged;
      try {
        await a.setFlagged(v.id, to);
        v.flagged = to;
        flag.setAttribute('aria-pressed', String(to));
        const s = list.item(list.selectedIndex);
        if (s && s.id === v.id) { s.flagged = to; list.update(); }
      } catch (e) { fail(e); }
    });
    const del = el('button', { type: 'button', id: 'mail-delete', textContent: t('mail.delete') });
    del.addEventListener('click', () => {
      const i = list.selectedIndex;
      const s = list.item(i);
      void remove(s && s.id === v.id ? s : v, i);
    });
    // Moving needs the button (or Enter in the list): choosing with the
    // arrow keys in the list only chooses, it never moves the message.
    const move = el('select', { id: 'mail-move' });
    move.setAttribute('aria-label', t('mail.move.target'));
    move.append(el('option', { value: '', textContent: t('mail.move') }),
      ...folders.filter((f) => f.name !== v.folder).map((f) => el('option', { value: f.name, textContent: folderName(f) })));
    const moveBtn = el('button', { type: 'button', id: 'mail-move-do', textContent: t('mail.move.do') });
    const doMove = async () => {
      if (!move.value) { move.focus(); return; }
      const target = move.value;
      const i = list.selectedIndex;
      try {
        await a.move(v.id, target);
        const f = folders.find((x) => x.name === target);
        announce(t('mail.moved', { folder: f ? folderName(f) : target }));
        closeReader();
        list.refresh();
        backToList(i);
      } catch (e) { fail(e); move.value = ''; }
    };
    moveBtn.addEventListener('click', () => { void doMove(); });
    move.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); void doMove(); } });
    const moveGroup = el('span', { className: 'mail-move' }, move, moveBtn);
    moveGroup.setAttribute('role', 'group');
    moveGroup.setAttribute('aria-label', t('mail.move.target'));
    const back = el('button', { type: 'button', id: 'mail-back', className: 'mail-back', textContent: t('mail.back') });
    back.addEventListener('click', () => backToList(list.selectedIndex));
    tools.append(back, reply, replyAll, forward, flag, del, moveGroup);

    const body = el('div', { className: 'mail-body' });
    if (v.problems.length > 0) {
      const d = el('details', { className: 'mail-problems' }, el('summary', { textContent: t('mail.problems') }),
        el('ul', {}, ...v.problems.map((p) => el('li', { textContent: p }))));
      body.append(d);
    }
    if (v.offline) body.append(el('p', { className: 'hint', textContent: t('mail.offline.body') }));
    const blocked = allowRemote ? 0 : countBlocked(v.html, v.blocked);
    if (blocked > 0) {
      const btn = el('button', { type: 'button', id: 'mail-remote', textContent: t('mail.remote') });
      btn.addEventListener('click', () => { void open(v, true); });
      body.append(el('div', { className: 'mail-remote', id: 'mail-remote-bar' },
        el('span', { textContent: t('mail.remote.blocked', { n: blocked }) }), btn));
    } else if (allowRemote) {
      body.append(el('p', { className: 'hint', textContent: t('mail.remote.shown') }));
    }
    if (v.html) {
      body.append(messageFrame(v.html, allowRemote, t('mail.reader.frame')));
    } else {
      body.append(el('pre', { className: 'mail-text', textContent: v.text })); // textContent: never parsed as HTML
    }
    if (v.attachments.length > 0) {
      // Visible result of the last save (the live region says it to screen readers).
      const saved = el('p', { id: 'mail-attachment-status', className: 'hint', hidden: true });
      saved.setAttribute('aria-hidden', 'true');
      body.append(el('section', { className: 'mail-attachments' }, el('h3', { textContent: t('mail.attachments') }),
        saved,
        el('ul', {}, ...v.attachments.map((x) => {
          const name = x.name || x.type;
          const b = el('button', { type: 'button', className: 'attachment', textContent: `${name} (${formatSize(x.size)})` });
          b.dataset.part = x.part;
          b.setAttribute('aria-label', t('mail.attachment.save', { name, size: formatSize(x.size) }));
          b.addEventListener('click', () => { void saveAttachment(v.id, x.part, name, b, saved); });
          // Left out of the offline cache (too large): saving fetches it from the server.
          if (x.offline === false) {
            b.setAttribute('aria-label', t('mail.attachment.saveOnline', { name, size: formatSize(x.size) }));
            b.title = t('mail.attachment.online.title');
            return el('li', {}, b, el('span', { className: 'hint attachment-online', textContent: ` ${t('mail.attachment.online')}` }));
          }
          return el('li', {}, b);
        }))));
    }
    reader.replaceChildren(head, tools, body);
  }

  // saveAttachment saves from Go (a Blob download does nothing in
  // WebKitGTK): the system's save dialog picks the place, Go writes the file,
  // and the view says where it went. The content never enters the page.
  async function saveAttachment(id: number, part: string, name: string, button: HTMLButtonElement, status: HTMLElement): Promise<void> {
    if (button.disabled) return; // one dialog at a time
    const say = (s: string, error = false) => {
      announce(s, error);
      status.textContent = s;
      status.hidden = !s;
      status.className = error ? 'error' : 'hint';
    };
    button.disabled = true;
    say(t('mail.attachment.saving', { name }));
    try {
      const path = await a.saveAttachment(id, part, t('mail.attachment.dialog', { name }));
      // Cancelled: nothing was written, nothing to say.
      say(path ? t('mail.attachment.saved', { name, path }) : '');
    } catch (e) {
      say(errText(e), true);
    } finally {
      button.disabled = false;
    }
  }

  function closeReader(): void {
    openToken++;
    openId = -1;
    panes.dataset.reading = 'false';
    reader.replaceChildren(el('p', { className: 'hint', textContent: t('mail.reader.empty') }));
  }

  // backToList puts the keyboard on the list, at the message in place i
  // (after a delete or move: the one that took its place). In the narrow
  // layout the list comes back in place of the reader.
  function backToList(i: number): void {
    panes.dataset.reading = 'false';
    if (i >= 0 && list.count > 0) list.select(Math.min(i, list.count - 1), true);
    else list.el.focus();
  }
  reader.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    backToList(list.selectedIndex);
  });

  async function remove(m: { id: number }, index: number): Promise<void> {
    try {
      await a.delete(m.id);
    } catch (e) { fail(e); return; }
    announce(t('mail.deleted'));
    if (openId === m.id) closeReader();
    list.refresh();
    if (index >= 0) backToList(index); // the next message moves into this place
  }

  // respond opens the compose panel with a reply or forward that Go prepared
  // (addresses, threading); a forward brings the original's attachments.
  async function respond(v: MessageView, kind: ResponseKind): Promise<void> {
    let r: Response;
    try {
      r = await a.respond(v.id, kind, await a.sender());
    } catch (e) { fail(e); return; }
    const files: File[] = [];
    const notes: string[] = r.partial ? [t('mail.respond.partial')] : [];
    if (kind === 'forward') {
      for (const att of r.attachments) {
        try {
          const f = await a.attachment(v.id, att.part);
          files.push(new File([fromBase64(f.data)], f.name || att.name, { type: f.type || att.type }));
        } catch (e) { notes.push(t('mail.forward.missing', { name: att.name, error: errText(e) })); }
      }
    }
    compose.open({ ...responseDraft(r), files, notice: notes.join(' ') });
  }

  function responseDraft(r: Response): Partial<Draft> {
    const date = formatFullDate(r.date);
    if (r.kind === 'forward') {
      const head = [t('mail.forward.header'), `${t('mail.from')}: ${r.from}`, date ? `${t('mail.date')}: ${date}` : '',
        `${t('mail.subject')}: ${r.subject}`].filter(Boolean).join('\n');
      return { to: '', cc: '', subject: t('mail.forward.prefix') + r.subject, text: `\n\n${head}\n\n${r.text}`, inReplyTo: '', references: [] };
    }
    const quoted = (r.text || '').split('\n').map((l) => `> ${l}`).join('\n');
    return { to: r.to, cc: r.cc, subject: t('mail.reply.prefix') + r.subject, text: `\n\n${t('mail.reply.wrote', { from: r.from })}\n${quoted}`,
      inReplyTo: r.inReplyTo, references: r.references };
  }

  // --- status
  let shownStatus = '';
  // While a sync downloads, what it has stored so far shows up: the folders
  // and the list are read again at most every SYNC_REFRESH_MS (the cache
  // commits in batches), not only when the sync ends.
  let refreshedAt = 0;
  function refreshWhileSyncing(s: Status): void {
    if (!s.syncing || !s.progress || s.progress.done === 0) return;
    const now = Date.now();
    if (now - refreshedAt < SYNC_REFRESH_MS) return;
    refreshedAt = now;
    void loadFolders();
    if (!query) list.refresh();
  }

  function showStatus(s: Status): void {
    showProgress(s);
    refreshWhileSyncing(s);
    // A progress tick (every 250 ms while a sync downloads) changes nothing
    // else: the open outbox list is not rebuilt under the keyboard focus.
    const { progress: _, ...rest } = s;
    const key = JSON.stringify(rest);
    if (key === shownStatus) return;
    shownStatus = key;
    const parts: string[] = [];
    parts.push(s.syncing ? t('mail.status.syncing') : s.online ? t('mail.status.online') : t('mail.status.offline'));
    const last = formatDate(s.lastSync); // '' for a missing or zero time
    parts.push(last ? t('mail.status.last', { time: last }) : t('mail.status.never'));
    if (s.outbox > 0) parts.push(t('mail.status.outbox', { n: s.outbox }));
    if (s.pending > 0) parts.push(t('mail.status.pending', { n: s.pending }));
    if (s.uncertain > 0) parts.push(t('mail.status.uncertain', { n: s.uncertain }));
    if (s.lastError && !s.online) parts.push(t('mail.status.error', { error: s.lastError }));
    // Only a change is written: a live region may announce a rewrite of the same text.
    const text = parts.join(' · ');
    if (status.textContent !== text) status.textContent = text;
    status.dataset.online = String(s.online);
    outboxBtn.hidden = !(s.outbox > 0 || s.uncertain > 0);
    outboxBtn.textContent = t('mail.outbox', { n: s.outbox + s.uncertain });
    if (!outboxBox.hidden) void showOutbox();
    droppedBtn.hidden = !(s.dropped > 0);
    droppedBtn.textContent = t('mail.dropped', { n: s.dropped });
  }

  function showProgress(s: Status): void {
    const p = s.progress;
    const on = s.syncing && !!p && p.total > 0;
    progressBox.hidden = !on;
    if (!on || !p) return;
    const done = Math.max(0, Math.min(p.done, p.total));
    const known = folders.find((f) => f.name === p.folder);
    const text = t('mail.progress', {
      folder: folderName(known ?? { name: p.folder, delimiter: '', specialUse: '', total: 0, unread: 0 }),
      done: formatCount(done), total: formatCount(p.total),
    });
    progress.max = p.total;
    progress.value = done;
    progress.setAttribute('aria-valuetext', text);
    progressText.textContent = text;
  }

  // The outbox: what waits to be sent. An uncertain message (the connection
  // broke while it was being sent) is only sent again when the user says so.
  async function showOutbox(): Promise<void> {
    let items: Awaited<ReturnType<MailApi['outbox']>>;
    try { items = await a.outbox(); } catch (e) { fail(e); return; }
    // Drawn anew: the focus goes back to the same button of the same message,
    // or, with that one gone, to the button in its place or the heading.
    const focused = outboxBox.contains(document.activeElement) ? document.activeElement as HTMLElement : null;
    const focusedId = focused?.closest('li')?.dataset.id;
    const focusedAt = focused ? [...outboxBox.querySelectorAll('button')].indexOf(focused as HTMLButtonElement) : -1;
    outboxBox.replaceChildren(el('h2', { id: 'mail-outbox-h', tabIndex: -1, textContent: t('mail.outbox.title') }), items.length === 0
      ? el('p', { className: 'hint', textContent: t('mail.outbox.empty') })
      : el('ul', {}, ...items.map((o) => {
        const li = el('li', {}, el('span', { textContent: t('mail.outbox.item', {
          subject: o.subject || t('mail.nosubject'), to: o.to.join(', '), state: t(`mail.outbox.state.${o.state}`) }) }));
        li.dataset.id = String(o.id);
        if (o.error) li.append(el('span', { className: 'error', textContent: ` – ${o.error}` }));
        const act = (label: string, cls: string, f: () => Promise<void>) => {
          const b = el('button', { type: 'button', className: cls, textContent: label });
          b.setAttribute('aria-label', `${label}: ${o.subject || t('mail.nosubject')}`);
          b.addEventListener('click', async () => {
            try { await f(); await showOutbox(); } catch (e) { fail(e); }
          });
          li.append(' ', b);
        };
        if (o.state === 'uncertain' || o.state === 'failed') act(t('mail.outbox.resend'), 'resend', () => a.resend(o.id));
        if (o.state !== 'sending' && o.state !== 'sent') {
          act(t('mail.outbox.discard'), 'discard', async () => {
            if (window.confirm(t('mail.outbox.confirm', { subject: o.subject || t('mail.nosubject') }))) await a.discard(o.id);
          });
        }
        return li;
      })));
    outboxBox.hidden = false;
    outboxBtn.setAttribute('aria-expanded', 'true');
    if (focused && !focused.isConnected) {
      const same = focusedId ? outboxBox.querySelector<HTMLElement>(`li[data-id="${focusedId}"] .${focused.className}`) : null;
      const buttons = [...outboxBox.querySelectorAll<HTMLElement>('button')];
      (same ?? buttons[Math.min(focusedAt, buttons.length - 1)] ?? outboxBox.querySelector<HTMLElement>('h2'))?.focus();
    }
  }
  outboxBtn.addEventListener('click', () => {
    if (!outboxBox.hidden) { outboxBox.hidden = true; outboxBtn.setAttribute('aria-expanded', 'false'); return; }
    void showOutbox();
  });

  // Changes the server could not take (their message was gone) are listed
  // until the user has seen them.
  droppedBtn.addEventListener('click', async () => {
    if (!droppedBox.hidden) { droppedBox.hidden = true; droppedBtn.setAttribute('aria-expanded', 'false'); return; }
    try {
      const items = await a.dropped();
      const ok = el('button', { type: 'button', id: 'mail-dropped-ok', textContent: t('mail.dropped.ok') });
      ok.addEventListener('click', async () => {
        try {
          await a.clearDropped();
          droppedBox.hidden = true;
          droppedBtn.hidden = true;
          droppedBtn.setAttribute('aria-expanded', 'false');
          list.el.focus(); // the button and the list are gone: back to the messages
        } catch (e) { fail(e); }
      });
      droppedBox.replaceChildren(el('ul', {}, ...items.map((d) => el('li', {
        textContent: t('mail.dropped.item', { kind: t(`mail.kind.${d.kind}`) === `mail.kind.${d.kind}` ? d.kind : t(`mail.kind.${d.kind}`),
          subject: d.subject || t('mail.nosubject'), folder: d.folder, reason: d.reason }),
      }))), ok);
      droppedBox.hidden = false;
      droppedBtn.setAttribute('aria-expanded', 'true');
    } catch (e) { fail(e); }
  });
  syncBtn.addEventListener('click', () => { a.syncNow().catch((e) => fail(e)); });
  composeBtn.addEventListener('click', () => compose.open({}));

  const offs = [
    a.on('mail:status', (s: Status) => { if (s) showStatus(s); }),
    a.on('mail:changed', () => { void loadFolders(); if (!query) list.refresh(); }),
    // A mailto: link clicked in a mail: compose it here (a draft in progress
    // is kept, never overwritten) and tell Go, which otherwise opens the link
    // in the system's mail program.
    a.on('mail:compose', (r: ComposeRequest) => {
      if (!r || typeof r.id !== 'number') return;
      compose.open({ to: r.to ?? '', cc: r.cc ?? '', subject: r.subject ?? '', text: r.text ?? '' });
      a.composeShown(r.id).catch(() => {});
    }),
  ];
  // Without a mail account nothing here can work: say once what to do
  // (Accounts, or the demo), and offer no action that would do nothing.
  const accountKnown = (a.hasAccount ? a.hasAccount() : Promise.resolve(true)).catch(() => true).then((has) => {
    if (has) return;
    composeBtn.disabled = true;
    syncBtn.disabled = true;
    search.disabled = true;
    state.hidden = true;
    bar.after(setupHint('mail-setup', t('setup.mail')));
  });
  const ready = Promise.all([
    accountKnown,
    loadFolders(),
    a.status().then(showStatus, (e) => fail(e)),
    offline.load(),
  ]).then(() => {});

  const onResize = () => list.update();
  window.addEventListener('resize', onResize);

  return {
    list,
    ready,
    cleanup: () => { searcher.cancel(); compose.release(); for (const off of offs) off(); window.removeEventListener('resize', onResize); },
  };
}

// --- offline settings: how much mail this computer keeps (the sync
// policy). A value the administrator locked is shown but cannot be changed.
interface OfflineSettings { el: HTMLElement; load(): Promise<void> }

function buildOfflineSettings(a: MailApi): OfflineSettings {
  const days = el('input', { type: 'number', id: 'mail-offline-days', min: '1', step: '1', required: true });
  const mb = el('input', { type: 'number', id: 'mail-offline-mb', min: '1', step: '1', required: true });
  // "Keep … for the last {n} days": the field sits inside its sentence, and
  // the label's text (with the value) is the field's name.
  const sentence = (key: string, input: HTMLInputElement) => {
    const [before, after = ''] = t(key).split('{n}');
    return el('label', { htmlFor: input.id }, before, input, after);
  };
  const note = (id: string, key: string) => el('p', { id, className: 'hint', textContent: t(key) });
  const daysLocked = note('mail-offline-days-locked', 'mail.offline.locked');
  const mbHint = note('mail-offline-mb-hint', 'mail.offline.attachments.hint');
  const mbLocked = note('mail-offline-mb-locked', 'mail.offline.locked');
  const save = el('button', { type: 'submit', id: 'mail-offline-save', textContent: t('mail.offline.save') });
  const msg = el('p', { id: 'mail-offline-msg' });
  msg.setAttribute('role', 'status');
  const say = (s: string, error = false) => { msg.textContent = s; msg.className = error ? 'error' : 'hint'; };
  const form = el('form', { id: 'mail-offline-form', noValidate: true },
    sentence('mail.offline.days', days), daysLocked,
    sentence('mail.offline.attachments', mb), mbHint, mbLocked,
    note('mail-offline-lower', 'mail.offline.lower'), save, msg);

  function show(p: MailPolicy): void {
    days.value = String(p.bodyDays);
    mb.value = String(p.attachmentMB);
    lock(days, daysLocked, p.bodyDaysLocked, []);
    lock(mb, mbLocked, p.attachmentLocked, [mbHint.id]);
    save.disabled = p.bodyDaysLocked && p.attachmentLocked;
  }
  function lock(input: HTMLInputElement, locked: HTMLElement, on: boolean, described: string[]): void {
    input.disabled = on;
    locked.hidden = !on;
    // a hidden note would still be read if the field pointed at it
    const ids = on ? [...described, locked.id] : described;
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' ')); else input.removeAttribute('aria-describedby');
  }
  async function load(): Promise<void> {
    try {
      show(await a.mailPolicy());
    } catch (e) {
      days.disabled = mb.disabled = save.disabled = true;
      say(t('mail.offline.unreadable', { error: message(e) }), true);
    }
  }
  // whole reads a field: a whole number of at least 1, or null (the field
  // gets the focus and the message says what to enter).
  function whole(input: HTMLInputElement): number | null {
    const n = Number(input.value);
    if (input.value.trim() !== '' && Number.isInteger(n) && n >= 1) return n;
    say(t('mail.offline.whole'), true);
    input.setAttribute('aria-invalid', 'true');
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', [...ids, msg.id].join(' '));
    input.focus();
    return null;
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const i of [days, mb]) {
      i.removeAttribute('aria-invalid');
      const ids = (i.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== msg.id);
      if (ids.length) i.setAttribute('aria-describedby', ids.join(' ')); else i.removeAttribute('aria-describedby');
    }
    const d = whole(days);
    const m = d === null ? null : whole(mb);
    if (d === null || m === null) return;
    save.disabled = true;
    try {
      await a.setMailPolicy(d, m);
      say(t('mail.offline.saved'));
    } catch (e) {
      say(t('mail.offline.error', { error: message(e) }), true);
    }
    await load(); // what is in effect now (and the button again)
  });
  const details = el('details', { id: 'mail-offline', className: 'mail-offline' }, el('summary', { textContent: t('mail.offline.title') }), form);
  return { el: details, load };
}

// --- compose: a panel whose draft survives closing; it is cleared only once
// the message is safely in the outbox.
// files: attachments to start with (a forward's); notice: shown above the actions.
// restored: the draft comes from the cache (nothing to save again).
type ComposeStart = Partial<Draft> & { files?: File[]; notice?: string; restored?: boolean };
interface Compose { el: HTMLElement; open(d: ComposeStart): void; release(): void }
interface ComposeModal { behind: () => HTMLElement[]; fallbackFocus: () => HTMLElement }

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function fileAttachment(f: File): Promise<DraftAttachment> {
  return f.arrayBuffer().then((b) => ({ name: f.name, type: f.type || 'application/octet-stream', data: toBase64(b) }));
}

function buildCompose(a: MailApi, announce: (s: string) => void, modal: ComposeModal): Compose {
  const files: File[] = [];
  const field = (id: string, label: string, input: HTMLInputElement | HTMLTextAreaElement) => {
    input.id = id;
    return el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: label }), input);
  };
  const from = el('output', { id: 'compose-from' });
  const to = el('input', { type: 'text', autocomplete: 'off' });
  const cc = el('input', { type: 'text', autocomplete: 'off' });
  const subject = el('input', { type: 'text' });
  const text = el('textarea', { rows: 14 });
  const attach = el('input', { type: 'file', multiple: true });
  const fileList = el('ul', { id: 'compose-files' });
  const error = el('p', { id: 'compose-error', className: 'error' });
  error.setAttribute('role', 'alert');
  // What the panel says about how the draft started (restored, partial, an attachment missing).
  const note = el('p', { id: 'compose-note', className: 'hint' });
  note.setAttribute('role', 'status');
  const send = el('button', { type: 'submit', id: 'compose-send', textContent: t('mail.compose.send') });
  const close = el('button', { type: 'button', id: 'compose-close', textContent: t('mail.compose.close') });
  // Discarding asks twice: a draft is the user's work.
  const discard = el('button', { type: 'button', id: 'compose-discard', textContent: t('mail.compose.discard') });
  const title = el('h2', { id: 'compose-title', textContent: t('mail.compose.title') });
  const form = el('form', { id: 'compose-form' }, title,
    el('div', { className: 'field' }, el('span', { textContent: t('mail.compose.from') }), from),
    field('compose-to', t('mail.compose.to'), to), field('compose-cc', t('mail.compose.cc'), cc),
    field('compose-subject', t('mail.compose.subject'), subject), field('compose-text', t('mail.compose.text'), text),
    field('compose-attach', t('mail.compose.attach'), attach), fileList, note, error, el('div', { className: 'actions' }, send, close, discard));
  const panel = el('div', { id: 'mail-compose-panel', className: 'mail-compose', hidden: true }, form);
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'true');
  panel.setAttribute('aria-labelledby', 'compose-title');
  // A modal: what is behind it is inert while it is open, Tab and Shift+Tab
  // go round inside it, and closing returns the focus to where it was.
  let returnTo: HTMLElement | null = null;
  let madeInert: HTMLElement[] = [];
  function show(): void {
    if (panel.hidden) {
      const active = document.activeElement as HTMLElement | null;
      returnTo = active && active !== document.body && !panel.contains(active) ? active : null;
    }
    panel.hidden = false;
    madeInert = modal.behind().filter((x) => !x.inert);
    for (const x of madeInert) x.inert = true;
  }
  function release(): void {
    for (const x of madeInert) x.inert = false;
    madeInert = [];
  }
  function hide(): void {
    panel.hidden = true;
    release();
    const back = returnTo && returnTo.isConnected && !returnTo.closest('[hidden]') ? returnTo : modal.fallbackFocus();
    returnTo = null;
    back.focus();
  }
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const stops = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => !x.closest('[hidden]'));
    if (stops.length === 0) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (e.shiftKey && (document.activeElement === first || !panel.contains(document.activeElement))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
  let inReplyTo = '';
  let references: string[] = [];

  // Autosave: every save goes through one chain, so a save never lands after
  // the send that forgot the draft (send waits for the chain).
  let saving: Promise<void> = Promise.resolve();
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const fields = (): Draft => ({ from: '', to: to.value, cc: cc.value, bcc: '', subject: subject.value, text: text.value, inReplyTo, references, attachments: [] });
  const enqueueSave = (f: () => Promise<void>) => {
    saving = saving.then(f).catch((e) => { error.textContent = t('mail.compose.unsaved', { error: message(e) }); });
  };
  function cancelSave(): void {
    clearTimeout(saveTimer);
    saveTimer = undefined;
  }
  function saveFieldsNow(): void {
    cancelSave();
    const d = fields();
    enqueueSave(() => a.saveDraftFields(d));
  }
  function saveFieldsSoon(): void {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveFieldsNow, DRAFT_SAVE_MS);
  }
  function saveFiles(): void {
    const list = [...files];
    enqueueSave(async () => a.saveDraftFiles(await Promise.all(list.map(fileAttachment))));
  }
  for (const f of [to, cc, subject, text]) f.addEventListener('input', saveFieldsSoon);

  function renderFiles(): void {
    fileList.replaceChildren(...files.map((f, i) => {
      const rm = el('button', { type: 'button', textContent: '✕' });
      rm.setAttribute('aria-label', t('mail.compose.remove', { name: f.name }));
      rm.addEventListener('click', () => { files.splice(i, 1); renderFiles(); saveFiles(); });
      return el('li', {}, `${f.name} (${formatSize(f.size)}) `, rm);
    }));
  }
  attach.addEventListener('change', () => {
    files.push(...Array.from(attach.files ?? []));
    attach.value = '';
    renderFiles();
    saveFiles();
  });
  close.addEventListener('click', () => { hide(); if (saveTimer !== undefined) saveFieldsNow(); });
  let armed = false;
  const disarm = () => { armed = false; discard.textContent = t('mail.compose.discard'); };
  discard.addEventListener('click', () => {
    if (!armed) { armed = true; discard.textContent = t('mail.compose.discard.confirm'); return; }
    disarm();
    clear();
    hide();
    enqueueSave(() => a.discardDraft());
  });
  discard.addEventListener('blur', disarm);
  function clear(): void {
    cancelSave();
    to.value = cc.value = subject.value = text.value = '';
    files.length = 0;
    inReplyTo = '';
    references = [];
    error.textContent = note.textContent = '';
    renderFiles();
  }
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    hide();
    if (saveTimer !== undefined) saveFieldsNow();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!to.value.trim()) {
      error.textContent = t('mail.compose.noto');
      to.setAttribute('aria-invalid', 'true');
      to.setAttribute('aria-describedby', 'compose-error');
      to.focus();
      return;
    }
    to.removeAttribute('aria-invalid');
    to.removeAttribute('aria-describedby');
    send.disabled = true;
    cancelSave();
    let sent = false;
    try {
      await saving; // no earlier save may land after the send forgot the draft
      const attachments = await Promise.all(files.map(fileAttachment));
      const sender = await a.sender();
      from.textContent = sender;
      if (!sender) { error.textContent = t('mail.compose.nofrom'); return; }
      const out = await a.send({ ...fields(), from: sender, attachments });
      sent = true;
      clear();
      hide();
      announce(out.state === 'sent' ? t('mail.compose.sent') : t('mail.compose.queued'));
    } catch (err) {
      error.textContent = errText(err); // the draft stays as it is
    } finally {
      send.disabled = false;
      if (!sent) saveFieldsNow(); // kept: so is what was typed since the last save
    }
  });
  return {
    el: panel,
    release,
    open(d) {
      const hasDraft = to.value || cc.value || subject.value || text.value || files.length > 0;
      if (!hasDraft) { // never overwrite a draft in progress
        if (d.to !== undefined) to.value = d.to;
        if (d.cc !== undefined) cc.value = d.cc;
        if (d.subject !== undefined) subject.value = d.subject;
        if (d.text !== undefined) text.value = d.text;
        inReplyTo = d.inReplyTo ?? '';
        references = d.references ?? [];
        files.push(...(d.files ?? []));
        renderFiles();
        note.textContent = d.notice ?? '';
        error.textContent = '';
        if (!d.restored && Object.keys(d).length > 0) {
          saveFieldsNow();
          if ((d.files ?? []).length > 0) saveFiles();
        }
      } else if (Object.keys(d).length > 0) {
        error.textContent = t('mail.compose.busy');
      }
      show();
      a.sender().then((s) => { from.textContent = s || t('mail.compose.nofrom'); }, () => {});
      (to.value ? text : to).focus();
    },
  };
}
registerView({
  id: 'mail',
  title: () => t('mail.title'),
  icon: '✉',
  render(root) {
    return renderMail(root).cleanup;
  },
});
