package ncnotify

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/deskport/deskport/internal/testpeer"
)

// Against the Nextcloud-compatible test server's notifications endpoint
// (scripts/peers/ncserver/router.php): no app, the list, new ones, a wrong
// password.
func TestFetchFromPeer(t *testing.T) {
	nc := testpeer.StartNCServer(t)
	ctx := context.Background()
	if _, err := Fetch(ctx, http.DefaultClient, nc.URL, nc.User, nc.Pass); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("without the app: %v", err)
	}
	file := filepath.Join(nc.DataDir, "notifications.json")
	os.WriteFile(file, []byte(`[{"notification_id":3,"subject":"old"}]`), 0o600)
	var tr Tracker
	list, err := Fetch(ctx, http.DefaultClient, nc.URL+"/", nc.User, nc.Pass)
	if err != nil || len(list) != 1 || list[0].Subject != "old" || list[0].App != "files" || len(tr.New(list)) != 0 {
		t.Fatalf("first: %+v %v", list, err)
	}
	os.WriteFile(file, []byte(`[{"notification_id":3,"subject":"old"},{"notification_id":9,"subject":"new","message":"m"}]`), 0o600)
	list, err = Fetch(ctx, http.DefaultClient, nc.URL, nc.User, nc.Pass)
	if n := tr.New(list); err != nil || len(list) != 2 || list[0].ID != 9 || len(n) != 1 || n[0].Message != "m" {
		t.Fatalf("second: %+v %v", list, err)
	}
	if _, err := Fetch(ctx, http.DefaultClient, nc.URL, nc.User, "wrong"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
}
