package app

import (
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/filesync/names"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/testpeer"
)

// The other tests' runtime has no dialog: it cancels.
func (r *recRuntime) SaveFile(SaveDialog) (string, error) { return "", nil }

// saveRuntime answers the save dialog with dest (or err) and records what it was asked.
type saveRuntime struct {
	*recRuntime
	dest  string
	err   error
	asked []SaveDialog
}

func (s *saveRuntime) SaveFile(o SaveDialog) (string, error) {
	s.asked = append(s.asked, o)
	return s.dest, s.err
}

func attachmentMail(msgID, filename string, content []byte) []byte {
	return []byte("From: a@example.org\r\nTo: alice@example.org\r\nSubject: Anhang " + msgID + "\r\nMessage-ID: <" + msgID + "@example.org>\r\n" +
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsiehe Anhang\r\n" +
		"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + filename + "\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString(content) + "\r\n--B--\r\n")
}

func TestSaveAttachment(t *testing.T) {
	home := t.TempDir()
	downloads := filepath.Join(home, "Téléchargements")
	os.MkdirAll(downloads, 0o755)
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# written by xdg-user-dirs-update\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))

	d := testpeer.StartDovecot(t)
	pdf := []byte("%PDF-1.4\n" + strings.Repeat("x", 40000) + "\n%%EOF\n")
	d.Append("INBOX", attachmentMail("hostile", "../../.bashrc\u202Efdp.exe", pdf))
	d.Append("INBOX", attachmentMail("con", "CON.pdf", []byte("con")))
	acct := mailcache.Account{IMAP: mailcache.Server{Host: d.Host, Port: d.Port, Security: mailcache.SecurityPlainLoopback},
		User: d.User, Password: d.Pass}
	rt := &saveRuntime{recRuntime: &recRuntime{}}
	m := syncedMail(t, acct, mailcache.Policy{BodyDays: -1}, rt)
	page, err := m.List("INBOX", 0, 10)
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("list %+v %v", page, err)
	}
	ids := map[string]int64{}
	for _, it := range page.Items {
		ids[strings.TrimPrefix(it.Subject, "Anhang ")] = it.ID
	}
	v, err := m.Message(ids["hostile"], false)
	if err != nil || len(v.Attachments) != 1 {
		t.Fatalf("message %+v %v", v.Attachments, err)
	}
	part := v.Attachments[0].Part

	// Cancelled: no error, nothing written anywhere.
	got, err := m.SaveAttachment(ids["hostile"], part, "Anhang speichern")
	if got != "" || err != nil {
		t.Fatalf("cancelled dialog: %q %v", got, err)
	}
	if len(rt.asked) != 1 {
		t.Fatalf("dialog asked %d times", len(rt.asked))
	}
	ask := rt.asked[0]
	if ask.Directory != downloads || ask.Title != "Anhang speichern" {
		t.Errorf("dialog starts in %q titled %q, want the Downloads folder %q", ask.Directory, ask.Title, downloads)
	}
	if ask.Filename != "bashrcfdp.exe" { // the parser keeps the last path element; SafeFileName the rest
		t.Errorf("hostile name offered as %q", ask.Filename)
	}
	if e, _ := os.ReadDir(downloads); len(e) != 0 {
		t.Fatalf("cancel wrote %v", e)
	}

	// Saved: the whole content at the chosen path, readable, no temp file left.
	rt.dest = filepath.Join(downloads, ask.Filename)
	got, err = m.SaveAttachment(ids["hostile"], part, "")
	if err != nil || got != rt.dest {
		t.Fatalf("save: %q %v", got, err)
	}
	if b, _ := os.ReadFile(got); string(b) != string(pdf) {
		t.Fatalf("saved %d bytes, want %d", len(b), len(pdf))
	}
	if st, _ := os.Stat(got); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	// Again onto the same file (the dialog confirmed replacing it): replaced whole.
	os.WriteFile(got, []byte(strings.Repeat("old ", 5000)), 0o644)
	if got, err = m.SaveAttachment(ids["hostile"], part, ""); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != string(pdf) {
		t.Fatalf("replaced file has %d bytes", len(b))
	}
	if e, _ := os.ReadDir(downloads); len(e) != 1 {
		t.Errorf("Downloads holds %v, want only the saved file", e)
	}

	// A reserved Windows name is made harmless everywhere.
	rt.dest = ""
	if v, _ := m.Message(ids["con"], false); len(v.Attachments) == 1 {
		m.SaveAttachment(ids["con"], v.Attachments[0].Part, "")
	}
	if n := rt.asked[len(rt.asked)-1].Filename; n != "_CON.pdf" {
		t.Errorf("CON.pdf offered as %q", n)
	}

	// The dialog failed: an error, nothing written.
	rt.dest, rt.err = "", errors.New("no display")
	if _, err := m.SaveAttachment(ids["hostile"], part, ""); err == nil || !strings.Contains(err.Error(), "no display") {
		t.Errorf("dialog error: %v", err)
	}
	rt.err = nil

	// A folder that is gone, a read-only one, a full disk: clear errors, nothing left behind.
	rt.dest = filepath.Join(home, "gone", "x.pdf")
	if _, err := m.SaveAttachment(ids["hostile"], part, ""); err == nil || !strings.Contains(err.Error(), "choose another folder") {
		t.Errorf("missing folder: %v", err)
	}
	if os.Geteuid() != 0 {
		t.Log("not root: the full-disk and read-only cases need a tmpfs mount")
		return
	}
	small := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", small).CombinedOutput(); err != nil {
		t.Logf("cannot mount a tmpfs: %v %s", err, out)
		return
	}
	t.Cleanup(func() { exec.Command("umount", small).Run() })
	rt.dest = filepath.Join(small, "x.pdf")
	_, err = m.SaveAttachment(ids["hostile"], part, "")
	if err == nil || !strings.Contains(err.Error(), "not enough space") || !strings.Contains(err.Error(), "free some space") {
		t.Errorf("full disk: %v", err)
	}
	if e, _ := os.ReadDir(small); len(e) != 0 {
		t.Errorf("full disk left %v", e)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", small).CombinedOutput(); err != nil {
		t.Logf("cannot remount read-only: %v %s", err, out)
		return
	}
	if _, err = m.SaveAttachment(ids["hostile"], part, ""); err == nil || !strings.Contains(err.Error(), "no permission") {
		t.Errorf("read-only folder: %v", err)
	}
}

