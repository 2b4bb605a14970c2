package mailcache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Local actions change the cache at once and are queued for the server
// (table actions, replayed in id order by replay.go). Each action records the
// message's folder, UID, UIDVALIDITY and Message-ID when it was taken, so it
// can still find the message after a UIDVALIDITY change or an earlier move.

type msgRef struct {
	id, folderID int64
	folder       string
	special      string
	uid          int64
	uidvalidity  int64
	messageID    string
	subject      string
}

func loadRef(ctx context.Context, tx *sql.Tx, id int64) (msgRef, error) {
	r := msgRef{id: id}
	err := tx.QueryRowContext(ctx, `SELECT m.folder_id, f.name, f.special, m.uid, f.uidvalidity, m.message_id, m.subject
		FROM messages m JOIN folders f ON f.id=m.folder_id WHERE m.id=?`, id).
		Scan(&r.folderID, &r.folder, &r.special, &r.uid, &r.uidvalidity, &r.messageID, &r.subject)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

func queue(ctx context.Context, tx *sql.Tx, r msgRef, kind, arg string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO actions(message, kind, folder, uid, uidvalidity, message_id, arg, created) VALUES(?,?,?,?,?,?,?,?)`,
		r.id, kind, r.folder, r.uid, r.uidvalidity, r.messageID, arg, now())
	return err
}

// SetSeen marks a message read or unread.
func (c *Cache) SetSeen(ctx context.Context, id int64, seen bool) error {
	kind := map[bool]string{true: "seen", false: "unseen"}[seen]
	return c.flagAction(ctx, id, "seen", seen, kind)
}

// SetFlagged flags or unflags a message.
func (c *Cache) SetFlagged(ctx context.Context, id int64, flagged bool) error {
	kind := map[bool]string{true: "flag", false: "unflag"}[flagged]
	return c.flagAction(ctx, id, "flagged", flagged, kind)
}

func (c *Cache) flagAction(ctx context.Context, id int64, col string, on bool, kind string) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error { return setFlagTx(ctx, tx, id, col, on, kind) })
}

func setFlagTx(ctx context.Context, tx *sql.Tx, id int64, col string, on bool, kind string) error {
	r, err := loadRef(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET `+col+`=? WHERE id=?`, on, id); err != nil {
		return err
	}
	return queue(ctx, tx, r, kind, "")
}

// Move files a message into another folder.
func (c *Cache) Move(ctx context.Context, id int64, dest string) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := loadRef(ctx, tx, id)
		if err != nil {
			return err
		}
		return moveLocal(ctx, tx, r, dest)
	})
}

func moveLocal(ctx context.Context, tx *sql.Tx, r msgRef, dest string) error {
	if dest == r.folder {
		return nil
	}
	var destID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM folders WHERE name=?`, dest).Scan(&destID); err != nil {
		return fmt.Errorf("mail cache: there is no folder %q (pick one from the folder list)", dest)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET folder_id=?, uid=0 WHERE id=?`, destID, r.id); err != nil {
		return err
	}
	return queue(ctx, tx, r, "move", dest)
}

// Delete moves a message to the trash, or deletes it for good when it is
// in the trash already (or there is no trash folder).
func (c *Cache) Delete(ctx context.Context, id int64) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := loadRef(ctx, tx, id)
		if err != nil {
			return err
		}
		var trash string
		tx.QueryRowContext(ctx, `SELECT name FROM folders WHERE special='\Trash' ORDER BY id LIMIT 1`).Scan(&trash)
		if trash != "" && r.folder != trash {
			return moveLocal(ctx, tx, r, trash)
		}
		if err := queue(ctx, tx, r, "expunge", ""); err != nil {
			return err
		}
		return c.deleteMessage(ctx, tx, id)
	})
}

// Dropped is an action that could not be applied on the server.
type Dropped struct {
	Kind    string `json:"kind"`
	Folder  string `json:"folder"`
	Subject string `json:"subject"`
	Reason  string `json:"reason"`
	At      int64  `json:"at"`
}

// DroppedActions lists actions dropped because their message was gone.
func (c *Cache) DroppedActions(ctx context.Context) ([]Dropped, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT kind, folder, subject, reason, at FROM dropped_actions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Dropped{}
	for rows.Next() {
		var d Dropped
		if err := rows.Scan(&d.Kind, &d.Folder, &d.Subject, &d.Reason, &d.At); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClearDropped forgets the dropped actions once the user has seen them.
func (c *Cache) ClearDropped(ctx context.Context) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM dropped_actions`)
	return err
}
