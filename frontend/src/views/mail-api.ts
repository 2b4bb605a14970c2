// The mail view's view of the Go side (app.Mail): plain data shapes and the
// calls it makes, so tests can hand in a fake. The real one forwards to the
// generated Wails bindings.
import * as Go from '../wailsjs/go/app/Mail';
import * as Accounts from '../wailsjs/go/app/Accounts';
import { EventsOn } from '../wailsjs/runtime/runtime';

export interface Folder { name: string; delimiter: string; specialUse: string; total: number; unread: number }

export interface Summary {
  id: number; folder: string; subject: string; from: string; to: string; date: string | null;
  size: number; seen: boolean; flagged: boolean; answered: boolean; hasAttachments: boolean;
  snippet: string; bodyCached: boolean;
}

export interface ListPage { total: number; items: Summary[] }

// offline false: not stored on this computer (larger than the sync policy
// keeps); saving fetches it from the server. Missing means stored.
export interface Attachment { part: string; name: string; type: string; size: number; offline?: boolean }

export interface MessageView extends Summary {
  cc: string; text: string;
  html: string; // sanitized by the Go side; still only ever shown in the sandboxed iframe
  attachments: Attachment[]; offline: boolean; problems: string[];
  blocked?: number; // remote references held back, when the Go side reports it
}

export interface AttachmentFile { name: string; type: string; data: string /* base64 */ }

export interface Dropped { kind: string; folder: string; subject: string; reason: string; at: number }

export interface Status {
  online: boolean; syncing: boolean; lastSync: string | null; lastError: string;
  pending: number; outbox: number; uncertain: number; dropped: number;
  // How far the running sync's download is (all zero when none runs).
  progress?: Progress;
}

export interface Progress { folder: string; done: number; total: number }

export interface DraftAttachment { name: string; type: string; data: string /* base64 */ }
export interface Draft {
  from: string; to: string; cc: string; bcc: string; subject: string; text: string;
  inReplyTo: string; references?: string[]; attachments: DraftAttachment[];
}

export interface SavedDraft extends Draft { saved: string | null }

// What a reply or forward starts from (mailcache.Response): addresses ready
// for the draft, the original's subject without Re:/AW:, its text, and for a
// forward its attachments. partial: made from the cached headers only.
export type ResponseKind = 'reply' | 'replyAll' | 'forward';
export interface Response {
  kind: ResponseKind; to: string; cc: string; subject: string; inReplyTo: string; references: string[];
  from: string; date: string | null; text: string; attachments: Attachment[]; partial: boolean;
}
// A mailto: link clicked in a mail, for the compose panel ("mail:compose");
// the view confirms with composeShown(id), else Go opens the link outside.
export interface ComposeRequest { id: number; to: string; cc: string; subject: string; text: string }

// The "Offline" settings (app.MailPolicy): the values in effect, and which
// ones the administrator locked.
export interface MailPolicy { bodyDays: number; attachmentMB: number; bodyDaysLocked: boolean; attachmentLocked: boolean }

export interface Outgoing { id: number; messageId: string; subject: string; to: string[]; state: string; error: string; created?: string | null }

export interface MailApi {
  folders(): Promise<Folder[]>;
  list(folder: string, offset: number, limit: number): Promise<ListPage>;
  search(query: string, limit: number): Promise<Summary[]>;
  message(id: number, allowRemote: boolean): Promise<MessageView>;
  attachment(id: number, part: string): Promise<AttachmentFile>;
  // saveAttachment asks where to save (the system's save dialog, in the
  // Downloads folder, with a safe file name) and writes the file from Go.
  // Returns the saved path, or '' when the user cancelled.
  saveAttachment(id: number, part: string, dialogTitle: string): Promise<string>;
  setSeen(id: number, seen: boolean): Promise<void>;
  setFlagged(id: number, flagged: boolean): Promise<void>;
  move(id: number, folder: string): Promise<void>;
  delete(id: number): Promise<void>;
  // respond prepares a reply, reply-all or forward; self is the sender().
  respond(id: number, kind: ResponseKind, self: string): Promise<Response>;
  send(d: Draft): Promise<Outgoing>;
  // The compose panel's draft, kept in the cache as it is written so a crash
  // or restart loses nothing: fields (debounced) and files apart; send
  // forgets it in the outbox's transaction, discardDraft on the user's word.
  saveDraftFields(d: Draft): Promise<void>;
  saveDraftFiles(files: DraftAttachment[]): Promise<void>;
  draft(): Promise<SavedDraft | null>;
  discardDraft(): Promise<void>;
  status(): Promise<Status>;
  syncNow(): Promise<void>;
  outbox(): Promise<Outgoing[]>;
  resend(id: number): Promise<void>;
  discard(id: number): Promise<void>;
  // dropped lists changes that could not be applied (message gone on the server).
  dropped(): Promise<Dropped[]>;
  clearDropped(): Promise<void>;
  // sender is the signed-in mail address, the From of composed messages ('' if none).
  sender(): Promise<string>;
  // hasAccount says whether a mail account is signed in (absent: assume one is).
  hasAccount?(): Promise<boolean>;
  // composeShown tells Go that the compose panel shows a "mail:compose" draft.
  composeShown(id: number): Promise<void>;
  // mailPolicy / setMailPolicy read and save what is kept offline; saving
  // starts a sync. A locked setting is refused with a message saying so.
  mailPolicy(): Promise<MailPolicy>;
  setMailPolicy(bodyDays: number, attachmentMB: number): Promise<void>;
  // on subscribes to "mail:changed" / "mail:status" / "mail:compose"; returns an unsubscribe.
  on(event: 'mail:changed' | 'mail:status' | 'mail:compose', cb: (data?: any) => void): () => void;
}

