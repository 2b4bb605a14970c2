package mailcache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// SavedDraft is the compose panel's draft as last saved.
type SavedDraft struct {
	Draft
	Saved time.Time `json:"saved"`
}

// SaveDraftFields keeps the draft's addresses, subject, text and thread, so
// that a crash or a restart does not lose what the user wrote. Attachments
// are kept by SaveDraftFiles.
func (c *Cache) SaveDraftFields(ctx context.Context, d Draft) error {
	d.Attachments = nil
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO draft(id, fields, saved) VALUES(1, ?, ?)
		ON CONFLICT(id) DO UPDATE SET fields=excluded.fields, saved=excluded.saved`, string(b), now())
	return err
}

// SaveDraftFiles keeps the draft's attachments.
func (c *Cache) SaveDraftFiles(ctx context.Context, files []DraftAttachment) error {
	if files == nil {
		files = []DraftAttachment{}
	}
	b, err := json.Marshal(files)
	if err != nil {
		return err
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO draft(id, files, saved) VALUES(1, ?, ?)
		ON CONFLICT(id) DO UPDATE SET files=excluded.files, saved=excluded.saved`, b, now())
	if err != nil {
		return fmt.Errorf("mail cache: the draft's attachments could not be saved (%w); free some disk space, the draft is still open", err)
	}
	return nil
}

// LoadDraft returns the saved draft, if there is one.
func (c *Cache) LoadDraft(ctx context.Context) (SavedDraft, bool, error) {
	var fields string
	var files []byte
	var saved int64
	err := c.db.QueryRowContext(ctx, `SELECT fields, files, saved FROM draft WHERE id=1`).Scan(&fields, &files, &saved)
	if err == sql.ErrNoRows {
		return SavedDraft{}, false, nil
	} else if err != nil {
		return SavedDraft{}, false, err
	}
	var d SavedDraft
	if err := json.Unmarshal([]byte(fields), &d.Draft); err != nil {
		return SavedDraft{}, false, fmt.Errorf("mail cache: the saved draft is unreadable (%v)", err)
	}
	if err := json.Unmarshal(files, &d.Attachments); err != nil {
		return SavedDraft{}, false, fmt.Errorf("mail cache: the saved draft's attachments are unreadable (%v)", err)
	}
	d.Saved = time.Unix(saved, 0)
	empty := d.To == "" && d.Cc == "" && d.Bcc == "" && d.Subject == "" && d.Text == "" && len(d.Attachments) == 0
	return d, !empty, nil
}

// ClearDraft forgets the saved draft (it was sent or discarded).
func (c *Cache) ClearDraft(ctx context.Context) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM draft`)
	return err
}
