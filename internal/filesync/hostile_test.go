package filesync_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// hostileServer is a WebDAV server listing names that try to escape the
// sync folder; it serves content for all of them.
func hostileServer(t *testing.T) string {
	entry := func(href string, dir bool) string {
		rt := ""
		if dir {
			rt = "<d:collection/>"
		}
		return fmt.Sprintf(`<d:response><d:href>%s</d:href><d:propstat><d:prop><d:resourcetype>%s</d:resourcetype>
<d:getcontentlength>4</d:getcontentlength><d:getetag>"e-%d"</d:getetag><d:getlastmodified>Mon, 02 Jan 2026 15:04:05 GMT</d:getlastmodified>
</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`, href, rt, len(href))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "PROPFIND" && r.URL.Path == "/dav/":
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(207)
			body := `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">` + entry("/dav/", true) +
				entry("/dav/good.txt", false) + entry("/dav/../evil", false) + entry("/dav/%2e%2e/passwd", false) +
				entry("/etc/passwd", false) + entry("/dav/a%2Fb", false) + entry("/dav/nul%00x", false) +
				entry("http://other.example/dav/x", false) + `</d:multistatus>`
			fmt.Fprint(w, body)
		case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/dav/"):
			w.Header().Set("ETag", `"e-1"`)
			if r.URL.Path == "/dav/good.txt" {
				fmt.Fprint(w, "good")
			} else {
				fmt.Fprint(w, "evil")
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