function dateString(d: any): string | null {
  if (d === null || d === undefined || d === '') return null;
  return typeof d === 'string' ? d : String(d);
}

export const wailsMailApi: MailApi = {
  folders: async () => (await Go.Folders()) ?? [],
  list: async (folder, offset, limit) => {
    const p = await Go.List(folder, offset, limit);
    return { total: p?.total ?? 0, items: (p?.items ?? []).map((s: any) => ({ ...s, date: dateString(s.date) })) };
  },
  search: async (q, limit) => ((await Go.Search(q, limit)) ?? []).map((s: any) => ({ ...s, date: dateString(s.date) })),
  message: async (id, allow) => {
    const m: any = await Go.Message(id, allow);
    return { ...m, date: dateString(m.date), attachments: m.attachments ?? [], problems: m.problems ?? [] };
  },
  respond: async (id, kind, self) => {
    const r: any = await Go.Respond(id, kind, self);
    return { ...r, date: dateString(r.date), references: r.references ?? [], attachments: r.attachments ?? [] };
  },
  attachment: async (id, part) => {
    const f: any = await Go.Attachment(id, part);
    return { name: f?.name ?? '', type: f?.type ?? '', data: typeof f?.data === 'string' ? f.data : '' };
  },
  saveAttachment: async (id, part, title) => (await Go.SaveAttachment(id, part, title)) ?? '',
  setSeen: (id, seen) => Go.SetSeen(id, seen),
  setFlagged: (id, f) => Go.SetFlagged(id, f),
  move: (id, folder) => Go.Move(id, folder),
  delete: (id) => Go.Delete(id),
  // []byte fields travel as base64 strings through encoding/json.
  send: (d) => Go.Send(d as any) as Promise<any>,
  saveDraftFields: (d) => Go.SaveDraftFields(d as any),
  saveDraftFiles: (files) => Go.SaveDraftFiles(files as any),
  draft: async () => {
    const d: any = await Go.Draft();
    if (!d) return null;
    return { ...d, saved: dateString(d.saved), references: d.references ?? [], attachments: d.attachments ?? [] };
  },
  discardDraft: () => Go.DiscardDraft(),
  status: async () => {
    const s: any = await Go.Status();
    return { ...s, lastSync: dateString(s.lastSync) };
  },
  syncNow: () => Go.SyncNow(),
  outbox: async () => ((await Go.Outbox()) ?? []).map((o: any) => ({ ...o, to: o.to ?? [], created: dateString(o.created) })),
  resend: (id) => Go.Resend(id),
  discard: (id) => Go.Discard(id),
  dropped: async () => (await Go.Dropped()) ?? [],
  clearDropped: () => Go.ClearDropped(),
  sender: async () => {
    const m: any = (await Accounts.State())?.mail;
    if (!m) return '';
    return m.address || (String(m.username ?? '').includes('@') ? m.username : '');
  },
  hasAccount: async () => !!(await Accounts.State())?.mail,
  composeShown: (id) => Go.ComposeShown(id),
  mailPolicy: async () => {
    const p: any = await Go.MailPolicy();
    return { bodyDays: p?.bodyDays ?? 0, attachmentMB: p?.attachmentMB ?? 0, bodyDaysLocked: !!p?.bodyDaysLocked, attachmentLocked: !!p?.attachmentLocked };
  },
  setMailPolicy: (days, mb) => Go.SetMailPolicy(days, mb),
  on: (event, cb) => EventsOn(event, cb),
};
