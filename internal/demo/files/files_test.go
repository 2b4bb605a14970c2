package files

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/accounts/nextcloud"
	"github.com/deskport/deskport/internal/ncshare"
	"github.com/deskport/deskport/internal/webdav"
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{User: "eva", DisplayName: "Eva Schmidt", Email: "eva@demo.example", Password: "pw",
		Documents: map[string][]byte{"Documents/Notes.md": []byte("# Notes\n"), "Photos/a.png": []byte("png"), "Readme.md": []byte("hi")},
		ModTime:   time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func client(t *testing.T, s *Server, pass string) *webdav.Client {
	t.Helper()
	c, err := webdav.New(webdav.Options{FilesURL: s.URL + "/remote.php/dav/files/eva/", User: "eva", Password: pass, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The engine's own WebDAV client sees Nextcloud's properties, and a change
// deep down changes the ETags of every folder above it, not its siblings.
func TestETagsPropagateAndIDsSurviveMoves(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := client(t, s, "pw")
	caps, err := c.Capabilities(ctx)
	if err != nil || !caps.Nextcloud {
		t.Fatalf("capabilities %+v, %v", caps, err)
	}
	l, err := c.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 3 || l.Self.ETag == "" || l.Self.FileID == "" || l.Self.WeakETag {
		t.Fatalf("root listing: %+v", l)
	}
	before := map[string]webdav.Entry{}
	for _, e := range l.Entries {
		if e.ETag == "" || e.FileID == "" || e.Permissions == "" {
			t.Errorf("entry without Nextcloud properties: %+v", e)
		}
		before[e.Name] = e
	}
	if !before["Readme.md"].ModTime.Equal(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("modification time %v", before["Readme.md"].ModTime)
	}
	res, err := c.Put(ctx, "Documents/Deep/new.txt", strings.NewReader("x"), 1, webdav.PutOptions{ModTime: time.Unix(1700000000, 0)})
	if err == nil {
		t.Fatal("a PUT into a missing folder succeeded")
	}
	if err := c.Mkcol(ctx, "Documents/Deep"); err != nil {
		t.Fatal(err)
	}
	if res, err = c.Put(ctx, "Documents/Deep/new.txt", strings.NewReader("x"), 1, webdav.PutOptions{ModTime: time.Unix(1700000000, 0)}); err != nil {
		t.Fatal(err)
	}
	if res.ETag == "" || res.FileID == "" || !res.MtimeAccepted {
		t.Errorf("PUT result %+v", res)
	}
	root, _ := c.Stat(ctx, "")
	docs, _ := c.Stat(ctx, "Documents")
	photos, _ := c.Stat(ctx, "Photos")
	if root.ETag == l.Self.ETag || docs.ETag == before["Documents"].ETag {
		t.Errorf("a new file below did not change the folders' ETags: root %s→%s, Documents %s→%s", l.Self.ETag, root.ETag, before["Documents"].ETag, docs.ETag)
	}
	if photos.ETag != before["Photos"].ETag {
		t.Errorf("a sibling folder's ETag changed: %s→%s", before["Photos"].ETag, photos.ETag)
	}
	// If-Match with an old ETag fails; with the current one it works.
	if _, err := c.Put(ctx, "Documents/Deep/new.txt", strings.NewReader("y"), 1, webdav.PutOptions{IfMatch: "stale"}); !errors.Is(err, webdav.ErrPrecondition) {
		t.Errorf("PUT with a stale If-Match: %v", err)
	}
	if _, err := c.Put(ctx, "Documents/Deep/new.txt", strings.NewReader("y"), 1, webdav.PutOptions{IfMatch: res.ETag}); err != nil {
		t.Errorf("PUT with the current If-Match: %v", err)
	}
	if _, err := c.Put(ctx, "Readme.md", strings.NewReader("z"), 1, webdav.PutOptions{CreateOnly: true}); !errors.Is(err, webdav.ErrPrecondition) {
		t.Errorf("create-only PUT over an existing file: %v", err)
	}
	// A moved folder keeps its id.
	if err := c.Move(ctx, "Photos", "Documents/Photos", webdav.MoveOptions{}); err != nil {
		t.Fatal(err)
	}
	moved, err := c.Stat(ctx, "Documents/Photos")
	if err != nil || moved.FileID != before["Photos"].FileID {
		t.Errorf("moved folder: %+v (was id %s), %v", moved, before["Photos"].FileID, err)
	}
	if got, _ := s.ReadFile("/Documents/Deep/new.txt"); string(got) != "y" {
		t.Errorf("server holds %q", got)
	}
}

func TestWrongPasswordAndOtherUsersAreRefused(t *testing.T) {
	s := start(t)
	if _, err := client(t, s, "wrong").List(context.Background(), ""); !errors.Is(err, webdav.ErrUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
	req, _ := http.NewRequest("PROPFIND", s.URL+"/remote.php/dav/files/bob/", nil)
	req.SetBasicAuth("eva", "pw")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("another user's files: HTTP %d", resp.StatusCode)
	}
}

// Deskport's Nextcloud client signs in with Login Flow v2: the grant button
// on the login page yields an app password that works for WebDAV and can
// be revoked.
func TestLoginFlowAndAppPasswords(t *testing.T) {
	s := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc := nextcloud.New(s.URL, nil)
	if _, _, err := nc.Status(ctx); err != nil {
		t.Fatal(err)
	}
	flow, err := nc.StartLoginFlow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		resp, err := http.Post(flow.LoginURL, "application/x-www-form-urlencoded", nil)
		if err == nil {
			resp.Body.Close()
		}
	}()
	g, err := nc.Poll(ctx, flow, nextcloud.PollOptions{First: 50 * time.Millisecond})
	if err != nil || g.LoginName != "eva" || g.AppPassword == "" {
		t.Fatalf("grant %+v, %v", g, err)
	}
	if u, err := nc.User(ctx, "eva", g.AppPassword); err != nil || u.ID != "eva" || u.DisplayName != "Eva Schmidt" {
		t.Fatalf("user %+v, %v", u, err)
	}
	if _, err := client(t, s, g.AppPassword).List(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := nc.GetAppPassword(ctx, "eva", g.AppPassword); !errors.Is(err, nextcloud.ErrAlreadyAppPassword) {
		t.Errorf("trading an app password: %v", err)
	}
	if err := nc.RevokeAppPassword(ctx, "eva", g.AppPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := client(t, s, g.AppPassword).List(ctx, ""); !errors.Is(err, webdav.ErrUnauthorized) {
		t.Errorf("a revoked app password still works: %v", err)
	}
	// A poll without a valid token is told "not yet", never given a password.
	resp, err := http.Post(flow.PollEndpoint, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a second poll: HTTP %d", resp.StatusCode)
	}
}

// "Copy share link" works on the demo: the Files view's own client gets a
// public link, which opens a page; a missing path or a wrong password is refused.
func TestShareLink(t *testing.T) {
	s := start(t)
	c := ncshare.Client{Server: s.URL, User: "eva", Pass: "pw"}
	sh, err := c.CreateLink(context.Background(), "Documents/Notes.md", ncshare.Options{ExpireDate: "2027-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	if sh.Permissions != 1 || !strings.HasPrefix(sh.URL, s.URL+"/index.php/s/") || !strings.HasPrefix(sh.Expiration, "2027-01-31") {
		t.Fatalf("share: %+v", sh)
	}
	resp, err := http.Get(sh.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the link answers %d", resp.StatusCode)
	}
	if _, err := c.CreateLink(context.Background(), "Nope.md", ncshare.Options{}); err == nil {
		t.Error("a share of a missing file was created")
	}
	bad := ncshare.Client{Server: s.URL, User: "eva", Pass: "wrong"}
	if _, err := bad.CreateLink(context.Background(), "Readme.md", ncshare.Options{}); err == nil {
		t.Error("a share with a wrong password was created")
	}
}
