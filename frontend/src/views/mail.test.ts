import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { displayName, renderMail, setMailApi, ROW_HEIGHT, SEARCH_DELAY_MS, SYNC_REFRESH_MS, type MailViewHandle } from './mail';
import type { Draft, Folder, MailApi, MailPolicy, MessageView, Outgoing, SavedDraft, Status, Summary } from './mail-api';
import { SANDBOX, frameCSP } from '../mail/reader-frame';

const TOTAL = 100_000;

function summary(folder: string, i: number): Summary {
  return {
    id: i + 1, folder, subject: `Subject ${i}`, from: `Sender ${i} <s${i}@amt.example>`, to: 'me@amt.example',
    date: '2026-11-03T09:15:00Z', size: 2048, seen: i % 3 !== 0, flagged: i % 10 === 0, answered: i % 5 === 1,
    hasAttachments: i % 7 === 0, snippet: `Snippet ${i}`, bodyCached: true,
  };
}

interface Fake extends MailApi {
  calls: string[];
  emit(event: string, data?: any): void;
  sent: Draft[];
  saved(): SavedDraft | null; // what the cache holds as the draft
}

const noDraft: SavedDraft = { from: '', to: '', cc: '', bcc: '', subject: '', text: '', inReplyTo: '', references: [], attachments: [], saved: null };

let outboxItems: Outgoing[] = [];

function fakeApi(over: Partial<MailApi> = {}): Fake {
  outboxItems = [
    { id: 7, messageId: 'a@x', subject: 'Bericht', to: ['amt@stadt.example'], state: 'uncertain', error: 'connection reset' },
    { id: 8, messageId: 'b@x', subject: 'Antrag', to: ['b@x.example'], state: 'queued', error: '' },
  ];
  const calls: string[] = [];
  const handlers = new Map<string, Array<(d?: any) => void>>();
  const sent: Draft[] = [];
  let stored: SavedDraft | null = null;
  const folders: Folder[] = [
    { name: 'INBOX', delimiter: '/', specialUse: '', total: TOTAL, unread: 1234 },
    { name: 'Sent', delimiter: '/', specialUse: '\\Sent', total: 10, unread: 0 },
    { name: 'Projekte/Bauamt', delimiter: '/', specialUse: '', total: 3, unread: 2 },
  ];
  return {
    calls, sent, saved: () => stored,
    emit(event, data) { for (const h of handlers.get(event) ?? []) h(data); },
    folders: async () => { calls.push('folders'); return folders; },
    list: async (folder, offset, limit) => {
      calls.push(`list ${folder} ${offset} ${limit}`);
      const total = folders.find((f) => f.name === folder)?.total ?? 0;
      const items: Summary[] = [];
      for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(summary(folder, i));
      return { total, items };
    },
    search: async (q, limit) => { calls.push(`search ${q} ${limit}`); return [summary('INBOX', 42), summary('INBOX', 43)]; },
    message: async (id, allowRemote): Promise<MessageView> => {
      calls.push(`message ${id} ${allowRemote}`);
      return {
        ...summary('INBOX', id - 1), cc: '', text: 'plain',
        html: allowRemote ? '<p>Hallo<img src="https://cdn.example/a.png"></p>'
          : '<p>Hallo<img data-blocked="remote"/></p><script>parent.go.app.Mail.Delete(1)</script>',
        attachments: [{ part: '2', name: 'Bescheid.pdf', type: 'application/pdf', size: 123456 }],
        offline: false, problems: [],
      };
    },
    attachment: async (id, part) => { calls.push(`attachment ${id} ${part}`); return { name: 'Bescheid.pdf', type: 'application/pdf', data: 'JVBERg==' }; },
    saveAttachment: async (id, part, title) => { calls.push(`save ${id} ${part} ${title}`); return '/home/anna/Downloads/Bescheid.pdf'; },
    setSeen: async (id, seen) => { calls.push(`seen ${id} ${seen}`); },
    setFlagged: async (id, f) => { calls.push(`flag ${id} ${f}`); },
    move: async (id, f) => { calls.push(`move ${id} ${f}`); },
    delete: async (id) => { calls.push(`delete ${id}`); },
    saveDraftFields: async (d) => { calls.push('saveDraftFields'); stored = { ...(stored ?? noDraft), ...d, attachments: stored?.attachments ?? [], saved: '2026-12-04T09:00:00Z' }; },
    saveDraftFiles: async (f) => { calls.push(`saveDraftFiles ${f.length}`); stored = { ...(stored ?? noDraft), attachments: f, saved: '2026-12-04T09:00:00Z' }; },
    draft: async () => stored,
    discardDraft: async () => { calls.push('discardDraft'); stored = null; },
    send: async (d) => { calls.push('send'); sent.push(d); stored = null; return { id: 1, messageId: 'x@y', subject: d.subject, to: [d.to], state: 'queued', error: '' }; },
    status: async (): Promise<Status> => ({ online: false, syncing: false, lastSync: null, lastError: 'dial tcp: no route', pending: 2, outbox: 1, uncertain: 0, dropped: 0 }),
    syncNow: async () => { calls.push('sync'); },
    sender: async () => 'me@amt.example',
    respond: async (id, kind, self) => {
      calls.push(`respond ${id} ${kind} ${self}`);
      const m = summary('INBOX', id - 1);
      const fwd = kind === 'forward';
      return {
        kind, to: fwd ? '' : m.from, cc: kind === 'replyAll' ? '"Weiß, Anna" <anna@amt.example>' : '', subject: m.subject,
        inReplyTo: fwd ? '' : `m${id}@amt.example`, references: fwd ? [] : ['m0@amt.example', `m${id}@amt.example`],
        from: m.from, date: m.date, text: 'plain\nzweite Zeile', partial: false,
        attachments: fwd ? [{ part: '2', name: 'Bescheid.pdf', type: 'application/pdf', size: 4 }] : [],
      };
    },
    outbox: async () => { calls.push('outbox'); return outboxItems; },
    resend: async (id) => { calls.push(`resend ${id}`); outboxItems = outboxItems.map((o) => o.id === id ? { ...o, state: 'queued' } : o); },
    discard: async (id) => { calls.push(`discard ${id}`); outboxItems = outboxItems.filter((o) => o.id !== id); },
    dropped: async () => { calls.push('dropped'); return [{ kind: 'move', folder: 'INBOX', subject: 'Alt', reason: 'message is gone on the server', at: 1 }]; },
    clearDropped: async () => { calls.push('clearDropped'); },
    composeShown: async (id) => { calls.push(`composeShown ${id}`); },
    mailPolicy: async () => { calls.push('mailPolicy'); return { bodyDays: 90, attachmentMB: 10, bodyDaysLocked: false, attachmentLocked: false }; },
    setMailPolicy: async (days, mb) => { calls.push(`setMailPolicy ${typeof days} ${days} ${typeof mb} ${mb}`); },
    on: (event, cb) => {
      handlers.set(event, [...(handlers.get(event) ?? []), cb]);
      return () => handlers.set(event, (handlers.get(event) ?? []).filter((h) => h !== cb));
    },
    ...over,
  };
}

let view: MailViewHandle | undefined;
let root: HTMLElement;

async function mount(api: Fake): Promise<MailViewHandle> {
  setMailApi(api);
  root = document.createElement('main');
  document.body.append(root);
  view = renderMail(root);
  await view.ready;
  await vi.waitFor(() => expect(view!.list.count).toBe(TOTAL));
  return view;
}

function rows(): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('#mail-list [role=option]')];
}

