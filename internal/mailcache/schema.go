package mailcache

import "github.com/deskport/deskport/internal/store"

// The cache database. Raw messages are in pack files beside it (bodystore.go).
//
// messages.uid is 0 for a row the server does not hold under a known UID
// yet: moved locally and not replayed, or waiting to be matched again by
// Message-ID after a UIDVALIDITY change.
var migrations = []store.Migration{{Version: 1, SQL: `
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  delim TEXT NOT NULL DEFAULT '/',
  special TEXT NOT NULL DEFAULT '',
  uidvalidity INTEGER NOT NULL DEFAULT 0,
  uidnext INTEGER NOT NULL DEFAULT 0,
  highestmodseq INTEGER NOT NULL DEFAULT 0,
  server_count INTEGER NOT NULL DEFAULT -1,
  synced_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id),
  uid INTEGER NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0,
  flagged INTEGER NOT NULL DEFAULT 0,
  answered INTEGER NOT NULL DEFAULT 0,
  draft INTEGER NOT NULL DEFAULT 0,
  other_flags TEXT NOT NULL DEFAULT '',
  modseq INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  date INTEGER NOT NULL DEFAULT 0,
  subject TEXT NOT NULL DEFAULT '',
  from_addr TEXT NOT NULL DEFAULT '',
  from_email TEXT NOT NULL DEFAULT '',
  to_addr TEXT NOT NULL DEFAULT '',
  cc_addr TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL DEFAULT '',
  in_reply_to TEXT NOT NULL DEFAULT '',
  has_attachments INTEGER NOT NULL DEFAULT 0,
  structure TEXT NOT NULL DEFAULT '',
  body_state INTEGER NOT NULL DEFAULT 0,
  body_pack TEXT NOT NULL DEFAULT '',
  body_off INTEGER NOT NULL DEFAULT 0,
  body_len INTEGER NOT NULL DEFAULT 0,
  body_crc INTEGER NOT NULL DEFAULT 0,
  snippet TEXT NOT NULL DEFAULT '',
  problems TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX messages_folder_uid ON messages(folder_id, uid) WHERE uid > 0;
CREATE INDEX messages_by_date ON messages(folder_id, date DESC);
CREATE INDEX messages_by_msgid ON messages(message_id);
CREATE INDEX messages_by_day ON messages(date DESC, id DESC);
CREATE INDEX messages_by_sender ON messages(from_email, date);
CREATE INDEX messages_without_uid ON messages(folder_id) WHERE uid = 0;
CREATE INDEX messages_unread ON messages(folder_id) WHERE seen = 0;
CREATE TABLE attachments (
  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  part TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (message, part)
);
-- No word positions (detail=column): searches never use them (a phrase is
-- found by its words and checked in the message, see phrase.go), and they
-- were a quarter of the database and of the indexing work. Caches made
-- before this have detail=full, which the same queries search alike.
CREATE VIRTUAL TABLE fts USING fts5(subject, people, body,
  content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message INTEGER NOT NULL,
  kind TEXT NOT NULL,
  folder TEXT NOT NULL,
  uid INTEGER NOT NULL,
  uidvalidity INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  arg TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL
);
CREATE INDEX actions_by_message ON actions(message);
CREATE TABLE dropped_actions (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  folder TEXT NOT NULL,
  subject TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  mail_from TEXT NOT NULL,
  rcpt TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  raw BLOB NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`}, {Version: 2, SQL: `
-- The index collects 16 MB of new terms in memory before writing a segment
-- (1 MB by default): a first sync then writes far fewer segments and spends
-- far less time merging them.
INSERT INTO fts(fts, rank) VALUES('hashsize', 16777216);
INSERT INTO fts(fts, rank) VALUES('automerge', 16);
`}, {Version: 3, SQL: `
-- An attachment left out of the stored message (Policy.MaxAttachmentBytes:
-- the message is stored as a skeleton, see skeleton.go) has offline=0 and is
-- fetched from the server when opened or saved.
ALTER TABLE attachments ADD COLUMN offline INTEGER NOT NULL DEFAULT 1;
`}, {Version: 4, SQL: `
-- The draft in the compose panel, saved as it is written (draft.go): one
-- slot, as the panel holds one draft. Fields and files are saved apart so
-- that typing does not rewrite the attachments.
CREATE TABLE draft (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fields TEXT NOT NULL DEFAULT '{}',
  files BLOB NOT NULL DEFAULT '[]',
  saved INTEGER NOT NULL
);
`}}
