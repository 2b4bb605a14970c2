package mailcache

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskport/deskport/internal/remoteimg"
)

func TestAllowedRemoteImagesArriveInlined(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG-bytes"))
	}))
	defer srv.Close()
	raw := []byte("From: a@example.org\r\nSubject: Newsletter\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<p>Hallo</p><img src="` + srv.URL + `/logo.png" width="200" height="80" alt="Logo">`)
	blocked := Display(raw, false)
	if blocked.Blocked != 1 || strings.Contains(blocked.HTML, srv.URL) {
		t.Fatalf("not allowed yet: blocked %d, html %s", blocked.Blocked, blocked.HTML)
	}
	f := &remoteimg.Fetcher{AllowPrivate: true}
	shown := DisplayWith(raw, true, f.Fetch)
	if !strings.Contains(shown.HTML, `src="data:image/png;base64,`) || strings.Contains(shown.HTML, srv.URL) {
		t.Fatalf("allowed: the image is not inlined as data (the frame's CSP would block a remote URL):\n%s", shown.HTML)
	}
}