function key(target: HTMLElement, k: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

beforeEach(() => { vi.stubGlobal('navigator', { language: 'en-GB' }); });
afterEach(() => {
  view?.cleanup();
  view = undefined;
  root?.remove();
  setMailApi(undefined);
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('virtualized message list', () => {
  it('renders only the visible rows of 100,000 and fetches only the pages in view', async () => {
    const api = await mount(fakeApi()).then(() => undefined);
    void api;
    const list = root.querySelector<HTMLElement>('#mail-list')!;
    expect(list.getAttribute('role')).toBe('listbox');
    expect(list.getAttribute('aria-label')).toBe('Messages in Inbox');
    // jsdom has no layout: the list assumes a 600 px viewport → 11 rows + overscan.
    expect(rows().length).toBeGreaterThan(10);
    expect(rows().length).toBeLessThan(30);
    expect((list.firstElementChild as HTMLElement).style.height).toBe(`${TOTAL * ROW_HEIGHT}px`);
    expect(rows()[0].getAttribute('aria-setsize')).toBe(String(TOTAL));
    expect(rows()[0].getAttribute('aria-posinset')).toBe('1');
    // a row's name is its visible text (so speech users can say it), led by its state in words
    expect(rows()[0].hasAttribute('aria-label')).toBe(false);
    expect(rows()[0].textContent).toBe('unread, flagged, with attachment: Sender 0, 3 Nov, Subject 0 – Snippet 0');
    expect(rows()[1].textContent).toBe('answered: Sender 1, 3 Nov, Subject 1 – Snippet 1');
    expect(rows()[1].querySelector('.row-state')!.className).toBe('sr-only row-state');
    expect(rows()[1].querySelector('.mark-replied')).not.toBeNull();
    expect(rows()[0].querySelector('.mark-replied')).toBeNull();
    // flag and attachment marks are drawn (no emoji: no glyph in Linux UI fonts) and hidden from screen readers
    const marks = rows()[0].querySelector('.marks')!;
    expect(marks.getAttribute('aria-hidden')).toBe('true');
    expect(marks.querySelector('svg.mark-flag')).not.toBeNull();
    expect(marks.querySelector('svg.mark-clip')).not.toBeNull();
    expect(marks.textContent).toBe('');
    expect(rows()[2].querySelector('.marks svg')).toBeNull();
  });

  it('fetches the pages around a far scroll position and drops rows out of view', async () => {
    const api = fakeApi();
    await mount(api);
    expect(api.calls.filter((c) => c.startsWith('list'))).toEqual(['list INBOX 0 100']);
    const list = root.querySelector<HTMLElement>('#mail-list')!;
    list.scrollTop = 50_000 * ROW_HEIGHT;
    list.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(rows().some((r) => r.textContent!.includes('Subject 50000'))).toBe(true));
    // Rows 49,994..50,017 are in view with overscan: pages 499 and 500.
    expect(api.calls.filter((c) => c.startsWith('list'))).toEqual(['list INBOX 0 100', 'list INBOX 49900 100', 'list INBOX 50000 100']);
    expect(rows().some((r) => r.textContent!.includes('Subject 0 '))).toBe(false);
    expect(rows().length).toBeLessThan(30);
    const r = rows().find((x) => x.dataset.index === '50000')!;
    expect(r.style.top).toBe(`${50_000 * ROW_HEIGHT}px`);
    expect(r.getAttribute('aria-posinset')).toBe('50001');
    // Scrolling back is served from the page cache.
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(rows().some((x) => x.dataset.index === '0')).toBe(true));
    expect(api.calls.filter((c) => c.startsWith('list')).length).toBe(3);
  });

  it('keeps only a small cache of pages', async () => {
    const api = fakeApi();
    await mount(api);
    const list = root.querySelector<HTMLElement>('#mail-list')!;
    for (let p = 1; p <= 30; p++) {
      list.scrollTop = p * 1000 * ROW_HEIGHT;
      list.dispatchEvent(new Event('scroll'));
      await vi.waitFor(() => expect(view!.list.item(p * 1000)).toBeDefined());
    }
    expect(view!.list.item(0)).toBeUndefined(); // evicted
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(api.calls.filter((c) => c === 'list INBOX 0 100').length).toBe(2));
  });
});

describe('display name', () => {
  it('shows the name of "Name <address>" and the address when there is no name', () => {
    expect(displayName('Jürgen Müller <jm@amt.example>')).toBe('Jürgen Müller');
    expect(displayName('"Stadt, Amt" <amt@stadt.example>')).toBe('Stadt, Amt');
    expect(displayName('<only@amt.example>')).toBe('<only@amt.example>');
    expect(displayName('jm@amt.example')).toBe('jm@amt.example');
    expect(displayName('a@x.example, b@x.example')).toBe('a@x.example, b@x.example');
  });
});

describe('keyboard', () => {
  it('moves with the arrow keys, opens with Enter, deletes with Delete, jumps with End', async () => {
    const api = fakeApi();
    await mount(api);
    const list = root.querySelector<HTMLElement>('#mail-list')!;
    key(list, 'ArrowDown');
    key(list, 'ArrowDown');
    expect(view!.list.selectedIndex).toBe(1);
    const sel = rows().filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(sel.map((r) => r.dataset.index)).toEqual(['1']);
    expect(list.getAttribute('aria-activedescendant')).toBe(sel[0].id);
    key(list, 'ArrowUp');
    key(list, 'Enter');
    await vi.waitFor(() => expect(api.calls).toContain('message 1 false'));
    await vi.waitFor(() => expect(api.calls).toContain('seen 1 true')); // row 0 was unread
    key(list, 'Delete');
    await vi.waitFor(() => expect(api.calls).toContain('delete 1'));
    await vi.waitFor(() => expect(root.querySelector('#mail-live')!.textContent).toBe('Message deleted.'));
    key(list, 'End');
    expect(view!.list.selectedIndex).toBe(TOTAL - 1);
    await vi.waitFor(() => expect(api.calls).toContain('list INBOX 99900 100'));
    await vi.waitFor(() => expect(rows().find((r) => r.dataset.index === String(TOTAL - 1))?.getAttribute('aria-selected')).toBe('true'));
    key(list, 'Home');
    expect(view!.list.selectedIndex).toBe(0);
  });
});

