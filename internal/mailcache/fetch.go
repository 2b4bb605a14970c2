package mailcache

import (
	"context"
	"database/sql"
	"io"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Batches of new messages are committed together: fewer fsyncs, and an
// interrupted sync keeps every batch it finished.
var (
	batchMessages = 2000
	batchBytes    = 64 << 20
	firstBatch    = 200
)

// fetchNew fetches the messages with the given UIDs: whole messages when the
// policy keeps their body offline, skeletons of larger ones (skeleton.go),
// the envelope otherwise. Reading from the server and writing to the
// database run side by side.
func (c *Cache) fetchNew(ctx context.Context, cl *imapclient.Client, folder string, folderID int64, uids []imap.UID, condstore, adopt bool) (int, error) {
	withBody, skeletons, headersOnly, err := c.splitByPolicy(ctx, cl, uids)
	if err != nil {
		return 0, err
	}
	total := 0
	prog := &fetchProgress{folder: folder, total: len(uids)}
	if len(headersOnly) > 0 {
		fo := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, Envelope: true, ModSeq: condstore}
		n, err := c.fetchInto(ctx, cl, folderID, imap.UIDSetNum(headersOnly...), fo, false, adopt, prog)
		total += n
		if err != nil {
			return total, err
		}
	}
	if len(withBody) > 0 {
		sec := &imap.FetchItemBodySection{Peek: true}
		fo := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: condstore,
			BodySection: []*imap.FetchItemBodySection{sec}}
		n, err := c.fetchInto(ctx, cl, folderID, imap.UIDSetNum(withBody...), fo, true, adopt, prog)
		total += n
		if err != nil {
			return total, err
		}
	}
	if len(skeletons) > 0 {
		n, err := c.fetchSkeletons(ctx, cl, folderID, skeletons, condstore, adopt, prog)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// byUID puts a batch back in the server's order (the parse workers finish
// out of order): row ids then follow UIDs, and messages with the same
// date list newest first.
func byUID(b []*ingest) []*ingest {
	sort.Slice(b, func(i, j int) bool { return b[i].m.UID < b[j].m.UID })
	return b
}

// fetchProgress counts the messages of one folder's fetch for Status.
type fetchProgress struct {
	folder      string
	done, total int
}

// splitByPolicy: of messages newer than BodyDays, those up to
// Policy.wholeBytes are fetched whole (one FETCH for all), larger ones as
// skeletons without their large attachments; older ones get headers only.
// The server answers with UID SEARCH (ESEARCH ranges: a few bytes) rather
// than a FETCH of every message's size and date (1.5 MB for 22,000
// messages: seconds on a slow line). BEFORE compares whole days, so the
// day on the limit counts as new.
func (c *Cache) splitByPolicy(ctx context.Context, cl *imapclient.Client, uids []imap.UID) (body, skel, head []imap.UID, err error) {
	set := imap.UIDSetNum(uids...)
	search := func(crit *imap.SearchCriteria) (map[imap.UID]bool, error) {
		crit.UID = []imap.UIDSet{set}
		sd, err := cl.UIDSearch(crit, &imap.SearchOptions{ReturnAll: cl.Caps().Has(imap.CapESearch)}).Wait()
		if err != nil {
			return nil, err
		}
		found := map[imap.UID]bool{}
		if all, ok := sd.All.(imap.UIDSet); ok {
			nums, _ := all.Nums()
			for _, u := range nums {
				found[u] = true
			}
		}
		return found, nil
	}
	old := map[imap.UID]bool{}
	if c.policy.BodyDays > 0 {
		since := time.Now().AddDate(0, 0, -c.policy.BodyDays)
		if old, err = search(&imap.SearchCriteria{Before: since}); err != nil {
			return nil, nil, nil, err
		}
	}
	large, err := search(&imap.SearchCriteria{Larger: c.policy.wholeBytes()})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, u := range uids {
		switch {
		case old[u]:
			head = append(head, u)
		case large[u]:
			skel = append(skel, u)
		default:
			body = append(body, u)
		}
	}
	return body, skel, head, nil
}

// fetchInto streams one UID FETCH: a reader goroutine takes messages off
// the connection, parse workers parse them and write their bodies, and
// this goroutine commits them in batches. Only committed batches count: an
// interrupted fetch resumes from what the database holds.
func (c *Cache) fetchInto(ctx context.Context, cl *imapclient.Client, folderID int64, set imap.UIDSet, fo *imap.FetchOptions, withBody, adopt bool, prog *fetchProgress) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := cl.Fetch(set, fo)
	fetched := make(chan *serverMsg, 16)
	readErr := make(chan error, 1)
	go func() {
		defer close(fetched)
		for {
			md := cmd.Next()
			if md == nil {
				break
			}
			m, err := readFetched(md, withBody)
			if err != nil {
				// A message could not be read off the connection: it is
				// broken. Close it rather than the command (whose Close would
				// read on beside go-imap's own reader: a data race in
				// go-imap v2 beta.8); the sync ends with this error.
				cl.Close()
				readErr <- err
				return
			}
			select {
			case fetched <- m:
			case <-ctx.Done():
				cmd.Close()
				readErr <- ctx.Err()
				return
			}
		}
		readErr <- cmd.Close()
	}()

	prepared := make(chan *ingest, 16)
	var prepErr error
	var prepOnce sync.Once
	var wg sync.WaitGroup
	workers := min(max(runtime.NumCPU(), 1), 4)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range fetched {
				in, err := c.prepare(m)
				if err != nil {
					prepOnce.Do(func() { prepErr = err; cancel() })
					continue
				}
				putRaw(m.Raw) // stored in its pack and parsed: reuse it
				m.Raw = nil
				select {
				case prepared <- in:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() { wg.Wait(); close(prepared) }()

	// Batches are committed by their own goroutine while the next one is
	// collected: the parse workers and the reader keep going during a
	// commit instead of waiting for it (one batch waits at most).
	batches := make(chan []*ingest, 1)
	var n int
	var werr error
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		for batch := range batches {
			if werr != nil {
				continue
			}
			werr = c.db.Tx(ctx, func(tx *sql.Tx) error {
				// Checkpoint the WAL every 64 MB instead of every 4 MB: each
				// checkpoint fsyncs, and a bulk fetch would otherwise spend
				// seconds waiting for the disk.
				if _, err := tx.ExecContext(ctx, `PRAGMA wal_autocheckpoint=16384`); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `PRAGMA cache_size=-16384`); err != nil {
					return err
				}
				return c.storeBatch(ctx, tx, folderID, batch, adopt)
			})
			if werr != nil {
				cancel()
			} else {
				n += len(batch)
				c.crashPoint("fetch-batch")
			}
		}
	}()
	var batch []*ingest
	size := 0
	// The first batch is small, so a first sync shows mail within a second.
	limit := min(batchMessages, firstBatch)
	for in := range prepared {
		batch = append(batch, in)
		size += int(in.loc.Len)
		prog.done++
		c.progress(prog.folder, prog.done, prog.total)
		if len(batch) >= limit || size >= batchBytes {
			batches <- byUID(batch)
			batch, size, limit = nil, 0, batchMessages
		}
	}
	if len(batch) > 0 {
		batches <- byUID(batch)
	}
	close(batches)
	<-committed
	rerr := <-readErr
	switch {
	case werr != nil:
		return n, werr
	case prepErr != nil:
		return n, prepErr
	case rerr != nil:
		return n, rerr
	}
	return n, nil
}

