package ncshare_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/ncshare"
	"github.com/deskport/deskport/internal/testpeer"
)

type stored struct {
	ShareType    int     `json:"share_type"`
	Path         string  `json:"path"`
	Permissions  int     `json:"permissions"`
	Token        string  `json:"token"`
	Expiration   *string `json:"expiration"`
	PasswordHash *string `json:"password_hash"`
}

func storedShares(t *testing.T, dataDir string) map[string]stored {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "shares.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]stored
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Links are created through the OCS share API of the Nextcloud-compatible
// server (which refuses requests without OCS-APIRequest, like Nextcloud),
// with the permissions, password and expiry asked for; the server's
// policy refusals come back as ErrRefused with the server's reason.
func TestCreateLinkAgainstNextcloud(t *testing.T) {
	s := testpeer.StartNCServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Mkdir("Docs"); err != nil {
		t.Fatal(err)
	}
	if err := s.Upload("Docs/Bericht 2026.odt", []byte("report"), time.Now()); err != nil {
		t.Fatal(err)
	}
	filesURL := s.FilesURL
	server, err := ncshare.ServerOf(filesURL)
	if err != nil || server != s.URL {
		t.Fatalf("ServerOf(%s) = %s, %v", filesURL, server, err)
	}
	c := &ncshare.Client{Server: server, User: s.User, Pass: s.Pass}
	expire := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
	sh, err := c.CreateLink(ctx, "Docs/Bericht 2026.odt", ncshare.Options{Password: "Sommer-2026!", ExpireDate: expire})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sh.URL, s.URL+"/s/") || sh.Token == "" || sh.Permissions != 1 || !strings.HasPrefix(sh.Expiration, expire) {
		t.Fatalf("share: %+v", sh)
	}
	st := storedShares(t, s.DataDir)[sh.ID]
	if st.ShareType != 3 || st.Path != "/Docs/Bericht 2026.odt" || st.Permissions != 1 || st.Token != sh.Token ||
		st.PasswordHash == nil || st.Expiration == nil {
		t.Fatalf("stored on the server: %+v", st)
	}
	if folder, err := c.CreateLink(ctx, "Docs", ncshare.Options{}); err != nil || folder.Permissions != 1 || folder.Expiration != "" {
		t.Fatalf("folder link: %+v %v", folder, err)
	}

	os.WriteFile(filepath.Join(s.DataDir, "share-policy.json"), []byte(`{"enforcePassword": true}`), 0o644)
	if _, err := c.CreateLink(ctx, "Docs", ncshare.Options{}); !errors.Is(err, ncshare.ErrRefused) || !strings.Contains(err.Error(), "Passwords are enforced") {
		t.Fatalf("no password under an enforcing policy: %v", err)
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	if _, err := c.CreateLink(ctx, "Docs", ncshare.Options{Password: "x-long-pass", ExpireDate: yesterday}); !errors.Is(err, ncshare.ErrRefused) || !strings.Contains(err.Error(), "past") {
		t.Fatalf("expiry in the past: %v", err)
	}
	if _, err := c.CreateLink(ctx, "Docs", ncshare.Options{ExpireDate: "31.01.2027"}); err == nil || !strings.Contains(err.Error(), "2027-01-31") {
		t.Fatalf("a badly written date: %v", err)
	}
	if _, err := c.CreateLink(ctx, "nope.txt", ncshare.Options{Password: "x-long-pass"}); !errors.Is(err, ncshare.ErrRefused) {
		t.Fatalf("a missing file: %v", err)
	}
	bad := &ncshare.Client{Server: server, User: s.User, Pass: "wrong"}
	if _, err := bad.CreateLink(ctx, "Docs", ncshare.Options{Password: "x-long-pass"}); err == nil || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("a wrong password: %v", err)
	}
	if n := len(storedShares(t, s.DataDir)); n != 2 {
		t.Fatalf("%d shares stored, want the 2 allowed ones", n)
	}
	// Without OCS-APIRequest the server refuses, as Nextcloud does: the header is what makes it work.
	req, _ := http.NewRequest("POST", server+"/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json", strings.NewReader("path=/Docs&shareType=3&password=x-long-pass"))
	req.SetBasicAuth(s.User, s.Pass)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without OCS-APIRequest: HTTP %d, want 401", resp.StatusCode)
	}
}

// A server that answers with a link that is no web address (a script) is
// not believed: nothing would be copied for the user to paste.
func TestCreateLinkRefusesAScriptURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"id":"1","url":"javascript:alert(1)","token":"x","permissions":1}}}`))
	}))
	defer srv.Close()
	c := &ncshare.Client{Server: srv.URL, User: "a", Pass: "b"}
	if _, err := c.CreateLink(context.Background(), "x", ncshare.Options{}); err == nil || !strings.Contains(err.Error(), "unusable") {
		t.Fatalf("javascript: link accepted: %v", err)
	}
}

func TestFilesAppURL(t *testing.T) {
	for _, c := range [][4]string{
		{"https://cloud.example.org/", "Docs/a b.odt", "4711", "https://cloud.example.org/index.php/f/4711"},
		{"https://cloud.example.org", "Docs/a b.odt", "", "https://cloud.example.org/index.php/apps/files/?dir=%2FDocs&scrollto=a+b.odt"},
		{"https://cloud.example.org", "top.txt", "", "https://cloud.example.org/index.php/apps/files/?dir=%2F&scrollto=top.txt"},
	} {
		if got := ncshare.FilesAppURL(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("FilesAppURL(%q, %q, %q) = %s, want %s", c[0], c[1], c[2], got, c[3])
		}
	}
}
