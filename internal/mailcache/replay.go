package mailcache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

type action struct {
	id, message      int64
	kind, folder     string
	uid, uidvalidity int64
	messageID, arg   string
}

// replay applies queued actions in order. Each is removed from the queue
// only after the server confirmed it, so a crash replays it again; every
// action is idempotent (flag stores are, and a move or delete whose message
// is already where it should be counts as done).
func (c *Cache) replay(ctx context.Context, cl *imapclient.Client) (int, error) {
	done := 0
	selected := ""
	var sel *imap.SelectData
	for {
		var a action
		err := c.db.QueryRowContext(ctx, `SELECT id, message, kind, folder, uid, uidvalidity, message_id, arg FROM actions ORDER BY id LIMIT 1`).
			Scan(&a.id, &a.message, &a.kind, &a.folder, &a.uid, &a.uidvalidity, &a.messageID, &a.arg)
		if errors.Is(err, sql.ErrNoRows) {
			return done, nil
		}
		if err != nil {
			return done, err
		}
		if selected != a.folder {
			sel, err = cl.Select(a.folder, nil).Wait()
			if err != nil {
				if isConnErr(err) {
					return done, err
				}
				if err := c.drop(ctx, a, fmt.Sprintf("the folder %s no longer exists on the server", a.folder)); err != nil {
					return done, err
				}
				selected = ""
				continue
			}
			selected = a.folder
		}
		reason, err := c.apply(ctx, cl, sel, a)
		if err != nil {
			if isConnErr(err) {
				return done, err
			}
			reason = "the server refused it: " + err.Error()
		}
		c.crashPoint("replay-applied")
		if reason != "" {
			err = c.drop(ctx, a, reason)
		} else {
			err = c.db.Tx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE id=?`, a.id)
				return err
			})
		}
		if err != nil {
			return done, err
		}
		done++
		c.crashPoint("replay-committed")
	}
}

// apply performs one action; a non-empty reason means it cannot be applied.
func (c *Cache) apply(ctx context.Context, cl *imapclient.Client, sel *imap.SelectData, a action) (string, error) {
	uid, err := resolveUID(cl, sel, a)
	if err != nil {
		return "", err
	}
	if uid == 0 {
		if a.kind == "expunge" {
			return "", nil // already gone: that is what was wanted
		}
		if a.kind == "move" && a.messageID != "" {
			// done before a crash? then it is in the destination already
			found, err := inFolder(cl, a.arg, a.messageID)
			if _, e := cl.Select(a.folder, nil).Wait(); e != nil && err == nil {
				err = e
			}
			if err != nil && isConnErr(err) {
				return "", err
			}
			if found {
				return "", nil
			}
		}
		return "the message was deleted or moved on the server before this change reached it", nil
	}
	set := imap.UIDSetNum(uid)
	store := func(op imap.StoreFlagsOp, f imap.Flag) error {
		return cl.Store(set, &imap.StoreFlags{Op: op, Flags: []imap.Flag{f}, Silent: true}, nil).Close()
	}
	switch a.kind {
	case "seen":
		return "", store(imap.StoreFlagsAdd, imap.FlagSeen)
	case "unseen":
		return "", store(imap.StoreFlagsDel, imap.FlagSeen)
	case "flag":
		return "", store(imap.StoreFlagsAdd, imap.FlagFlagged)
	case "unflag":
		return "", store(imap.StoreFlagsDel, imap.FlagFlagged)
	case "answered":
		return "", store(imap.StoreFlagsAdd, imap.FlagAnswered)
	case "expunge":
		if err := store(imap.StoreFlagsAdd, imap.FlagDeleted); err != nil {
			return "", err
		}
		return "", cl.UIDExpunge(set).Close()
	case "move":
		md, err := cl.Move(set, a.arg).Wait()
		if err != nil {
			return "", err
		}
		if md != nil && md.DestUIDs != nil {
			if dst, ok := md.DestUIDs.(imap.UIDSet); ok {
				if nums, ok := dst.Nums(); ok && len(nums) == 1 {
					c.adoptUID(ctx, a.message, a.arg, md.UIDValidity, nums[0])
				}
			}
		}
		return "", nil
	}
	return "unknown action " + a.kind, nil
}

// adoptUID gives a locally moved row its UID in the destination, when the
// cache knows the destination under the same UIDVALIDITY.
func (c *Cache) adoptUID(ctx context.Context, id int64, folder string, uidvalidity uint32, uid imap.UID) {
	c.db.ExecContext(ctx, `UPDATE messages SET uid=? WHERE id=? AND uid=0 AND folder_id=(SELECT id FROM folders WHERE name=? AND uidvalidity=?)
		AND NOT EXISTS (SELECT 1 FROM actions WHERE message=? AND kind='move' AND folder=?)`, uid, id, folder, uidvalidity, id, folder)
}

// resolveUID finds the action's message in the selected folder: by UID when
// UIDVALIDITY still matches, else by Message-ID. 0 = not there.
func resolveUID(cl *imapclient.Client, sel *imap.SelectData, a action) (imap.UID, error) {
	if a.uid > 0 && int64(sel.UIDValidity) == a.uidvalidity {
		msgs, err := cl.Fetch(imap.UIDSetNum(imap.UID(a.uid)), &imap.FetchOptions{UID: true}).Collect()
		if err != nil {
			return 0, err
		}
		if len(msgs) == 1 {
			return msgs[0].UID, nil
		}
		return 0, nil
	}
	if a.messageID == "" {
		return 0, nil
	}
	data, err := cl.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: a.messageID}}}, nil).Wait()
	if err != nil {
		return 0, err
	}
	if uids := data.AllUIDs(); len(uids) > 0 {
		return uids[0], nil
	}
	return 0, nil
}

func (c *Cache) drop(ctx context.Context, a action, reason string) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error {
		var subject string
		tx.QueryRowContext(ctx, `SELECT subject FROM messages WHERE id=?`, a.message).Scan(&subject)
		if subject == "" {
			subject = "<" + a.messageID + ">"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dropped_actions(kind, folder, subject, reason, at) VALUES(?,?,?,?,?)`, a.kind, a.folder, subject, reason, now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE id=?`, a.id)
		return err
	})
}

func inFolder(cl *imapclient.Client, folder, messageID string) (bool, error) {
	if _, err := cl.Select(folder, nil).Wait(); err != nil {
		return false, err
	}
	data, err := cl.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
	if err != nil {
		return false, err
	}
	return len(data.AllUIDs()) > 0, nil
}
