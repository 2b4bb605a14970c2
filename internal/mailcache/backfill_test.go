package mailcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

// datedMail is a message dated age ago (the server's internal date is
// 2026-01-02 for every appended message: testpeer.Dovecot.Append).
func datedMail(subject, body string, age time.Duration) []byte {
	msgSeq++
	return []byte(fmt.Sprintf("From: Rechnungsamt <amt@example.org>\r\nTo: alice@example.org\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <b%d.%d@example.de>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		subject, time.Now().Add(-age).Format(time.RFC1123Z), time.Now().UnixNano(), msgSeq, body))
}

const day = 24 * time.Hour

func cachedBodies(t *testing.T, c *Cache) int {
	t.Helper()
	var n int
	if err := c.db.QueryRow(`SELECT count(*) FROM messages WHERE body_state=?`, bodyCached).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Mail older than BodyDays gets headers only; raising BodyDays makes the
// next sync fetch those bodies (stored like new mail: indexed, attachments
// listed, a large attachment left out), readable offline; lowering it
// again keeps them.
func TestBackfillAfterRaisingBodyDays(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("INBOX", datedMail("Jahresbericht", "Die Haushaltsplanung für das Vorjahr.", 200*day))
	pdf := detBytes(7, 300<<10)
	withPDF := "From: Bauamt <bau@amt.example>\r\nTo: alice@example.org\r\nSubject: Bauantrag\r\nMessage-ID: <bauantrag@amt.example>\r\n" +
		"Date: " + time.Now().Add(-150*day).Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDer Antrag mit dem Stichwort Flurstückgrenze.\r\n" +
		"--B\r\nContent-Type: application/pdf; name=\"antrag.pdf\"\r\nContent-Disposition: attachment; filename=\"antrag.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(pdf) +
		"--B--\r\n"
	d.Append("INBOX", []byte(withPDF))
	d.Append("INBOX", datedMail("Neu", "Aktuelles", time.Hour))

	policy := Policy{BodyDays: 30, MaxAttachmentBytes: 64 << 10}
	c := openCache(t, t.TempDir(), policy)
	a := account(d, nil)
	ctx := context.Background()
	mustSync(t, c, a)
	report, plan := idBySubject(t, c, "Jahresbericht"), idBySubject(t, c, "Bauantrag")
	for _, id := range []int64{report, plan} {
		if _, err := c.Raw(ctx, id); !errors.Is(err, ErrNotCached) {
			t.Fatalf("message %d, older than 30 days, has its body after the sync: %v", id, err)
		}
	}
	if _, err := c.Raw(ctx, idBySubject(t, c, "Neu")); err != nil {
		t.Fatalf("new message without body: %v", err)
	}
	if r := find(t, c, "haushaltsplanung"); len(r) != 0 {
		t.Fatalf("text of a headers-only message found: %+v", r)
	}
	// a sync under the same policy leaves them as they are
	if res := mustSync(t, c, a); res.Bodies != 0 || res.Folders != 0 {
		t.Fatalf("second sync under the same policy: %+v", res)
	}

	policy.BodyDays = 365
	c.SetPolicy(policy)
	res := mustSync(t, c, a) // nothing changed on the server
	if res.Bodies != 2 {
		t.Fatalf("after raising BodyDays the sync fetched %d bodies, want 2 (%+v)", res.Bodies, res)
	}

	d.Stop() // the rest works offline
	raw, err := c.Raw(ctx, report)
	if err != nil || !strings.Contains(string(raw), "Haushaltsplanung") {
		t.Fatalf("backfilled body offline: %v", err)
	}
	for _, q := range []string{"haushaltsplanung", "flurstückgrenze"} {
		if r := find(t, c, q); len(r) != 1 || !r[0].BodyCached {
			t.Errorf("search %q after the backfill: %+v", q, r)
		}
	}
	if s, _ := c.Summary(ctx, plan); !s.HasAttachments || s.Snippet == "" {
		t.Errorf("summary not updated with the body: %+v", s)
	}
	// the 300 KB attachment is over MaxAttachmentBytes: left out (skeleton), listed, online only
	if p := attachmentsByPart(t, c, plan)["2"]; p.Name != "antrag.pdf" || p.Size != int64(len(pdf)) || p.Offline {
		t.Errorf("large attachment after the backfill: %+v", p)
	}
	skel, err := c.Raw(ctx, plan)
	if err != nil || len(skel) > 32<<10 || !bytes.Contains(skel, []byte("Flurstückgrenze")) {
		t.Fatalf("stored message: %d bytes, %v (want the text without the 300 KB attachment)", len(skel), err)
	}

	// lowering BodyDays deletes nothing
	d.Start()
	policy.BodyDays = 30
	c.SetPolicy(policy)
	mustSync(t, c, a)
	if raw, err := c.Raw(ctx, report); err != nil || !strings.Contains(string(raw), "Haushaltsplanung") {
		t.Fatalf("after lowering BodyDays: %v", err)
	}
	if r := find(t, c, "haushaltsplanung"); len(r) != 1 {
		t.Fatalf("after lowering BodyDays the text is not found: %+v", r)
	}
	// and raising it again has nothing left to fetch
	policy.BodyDays = 365
	c.SetPolicy(policy)
	if res := mustSync(t, c, a); res.Bodies != 0 {
		t.Fatalf("raised again: fetched %d bodies again", res.Bodies)
	}
}

// A backfill interrupted after its first batch continues with the next
// sync, without fetching again what it stored; one sync does at most
// backfillPerSync messages of a folder, and the folder is pulled again
// (though unchanged on the server) until it has them all.
func TestBackfillResumesAndIsBoundedPerSync(t *testing.T) {
	d := testpeer.StartDovecot(t)
	for i := 0; i < 7; i++ {
		d.Append("INBOX", datedMail(fmt.Sprintf("Altbestand %d", i), "Akte", time.Duration(100+i)*day))
	}
	c := openCache(t, t.TempDir(), Policy{BodyDays: 30})
	a := account(d, nil)
	mustSync(t, c, a)
	if n := cachedBodies(t, c); n != 0 {
		t.Fatalf("%d bodies cached under a 30-day policy", n)
	}
	defer func(b, p int) { backfillBatch, backfillPerSync = b, p }(backfillBatch, backfillPerSync)
	backfillBatch = 2

	c.SetPolicy(Policy{BodyDays: 365})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.crash = func(p string) {
		if p == "backfill-batch" {
			cancel()
		}
	}
	if _, err := c.Sync(ctx, a); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("interrupted sync: %v", err)
	}
	if n := cachedBodies(t, c); n != 2 {
		t.Fatalf("after the interruption %d bodies are cached, want the first batch's 2", n)
	}
	// newest first: the first batch had the two newest
	for i, want := range []bool{true, true, false} {
		_, err := c.Raw(context.Background(), idBySubject(t, c, fmt.Sprintf("Altbestand %d", i)))
		if (err == nil) != want {
			t.Fatalf("Altbestand %d: body cached %v, want %v", i, err == nil, want)
		}
	}
	c.crash = nil

	backfillPerSync = 3
	for i, want := range []int{3, 2, 0} {
		res := mustSync(t, c, a)
		if res.Bodies != want {
			t.Fatalf("sync %d after the interruption fetched %d bodies, want %d (%+v)", i+1, res.Bodies, want, res)
		}
		if want == 0 && res.Folders != 0 {
			t.Fatalf("with every body cached the unchanged folder was pulled again: %+v", res)
		}
	}
	if n := cachedBodies(t, c); n != 7 {
		t.Fatalf("%d of 7 bodies cached", n)
	}
}

// SetPolicy may be called while a sync runs; that sync keeps its policy,
// the next one uses the new one.
func TestSetPolicyDuringSync(t *testing.T) {
	d := testpeer.StartDovecot(t)
	d.Append("INBOX", datedMail("Vermerk", "Aktenvermerk", 200*day))
	c := openCache(t, t.TempDir(), Policy{BodyDays: 30})
	a := account(d, nil)
	set := false
	c.crash = func(p string) {
		if p == "fetch-batch" && !set {
			set = true
			c.SetPolicy(Policy{BodyDays: 365}) // c.mu is held by this sync
		}
	}
	if res := mustSync(t, c, a); res.Bodies != 0 || !set {
		t.Fatalf("the running sync used the new policy: %+v (set %v)", res, set)
	}
	if res := mustSync(t, c, a); res.Bodies != 1 {
		t.Fatalf("the next sync fetched %d bodies, want 1", res.Bodies)
	}
}