describe('reader', () => {
  it('shows HTML only in an iframe sandboxed without scripts or same origin, with a strict CSP', async () => {
    const api = fakeApi();
    await mount(api);
    rows()[2].click();
    const frame = await vi.waitFor(() => {
      const f = root.querySelector<HTMLIFrameElement>('#mail-reader iframe');
      expect(f).not.toBeNull();
      return f!;
    });
    expect(frame.hasAttribute('sandbox')).toBe(true);
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(SANDBOX).not.toMatch(/allow-scripts|allow-same-origin/);
    expect(frame.srcdoc).toContain(`<meta http-equiv="Content-Security-Policy" content="${frameCSP(false)}">`);
    expect(frameCSP(false)).toMatch(/^default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'/);
    // The message's HTML never enters the page's own DOM.
    expect(root.querySelector('#mail-reader script')).toBeNull();
    expect(root.querySelector('#mail-reader p img')).toBeNull();
    expect(root.querySelector('#mail-subject')!.textContent).toBe('Subject 2');
    const att = root.querySelector<HTMLButtonElement>('.mail-attachments button')!;
    expect(att.textContent).toBe('Bescheid.pdf (120.6 KB)');
    expect(att.getAttribute('aria-label')).toBe('Save Bescheid.pdf, 120.6 KB');
    // Saved from Go through the save dialog: no Blob, no download link in the page.
    const blobs: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(Object.create(URL), { createObjectURL: (b: Blob) => { blobs.push(b); return 'blob:x'; }, revokeObjectURL: () => {} }));
    att.click();
    await vi.waitFor(() => expect(root.querySelector('#mail-live')!.textContent).toBe('Bescheid.pdf saved to /home/anna/Downloads/Bescheid.pdf'));
    expect(root.querySelector<HTMLElement>('#mail-attachment-status')!.hidden).toBe(false);
    expect(root.querySelector('#mail-attachment-status')!.textContent).toBe('Bescheid.pdf saved to /home/anna/Downloads/Bescheid.pdf');
    expect(api.calls).toContain('save 3 2 Save attachment Bescheid.pdf');
    expect(api.calls).not.toContain('attachment 3 2');
    expect(blobs).toEqual([]);
    expect(root.querySelector('a[download]')).toBeNull();
    expect(att.disabled).toBe(false);
    expect(api.calls).not.toContain('seen 3 true'); // row 2 was already read

    const remote = root.querySelector<HTMLButtonElement>('#mail-remote')!;
    expect(root.querySelector('#mail-remote-bar')!.textContent).toContain('1 remote images or trackers were blocked');
    remote.click();
    await vi.waitFor(() => expect(api.calls).toContain('message 3 true'));
    await vi.waitFor(() => expect(root.querySelector<HTMLIFrameElement>('#mail-reader iframe')!.srcdoc).toContain(frameCSP(true)));
    const f2 = root.querySelector<HTMLIFrameElement>('#mail-reader iframe')!;
    expect(f2.getAttribute('sandbox')).toBe('');
    expect(root.querySelector('#mail-remote')).toBeNull();
  });

  it('shows plain text as text, never as markup', async () => {
    const api = fakeApi({
      message: async (id) => ({ ...summary('INBOX', id - 1), cc: '', text: '<img src=x onerror=alert(1)>', html: '', attachments: [], offline: false, problems: ['unknown charset "x-foo"'] }),
    });
    await mount(api);
    rows()[1].click();
    await vi.waitFor(() => expect(root.querySelector('.mail-text')).not.toBeNull());
    expect(root.querySelector('.mail-text')!.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(root.querySelector('#mail-reader img')).toBeNull();
    expect(root.querySelector('.mail-problems li')!.textContent).toBe('unknown charset "x-foo"');
  });

  it('ignores an answer for a message the user has already left', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => { release = r; });
    const base = fakeApi();
    const api = fakeApi({
      message: async (id, allow) => {
        if (id === 1) await slow;
        const m = await base.message(id, allow);
        return { ...m, subject: `Opened ${id}` };
      },
    });
    await mount(api);
    rows()[0].click();
    rows()[1].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-subject')?.textContent).toBe('Opened 2'));
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(root.querySelector('#mail-subject')!.textContent).toBe('Opened 2');
  });
});

describe('search', () => {
  it('waits for typing to pause, searches once, and drops stale answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answers: Array<(r: Summary[]) => void> = [];
    const api = fakeApi({
      search: (q) => { api.calls.push(`search ${q}`); return new Promise((res) => answers.push(res)); },
    });
    setMailApi(api);
    root = document.createElement('main');
    document.body.append(root);
    view = renderMail(root);
    const input = root.querySelector<HTMLInputElement>('#mail-search')!;
    expect(root.querySelector(`label[for=${input.id}]`)!.textContent).toBe('Search mail');
    for (const q of ['B', 'Ba', 'Bau']) {
      input.value = q;
      input.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(SEARCH_DELAY_MS - 50);
    }
    expect(api.calls.filter((c) => c.startsWith('search'))).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(api.calls.filter((c) => c.startsWith('search'))).toEqual(['search Bau']);
    input.value = 'Bauamt';
    input.dispatchEvent(new Event('input'));
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
    expect(api.calls.filter((c) => c.startsWith('search'))).toEqual(['search Bau', 'search Bauamt']);
    vi.useRealTimers();
    // The newer answer arrives first; the older one, arriving late, is dropped.
    answers[1]([summary('INBOX', 7)]);
    await vi.waitFor(() => expect(view!.list.count).toBe(1));
    answers[0]([summary('INBOX', 1), summary('INBOX', 2), summary('INBOX', 3)]);
    await new Promise((r) => setTimeout(r, 10));
    expect(view!.list.count).toBe(1);
    await vi.waitFor(() => expect(rows()[0].textContent).toContain('Subject 7'));
    expect(root.querySelector('#mail-list')!.getAttribute('aria-label')).toBe('Search results for “Bauamt”');
    expect(root.querySelector('#mail-live')!.textContent).toBe('1 messages found');
    // Clearing the box goes back to the folder.
    input.value = '';
    input.dispatchEvent(new Event('input'));
    await vi.waitFor(() => expect(view!.list.count).toBe(TOTAL));
  });
});

