package testpeer

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func propfind(t *testing.T, url, user, pass string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("PROPFIND", url, strings.NewReader(""))
	req.Header.Set("Depth", "1")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestNCServerAnswersPropfind(t *testing.T) {
	s := StartNCServer(t)
	code, body := propfind(t, s.FilesURL, s.User, s.Pass)
	if code != 207 || !strings.Contains(body, "/remote.php/dav/files/alice/") {
		t.Fatalf("PROPFIND: %d %s", code, body)
	}
	if code, _ := propfind(t, s.FilesURL, s.User, "wrong"); code != 401 {
		t.Fatalf("wrong password: got %d, want 401", code)
	}
	if err := s.AddAppPassword("app-pw-1", "test"); err != nil {
		t.Fatal(err)
	}
	if code, _ := propfind(t, s.FilesURL, s.User, "app-pw-1"); code != 207 {
		t.Fatalf("app password: got %d, want 207", code)
	}
	if err := s.RevokeAppPasswords(); err != nil {
		t.Fatal(err)
	}
	if code, _ := propfind(t, s.FilesURL, s.User, "app-pw-1"); code != 401 {
		t.Fatalf("revoked app password: got %d, want 401", code)
	}
	if n := s.CountRequests("PROPFIND"); n != 4 {
		t.Fatalf("request log has %d PROPFINDs, want 4: %q", n, s.Requests())
	}
}

func TestApacheDAVAnswersPropfind(t *testing.T) {
	a := StartApacheDAV(t)
	if err := a.WriteFile("dir/x.txt", []byte("hi"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	code, body := propfind(t, a.URL+"dir/", a.User, a.Pass)
	if code != 207 || !strings.Contains(body, "/dir/x.txt") {
		t.Fatalf("PROPFIND: %d %s", code, body)
	}
	if code, _ := propfind(t, a.URL, "", ""); code != 401 {
		t.Fatalf("no credentials: got %d, want 401", code)
	}
	if n := a.CountRequests("PROPFIND"); n != 2 {
		t.Fatalf("request log has %d PROPFINDs, want 2: %q", n, a.Requests())
	}
}

func TestPeersAsAnotherClient(t *testing.T) {
	s := StartNCServer(t)
	mt := time.Date(2022, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.Mkdir("a b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Upload("a b/c#d ü.txt", []byte("hello"), mt); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(s.Root, "a b", "c#d ü.txt"))
	if err != nil || fi.Size() != 5 || !fi.ModTime().Equal(mt) {
		t.Fatalf("uploaded file: %v %v", fi, err)
	}
	if err := s.Rename("a b/c#d ü.txt", "moved.txt"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("a b"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, "moved.txt")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, "a b")); !os.IsNotExist(err) {
		t.Fatalf("folder not removed: %v", err)
	}

	a := StartApacheDAV(t)
	if err := a.Mkdir("x y"); err != nil {
		t.Fatal(err)
	}
	if err := a.Upload("x y/z%.txt", []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := a.Rename("x y/z%.txt", "x y/w.txt"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(a.Root, "x y", "w.txt")); err != nil || string(b) != "abc" {
		t.Fatalf("apache file: %q %v", b, err)
	}
	if err := a.Remove("x y/w.txt"); err != nil {
		t.Fatal(err)
	}
}
