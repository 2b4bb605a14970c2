package app

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

// An attachment larger than the policy's MaxAttachmentBytes is listed with
// its size and offline=false, saved from the server, and says what to do
// when the server is gone.
func TestSaveOnlineOnlyAttachment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	d := testpeer.StartDovecot(t)
	big := bytes.Repeat([]byte("Großer Plan 0123456789\n"), 100000) // 2.4 MB
	enc := base64.StdEncoding.EncodeToString(big)
	var lines strings.Builder
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	d.Append("INBOX", []byte("From: a@example.org\r\nTo: alice@example.org\r\nSubject: Grosser Anhang\r\nMessage-ID: <gross@example.org>\r\n"+
		"Date: Tue, 3 Mar 2026 09:00:00 +0100\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsiehe Anhang\r\n"+
		"--B\r\nContent-Type: text/plain; name=\"plan.txt\"\r\nContent-Disposition: attachment; filename=\"plan.txt\"\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n"+lines.String()+"--B--\r\n"))
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback},
		User: d.User, Password: d.Pass}
	rt := &saveRuntime{recRuntime: &recRuntime{}}
	m := syncedMail(t, acct, mailcache.Policy{BodyDays: -1, MaxAttachmentBytes: 1 << 20}, rt)
	page, err := m.List("INBOX", 0, 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list %+v %v", page, err)
	}
	id := page.Items[0].ID
	v, err := m.Message(id, false)
	if err != nil || v.Offline || !strings.Contains(v.Text, "siehe Anhang") || len(v.Attachments) != 1 {
		t.Fatalf("message %+v %v", v, err)
	}
	att := v.Attachments[0]
	if att.Name != "plan.txt" || att.Size != int64(len(big)) || att.Offline {
		t.Fatalf("attachment %+v", att)
	}

	rt.dest = filepath.Join(home, "plan.txt")
	if got, err := m.SaveAttachment(id, att.Part, "Anhang speichern"); err != nil || got != rt.dest {
		t.Fatalf("save: %q %v", got, err)
	}
	if b, _ := os.ReadFile(rt.dest); !bytes.Equal(b, big) {
		t.Fatalf("saved %d bytes, want %d", len(b), len(big))
	}

	d.Stop()
	asked := len(rt.asked)
	_, err = m.SaveAttachment(id, att.Part, "")
	if err == nil || !strings.Contains(err.Error(), "not stored offline; connect to the network to download it") {
		t.Fatalf("offline: %v", err)
	}
	if len(rt.asked) != asked {
		t.Error("the save dialog opened for an attachment that cannot be fetched")
	}
	// the message itself still reads offline
	if v, err := m.Message(id, false); err != nil || v.Offline || !strings.Contains(v.Text, "siehe Anhang") {
		t.Fatalf("message offline: %+v %v", v, err)
	}
}