describe('folders, status and compose', () => {
  it('lists folders with unread counts and switches folder', async () => {
    const api = fakeApi();
    await mount(api);
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('#mail-folders button')];
    // the name is the visible text; "unread" is there for screen readers only
    expect(buttons.map((b) => b.textContent)).toEqual(['Inbox, 1234 unread', 'Sent', 'Bauamt, 2 unread']);
    expect(buttons.map((b) => b.hasAttribute('aria-label'))).toEqual([false, false, false]);
    expect(buttons[0].getAttribute('aria-current')).toBe('true');
    buttons[2].click();
    await vi.waitFor(() => expect(view!.list.count).toBe(3));
    expect(api.calls).toContain('list Projekte/Bauamt 0 100');
    expect(rows().length).toBe(3);
    expect(root.querySelector('#mail-list')!.getAttribute('aria-label')).toBe('Messages in Bauamt');
  });

  it('shows offline state, outbox and waiting changes, and follows status events', async () => {
    const api = fakeApi();
    await mount(api);
    const status = root.querySelector('#mail-status')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('Offline – changes are kept and sent when the connection is back · not synced yet · 1 in the outbox · 2 changes waiting · Last error: dial tcp: no route');
    api.emit('mail:status', { online: true, syncing: true, lastSync: '0001-01-01T00:00:00Z', lastError: '', pending: 0, outbox: 0, uncertain: 1, dropped: 0 });
    expect(status.textContent).toBe('Syncing… · not synced yet · 1 messages may not have been sent – check the outbox');
    const dropped = root.querySelector<HTMLButtonElement>('#mail-dropped')!;
    expect(dropped.hidden).toBe(true);
    api.emit('mail:status', { online: true, syncing: false, lastSync: '2026-11-03T09:15:00Z', lastError: '', pending: 0, outbox: 0, uncertain: 0, dropped: 1 });
    expect(dropped.hidden).toBe(false);
    expect(dropped.textContent).toBe('1 changes could not be applied – show');
    dropped.click();
    await vi.waitFor(() => expect(root.querySelector('#mail-dropped-list li')?.textContent).toBe('Move: “Alt” in INBOX – message is gone on the server'));
    expect(dropped.getAttribute('aria-expanded')).toBe('true');
    root.querySelector<HTMLButtonElement>('#mail-dropped-ok')!.focus();
    root.querySelector<HTMLButtonElement>('#mail-dropped-ok')!.click();
    await vi.waitFor(() => expect(api.calls).toContain('clearDropped'));
    await vi.waitFor(() => expect(dropped.hidden).toBe(true));
    expect(document.activeElement?.id).toBe('mail-list'); // not lost with the hidden button
  });

  const syncing = (progress?: { folder: string; done: number; total: number }): Status => ({
    online: true, syncing: true, lastSync: null, lastError: '', pending: 0, outbox: 0, uncertain: 0, dropped: 0, progress,
  });

  it('shows the first sync’s download as a progress bar, announcing only its start and end', async () => {
    const api = fakeApi();
    await mount(api);
    const box = root.querySelector<HTMLElement>('#mail-progress-box')!;
    const bar = root.querySelector<HTMLProgressElement>('#mail-progress')!;
    const status = root.querySelector<HTMLElement>('#mail-status')!;
    expect(box.hidden).toBe(true); // idle
    expect(bar.tagName).toBe('PROGRESS');
    expect(bar.getAttribute('aria-label')).toBe('Downloading messages');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.contains(bar) || bar.closest('[aria-live]')).toBeFalsy(); // updates are not announced

    // A sync that has not started downloading yet: no bar.
    api.emit('mail:status', syncing({ folder: '', done: 0, total: 0 }));
    expect(box.hidden).toBe(true);
    expect(status.textContent).toBe('Syncing… · not synced yet');

    const changes = new MutationObserver(() => {});
    changes.observe(status, { childList: true, characterData: true, subtree: true });
    api.emit('mail:status', syncing({ folder: 'INBOX', done: 4000, total: 22362 }));
    expect(box.hidden).toBe(false);
    expect(bar.value).toBe(4000);
    expect(bar.max).toBe(22362);
    expect(bar.getAttribute('aria-valuetext')).toBe('Inbox: 4,000 of 22,362');
    expect(root.querySelector('#mail-progress-text')!.textContent).toBe('Inbox: 4,000 of 22,362');
    api.emit('mail:status', syncing({ folder: 'INBOX', done: 9500, total: 22362 }));
    expect(bar.value).toBe(9500);
    expect(bar.getAttribute('aria-valuetext')).toBe('Inbox: 9,500 of 22,362');
    api.emit('mail:status', syncing({ folder: 'Projekte/Bauamt', done: 1, total: 3 }));
    expect(bar.getAttribute('aria-valuetext')).toBe('Bauamt: 1 of 3');
    expect(bar.max).toBe(3);
    // The live region was not touched by the ticks.
    expect(changes.takeRecords()).toEqual([]);

    // The end: the bar goes, the status text says so (announced once).
    api.emit('mail:status', { ...syncing({ folder: '', done: 0, total: 0 }), syncing: false, lastSync: '2026-11-03T09:15:00Z' });
    expect(box.hidden).toBe(true);
    expect(status.textContent).toMatch(/^Online · last sync \S/);
    expect(changes.takeRecords().length).toBeGreaterThan(0);
    changes.disconnect();
    // A status without progress at all (an older Go side) is idle too.
    api.emit('mail:status', syncing());
    expect(box.hidden).toBe(true);
  });

  it('does not rebuild the open outbox list (and the focus in it) on progress ticks', async () => {
    const api = fakeApi();
    await mount(api);
    root.querySelector<HTMLButtonElement>('#mail-outbox')!.click();
    await vi.waitFor(() => expect(root.querySelectorAll('#mail-outbox-list li').length).toBe(2));
    api.emit('mail:status', { ...syncing({ folder: 'INBOX', done: 10, total: 500 }), outbox: 1, uncertain: 1 });
    await vi.waitFor(() => expect(api.calls.filter((c) => c === 'outbox').length).toBe(2));
    const discard = root.querySelector<HTMLButtonElement>('#mail-outbox-list li[data-id="8"] .discard')!;
    discard.focus();
    for (const done of [120, 260, 499]) api.emit('mail:status', { ...syncing({ folder: 'INBOX', done, total: 500 }), outbox: 1, uncertain: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(api.calls.filter((c) => c === 'outbox').length).toBe(2);
    expect(document.activeElement).toBe(discard);
    expect(root.querySelector<HTMLProgressElement>('#mail-progress')!.value).toBe(499);
  });

  it('shows what a sync has stored so far: folders and list read again at most every few seconds', async () => {
    const api = fakeApi();
    await mount(api);
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const reads = () => api.calls.filter((c) => c === 'folders' || c.startsWith('list INBOX 0')).length;
    const before = reads();
    api.emit('mail:status', syncing({ folder: 'INBOX', done: 0, total: 500 })); // nothing stored yet
    expect(reads()).toBe(before);
    api.emit('mail:status', syncing({ folder: 'INBOX', done: 40, total: 500 }));
    await vi.waitFor(() => expect(reads()).toBe(before + 2));
    now += SYNC_REFRESH_MS - 1;
    for (const done of [80, 120, 160]) api.emit('mail:status', syncing({ folder: 'INBOX', done, total: 500 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(reads()).toBe(before + 2); // throttled
    now += 1;
    api.emit('mail:status', syncing({ folder: 'INBOX', done: 200, total: 500 }));
    await vi.waitFor(() => expect(reads()).toBe(before + 4));
  });

  it('shows the download in German with German numbers', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    const api = fakeApi({ status: async () => syncing({ folder: 'INBOX', done: 4000, total: 22362 }) });
    await mount(api);
    const bar = root.querySelector<HTMLProgressElement>('#mail-progress')!;
    expect(root.querySelector<HTMLElement>('#mail-progress-box')!.hidden).toBe(false); // already under way when the view opens
    expect(bar.getAttribute('aria-label')).toBe('Nachrichten werden heruntergeladen');
    expect(bar.getAttribute('aria-valuetext')).toBe('Posteingang: 4.000 von 22.362');
    expect(root.querySelector('#mail-progress-text')!.textContent).toBe('Posteingang: 4.000 von 22.362');
    expect(root.querySelector('#mail-status')!.textContent).toBe('Wird abgeglichen… · noch nicht abgeglichen');
    api.emit('mail:status', syncing({ folder: 'Archiv', done: 12, total: 1500 }));
    expect(bar.getAttribute('aria-valuetext')).toBe('Archiv: 12 von 1.500');
    expect([bar.value, bar.max]).toEqual([12, 1500]);
    api.emit('mail:status', { ...syncing({ folder: '', done: 0, total: 0 }), syncing: false });
    expect(root.querySelector<HTMLElement>('#mail-progress-box')!.hidden).toBe(true);
  });

  it('lists the outbox; an uncertain message is sent again only when the user says so', async () => {
    const api = fakeApi();
    await mount(api);
    const btn = root.querySelector<HTMLButtonElement>('#mail-outbox')!;
    expect(btn.hidden).toBe(false);
    expect(btn.textContent).toBe('Outbox (1)');
    btn.click();
    await vi.waitFor(() => expect(root.querySelectorAll('#mail-outbox-list li').length).toBe(2));
    const [uncertain, queued] = [...root.querySelectorAll<HTMLElement>('#mail-outbox-list li')];
    expect(uncertain.textContent).toContain('“Bericht” to amt@stadt.example: may have been sent – the connection broke while sending – connection reset');
    expect(queued.querySelector('.resend')).toBeNull();
    expect(api.calls.some((c) => c.startsWith('resend'))).toBe(false);
    uncertain.querySelector<HTMLButtonElement>('.resend')!.focus();
    uncertain.querySelector<HTMLButtonElement>('.resend')!.click();
    await vi.waitFor(() => expect(api.calls).toContain('resend 7'));
    await vi.waitFor(() => expect(root.querySelector('#mail-outbox-list li[data-id="7"]')!.textContent).toContain('waiting to be sent'));
    // the list was drawn anew; the focus is not lost: the resend button is gone, its place taken
    expect(document.activeElement?.className).toBe('discard');
    expect(document.activeElement?.closest('li')?.dataset.id).toBe('7');
    // Discarding asks first; saying no keeps the message.
    vi.stubGlobal('confirm', () => false);
    root.querySelector<HTMLButtonElement>('#mail-outbox-list li[data-id="8"] .discard')!.click();
    await new Promise((r) => setTimeout(r, 10));
    expect(api.calls).not.toContain('discard 8');
    vi.stubGlobal('confirm', () => true);
    root.querySelector<HTMLButtonElement>('#mail-outbox-list li[data-id="8"] .discard')!.click();
    await vi.waitFor(() => expect(root.querySelectorAll('#mail-outbox-list li').length).toBe(1));
    expect(api.calls).toContain('discard 8');
  });

  it('sends a message with attachments into the outbox and keeps the draft when that fails', async () => {
    let fail = true;
    const api = fakeApi();
    const send = api.send;
    api.send = async (d) => { if (fail) throw new Error('disk full'); return send(d); };
    await mount(api);
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    const panel = root.querySelector<HTMLElement>('#mail-compose-panel')!;
    expect(panel.hidden).toBe(false);
    expect(panel.getAttribute('role')).toBe('dialog');
    root.querySelector<HTMLInputElement>('#compose-to')!.value = 'amt@stadt.example';
    root.querySelector<HTMLInputElement>('#compose-subject')!.value = 'Antrag';
    root.querySelector<HTMLTextAreaElement>('#compose-text')!.value = 'Sehr geehrte Damen und Herren';
    const file = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'Antrag.pdf', { type: 'application/pdf' });
    const input = root.querySelector<HTMLInputElement>('#compose-attach')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    expect(root.querySelector('#compose-files li')!.textContent).toContain('Antrag.pdf (4 B)');
    const form = root.querySelector<HTMLFormElement>('#compose-form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('#compose-error')!.textContent).toBe('Something went wrong: disk full'));
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Antrag');
    expect(panel.hidden).toBe(false);
    await vi.waitFor(() => expect(api.saved()?.subject).toBe('Antrag')); // the kept draft is saved too
    fail = false;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(api.sent.length).toBe(1));
    expect(api.sent[0]).toMatchObject({ from: 'me@amt.example', to: 'amt@stadt.example', subject: 'Antrag', text: 'Sehr geehrte Damen und Herren' });
    expect(api.sent[0].attachments).toEqual([{ name: 'Antrag.pdf', type: 'application/pdf', data: 'JVBERg==' }]);
    await vi.waitFor(() => expect(panel.hidden).toBe(true));
    expect(root.querySelector('#mail-live')!.textContent).toBe('The message is in the outbox and will be sent when you are online.');
  });

  it('does not send without a signed-in sender and keeps the draft', async () => {
    const api = fakeApi({ sender: async () => '' });
    await mount(api);
    rows()[4].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-reply')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('#mail-reply')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#compose-to')!.value).toBe('Sender 4 <s4@amt.example>'));
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Re: Subject 4');
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toContain('> plain');
    root.querySelector<HTMLFormElement>('#compose-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('#compose-error')!.textContent).toBe('Sign in to mail under Accounts to send messages. Your draft is kept.'));
    expect(api.calls).not.toContain('send');
    // Opening compose again (or replying to another message) never overwrites the draft.
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Re: Subject 4');
  });

  it('replies to all with the thread and forwards with the attachments', async () => {
    const api = fakeApi();
    await mount(api);
    rows()[4].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-reply-all')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('#mail-reply-all')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#compose-cc')!.value).toBe('"Weiß, Anna" <anna@amt.example>'));
    expect(api.calls).toContain('respond 5 replyAll me@amt.example');
    expect(root.querySelector<HTMLInputElement>('#compose-to')!.value).toBe('Sender 4 <s4@amt.example>');
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toContain('> plain\n> zweite Zeile');
    const form = root.querySelector<HTMLFormElement>('#compose-form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(api.sent.length).toBe(1));
    expect(api.sent[0]).toMatchObject({ subject: 'Re: Subject 4', inReplyTo: 'm5@amt.example', references: ['m0@amt.example', 'm5@amt.example'] });

    await vi.waitFor(() => expect(root.querySelector<HTMLElement>('#mail-compose-panel')!.hidden).toBe(true));
    root.querySelector<HTMLButtonElement>('#mail-forward')!.click();
    await vi.waitFor(() => expect(root.querySelector('#compose-files li')?.textContent).toContain('Bescheid.pdf (4 B)'));
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Fwd: Subject 4');
    expect(root.querySelector<HTMLInputElement>('#compose-to')!.value).toBe('');
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toContain('-------- Forwarded message --------\nFrom: Sender 4 <s4@amt.example>');
    root.querySelector<HTMLInputElement>('#compose-to')!.value = 'kollegin@amt.example';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(api.sent.length).toBe(2));
    expect(api.sent[1]).toMatchObject({ to: 'kollegin@amt.example', inReplyTo: '', references: [] });
    expect(api.sent[1].attachments).toEqual([{ name: 'Bescheid.pdf', type: 'application/pdf', data: 'JVBERg==' }]);
  });

  it('keeps a draft in progress when asked to reply, and discards it only on a second click', async () => {
    const api = fakeApi();
    await mount(api);
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    root.querySelector<HTMLInputElement>('#compose-subject')!.value = 'Mein Entwurf';
    rows()[4].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-forward')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('#mail-forward')!.click();
    await vi.waitFor(() => expect(root.querySelector('#compose-error')!.textContent).toBe('This draft is still open: send or discard it, then reply or forward again.'));
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Mein Entwurf');
    expect(root.querySelectorAll('#compose-files li').length).toBe(0);
    const discard = root.querySelector<HTMLButtonElement>('#compose-discard')!;
    discard.click();
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Mein Entwurf');
    expect(discard.textContent).toBe('Discard? Click again');
    discard.click();
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('');
    expect(root.querySelector<HTMLElement>('#mail-compose-panel')!.hidden).toBe(true);
    root.querySelector<HTMLButtonElement>('#mail-forward')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Fwd: Subject 4'));
    expect(root.querySelector('#compose-error')!.textContent).toBe('');
  });

  it('says when a reply could only be made from the stored headers', async () => {
    const base = fakeApi();
    const api = fakeApi({ respond: async (id, kind, self) => ({ ...(await base.respond(id, kind, self)), partial: true, text: 'Snippet 4' }) });
    await mount(api);
    rows()[4].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-reply')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('#mail-reply')!.click();
    await vi.waitFor(() => expect(root.querySelector('#compose-note')!.textContent).toContain('only its stored sender, recipients and preview are used'));
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toContain('> Snippet 4');
  });

  it('forwards without an attachment it cannot get, and says so', async () => {
    const api = fakeApi({ attachment: async () => { throw new Error('offline'); } });
    await mount(api);
    rows()[4].click();
    await vi.waitFor(() => expect(root.querySelector('#mail-forward')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('#mail-forward')!.click();
    await vi.waitFor(() => expect(root.querySelector('#compose-note')!.textContent).toBe('Bescheid.pdf could not be attached: Something went wrong: offline'));
    expect(root.querySelector<HTMLElement>('#mail-compose-panel')!.hidden).toBe(false);
    expect(root.querySelectorAll('#compose-files li').length).toBe(0);
  });

  it('keeps the draft in the cache as it is written and brings it back after a restart', async () => {
    const api = fakeApi();
    await mount(api);
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    const subject = root.querySelector<HTMLInputElement>('#compose-subject')!;
    subject.value = 'Stellungnahme';
    subject.dispatchEvent(new Event('input'));
    const text = root.querySelector<HTMLTextAreaElement>('#compose-text')!;
    text.value = 'Sehr geehrte Damen und Herren,';
    text.dispatchEvent(new Event('input'));
    await vi.waitFor(() => expect(api.saved()?.text).toBe('Sehr geehrte Damen und Herren,'), { timeout: 3000 });
    expect(api.calls.filter((c) => c === 'saveDraftFields').length).toBe(1); // debounced: one save for both fields
    const input = root.querySelector<HTMLInputElement>('#compose-attach')!;
    Object.defineProperty(input, 'files', { value: [new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'Anlage.pdf', { type: 'application/pdf' })], configurable: true });
    input.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(api.saved()?.attachments).toEqual([{ name: 'Anlage.pdf', type: 'application/pdf', data: 'JVBERg==' }]));
    expect(api.saved()?.subject).toBe('Stellungnahme');

    // The app restarts: the view comes up with the draft open.
    const kept = api.saved();
    view?.cleanup();
    root.remove();
    const again = fakeApi({ draft: async () => kept });
    await mount(again);
    const panel = root.querySelector<HTMLElement>('#mail-compose-panel')!;
    await vi.waitFor(() => expect(panel.hidden).toBe(false));
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Stellungnahme');
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toBe('Sehr geehrte Damen und Herren,');
    expect(root.querySelector('#compose-files li')!.textContent).toContain('Anlage.pdf (4 B)');
    expect(root.querySelector('#compose-note')!.textContent).toMatch(/^Your draft from .+ was restored\.$/);
    expect(again.calls.filter((c) => c.startsWith('saveDraft'))).toEqual([]); // restoring saves nothing
  });

  it('never lets a late save bring back a sent draft', async () => {
    const api = fakeApi();
    await mount(api);
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    const to = root.querySelector<HTMLInputElement>('#compose-to')!;
    to.value = 'amt@stadt.example';
    to.dispatchEvent(new Event('input')); // a save is due in DRAFT_SAVE_MS
    root.querySelector<HTMLFormElement>('#compose-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(api.sent.length).toBe(1));
    await new Promise((r) => setTimeout(r, 1200));
    expect(api.saved()).toBeNull();
    // Discarding forgets it too.
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    to.value = 'x@stadt.example';
    to.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('#compose-close')!.click(); // closing saves at once
    await vi.waitFor(() => expect(api.saved()?.to).toBe('x@stadt.example'));
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    root.querySelector<HTMLButtonElement>('#compose-discard')!.click();
    root.querySelector<HTMLButtonElement>('#compose-discard')!.click();
    await vi.waitFor(() => expect(api.saved()).toBeNull());
    expect(api.calls).toContain('discardDraft');
  });

  it('uses German strings when the system is German', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    await mount(fakeApi());
    expect(root.querySelector('label[for=mail-search]')!.textContent).toBe('E-Mails durchsuchen');
    expect(root.querySelector('#mail-folders button')!.textContent).toBe('Posteingang, 1234 ungelesen');
    expect(root.querySelector('h1')!.textContent).toBe('E-Mail');
  });
});

describe('attachments and links', () => {
  async function openFirst(): Promise<HTMLButtonElement> {
    rows()[0].click();
    return vi.waitFor(() => {
      const b = root.querySelector<HTMLButtonElement>('.mail-attachments button');
      expect(b).not.toBeNull();
      return b!;
    });
  }

  it('says nothing and writes nothing when the save dialog is cancelled, and shows a failure with what to do', async () => {
    let answer: () => Promise<string> = async () => '';
    const api = fakeApi({ saveAttachment: (id, part, title) => { api.calls.push(`save ${id} ${part} ${title}`); return answer(); } });
    await mount(api);
    const att = await openFirst();
    att.click();
    await vi.waitFor(() => expect(api.calls.filter((c) => c.startsWith('save ')).length).toBe(1));
    await vi.waitFor(() => expect(att.disabled).toBe(false));
    expect(root.querySelector('#mail-live')!.textContent).toBe('');
    expect(root.querySelector<HTMLElement>('#mail-attachment-status')!.hidden).toBe(true);
    answer = () => Promise.reject(new Error('not enough space to save Bescheid.pdf (120.6 KB) in /home/anna/Downloads: free some space or choose another folder'));
    att.click();
    await vi.waitFor(() => expect(root.querySelector('#mail-live')!.textContent).toContain('free some space or choose another folder'));
    expect(root.querySelector('#mail-attachment-status')!.textContent).toContain('free some space or choose another folder');
    expect(root.querySelector('#mail-attachment-status')!.className).toBe('error');
    expect(att.disabled).toBe(false);
  });

  it('opens one save dialog at a time', async () => {
    let release: (p: string) => void = () => {};
    const api = fakeApi({ saveAttachment: (id, part) => { api.calls.push(`save ${id} ${part}`); return new Promise((r) => { release = r; }); } });
    await mount(api);
    const att = await openFirst();
    att.click();
    att.click();
    expect(att.disabled).toBe(true);
    expect(root.querySelector('#mail-live')!.textContent).toBe('Saving Bescheid.pdf …');
    release('/tmp/Bescheid.pdf');
    await vi.waitFor(() => expect(att.disabled).toBe(false));
    expect(api.calls.filter((c) => c.startsWith('save ')).length).toBe(1);
  });

  it('marks an attachment that is not stored offline and saves it like any other', async () => {
    const api = fakeApi({
      message: async (id) => ({
        ...summary('INBOX', id - 1), cc: '', text: 'Plan anbei', html: '', offline: false, problems: [],
        attachments: [
          { part: '2', name: 'logo.png', type: 'image/png', size: 20000, offline: true },
          { part: '3', name: 'Plan.pdf', type: 'application/pdf', size: 12582912, offline: false },
        ],
      }),
    });
    await mount(api);
    rows()[0].click();
    const items = await vi.waitFor(() => {
      const li = root.querySelectorAll<HTMLLIElement>('.mail-attachments li');
      expect(li.length).toBe(2);
      return li;
    });
    expect(items[0].querySelector('.attachment-online')).toBeNull();
    expect(items[0].querySelector('button')!.getAttribute('aria-label')).toBe('Save logo.png, 19.5 KB');
    const big = items[1].querySelector<HTMLButtonElement>('button')!;
    expect(big.textContent).toBe('Plan.pdf (12 MB)');
    expect(items[1].querySelector('.attachment-online')!.textContent).toBe(' online only');
    expect(big.getAttribute('aria-label')).toBe('Save Plan.pdf, 12 MB, online only');
    expect(big.title).toContain('needs a connection');
    big.click();
    await vi.waitFor(() => expect(api.calls).toContain('save 1 3 Save attachment Plan.pdf'));
  });

  it('says "nur online" in German', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    await mount(fakeApi({
      message: async (id) => ({
        ...summary('INBOX', id - 1), cc: '', text: '', html: '', offline: false, problems: [],
        attachments: [{ part: '2', name: 'Plan.pdf', type: 'application/pdf', size: 12582912, offline: false }],
      }),
    }));
    rows()[0].click();
    await vi.waitFor(() => expect(root.querySelector('.attachment-online')!.textContent).toBe(' nur online'));
    expect(root.querySelector('.mail-attachments button')!.getAttribute('aria-label')).toBe('Plan.pdf speichern, 12 MB, nur online');
  });

  it('tells where the file went in German', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    const api = fakeApi();
    await mount(api);
    const att = await openFirst();
    att.click();
    await vi.waitFor(() => expect(root.querySelector('#mail-live')!.textContent).toBe('Bescheid.pdf gespeichert unter /home/anna/Downloads/Bescheid.pdf'));
    expect(api.calls).toContain('save 1 2 Anhang Bescheid.pdf speichern');
  });

  it('keeps links to the shell opener in the frame; the frame CSP does not stop the frame navigating', async () => {
    const link = '<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fa%3Fb%3D1%26c%3D2" title="https://amt.example/a?b=1&amp;c=2">Antrag</a>';
    const api = fakeApi({ message: async (id) => ({ ...summary('INBOX', id - 1), cc: '', text: '', html: link, attachments: [], offline: false, problems: [] }) });
    await mount(api);
    rows()[0].click();
    const frame = await vi.waitFor(() => {
      const f = root.querySelector<HTMLIFrameElement>('#mail-reader iframe');
      expect(f).not.toBeNull();
      return f!;
    });
    expect(frame.srcdoc).toContain(link);
    // No scripts and no popups: a click navigates the frame itself, to the shell's origin, which answers 204.
    expect(frame.getAttribute('sandbox')).toBe('');
    for (const allow of [false, true]) {
      expect(frameCSP(allow)).not.toMatch(/navigate-to|sandbox|script-src/);
      expect(frameCSP(allow)).toContain("base-uri 'none'");
    }
    expect(frame.srcdoc).not.toContain('<base');
  });

  it('does not replace the frame when it loads again (links never leave the message; nothing to put back)', async () => {
    const api = fakeApi();
    await mount(api);
    rows()[0].click();
    const frame = await vi.waitFor(() => {
      const f = root.querySelector<HTMLIFrameElement>('#mail-reader iframe');
      expect(f).not.toBeNull();
      return f!;
    });
    frame.dispatchEvent(new Event('load'));
    frame.dispatchEvent(new Event('load'));
    expect(root.querySelector('#mail-reader iframe')).toBe(frame);
  });

  it('opens compose prefilled from a mailto: link (mail:compose) and confirms it to Go', async () => {
    const api = fakeApi();
    await mount(api);
    const panel = root.querySelector<HTMLElement>('#mail-compose-panel')!;
    expect(panel.hidden).toBe(true);
    api.emit('mail:compose', { id: 7, to: 'poststelle@amt.example', cc: 'akte@amt.example', subject: 'Antrag 42', text: 'Guten Tag\n' });
    expect(panel.hidden).toBe(false);
    expect(root.querySelector<HTMLInputElement>('#compose-to')!.value).toBe('poststelle@amt.example');
    expect(root.querySelector<HTMLInputElement>('#compose-cc')!.value).toBe('akte@amt.example');
    expect(root.querySelector<HTMLInputElement>('#compose-subject')!.value).toBe('Antrag 42');
    expect(root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toBe('Guten Tag\n');
    expect(api.calls).toContain('composeShown 7');

    // A draft in progress is kept; the view still shows compose and says so to Go.
    root.querySelector<HTMLButtonElement>('#compose-close')!.click();
    api.emit('mail:compose', { id: 8, to: 'andere@amt.example', cc: '', subject: 'Anderes', text: '' });
    expect(panel.hidden).toBe(false);
    expect(root.querySelector<HTMLInputElement>('#compose-to')!.value).toBe('poststelle@amt.example');
    expect(api.calls).toContain('composeShown 8');

    // Junk is ignored and not confirmed.
    api.emit('mail:compose', undefined);
    api.emit('mail:compose', { to: 'x@amt.example' });
    expect(api.calls.filter((c) => c.startsWith('composeShown')).length).toBe(2);
  });

  it('does not confirm a mailto: draft once the view is gone (Go then opens the link outside)', async () => {
    const api = fakeApi();
    await mount(api);
    view!.cleanup();
    api.emit('mail:compose', { id: 9, to: 'poststelle@amt.example', cc: '', subject: 'x', text: '' });
    expect(api.calls).not.toContain('composeShown 9');
  });
});

describe('offline settings', () => {
  const field = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)!;
  const msg = () => root.querySelector<HTMLElement>('#mail-offline-msg')!;
  const save = () => root.querySelector<HTMLButtonElement>('#mail-offline-save')!;

  it('shows the values in effect in labelled fields and saves them as numbers', async () => {
    const api = fakeApi();
    await mount(api);
    const details = root.querySelector<HTMLDetailsElement>('details#mail-offline')!;
    expect(details.querySelector('summary')!.textContent).toBe('Offline storage');
    const days = field('mail-offline-days');
    const mb = field('mail-offline-mb');
    expect([days.value, mb.value]).toEqual(['90', '10']);
    expect([days.disabled, mb.disabled, save().disabled]).toEqual([false, false, false]);
    // each field sits in its sentence, which names it
    expect(days.labels![0].textContent).toBe('Keep message text offline for the last  days');
    expect(mb.labels![0].textContent).toBe('Keep attachments up to  MB offline');
    expect(mb.getAttribute('aria-describedby')).toBe('mail-offline-mb-hint');
    expect(root.querySelector('#mail-offline-mb-hint')!.textContent).toBe('Larger ones are downloaded when opened.');
    expect(days.hasAttribute('aria-describedby')).toBe(false);
    expect(msg().getAttribute('role')).toBe('status');

    days.value = '365';
    mb.value = '20';
    save().click();
    await vi.waitFor(() => expect(msg().textContent).toBe('Saved. The next sync downloads what the new settings include.'));
    expect(api.calls).toContain('setMailPolicy number 365 number 20');
    expect(api.calls.filter((c) => c === 'mailPolicy').length).toBe(2); // read again after saving
    expect(msg().className).not.toContain('error');
  });

  it('disables a setting the administrator locked, with a note read with the field', async () => {
    const api = fakeApi({
      mailPolicy: async (): Promise<MailPolicy> => ({ bodyDays: 30, attachmentMB: 10, bodyDaysLocked: true, attachmentLocked: false }),
    });
    await mount(api);
    const days = field('mail-offline-days');
    const note = root.querySelector<HTMLElement>('#mail-offline-days-locked')!;
    expect(days.value).toBe('30');
    expect(days.disabled).toBe(true);
    expect(note.hidden).toBe(false);
    expect(note.textContent).toBe('Set by your administrator.');
    expect(days.getAttribute('aria-describedby')).toBe('mail-offline-days-locked');
    expect(field('mail-offline-mb').disabled).toBe(false);
    expect(root.querySelector<HTMLElement>('#mail-offline-mb-locked')!.hidden).toBe(true);
    expect(field('mail-offline-mb').getAttribute('aria-describedby')).toBe('mail-offline-mb-hint');
    expect(save().disabled).toBe(false); // the attachment size can still be saved
  });

  it('cannot save when both are locked', async () => {
    await mount(fakeApi({
      mailPolicy: async (): Promise<MailPolicy> => ({ bodyDays: 30, attachmentMB: 5, bodyDaysLocked: true, attachmentLocked: true }),
    }));
    expect([field('mail-offline-days').disabled, field('mail-offline-mb').disabled, save().disabled]).toEqual([true, true, true]);
    expect(field('mail-offline-mb').getAttribute('aria-describedby')).toBe('mail-offline-mb-hint mail-offline-mb-locked');
  });

  it('shows why saving failed and keeps the form usable', async () => {
    const api = fakeApi({
      setMailPolicy: async () => { throw 'your administrator has locked how long message text is kept offline (the last 30 days)'; },
    });
    await mount(api);
    field('mail-offline-days').value = '400';
    save().click();
    await vi.waitFor(() => expect(msg().textContent).toBe('Not saved: your administrator has locked how long message text is kept offline (the last 30 days)'));
    expect(msg().className).toBe('error');
    await vi.waitFor(() => expect(save().disabled).toBe(false));
    expect(field('mail-offline-days').value).toBe('90'); // what is in effect, read again
  });

  it('asks for a whole number before calling Go, and focuses the field', async () => {
    const api = fakeApi();
    await mount(api);
    const mb = field('mail-offline-mb');
    for (const bad of ['0', '2.5', '', '-3']) {
      mb.value = bad;
      save().click();
      expect(msg().textContent).toBe('Enter a whole number of at least 1.');
      expect(document.activeElement).toBe(mb);
    }
    expect(api.calls.some((c) => c.startsWith('setMailPolicy'))).toBe(false);
  });

  it('says when the settings cannot be read', async () => {
    await mount(fakeApi({ mailPolicy: async () => { throw new Error('config: settings.json is not valid JSON'); } }));
    expect(msg().textContent).toBe('The offline settings cannot be read: config: settings.json is not valid JSON');
    expect([field('mail-offline-days').disabled, save().disabled]).toEqual([true, true]);
  });

  it('speaks German when the system is German', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    await mount(fakeApi());
    expect(root.querySelector('#mail-offline summary')!.textContent).toBe('Offline-Speicher');
    expect(field('mail-offline-days').labels![0].textContent).toBe('Nachrichtentext der letzten  Tage offline behalten');
    expect(field('mail-offline-mb').labels![0].textContent).toBe('Anhänge bis  MB offline behalten');
  });
});

