package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Backfill: when the policy wants more bodies than a folder holds (BodyDays
// was raised, or a folder's first sync found messages in range with headers
// only), the folder's next sync downloads the bodies of its messages dated
// within the last BodyDays days that have headers only, newest first. Each
// batch commits its bodies together with the position reached, so an
// interrupted backfill continues where it stopped, and one sync does at most
// backfillPerSync messages of a folder: the next one goes on.
//
// Lowering BodyDays deletes nothing: the bodies already cached stay
// readable and searchable; the policy only decides what is downloaded.
//
// The backfill goes by the date the list shows (the Date header), the first
// fetch of new mail by the server's internal date; a message whose two
// dates disagree may get its body here.
//
// Per folder, meta "backfill:<folder id>" holds "<days>": the folder has
// the bodies of its last <days> days (allDays: of all its mail), or
// "<days> <date> <id>": a backfill for more is under way and has handled
// every message before (date, id), newest first. No entry: nothing is known
// (a folder's first sync, a cache from before backfills): one backfill runs.

var (
	backfillBatch   = 100             // messages per transaction
	backfillBytes   = int64(32 << 20) // bytes fetched whole per transaction
	backfillPerSync = 2000            // messages per folder and sync
)

// allDays stands for Policy.BodyDays < 0 (every body).
const allDays = math.MaxInt32

// backfillState is a folder's meta entry.
type backfillState struct {
	days     int  // the folder has the bodies of its last days days; 0: unknown
	scanning bool // a backfill is under way, at (date, id)
	date, id int64
}

func backfillKey(folderID int64) string { return "backfill:" + strconv.FormatInt(folderID, 10) }

func (s backfillState) String() string {
	if !s.scanning {
		return strconv.Itoa(s.days)
	}
	return fmt.Sprintf("%d %d %d", s.days, s.date, s.id)
}

// loadBackfill reads a folder's state; a missing or unreadable entry is
// the zero state (unknown: one backfill runs).
func (c *Cache) loadBackfill(ctx context.Context, folderID int64) backfillState {
	var s backfillState
	v := c.meta(ctx, backfillKey(folderID))
	if n, _ := fmt.Sscan(v, &s.days, &s.date, &s.id); n == 3 {
		s.scanning = true
	} else if n != 1 {
		return backfillState{}
	}
	return s
}

func (c *Cache) saveBackfill(ctx context.Context, folderID int64, s backfillState) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error { return c.setMeta(ctx, tx, backfillKey(folderID), s.String()) })
}

// wantedDays is the policy's BodyDays, allDays for every body.
func (c *Cache) wantedDays() int {
	if c.policy.BodyDays < 0 {
		return allDays
	}
	return c.policy.BodyDays
}

// bodySince is the oldest date (Unix seconds) whose bodies the policy keeps.
func (c *Cache) bodySince() int64 {
	if c.policy.BodyDays < 0 {
		return math.MinInt64
	}
	return time.Now().AddDate(0, 0, -c.policy.BodyDays).Unix()
}

// backfillDue: the folder lacks bodies the policy wants, so the sync pulls
// it even when the server reports no change. One meta read: a sync without
// changes stays cheap.
func (c *Cache) backfillDue(ctx context.Context, folderID int64) bool {
	return c.loadBackfill(ctx, folderID).days < c.wantedDays()
}

// backfillRow is a message that has headers only.
type backfillRow struct {
	id         int64
	uid        imap.UID
	size, date int64
}

// backfill fetches, for the selected folder, the bodies the policy wants and
// the folder lacks (see the top of this file); the count goes to res.Bodies.
func (c *Cache) backfill(ctx context.Context, cl *imapclient.Client, folder string, folderID int64, res *SyncResult) error {
	st := c.loadBackfill(ctx, folderID)
	want := c.wantedDays()
	if st.days >= want {
		if st.days > want || st.scanning {
			// Lowered: remember it, so that raising it again looks for
			// messages that arrived meanwhile with headers only.
			return c.saveBackfill(ctx, folderID, backfillState{days: want})
		}
		return nil
	}
	since := c.bodySince()
	total, err := c.countBackfill(ctx, folderID, since, st)
	if err != nil {
		return err
	}
	total = min(total, backfillPerSync)
	for done := 0; done < total; {
		rows, err := c.backfillRows(ctx, folderID, since, st, min(backfillBatch, total-done))
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			break
		}
		last := rows[len(rows)-1]
		st.scanning, st.date, st.id = true, last.date, last.id
		n, err := c.backfillBatch(ctx, cl, folderID, rows, st)
		res.Bodies += n
		if err != nil {
			return err
		}
		done += len(rows)
		c.progress(folder, done, total)
		c.crashPoint("backfill-batch")
	}
	if total == backfillPerSync {
		if more, err := c.countBackfill(ctx, folderID, since, st); err != nil || more > 0 {
			return err // the next sync goes on from st
		}
	}
	return c.saveBackfill(ctx, folderID, backfillState{days: want})
}

