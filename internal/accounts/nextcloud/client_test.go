package nextcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskport/deskport/internal/suite"
	"github.com/deskport/deskport/internal/testpeer"
)

// fillLoginPage does what the user does on the login page.
func fillLoginPage(t *testing.T, loginURL, user, pass string) int {
	t.Helper()
	resp, err := http.PostForm(loginURL, url.Values{"user": {user}, "password": {pass}})
	if err != nil {
		t.Error(err) // may run in a goroutine: no Fatal
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestAgainstNCServer(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	ctx := context.Background()
	c := New(nc.URL+"/", nil)
	c.UserAgent = "Deskport test (host1)"

	st, skew, err := c.Status(ctx)
	if err != nil || st.Version == "" || skew > time.Minute || skew < -time.Minute {
		t.Fatalf("Status = %+v, %v, %v", st, skew, err)
	}
	// A computer whose clock is 10 minutes slow sees the server 10 minutes ahead.
	c.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	if _, skew, _ = c.Status(ctx); SkewWarning(skew) == "" || !strings.Contains(SkewWarning(skew), "clock is 10m0s behind") {
		t.Errorf("skew %v gives warning %q", skew, SkewWarning(skew))
	}
	c.Now = time.Now

	if _, err := c.User(ctx, nc.User, "wrong"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
	u, err := c.User(ctx, nc.User, nc.Pass)
	if err != nil || u.ID != nc.User || u.DisplayName == "" {
		t.Fatalf("User = %+v, %v", u, err)
	}
	caps, err := c.Capabilities(ctx, "", "")
	if err != nil || caps.Version == "" || caps.WebDAVRoot == "" || caps.Chunking == "" {
		t.Errorf("Capabilities = %+v, %v", caps, err)
	}

	// Login Flow v2: start, the user fails once, then signs in; poll gets the app password once.
	f, err := c.StartLoginFlow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.LoginURL, nc.URL+"/") {
		t.Fatalf("login URL %q", f.LoginURL)
	}
	if code := fillLoginPage(t, f.LoginURL, nc.User, "wrong"); code != 403 {
		t.Errorf("wrong password on the login page: HTTP %d", code)
	}
	var polls atomic.Int32
	go func() {
		for polls.Load() < 2 {
			time.Sleep(10 * time.Millisecond)
		}
		fillLoginPage(t, f.LoginURL, nc.User, nc.Pass)
	}()
	g, err := c.Poll(ctx, f, PollOptions{First: 20 * time.Millisecond, Max: 50 * time.Millisecond,
		Progress: func(int, error) { polls.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if g.LoginName != nc.User || len(g.AppPassword) < 32 || g.AppPassword == nc.Pass {
		t.Fatalf("grant: login %q, app password of %d chars", g.LoginName, len(g.AppPassword))
	}
	if polls.Load() < 2 {
		t.Errorf("granted after %d polls; the test meant to sign in after 2", polls.Load())
	}
	// The app password works for the API, and a second poll gets nothing.
	if u, err := c.User(ctx, g.LoginName, g.AppPassword); err != nil || u.ID != nc.User {
		t.Fatalf("app password: %+v %v", u, err)
	}
	if _, done, _ := c.pollOnce(ctx, f); done {
		t.Error("the grant was handed out twice")
	}
	// Revoking it makes the server refuse it; the real password cannot revoke itself.
	if err := c.RevokeAppPassword(ctx, g.LoginName, g.AppPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User(ctx, g.LoginName, g.AppPassword); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("revoked app password still works: %v", err)
	}
	if err := c.RevokeAppPassword(ctx, nc.User, nc.Pass); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("revoking the account password: %v", err)
	}
}

func TestPollCancel(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	c := New(nc.URL, nil)
	f, err := c.StartLoginFlow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err = c.Poll(ctx, f, PollOptions{First: 30 * time.Millisecond, Max: 60 * time.Millisecond})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("canceled poll: %v after %v", err, time.Since(start))
	}
	f.Started = time.Now().Add(-FlowLifetime)
	if _, err := c.Poll(context.Background(), f, PollOptions{First: 10 * time.Millisecond}); !errors.Is(err, ErrFlowExpired) {
		t.Errorf("expired flow: %v", err)
	}
}

func TestNotANextcloud(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/status.php" {
			fmt.Fprint(w, "<?php echo 'hi';")
			return
		}
		http.NotFound(w, r)
	}))
	defer web.Close()
	c := New(web.URL, nil)
	if _, _, err := c.Status(context.Background()); !errors.Is(err, ErrNotNextcloud) || !strings.Contains(err.Error(), "check the files address") {
		t.Errorf("Status: %v", err)
	}
	if _, err := c.StartLoginFlow(context.Background()); !errors.Is(err, ErrNotNextcloud) {
		t.Errorf("StartLoginFlow: %v", err)
	}
	if _, err := c.User(context.Background(), "a", "b"); !errors.Is(err, ErrNotNextcloud) {
		t.Errorf("User: %v", err)
	}
}

func TestLoginFlowOnAnotherServerIsRefused(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"poll":{"token":"t","endpoint":"https://evil.example/poll"},"login":"https://evil.example/login"}`)
	}))
	defer s.Close()
	if _, err := New(s.URL, nil).StartLoginFlow(context.Background()); err == nil || !strings.Contains(err.Error(), "overwrite.cli.url") {
		t.Errorf("foreign poll endpoint accepted: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	port := testpeer.FreePort(t)
	_, _, err := New(fmt.Sprintf("http://127.0.0.1:%d", port), nil).Status(context.Background())
	var ne *suite.NetError
	if !errors.As(err, &ne) || ne.Problem != suite.ProblemUnreachable || !strings.Contains(err.Error(), "refused") {
		t.Errorf("unreachable: %v", err)
	}
}