async function found<T extends HTMLElement>(sel: string): Promise<T> {
  return vi.waitFor(() => {
    const e = root.querySelector<T>(sel);
    expect(e).not.toBeNull();
    return e!;
  });
}

describe('focus and keyboard (accessibility)', () => {
  it('keeps the focus on a folder button when mail:changed redraws the folders', async () => {
    const api = fakeApi();
    await mount(api);
    const sent = root.querySelector<HTMLButtonElement>('#mail-folders button[data-folder=Sent]')!;
    sent.focus();
    const before = api.calls.filter((c) => c === 'folders').length;
    api.emit('mail:changed');
    await vi.waitFor(() => expect(api.calls.filter((c) => c === 'folders').length).toBe(before + 1));
    await Promise.resolve();
    expect(root.querySelector('#mail-folders button[data-folder=Sent]')).toBe(sent);
    expect(document.activeElement).toBe(sent);
  });

  it('moves a message only on the Move button or Enter, never on choosing, and puts the focus back on the list', async () => {
    const api = fakeApi();
    await mount(api);
    view!.list.select(3, true);
    rows()[3].click();
    const move = await found<HTMLSelectElement>('#mail-move');
    move.value = 'Sent';
    move.dispatchEvent(new Event('change', { bubbles: true }));
    move.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.calls.filter((c) => c.startsWith('move'))).toEqual([]);
    root.querySelector<HTMLButtonElement>('#mail-move-do')!.click();
    await vi.waitFor(() => expect(api.calls).toContain('move 4 Sent'));
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('mail-list'));
    expect(view!.list.selectedIndex).toBe(3);
    expect(root.querySelector('#mail-live')!.textContent).toBe('Message moved to Sent.');
  });

  it('puts the focus on the list after Delete in the reader and after Escape', async () => {
    const api = fakeApi();
    await mount(api);
    view!.list.select(5, true);
    rows()[5].click();
    const del = await found<HTMLButtonElement>('#mail-delete');
    del.focus();
    del.click();
    await vi.waitFor(() => expect(api.calls).toContain('delete 6'));
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('mail-list'));
    expect(view!.list.selectedIndex).toBe(5);
    rows()[2].click();
    const reply = await found<HTMLButtonElement>('#mail-reply');
    reply.focus();
    key(reply, 'Escape');
    expect(document.activeElement?.id).toBe('mail-list');
  });

  it('opens compose as a modal: the rest inert, Tab kept inside, focus returned on Escape, Close and Send', async () => {
    const api = fakeApi();
    const nav = document.createElement('nav');
    const app = document.createElement('div');
    app.id = 'app';
    app.append(nav);
    document.body.append(app);
    await mount(api);
    const panel = root.querySelector<HTMLElement>('#mail-compose-panel')!;
    const composeBtn = root.querySelector<HTMLButtonElement>('#mail-compose')!;
    expect(panel.getAttribute('aria-modal')).toBe('true');
    composeBtn.focus();
    composeBtn.click();
    expect(panel.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('compose-to');
    expect(nav.inert).toBe(true);
    expect(root.querySelector<HTMLElement>('.mail-panes')!.inert).toBe(true);
    expect(root.querySelector<HTMLElement>('.mail-bar')!.inert).toBe(true);
    // Tab from the last control goes to the first, Shift+Tab from the first to the last
    const discard = root.querySelector<HTMLButtonElement>('#compose-discard')!;
    discard.focus();
    discard.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(document.activeElement?.id).toBe('compose-to');
    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(discard);
    key(discard, 'Escape');
    expect(panel.hidden).toBe(true);
    expect(nav.inert).toBe(false);
    expect(root.querySelector<HTMLElement>('.mail-panes')!.inert).toBe(false);
    expect(document.activeElement).toBe(composeBtn);
    // Close returns it too; Send returns it to the button that opened compose (Reply)
    composeBtn.click();
    root.querySelector<HTMLButtonElement>('#compose-close')!.click();
    expect(document.activeElement).toBe(composeBtn);
    rows()[1].click();
    const reply = await found<HTMLButtonElement>('#mail-reply');
    reply.focus();
    reply.click();
    await vi.waitFor(() => expect(panel.hidden).toBe(false));
    root.querySelector<HTMLFormElement>('#compose-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(api.calls).toContain('send'));
    await vi.waitFor(() => expect(panel.hidden).toBe(true));
    expect(document.activeElement).toBe(reply);
    app.remove();
  });

  it('shows a failed action in words on the page, not only to screen readers, and ties form errors to their field', async () => {
    const api = fakeApi({ delete: async () => { throw new Error('the server refused it'); } });
    await mount(api);
    view!.list.select(0, true);
    key(root.querySelector<HTMLElement>('#mail-list')!, 'Delete');
    const live = root.querySelector<HTMLElement>('#mail-live')!;
    await vi.waitFor(() => expect(live.textContent).toBe('Something went wrong: the server refused it'));
    expect(live.className).toBe('mail-live error');
    expect(live.closest('.sr-only')).toBeNull();
    expect(live.getAttribute('aria-live')).toBe('polite');
    root.querySelector<HTMLButtonElement>('#mail-compose')!.click();
    root.querySelector<HTMLFormElement>('#compose-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const to = root.querySelector<HTMLInputElement>('#compose-to')!;
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(to.getAttribute('aria-describedby')).toBe('compose-error');
    expect(root.querySelector('#compose-error')!.textContent).toBe('Enter at least one recipient.');
    expect(document.activeElement).toBe(to);
  });
});


describe('without a mail account', () => {
  it('says once what to do, links to Accounts and the demo, and offers no action that would do nothing', async () => {
    await mount(fakeApi({ hasAccount: async () => false }));
    const hint = root.querySelector<HTMLElement>('#mail-setup')!;
    expect(hint.textContent).toContain('Mail is not set up yet. Sign in to your mailbox under Accounts');
    expect(hint.querySelector('a[href="#/accounts"]')).not.toBeNull();
    expect(hint.querySelector('button.setup-demo')).not.toBeNull();
    expect(root.querySelector<HTMLButtonElement>('#mail-compose')!.disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>('#mail-sync')!.disabled).toBe(true);
    // "Offline – changes are kept…" is not what a person without an account needs to read.
    expect(root.querySelector<HTMLElement>('.mail-state')!.hidden).toBe(true);
  });

  it('shows no hint and keeps the actions when an account is signed in', async () => {
    await mount(fakeApi({ hasAccount: async () => true }));
    expect(root.querySelector('#mail-setup')).toBeNull();
    expect(root.querySelector<HTMLButtonElement>('#mail-compose')!.disabled).toBe(false);
  });
});
