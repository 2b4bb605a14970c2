package mailcache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/testpeer"
)

func openCache(t testing.TB, dir string, p Policy) *Cache {
	t.Helper()
	c, err := Open(context.Background(), dir, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func account(d *testpeer.Dovecot, s *testpeer.SMTPSink) Account {
	a := Account{IMAP: Server{Host: d.Host, Port: d.Port, Security: SecurityPlainLoopback}, User: d.User, Password: d.Pass}
	if s != nil {
		a.SMTP = Server{Host: s.Host, Port: s.Port, Security: SecurityPlainLoopback}
	}
	return a
}

var msgSeq int

// testMail builds a small message with a unique Message-ID.
func testMail(subject, body string) []byte {
	return testMailFrom("Max Mustermann <max@example.org>", subject, body)
}

func testMailFrom(from, subject, body string) []byte {
	msgSeq++
	return []byte(fmt.Sprintf("From: %s\r\nTo: alice@example.org\r\nSubject: %s\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <t%d.%d@example.de>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		from, subject, time.Now().UnixNano(), msgSeq, body))
}

func mustSync(t testing.TB, c *Cache, a Account) SyncResult {
	t.Helper()
	res, err := c.Sync(context.Background(), a)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func find(t testing.TB, c *Cache, q string) []Summary {
	t.Helper()
	r, err := c.Search(context.Background(), q, 100)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func folderCounts(t testing.TB, c *Cache) map[string][2]int {
	t.Helper()
	fs, err := c.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][2]int{}
	for _, f := range fs {
		m[f.Name] = [2]int{f.Total, f.Unread}
	}
	return m
}
