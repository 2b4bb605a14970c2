package filesync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// download fetches a.path into a temp file beside it, fsyncs it and renames
// it into place, only if the local file is still as planned. For a conflict
// it first compares: equal contents are no conflict; different ones keep
// the local edit under a conflict name.
func (x *executor) download(ctx context.Context, a action) error {
	var t *tempFile
	var got RemoteEntry
	var err error
	var off int64
	rg, resumable := x.e.remote.(RangeGetter)
	resumable = resumable && a.r.Size >= ResumeAbove && a.r.ETag != ""
	if resumable {
		// A cut connection leaves what arrived; the next attempt (retry,
		// or the next run within a day) asks only for the rest.
		if t, off, err = x.e.local.openPartial(a.path, a.r.ETag); err != nil {
			return err
		}
		x.prog.add(off)
	} else if t, err = x.e.local.createTemp(a.path); err != nil {
		return err
	}
	cw := &countingWriter{w: t, p: x.prog, lm: x.e.limiter, n: off, f: x.e.live.transfer(a.path, a.r.Size, off)}
	if resumable {
		got, err = rg.GetFrom(ctx, a.path, off, a.r.ETag, cw)
	} else {
		got, err = x.e.remote.Get(ctx, a.path, cw)
	}
	if err != nil {
		x.prog.add(-cw.n)
		if resumable && (isTemporary(err) || errors.Is(err, ErrStalled)) && !isNoSpace(err) {
			t.keep()
		} else {
			t.discard()
		}
		return err
	}
	hit("download-written")
	r := *a.r
	if e := NormETag(got.ETag); e != "" {
		r.ETag = e
	}
	if got.FileID != "" {
		r.FileID = got.FileID
	}
	r.Size = cw.n
	if err := t.finish(r.ModTime); err != nil {
		t.discard()
		return err
	}
	hit("download-synced")
	j := x.e.journal
	if a.op == opConflict {
		same, err := t.sameContent(a.path)
		if err != nil {
			t.discard()
			return err
		}
		if same {
			t.discard()
			l, ok, err := x.e.local.stat(a.path)
			if err != nil || !ok {
				return errLocalChanged
			}
			j.put(entryOf(l, r))
			x.prog.fileDone(a.path)
			return nil
		}
		now := x.e.now()
		c, err := x.setAside(a.path, now)
		if err != nil {
			t.discard()
			return fmt.Errorf("cannot set the local version aside as %s: %w", c, err)
		}
		hit("conflict-renamed")
		j.addConflict(Conflict{Copy: c, Original: a.path, At: now})
		x.madeHere(c)
		x.count(func(r *Result) { r.Conflicts++ })
		x.setChanged()
		if err := x.beginInstall(t, nil, r); err != nil {
			t.discard()
			return err
		}
		l, err := t.install(nil)
		if err != nil {
			return err
		}
		j.put(entryOf(l, r))
		x.prog.fileDone(a.path)
		return nil
	}
	if err := x.beginInstall(t, a.l, r); err != nil {
		t.discard()
		return err
	}
	l, err := t.install(a.l)
	if err != nil {
		return err
	}
	j.put(entryOf(l, r))
	x.count(func(res *Result) { res.Downloaded++; res.BytesDown += r.Size })
	x.prog.fileDone(a.path)
	return nil
}

// upload sends a file with a precondition: If-Match the ETag the plan saw,
// or If-None-Match for a new file, so a server change is never overwritten.
func (x *executor) upload(ctx context.Context, a action) error {
	f, l, err := x.e.local.open(a.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if !sameLocal(l, *a.l) {
		return errLocalChanged
	}
	if err := x.beginUpload(f, l); err != nil {
		return err
	}
	cr := &countingReader{r: f, p: x.prog, lm: x.e.limiter, f: x.e.live.transfer(a.path, l.Size, 0)}
	mtime := time.Unix(0, l.Mtime)
	r, err := x.e.remote.Put(ctx, a.path, cr, l.Size, mtime, a.ifMatch, a.ifNoneMatch)
	if err != nil {
		return err
	}
	hit("uploaded")
	x.setChanged()
	if r.ETag == "" {
		if r, err = x.e.remote.Stat(ctx, a.path); err != nil {
			return err
		}
	}
	r.Size = l.Size
	if r.ModTime.IsZero() {
		r.ModTime = mtime
	}
	// A file changed during the upload keeps its old local state in the
	// journal, so the next pass uploads it again.
	x.uploaded(entryOf(l, r))
	x.count(func(res *Result) { res.Uploaded++; res.BytesUp += l.Size })
	x.prog.fileDone(a.path)
	return nil
}

func (x *executor) uploadBulk(ctx context.Context, batch []action) {
	bu := x.e.remote.(BulkUploader)
	var files []BulkFile
	var ls []LocalEntry
	var sent []action
	for _, a := range batch {
		f, l, err := x.e.local.open(a.path)
		if err != nil {
			x.fail(a, err)
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, x.e.opt.BulkMax+1))
		f.Close()
		if err != nil {
			x.fail(a, err)
			continue
		}
		if !sameLocal(l, *a.l) || int64(len(data)) != l.Size {
			x.fail(a, errLocalChanged)
			continue
		}
		files = append(files, BulkFile{Path: a.path, Data: data, Mtime: time.Unix(0, l.Mtime)})
		ls = append(ls, l)
		sent = append(sent, a)
	}
	if len(files) == 0 {
		return
	}
	var n int64
	for _, f := range files {
		n += int64(len(f.Data))
	}
	if err := x.beginBulk(files, ls); err != nil {
		for _, a := range sent {
			x.fail(a, err)
		}
		return
	}
	x.e.limiter.wait(int(n))
	res, errs := bu.PutBulk(ctx, files)
	hit("uploaded-bulk")
	x.setChanged()
	var done []JournalEntry
	var again []action
	for i, a := range sent {
		if i < len(errs) && errs[i] == nil && i < len(res) {
			r := res[i]
			if r.ETag == "" {
				var err error
				if r, err = x.e.remote.Stat(ctx, a.path); err != nil {
					x.fail(a, err)
					continue
				}
			}
			r.Size = ls[i].Size
			if r.ModTime.IsZero() {
				r.ModTime = files[i].Mtime
			}
			done = append(done, entryOf(ls[i], r))
			x.prog.add(ls[i].Size)
			x.count(func(res *Result) { res.Uploaded++; res.BytesUp += ls[i].Size })
			x.prog.fileDone(a.path)
			x.e.stepDone(a, nil)
			continue
		}
		again = append(again, a)
	}
	x.uploaded(done...)
	// Fall back to a single conditional upload.
	for _, a := range again {
		a.ifNoneMatch = true
		err := retry(ctx, func() error { return x.upload(ctx, a) })
		x.e.stepDone(a, err)
		if err != nil {
			x.fail(a, err)
		}
	}
}
