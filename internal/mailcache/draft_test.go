package mailcache

import (
	"bytes"
	"context"
	"testing"
)

// The draft outlives the process: saved in pieces, read back by a new
// Cache on the same directory, gone once cleared.
func TestDraftSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c := openCache(t, dir, Policy{})
	if _, ok, err := c.LoadDraft(ctx); ok || err != nil {
		t.Fatalf("a new cache has a draft: %v %v", ok, err)
	}
	pdf := bytes.Repeat([]byte("%PDF\x00\xff"), 1000)
	if err := c.SaveDraftFiles(ctx, []DraftAttachment{{Name: "Bescheid.pdf", Type: "application/pdf", Data: pdf}}); err != nil {
		t.Fatal(err)
	}
	d := Draft{To: `"Müller, Jürgen" <j@amt.example>`, Subject: "AW: Antrag", Text: "Sehr geehrter Herr Müller,\n",
		InReplyTo: "m2@amt.example", References: []string{"m1@amt.example", "m2@amt.example"},
		Attachments: []DraftAttachment{{Name: "ignored.txt"}}} // fields only: the files stay as saved
	if err := c.SaveDraftFields(ctx, d); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c2 := openCache(t, dir, Policy{})
	got, ok, err := c2.LoadDraft(ctx)
	if err != nil || !ok {
		t.Fatalf("after a restart: %v %v", ok, err)
	}
	if got.To != d.To || got.Subject != d.Subject || got.Text != d.Text || got.InReplyTo != d.InReplyTo || len(got.References) != 2 {
		t.Fatalf("fields: %+v", got.Draft)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Name != "Bescheid.pdf" || !bytes.Equal(got.Attachments[0].Data, pdf) {
		t.Fatalf("files: %d", len(got.Attachments))
	}
	if got.Saved.IsZero() {
		t.Error("no save time")
	}
	// Emptied fields and no files: nothing to restore.
	c2.SaveDraftFields(ctx, Draft{})
	c2.SaveDraftFiles(ctx, nil)
	if _, ok, _ := c2.LoadDraft(ctx); ok {
		t.Error("an empty draft is offered for restoring")
	}
	c2.SaveDraftFields(ctx, d)
	if err := c2.ClearDraft(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c2.LoadDraft(ctx); ok {
		t.Error("a cleared draft came back")
	}
}

// Sending from the panel forgets the draft in the outbox's transaction; a
// message queued from the command line leaves the panel's draft alone.
func TestEnqueueDraftForgetsTheDraft(t *testing.T) {
	ctx := context.Background()
	c := openCache(t, t.TempDir(), Policy{})
	raw := []byte("From: a@amt.example\r\nTo: b@amt.example\r\nSubject: x\r\n\r\nText\r\n")
	c.SaveDraftFields(ctx, Draft{To: "b@amt.example", Text: "Text"})
	if _, err := c.Enqueue(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.LoadDraft(ctx); !ok {
		t.Fatal("a message queued from the command line dropped the panel's draft")
	}
	if _, err := c.EnqueueDraft(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.LoadDraft(ctx); ok {
		t.Fatal("the draft is still there after it went into the outbox")
	}
	if out, _ := c.Outbox(ctx); len(out) != 2 {
		t.Fatalf("outbox holds %d", len(out))
	}
}
