package suite

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// Discovery against the Nextcloud-compatible test server, on its own port,
// beside a refused IdP port.
func TestDiscoverRealNCServer(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	p, err := New("example.org", map[App]string{Files: nc.URL, ID: refusedURL(t), Bare: nc.URL})
	if err != nil {
		t.Fatal(err)
	}
	r := Discover(context.Background(), http.DefaultClient, p)
	files, _ := r.Get(Files)
	if files.Status != Found || !strings.HasPrefix(files.Detail, "Nextcloud 25") {
		t.Errorf("files: %+v", files)
	}
	idp, _ := r.Get(ID)
	if idp.Status != Unreachable || !strings.Contains(idp.Reason, "sign-in service (IdP) is unreachable") {
		t.Errorf("idp: %+v", idp)
	}
	chat, _ := r.Get(Chat) // the NC server has no Matrix well-known
	if chat.Status == Found {
		t.Errorf("chat found on a server without Matrix: %+v", chat)
	}
}