// The messages a backfill looks at: headers only, dated since the policy's
// start, before the position reached, newest first.
const backfillWhere = `folder_id=? AND uid>0 AND body_state=0 AND date>=? AND (date, id)<(?, ?)`

func backfillArgs(folderID, since int64, st backfillState) []any {
	if !st.scanning {
		return []any{folderID, since, int64(math.MaxInt64), int64(math.MaxInt64)}
	}
	return []any{folderID, since, st.date, st.id}
}

func (c *Cache) countBackfill(ctx context.Context, folderID, since int64, st backfillState) (int, error) {
	var n int
	err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE `+backfillWhere, backfillArgs(folderID, since, st)...).Scan(&n)
	return n, err
}

// backfillRows returns the next batch: at most limit messages, and of those
// fetched whole at most backfillBytes (always one).
func (c *Cache) backfillRows(ctx context.Context, folderID, since int64, st backfillState, limit int) ([]backfillRow, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, uid, size, date FROM messages WHERE `+backfillWhere+`
		ORDER BY date DESC, id DESC LIMIT ?`, append(backfillArgs(folderID, since, st), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backfillRow
	fetched := int64(0)
	for rows.Next() {
		var r backfillRow
		if err := rows.Scan(&r.id, &r.uid, &r.size, &r.date); err != nil {
			return nil, err
		}
		fetched += min(r.size, c.policy.wholeBytes())
		if len(out) > 0 && fetched > backfillBytes {
			break
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// backfillBatch fetches the bodies of rows and stores them, and the position
// st, in one transaction. It returns how many bodies it stored.
func (c *Cache) backfillBatch(ctx context.Context, cl *imapclient.Client, folderID int64, rows []backfillRow, st backfillState) (int, error) {
	bodies, err := c.fetchBodies(ctx, cl, rows)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			in := bodies[r.uid]
			if in == nil {
				continue // gone from the server, or not storable part by part: opened on demand
			}
			// Moved, deleted or opened (FetchBody) since it was read: leave it.
			var unchanged bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages WHERE id=? AND folder_id=? AND uid=? AND body_state=?)`,
				r.id, folderID, r.uid, bodyNone).Scan(&unchanged); err != nil {
				return err
			}
			if !unchanged {
				continue
			}
			if err := c.attachBody(ctx, tx, r.id, in); err != nil {
				return err
			}
			n++
		}
		return c.setMeta(ctx, tx, backfillKey(folderID), st.String())
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// fetchBodies fetches the rows' bodies by UID from the selected folder, as
// the first fetch of new mail would: whole up to Policy.wholeBytes, larger
// ones as skeletons (skeleton.go).
func (c *Cache) fetchBodies(ctx context.Context, cl *imapclient.Client, rows []backfillRow) (map[imap.UID]*ingest, error) {
	var whole, large []imap.UID
	for _, r := range rows {
		if r.size <= c.policy.wholeBytes() {
			whole = append(whole, r.uid)
		} else {
			large = append(large, r.uid)
		}
	}
	out := map[imap.UID]*ingest{}
	if len(whole) > 0 {
		if err := c.fetchWholeBodies(cl, whole, out); err != nil {
			return nil, err
		}
	}
	if len(large) > 0 {
		if err := c.fetchSkeletonBodies(ctx, cl, large, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fetchWholeBodies streams one UID FETCH of whole messages, storing each
// raw message in its pack as it arrives.
func (c *Cache) fetchWholeBodies(cl *imapclient.Client, uids []imap.UID, out map[imap.UID]*ingest) error {
	cmd := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
	for {
		md := cmd.Next()
		if md == nil {
			break
		}
		m, err := readFetched(md, false)
		if err != nil {
			cl.Close() // the connection is broken (see fetchInto)
			return err
		}
		if len(m.Raw) == 0 {
			continue
		}
		in, err := c.prepare(m)
		putRaw(m.Raw) // stored in its pack and parsed
		m.Raw = nil
		if err != nil {
			cmd.Close()
			return err
		}
		out[imap.UID(m.UID)] = in
	}
	return cmd.Close()
}

// fetchSkeletonBodies fetches messages larger than Policy.wholeBytes as
// skeletons; one the server cannot give part by part keeps its headers only.
func (c *Cache) fetchSkeletonBodies(ctx context.Context, cl *imapclient.Client, uids []imap.UID, out map[imap.UID]*ingest) error {
	return c.eachSkeleton(ctx, cl, uids, &imap.FetchOptions{UID: true}, func(md *imapclient.FetchMessageBuffer, raw []byte) error {
		if raw == nil {
			return nil
		}
		in, err := c.prepare(&serverMsg{UID: uint32(md.UID), Raw: raw, Skeleton: true})
		if err != nil {
			return err
		}
		out[md.UID] = in
		return nil
	})
}