func TestSafeFileName(t *testing.T) {
	long := strings.Repeat("ä", 200) + ".pdf"
	for in, want := range map[string]string{
		"rechnung.pdf":                 "rechnung.pdf",
		"Rechnung März 2026.pdf":       "Rechnung März 2026.pdf",
		"../../etc/passwd":             "_.._etc_passwd",
		`..\..\Windows\win.ini`:        `_.._Windows_win.ini`,
		"..":                           "attachment.pdf",
		".bashrc":                      "bashrc",
		"":                             "attachment.pdf",
		"/":                            "attachment.pdf",
		"a\x00b\x1bc\x7f\r\nd.txt":     "abcd.txt",
		"invoice\u202Efdp.exe":         "invoicefdp.exe",
		"a\u200bb\ufeff.pdf":           "ab.pdf",
		"CON":                          "_CON",
		"nul.txt":                      "_nul.txt",
		"com1.pdf":                     "_com1.pdf",
		"LPT9":                         "_LPT9",
		`a<b>c:d"e|f?g*h.pdf`:          "a_b_c_d_e_f_g_h.pdf",
		"trailing.pdf. . ":             "trailing.pdf",
		"  spaced \t out  .pdf":        "spaced out .pdf",
		"bad\xff\xfeutf8.pdf":          "bad_utf8.pdf",
		"C:\\Users\\x\\Desktop\\a.pdf": "C__Users_x_Desktop_a.pdf",
		"\\\\server\\share\\a.pdf":     "__server_share_a.pdf",
		"x" + strings.Repeat("y", 300): "x" + strings.Repeat("y", 254),
	} {
		if got := SafeFileName(in, "application/pdf"); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	got := SafeFileName(long, "")
	if len(got) > names.MaxNameBytes || !strings.HasSuffix(got, ".pdf") || !strings.HasPrefix(got, "ää") {
		t.Errorf("long name: %d bytes %q", len(got), got)
	}
	for _, in := range []string{"../x", "CON.txt", "a/b\\c", "\x01", "..\u202E.exe", long} {
		n := SafeFileName(in, "")
		for _, goos := range []string{"linux", "windows"} {
			if err := names.CheckComponent(n, goos); err != nil || strings.HasPrefix(n, ".") {
				t.Errorf("%q -> %q not safe on %s: %v", in, n, goos, err)
			}
		}
	}
}

func TestDownloadsDirFallbacks(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	if d := DownloadsDir(); d != home {
		t.Errorf("no Downloads folder: %q, want home", d)
	}
	os.Mkdir(filepath.Join(home, "Downloads"), 0o755)
	if d := DownloadsDir(); d != filepath.Join(home, "Downloads") {
		t.Errorf("%q", d)
	}
	os.Mkdir(filepath.Join(home, "cfg"), 0o755)
	os.WriteFile(filepath.Join(home, "cfg", "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=\"$HOME/\"\n"), 0o644)
	if d := DownloadsDir(); d != filepath.Join(home, "Downloads") {
		t.Errorf("disabled XDG dir: %q", d)
	}
}

// The chosen path is replaced as a name: a symlink there is replaced, not
// written through; a folder there is refused.
func TestWriteFileAtomicReplacesNames(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	link := filepath.Join(dir, "a.pdf")
	if err := os.Symlink(victim, link); err != nil {
		t.Skip(err)
	}
	if err := writeFileAtomic(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("wrote through the symlink: %q", b)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink != 0 {
		t.Error("the symlink is still there")
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if err := writeFileAtomic(filepath.Join(dir, "sub"), []byte("x")); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: %v", err)
	}
	if e, _ := os.ReadDir(dir); len(e) != 2 {
		t.Errorf("left %v", e)
	}
}
