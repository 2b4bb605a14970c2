package suite

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serve starts a loopback server (its own port, hence its own origin).
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestDiscoverAgainstLoopbackServers(t *testing.T) {
	var idp string
	idp = serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/realms/opendesk/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"issuer":"%s/realms/opendesk","authorization_endpoint":"%s/realms/opendesk/protocol/openid-connect/auth","token_endpoint":"x"}`, idp, idp)
	})
	files := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/status.php" {
			fmt.Fprint(w, `{"installed":true,"maintenance":false,"version":"29.0.4.1","versionstring":"29.0.4","productname":"Nextcloud"}`)
			return
		}
		http.NotFound(w, r)
	})
	portal := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, idp+"/realms/opendesk/protocol/openid-connect/auth", http.StatusFound)
	})
	bare := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/matrix/client" {
			fmt.Fprint(w, `{"m.homeserver":{"base_url":"https://matrix.example.org"}}`)
			return
		}
		http.Redirect(w, r, portal, http.StatusFound)
	})
	notNC := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>hello</html>") })
	broken := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 502) })
	down := refusedURL(t)

	p, err := New("example.org", map[App]string{
		ID: idp, Files: files, Portal: portal, Bare: bare,
		Webmail: notNC, DAV: notNC, Office: broken, Chat: down, Meet: down, Projects: down,
		Wiki: "http://localhost:1", // also refused, via a name
	})
	if err != nil {
		t.Fatal(err)
	}
	r := Discover(context.Background(), http.DefaultClient, p)
	if len(r.Checks) != len(Apps) {
		t.Fatalf("%d checks, want %d", len(r.Checks), len(Apps))
	}
	expect := map[App]struct {
		status Status
		reason string
	}{
		Files:   {Found, "Nextcloud 29.0.4"},
		ID:      {Found, "realm opendesk"},
		Portal:  {Answers, "HTTP 302"},
		Chat:    {Found, "https://matrix.example.org"},
		Webmail: {Answers, "HTTP 200"},
		Office:  {NotFound, "server error (HTTP 502)"},
		Meet:    {Unreachable, "refused"},
		Wiki:    {Unreachable, "refused"},
	}
	for app, want := range expect {
		c, _ := r.Get(app)
		if c.Status != want.status || !strings.Contains(c.Reason, want.reason) {
			t.Errorf("%s: %s %q; want %s with %q", app, c.Status, c.Reason, want.status, want.reason)
		}
	}

	// The same checks, from the other side: a web server that is not a
	// Nextcloud, an IdP without the realm and no Matrix well-known.
	p2, _ := New("example.org", map[App]string{Files: notNC, ID: files, Bare: notNC, Chat: portal})
	r2 := Discover(context.Background(), http.DefaultClient, p2)
	for app, want := range map[App]struct {
		status Status
		reason string
	}{
		Files: {NotFound, "is not a Nextcloud"},
		ID:    {NotFound, `no realm "opendesk" (HTTP 404)`},
		Chat:  {Answers, "no Matrix well-known"},
	} {
		c, _ := r2.Get(app)
		if c.Status != want.status || !strings.Contains(c.Reason, want.reason) {
			t.Errorf("%s: %s %q; want %s with %q", app, c.Status, c.Reason, want.status, want.reason)
		}
	}
}

func TestDiscoverIdPWithWrongIssuer(t *testing.T) {
	idp := serve(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"issuer":"http://keycloak:8080/realms/opendesk","authorization_endpoint":"http://keycloak:8080/auth"}`)
	})
	p, _ := New("example.org", map[App]string{ID: idp})
	c := checkIdP(context.Background(), http.DefaultClient, p)
	if c.Status != NotFound || !strings.Contains(c.Reason, "Keycloak hostname") {
		t.Errorf("wrong issuer: %s %q", c.Status, c.Reason)
	}
}

func TestDiscoverUntrustedCertificate(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"installed":true,"version":"29.0.0.1"}`)
	}))
	t.Cleanup(s.Close)
	p, _ := New("example.org", map[App]string{Files: s.URL})
	// A client with the system roots only, as a user would have.
	c := checkNextcloud(context.Background(), &http.Client{}, p)
	if c.Status != TLSError || !strings.Contains(c.Reason, "admin defaults") {
		t.Errorf("untrusted cert: %s %q", c.Status, c.Reason)
	}
	// With the server's CA added (what an admin CA bundle does) it is found.
	c = checkNextcloud(context.Background(), s.Client(), p)
	if c.Status != Found {
		t.Errorf("trusted cert: %s %q", c.Status, c.Reason)
	}
}

func TestDiscoverUnknownHost(t *testing.T) {
	p, _ := New("deskport-test.invalid", nil)
	c := checkNextcloud(context.Background(), http.DefaultClient, p)
	if c.Status != Unreachable || !strings.Contains(c.Reason, "files.deskport-test.invalid") {
		t.Errorf("unknown host: %s %q", c.Status, c.Reason)
	}
}
