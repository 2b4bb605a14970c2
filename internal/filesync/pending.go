package filesync

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A transfer and the journal entry that records it cannot be written in one
// step: a kill -9 between the two leaves a journal that still describes the
// old version, and the next run would take its own upload for someone
// else's edit (a conflict that is none, with the user's newest version in
// the conflict copy) or a file it downloaded and the user then deleted for
// a new one (a delete undone). So every transfer is written down as pending
// before it starts, durably, with what it will have done:
//
//   - an upload: the local state sent and the SHA-256 of the bytes sent.
//     After a crash the server's file is ours if it has that size (and,
//     where the server keeps it, our mtime) and those bytes — the ETag says
//     nothing (SabreDAV and Nextcloud make a new random one; Nextcloud's
//     oc:checksums exist only when the uploader sent OC-Checksum, and
//     generic WebDAV has none), so the bytes are fetched and hashed, for
//     these few files only.
//   - a download: written when the temp file is complete, just before it is
//     renamed over the path, with the state it will have there and the temp
//     file's name. After a crash the temp file is either still there (never
//     installed) or gone (installed: renamed into place).
//
// The recovery rewrites the journal's base for such a path to what the
// transfer did, and reconcile then sees only the changes made since.
type pendingOp struct {
	Op    string       // "upload" | "download"
	Entry JournalEntry // the journal entry once done (remote fields: download only)
	Hash  string       // upload: hex SHA-256 of the bytes sent
	Temp  string       // download: the temp file's name in the path's folder
}

// begin records ops durably (with everything queued before them, in order).
func (j *Journal) begin(ops ...pendingOp) error {
	j.queue(func(tx *sql.Tx) error {
		for _, o := range ops {
			e := o.Entry
			if _, err := tx.Exec(`INSERT OR REPLACE INTO pending(path, op, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime, hash, temp) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)`,
				e.Path, o.Op, e.LSize, e.LMtime, int64(e.LInode), e.ETag, e.FileID, e.Perms, e.RSize, e.RMtime, o.Hash, o.Temp); err != nil {
				return err
			}
		}
		return nil
	})
	return j.Flush(context.Background())
}

func (j *Journal) pendingOps(ctx context.Context) ([]pendingOp, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT path, op, lsize, lmtime, linode, etag, fileid, perms, rsize, rmtime, hash, temp FROM pending`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingOp
	for rows.Next() {
		var o pendingOp
		var ino int64
		e := &o.Entry
		if err := rows.Scan(&e.Path, &o.Op, &e.LSize, &e.LMtime, &ino, &e.ETag, &e.FileID, &e.Perms, &e.RSize, &e.RMtime, &o.Hash, &o.Temp); err != nil {
			return nil, err
		}
		e.LInode = uint64(ino)
		out = append(out, o)
	}
	return out, rows.Err()
}

func (j *Journal) dropPending(p string) {
	j.queue(func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM pending WHERE path = ?`, p)
		return err
	})
}

