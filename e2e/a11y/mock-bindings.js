// Stand-ins for the Go bindings (window.go.app.*) and the Wails runtime's
// events, for auditing the built shell in a plain browser: 8 apps, a folder
// that is syncing (a files:status every 500 ms), 50 German messages, an open
// message and its reply. Loaded before the shell's own script by
// e2e/a11y_e2e.py. ?lang=de|en picks the UI language (navigator.language).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const uiLang = params.get('lang') === 'en' ? 'en-GB' : 'de-DE';
  Object.defineProperty(Navigator.prototype, 'language', { get: () => uiLang, configurable: true });
  Object.defineProperty(Navigator.prototype, 'languages', { get: () => [uiLang], configurable: true });

  const calls = [];
  const handlers = new Map();
  const emit = (name, data) => {
    for (const h of [...(handlers.get(name) || [])]) h.cb(data);
  };
  const counts = {};
  const call = (name, ...args) => { calls.push([name, ...args]); counts[name] = (counts[name] || 0) + 1; };
  const ok = (v) => Promise.resolve(v);

  window.runtime = {
    EventsOnMultiple(name, cb, max) {
      const h = { cb, max };
      handlers.set(name, [...(handlers.get(name) || []), h]);
      return () => handlers.set(name, (handlers.get(name) || []).filter((x) => x !== h));
    },
    EventsOff(name) { handlers.delete(name); },
    EventsOffAll() { handlers.clear(); },
    EventsEmit(name, data) { emit(name, data); },
    LogPrint() {}, LogInfo() {}, LogError() {}, LogDebug() {}, LogWarning() {},
    BrowserOpenURL(u) { call('BrowserOpenURL', u); },
  };

  // --- launcher: 8 apps
  const apps = [
    ['portal', 'Portal', 'P', '#14325c'], ['webmail', 'Mail', 'M', '#2f6ad0'], ['files', 'Files', 'F', '#1b6e3a'],
    ['office', 'Office', 'O', '#8a3b00'], ['chat', 'Chat', 'C', '#5b2a86'], ['meet', 'Video', 'V', '#a11d5a'],
    ['projects', 'Projects', 'J', '#3d4f6b'], ['wiki', 'Wiki', 'W', '#6b4b00'],
  ].map(([id, name, letter, color], i) => ({ id, name, letter, color, url: `https://${id}.stadt-musterhausen.de/`, key: i + 1 }));
  const now = new Date();

  // --- files: a sync in progress, two conflicts, one file that failed
  const files = {
    state: 'syncing', done: 3, paused: false,
    conflicts: [
      { copy: 'Haushalt 2027 (conflicted copy 2026-12-06 101500).xlsx', original: 'Haushalt 2027.xlsx', at: now.toISOString() },
      { copy: 'Protokoll Ratssitzung (conflicted copy 2026-12-06 091200).odt', original: 'Protokoll Ratssitzung.odt', at: now.toISOString() },
    ],
    errors: [{ path: 'Bauamt/CON.txt', op: 'skip', message: 'this name cannot exist on Windows', at: now.toISOString(), attempts: 2 }],
  };
  const filesStatus = () => ({
    folder: '/home/anna/Deskport', server: 'https://files.stadt-musterhausen.de/remote.php/dav/files/anna/', ready: true, problem: '',
    sync: {
      state: files.paused ? 'paused' : files.state, lastSync: now.toISOString(), lastError: '',
      progress: { filesDone: files.done, filesTotal: 40, bytesDone: files.done * 262144, bytesTotal: 40 * 262144, rate: 524288, etaSeconds: 40 - files.done, current: 'Bauamt/Plan.pdf' },
    },
    files: 1234, bytes: 734003200, conflicts: files.conflicts, errors: files.errors,
    drop: { active: false, done: 0, total: 0, error: '' },
  });
  // The tree: folders listed on demand; one file is being transferred (its
  // state follows the progress), an archive folder holds 5,000 files.
  const entry = (path, state, isDir = false, reason = '') => ({ name: path.split('/').pop(), path, isDir, size: isDir ? 0 : 48213, mtime: 0, state, reason });
  const tree = {
    '': [entry('Archiv', 'synced', true), entry('Bauamt', 'transferring', true), entry('Privat', 'excluded', true),
      entry('Haushalt 2027.xlsx', 'conflict'), entry('Haushalt 2027 (conflicted copy 2026-12-06 101500).xlsx', 'conflict'),
      entry('Protokoll Ratssitzung.odt', 'upload')],
    Archiv: Array.from({ length: 5000 }, (_, i) => entry('Archiv/Bescheid-' + String(i).padStart(4, '0') + '.pdf', 'synced')),
    Bauamt: [entry('Bauamt/CON.txt', 'error', false, 'this name cannot exist on Windows'), entry('Bauamt/Plan.pdf', 'transferring'), entry('Bauamt/Lageplan.pdf', 'download')],
  };
  const treeChildren = (dir) => (tree[dir] || []).map((e) => (e.path === 'Bauamt/Plan.pdf' && files.done % 2 === 0 ? { ...e, state: 'transferring' } : e));
  const serverFolders = {
    '': [{ name: 'Archiv', path: 'Archiv', size: 241065000, synced: true, inherited: false },
      { name: 'Bauamt', path: 'Bauamt', size: 3145728, synced: true, inherited: false },
      { name: 'Privat', path: 'Privat', size: 1024, synced: false, inherited: false }],
    Privat: [{ name: 'Fotos', path: 'Privat/Fotos', size: 1024, synced: false, inherited: true }],
  };
  const minutes = (m) => new Date(now.getTime() - m * 60000).toISOString();
  const activity = [
    { id: 5, kind: 'uploaded', path: 'Protokoll Ratssitzung.odt', to: '', size: 48213, at: minutes(2) },
    { id: 4, kind: 'downloaded', path: 'Bauamt/Plan.pdf', to: '', size: 1048576, at: minutes(9) },
    { id: 3, kind: 'conflict', path: 'Haushalt 2027.xlsx', to: '', size: 20480, at: minutes(30) },
    { id: 2, kind: 'moved-server', path: 'Bauamt/Alt.pdf', to: 'Archiv/Bescheid-0001.pdf', size: 0, at: minutes(61) },
    { id: 1, kind: 'deleted-server', path: 'Entwurf.odt', to: '', size: 0, at: minutes(120) },
  ];
  let filesEvents = 0;
  setInterval(() => {
    files.done = files.done >= 39 ? 3 : files.done + 1;
    filesEvents++;
    emit('files:status', filesStatus());
  }, 500);
  const filesApi = {
    Status: () => ok(filesStatus()),
    Pause: () => { call('Files.Pause'); files.paused = true; return ok(); },
    Resume: () => { call('Files.Resume'); files.paused = false; return ok(); },
    SyncNow: () => { call('Files.SyncNow'); return ok(); },
    ConfirmDeletes: () => { call('Files.ConfirmDeletes'); return ok(); },
    KeepMine: (c) => { call('Files.KeepMine', c); files.conflicts = files.conflicts.filter((x) => x.copy !== c); return ok(); },
    KeepTheirs: (c) => { call('Files.KeepTheirs', c); files.conflicts = files.conflicts.filter((x) => x.copy !== c); return ok(); },
    KeepBoth: (c) => { call('Files.KeepBoth', c); files.conflicts = files.conflicts.filter((x) => x.copy !== c); return ok(); },
    Open: (p) => { call('Files.Open', p); return ok(); },
    Reveal: (p) => { call('Files.Reveal', p); return Promise.reject(new Error('no file manager is installed')); },
    Lists: () => ok({ ignore: ['*.tmp', '~$*'], excluded: ['Archiv/2019'] }),
    SetLists: (l) => { call('Files.SetLists', l); return ok(); },
    SetLimit: (k) => { call('Files.SetLimit', k); return ok(); },
    Pending: () => ok([]),
    Children: (dir) => { call('Files.Children', dir); return ok(treeChildren(dir)); },
    Find: (q) => ok(Object.keys(tree).flatMap((d) => treeChildren(d)).filter((e) => e.name.toLowerCase().includes(q.toLowerCase())).slice(0, 200)),
    Activity: () => ok(activity),
    DropFiles: (sub, paths) => { call('Files.DropFiles', sub, paths); return ok(paths); },
    CanShare: () => ok(true),
    ShareLink: (p, pw, exp) => { call('Files.ShareLink', p, pw !== '', exp); return ok({ id: '7', url: 'https://files.stadt-musterhausen.de/s/Kx3fQ9', token: 'Kx3fQ9', permissions: 1, expiration: exp }); },
    OpenInSuite: (p) => { call('Files.OpenInSuite', p); return ok(); },
    ServerFolders: (dir) => ok(serverFolders[dir] || []),
    SetFolderSynced: (p, on, confirmed) => {
      call('Files.SetFolderSynced', p, on, confirmed);
      if (!on && !confirmed && p === 'Bauamt') return ok({ done: false, unsynced: ['Bauamt/Plan.pdf', 'Bauamt/Neu.odt'], count: 2 });
      return ok({ done: true, unsynced: null, count: 0 });
    },
  };

  // --- accounts: files sign-in waiting for the browser, mail to sign in again
  const accounts = { polls: 1 };
  const accountsState = () => ({
    domain: 'stadt-musterhausen.de', domainLocked: false, connected: true,
    flow: { active: true, loginUrl: 'https://files.stadt-musterhausen.de/login/v2/flow/abc', polls: accounts.polls },
    mail: { username: 'anna.schmidt@stadt-musterhausen.de', address: 'anna.schmidt@stadt-musterhausen.de',
      imap: { host: 'mail.stadt-musterhausen.de', port: 993 }, needsSignIn: true },
  });
  const accountsApi = {
    State: () => ok(accountsState()),
    Discover: (d) => ok({ domain: d, checks: apps.map((a) => ({ app: a.id === 'webmail' ? 'webmail' : a.id, url: a.url, status: 'found', reason: `${a.id}.stadt-musterhausen.de answers` })) }),
    StartFilesSignIn: () => ok({ ok: true }),
    CancelFilesSignIn: () => { call('Accounts.Cancel'); return ok(); },
    OpenLoginInBrowser: () => ok(true),
    MailSuggest: () => ok({ address: '', username: '', password: '', imapHost: 'mail.stadt-musterhausen.de', imapPort: 993, imapSecurity: 'tls', smtpHost: 'mail.stadt-musterhausen.de', smtpPort: 587, smtpSecurity: 'starttls', found: true }),
    SignInMail: (f) => { call('Accounts.SignInMail', f.username); return ok({ ok: false, problem: { code: 'wrong_password', message: 'AUTHENTICATIONFAILED' } }); },
    SignOut: (k) => ok({ ok: true }),
  };
  const accountsChanged = () => { accounts.polls++; emit('accounts:changed'); };

  // --- mail: 50 German messages in the inbox
  const senders = ['Jürgen Weiß <j.weiss@stadt-musterhausen.de>', 'Özlem Yılmaz <o.yilmaz@kreis-beispiel.de>', 'Bürgerbüro <buergerbuero@stadt-musterhausen.de>',
    'Dr. Änne Groß <a.gross@land.example>', 'Stefan Müller <s.mueller@stadt-musterhausen.de>'];
  const subjects = ['Bauantrag Gartenstraße 12 – Rückfrage', 'Einladung: Ausschuss für Umwelt und Verkehr', 'Haushaltsplan 2027, Entwurf zur Abstimmung',
    'Urlaubsvertretung KW 52', 'Protokoll der Ratssitzung vom 3. Dezember', 'Änderung der Öffnungszeiten im Bürgerbüro'];
  const folders = [
    { name: 'INBOX', delimiter: '/', specialUse: '', total: 50, unread: 12 },
    { name: 'Sent', delimiter: '/', specialUse: '\\Sent', total: 8, unread: 0 },
    { name: 'Drafts', delimiter: '/', specialUse: '\\Drafts', total: 1, unread: 0 },
    { name: 'Archiv', delimiter: '/', specialUse: '\\Archive', total: 120, unread: 0 },
    { name: 'Trash', delimiter: '/', specialUse: '\\Trash', total: 3, unread: 0 },
    { name: 'Projekte/Bauamt', delimiter: '/', specialUse: '', total: 4, unread: 2 },
  ];
  const byFolder = { INBOX: [] };
  for (let i = 0; i < 50; i++) {
    const d = new Date(now.getTime() - i * 3600 * 1000 * 7);
    byFolder.INBOX.push({
      id: i + 1, folder: 'INBOX', subject: `${subjects[i % subjects.length]}${i >= subjects.length ? ` (${Math.floor(i / subjects.length) + 1})` : ''}`,
      from: senders[i % senders.length], to: 'Anna Schmidt <anna.schmidt@stadt-musterhausen.de>', date: d.toISOString(), size: 4096 + i * 100,
      seen: i % 4 !== 0, flagged: i % 9 === 0, answered: i % 5 === 2, hasAttachments: i % 6 === 0,
      snippet: 'Sehr geehrte Frau Schmidt, anbei erhalten Sie die Unterlagen zur weiteren Prüfung.', bodyCached: true,
    });
  }
  const list = (f) => byFolder[f] || [];
  const findMsg = (id) => Object.values(byFolder).flat().find((m) => m.id === id);
  const mailApi = {
    Folders: () => ok(folders.map((f) => ({ ...f, total: f.name === 'INBOX' ? list('INBOX').length : f.total }))),
    List: (f, offset, limit) => ok({ total: list(f).length, items: list(f).slice(offset, offset + limit) }),
    Search: (q, limit) => ok(list('INBOX').filter((m) => m.subject.toLowerCase().includes(String(q).toLowerCase())).slice(0, limit)),
    Message: (id, allow) => {
      const m = findMsg(id);
      return ok({ ...m, cc: '', text: '', offline: false, problems: [], blocked: 1,
        html: '<p>Sehr geehrte Frau Schmidt,</p><p>zu Ihrem Bauantrag für die Gartenstraße 12 haben wir noch eine Rückfrage zur Grundflächenzahl. '
          + 'Bitte senden Sie uns die geänderten Pläne bis zum 15. Dezember.</p><p><img data-blocked="remote" alt=""></p><p>Mit freundlichen Grüßen<br>Jürgen Weiß<br>Bauamt</p>',
        attachments: [{ part: '2', name: 'Lageplan.pdf', type: 'application/pdf', size: 482133 }, { part: '3', name: 'Grundriss EG.pdf', type: 'application/pdf', size: 12582912, offline: false }] });
    },
    Attachment: (id, part) => ok({ name: 'Lageplan.pdf', type: 'application/pdf', data: 'JVBERi0xLjQK' }),
    SaveAttachment: (id, part, title) => { call('Mail.SaveAttachment', id, part); return ok('/home/anna/Downloads/Lageplan.pdf'); },
    SetSeen: (id, seen) => { const m = findMsg(id); if (m) m.seen = seen; return ok(); },
    SetFlagged: (id, f) => { const m = findMsg(id); if (m) m.flagged = f; return ok(); },
    Move: (id, folder) => { call('Mail.Move', id, folder); byFolder.INBOX = list('INBOX').filter((m) => m.id !== id); return ok(); },
    Delete: (id) => { call('Mail.Delete', id); byFolder.INBOX = list('INBOX').filter((m) => m.id !== id); return ok(); },
    Respond: (id, kind, self) => {
      const m = findMsg(id);
      return ok({ kind, to: m.from, cc: '', subject: m.subject.replace(/^AW: /, ''), inReplyTo: `m${id}@stadt-musterhausen.de`, references: [`m${id}@stadt-musterhausen.de`],
        from: m.from, date: m.date, text: 'Sehr geehrte Frau Schmidt,\nzu Ihrem Bauantrag haben wir noch eine Rückfrage.', attachments: [], partial: false });
    },
    Send: (d) => { call('Mail.Send', d.to, d.subject); return ok({ id: 1, messageId: 'x@y', subject: d.subject, to: [d.to], state: 'queued', error: '' }); },
    SaveDraftFields: () => ok(), SaveDraftFiles: () => ok(), Draft: () => ok(null), DiscardDraft: () => ok(),
    Status: () => ok({ online: true, syncing: false, lastSync: now.toISOString(), lastError: '', pending: 0, outbox: 1, uncertain: 0, dropped: 0 }),
    SyncNow: () => ok(),
    Outbox: () => ok([{ id: 1, messageId: 'a@x', subject: 'Urlaubsantrag', to: ['personal@stadt-musterhausen.de'], state: 'queued', error: '' }]),
    Resend: () => ok(), Discard: () => ok(), Dropped: () => ok([]), ClearDropped: () => ok(),
    ComposeShown: () => ok(),
    MailPolicy: () => ok({ bodyDays: 90, attachmentMB: 10, bodyDaysLocked: false, attachmentLocked: true }),
    SetMailPolicy: () => ok(),
  };
  const launcherApi = {
    Apps: () => ok(apps),
    Status: () => ok(Object.fromEntries(apps.map((a, i) => [a.id, i === 5 ? 'offline' : 'online']))),
    Badges: () => ok({ webmail: 12, chat: 3 }),
    Reachable: () => ok(true),
    Local: () => ok([{ id: 'files', view: 'files', state: 'syncing', lastSync: now.toISOString(), detail: '' },
      { id: 'webmail', view: 'mail', state: 'idle', lastSync: now.toISOString(), detail: '' }]),
  };
  window.go = { app: { Files: filesApi, Accounts: accountsApi, Mail: mailApi, Launcher: launcherApi, Shell: { Version: () => ok('test') } } };
  window.__mock = { calls, counts, emit, accountsChanged, filesEvents: () => filesEvents };
})();
