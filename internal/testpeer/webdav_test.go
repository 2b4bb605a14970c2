package testpeer

import (
	"io"
	"net/http"
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