// Message buffers are reused: allocating (and zeroing) a fresh one per
// message, and the runtime handing the memory back to the system, took a
// fifth of a first sync's CPU time. Free lists per power-of-two size class
// from 64 KB to 8 MB, each holding a few buffers (at most about 45 MB in
// all, less in practice: only as many as are in flight between the reader
// and the parse workers); larger messages get a buffer of their own. Free
// lists rather than a sync.Pool, which every garbage collection empties.
const (
	minRawClass  = 16 // 64 KB
	maxRawClass  = 23 // 8 MB
	rawsPerClass = 24
)

var rawFree = func() (f [maxRawClass + 1]chan []byte) {
	for c := minRawClass; c <= maxRawClass; c++ {
		n := rawsPerClass
		switch {
		case c > 20:
			n = 2 // 2 MB and more: few messages, kept few
		case c > 18:
			n = 4
		}
		f[c] = make(chan []byte, n)
	}
	return
}()

func rawClass(n int) int {
	c := minRawClass
	for 1<<c < n {
		c++
	}
	return c
}

func getRaw(n int) []byte {
	c := rawClass(n)
	if c > maxRawClass {
		return make([]byte, n)
	}
	select {
	case b := <-rawFree[c]:
		return b[:n]
	default:
		return make([]byte, n, 1<<c)
	}
}