func hashOf(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// beginUpload hashes the file about to be sent and records the upload.
func (x *executor) beginUpload(f *os.File, l LocalEntry) error {
	sum, err := hashOf(io.NewSectionReader(f, 0, l.Size))
	if err != nil {
		return err
	}
	return x.e.journal.begin(pendingOp{Op: "upload", Hash: sum,
		Entry: JournalEntry{Path: l.Path, LSize: l.Size, LMtime: l.Mtime, LInode: l.Inode, RSize: l.Size}})
}

// beginBulk records the files of one bulk upload in one transaction.
func (x *executor) beginBulk(files []BulkFile, ls []LocalEntry) error {
	ops := make([]pendingOp, len(files))
	for i, f := range files {
		sum := sha256.Sum256(f.Data)
		l := ls[i]
		ops[i] = pendingOp{Op: "upload", Hash: hex.EncodeToString(sum[:]),
			Entry: JournalEntry{Path: l.Path, LSize: l.Size, LMtime: l.Mtime, LInode: l.Inode, RSize: l.Size}}
	}
	return x.e.journal.begin(ops...)
}

// uploaded records a finished upload at once: until it is recorded, a
// change another client makes on top of it cannot be told from a conflict.
func (x *executor) uploaded(entries ...JournalEntry) {
	for _, e := range entries {
		x.e.journal.put(e)
	}
	x.e.journal.Flush(context.Background())
}

// beginInstall records a finished download just before t is renamed onto
// its path, if the path is still as the plan expects (absent when expect is
// nil): once the rename may have happened the record must exist, and a
// rename that is refused must not leave one behind.
func (x *executor) beginInstall(t *tempFile, expect *LocalEntry, r RemoteEntry) error {
	cur, ok, err := x.e.local.stat(t.rel)
	if err != nil {
		return err
	}
	if (expect == nil && ok) || (expect != nil && (!ok || !sameLocal(cur, *expect))) {
		return errLocalChanged
	}
	fi, err := os.Lstat(t.path)
	if err != nil {
		return err
	}
	l := localEntry(t.path, t.rel, fi)
	return x.e.journal.begin(pendingOp{Op: "download", Entry: entryOf(l, r), Temp: filepath.Base(t.path)})
}

// recoverDownloads runs before the scan (which removes leftover temp
// files): a download whose temp file is gone was renamed into place, so the
// journal's base for that path becomes what was installed.
func (e *Engine) recoverDownloads(ctx context.Context) error {
	return e.recover(ctx, "download", func(o pendingOp) (*JournalEntry, error) { return e.downloadDone(o) })
}

// recoverUploads runs once the server is listed: an upload whose bytes
// are what the server now has at that path was ours.
func (e *Engine) recoverUploads(ctx context.Context, caps Capabilities, R map[string]RemoteEntry, J map[string]JournalEntry) error {
	return e.recover(ctx, "upload", func(o pendingOp) (*JournalEntry, error) {
		done, err := e.uploadDone(ctx, caps, o, R[o.Entry.Path], J)
		if done != nil {
			J[done.Path] = *done
		}
		return done, err
	})
}

func (e *Engine) recover(ctx context.Context, op string, done func(pendingOp) (*JournalEntry, error)) error {
	ops, err := e.journal.pendingOps(ctx)
	if err != nil {
		return err
	}
	for _, o := range ops {
		if o.Op != op {
			continue
		}
		d, err := done(o)
		if err != nil {
			if isFatal(err) {
				return err
			}
			e.opt.Logf("after a crash, cannot tell whether the %s of %s finished (%v); comparing contents instead", o.Op, o.Entry.Path, err)
		}
		if d != nil {
			e.journal.put(*d)
		} else {
			e.journal.dropPending(o.Entry.Path)
		}
	}
	return e.journal.Flush(ctx)
}

func (e *Engine) downloadDone(o pendingOp) (*JournalEntry, error) {
	abs, err := e.local.abs(o.Entry.Path)
	if err != nil {
		return nil, err
	}
	tmp := filepath.Join(filepath.Dir(abs), o.Temp)
	if _, err := os.Lstat(tmp); err == nil {
		if !strings.HasPrefix(o.Temp, partialPrefix) { // a resumable one is kept for the next attempt
			os.Remove(tmp)
		}
		return nil, nil // never renamed into place
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	// A folder moved or deleted since takes the temp file with it: then
	// nothing says the rename happened.
	if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
		return nil, nil
	}
	done := o.Entry
	return &done, nil
}

func (e *Engine) uploadDone(ctx context.Context, caps Capabilities, o pendingOp, r RemoteEntry, J map[string]JournalEntry) (*JournalEntry, error) {
	if r.Path == "" || r.IsDir || r.Size != o.Entry.LSize {
		return nil, nil
	}
	if j, ok := J[r.Path]; ok && !j.IsDir && j.ETag == r.ETag {
		return nil, nil // the server still has the version recorded before
	}
	if caps.SetsMtime && !r.ModTime.IsZero() && r.ModTime.Unix() != o.Entry.LMtime/1e9 {
		return nil, nil // our upload sets the mtime; this one has another
	}
	h := sha256.New()
	got, err := e.remote.Get(ctx, r.Path, h)
	if err != nil {
		return nil, err
	}
	if NormETag(got.ETag) != "" && NormETag(got.ETag) != r.ETag {
		return nil, nil // changed again since the listing: the next pass looks again
	}
	if hex.EncodeToString(h.Sum(nil)) != o.Hash {
		return nil, nil
	}
	done := JournalEntry{Path: r.Path, LSize: o.Entry.LSize, LMtime: o.Entry.LMtime, LInode: o.Entry.LInode,
		ETag: r.ETag, FileID: r.FileID, Perms: r.Perms, RSize: r.Size, RMtime: r.ModTime.Unix()}
	return &done, nil
}
