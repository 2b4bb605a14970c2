package filesync

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/store"
)

// Activity is one completed change, kept in the journal across restarts.
type Activity struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"` // uploaded, downloaded, moved-here, moved-server, deleted-here, deleted-server, conflict
	Path string `json:"path"`
	// To is the new path of a move.
	To   string    `json:"to"`
	Size int64     `json:"size"`
	At   time.Time `json:"at"`
}

// ActivityKeep is how many changes the journal keeps.
const ActivityKeep = 500

// The activity table has its own schema name, so that it migrates apart
// from the journal's own tables (whose versions other changes count up).
var activityMigrations = []store.Migration{{Version: 1, SQL: `
CREATE TABLE activity(id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, path TEXT NOT NULL, dest TEXT NOT NULL, size INTEGER NOT NULL, at INTEGER NOT NULL);
`}}

var activityReady sync.Map // *Journal -> error

func (j *Journal) ensureActivity(ctx context.Context) error {
	if v, ok := activityReady.Load(j); ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := j.db.Migrate(ctx, "filesync.activity", activityMigrations)
	if err == nil {
		activityReady.Store(j, nil)
	}
	return err
}

func activityKind(a action) string {
	switch a.op {
	case opUpload:
		return "uploaded"
	case opDownload:
		return "downloaded"
	case opMoveLocal:
		return "moved-server"
	case opMoveRemote:
		return "moved-here"
	case opDeleteRemote, opDeleteRemoteDir:
		return "deleted-here"
	case opDeleteLocal, opDeleteLocalDir:
		return "deleted-server"
	case opConflict, opTypeClash:
		return "conflict"
	}
	return ""
}

// noteActivity queues a completed action with the journal's other writes
// of it, so both survive or neither.
func (j *Journal) noteActivity(ctx context.Context, a action, at time.Time) {
	kind := activityKind(a)
	if kind == "" || j.ensureActivity(ctx) != nil {
		return
	}
	var size int64
	if a.l != nil {
		size = a.l.Size
	}
	if a.r != nil && (a.op == opDownload || a.op == opConflict) {
		size = a.r.Size
	}
	j.queue(func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO activity(kind, path, dest, size, at) VALUES(?,?,?,?,?)`, kind, a.path, a.to, size, at.UnixMilli())
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		_, err = tx.Exec(`DELETE FROM activity WHERE id <= ?`, id-ActivityKeep)
		return err
	})
}

// Activity returns the last changes, newest first.
func (j *Journal) Activity(ctx context.Context, limit int) ([]Activity, error) {
	if err := j.ensureActivity(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > ActivityKeep {
		limit = ActivityKeep
	}
	rows, err := j.db.QueryContext(ctx, `SELECT id, kind, path, dest, size, at FROM activity ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Activity{}
	for rows.Next() {
		var a Activity
		var at int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Path, &a.To, &a.Size, &at); err != nil {
			return nil, err
		}
		a.At = time.UnixMilli(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