// dropRaws empties the free lists (after a sync: the app runs on for days).
func dropRaws() {
	for c := minRawClass; c <= maxRawClass; c++ {
		for len(rawFree[c]) > 0 {
			select {
			case <-rawFree[c]:
			default:
			}
		}
	}
}

func putRaw(b []byte) {
	c := rawClass(cap(b))
	if c > maxRawClass || cap(b) != 1<<c {
		return
	}
	select {
	case rawFree[c] <- b[:0]:
	default:
	}
}

// readFetched reads one message's items, the body straight into a buffer
// of the size the server announced.
func readFetched(md *imapclient.FetchMessageData, withBody bool) (*serverMsg, error) {
	m := &serverMsg{}
	for {
		item := md.Next()
		if item == nil {
			break
		}
		switch it := item.(type) {
		case imapclient.FetchItemDataUID:
			m.UID = uint32(it.UID)
		case imapclient.FetchItemDataFlags:
			m.Flags = flagStrings(it.Flags)
		case imapclient.FetchItemDataModSeq:
			m.ModSeq = it.ModSeq
		case imapclient.FetchItemDataRFC822Size:
			m.Size = it.Size
		case imapclient.FetchItemDataInternalDate:
			m.InternalDate = it.Time
		case imapclient.FetchItemDataEnvelope:
			m.Env = fromEnvelope(it.Envelope)
		case imapclient.FetchItemDataBodySection:
			if it.Literal == nil {
				m.Raw = []byte{}
				continue
			}
			buf := getRaw(int(it.Literal.Size()))
			if _, err := io.ReadFull(it.Literal, buf); err != nil {
				putRaw(buf)
				return nil, err
			}
			m.Raw = buf
		}
	}
	if withBody && m.Raw == nil {
		m.Raw = []byte{}
	}
	return m, nil
}

// FetchBody downloads one message's body on demand (for messages outside
// the offline policy) and caches it.
func (c *Cache) FetchBody(ctx context.Context, a Account, id int64) ([]byte, error) {
	if b, err := c.Raw(ctx, id); err == nil {
		return b, nil
	}
	var folder string
	var uid int64
	if err := c.db.QueryRowContext(ctx, `SELECT f.name, m.uid FROM messages m JOIN folders f ON f.id=m.folder_id WHERE m.id=?`, id).Scan(&folder, &uid); err != nil {
		return nil, ErrNotFound
	}
	if uid == 0 {
		return nil, ErrNotCached
	}
	cl, done, err := c.onDemandConn(ctx, a)
	if err != nil {
		return nil, err
	}
	defer done()
	if _, err := cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := cl.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, ErrNotFound
	}
	raw := msgs[0].FindBodySection(sec)
	in, err := c.prepare(&serverMsg{Raw: raw})
	if err != nil {
		return nil, err
	}
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET size=? WHERE id=?`, len(raw), id); err != nil {
			return err
		}
		return c.attachBody(ctx, tx, id, in)
	})
	return raw, err
}
