//go:build linux && cgo

package webkit

/*
#cgo pkg-config: webkit2gtk-4.1 gtk+-3.0
#cgo CFLAGS: -Wno-deprecated-declarations
#include <stdint.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

extern void goClearDone(long id, char *err);

static void dp_clear_done(GObject *src, GAsyncResult *res, gpointer data) {
	long id = (long)(intptr_t)data;
	GError *err = NULL;
	if (!webkit_website_data_manager_clear_finish(WEBKIT_WEBSITE_DATA_MANAGER(src), res, &err)) {
		goClearDone(id, err ? err->message : "clearing website data failed");
		if (err) g_error_free(err);
		return;
	}
	goClearDone(id, NULL);
}

// On the GTK main thread: every kind of website data (cookies, storage,
// caches, HSTS, ...) of the default context, all time (timespan 0).
static gboolean dp_clear_run(gpointer data) {
	WebKitWebsiteDataManager *m = webkit_web_context_get_website_data_manager(webkit_web_context_get_default());
	webkit_website_data_manager_clear(m, WEBKIT_WEBSITE_DATA_ALL, 0, NULL, dp_clear_done, data);
	return G_SOURCE_REMOVE;
}

static void dp_clear(long id) { g_idle_add(dp_clear_run, (gpointer)(intptr_t)id); }
*/
import "C"

import (
	"errors"
	"sync"
	"time"
)

var (
	clearMu      sync.Mutex
	clearSeq     int64
	clearWaiters = map[int64]chan error{}
)

//export goClearDone
func goClearDone(id C.long, cerr *C.char) {
	clearMu.Lock()
	ch := clearWaiters[int64(id)]
	delete(clearWaiters, int64(id))
	clearMu.Unlock()
	if ch == nil {
		return
	}
	if cerr != nil {
		ch <- errors.New(C.GoString(cerr))
		return
	}
	ch <- nil
}

// ClearWebsiteData deletes all website data of WebKit's default context
// (the one Wails' view uses): cookies in memory and in the persistent cookie
// store, local storage, IndexedDB, caches. It runs on the GTK main thread and
// waits for WebKit's callback. Call it from any goroutine except the GTK
// thread, after the view exists (Ready).
func ClearWebsiteData(timeout time.Duration) error {
	select {
	case <-ready:
	case <-time.After(timeout):
		return errors.New("webkit: no web view yet")
	}
	ch := make(chan error, 1)
	clearMu.Lock()
	clearSeq++
	id := clearSeq
	clearWaiters[id] = ch
	clearMu.Unlock()
	C.dp_clear(C.long(id))
	select {
	case err := <-ch:
		return err
	case <-time.After(timeout):
		clearMu.Lock()
		delete(clearWaiters, id)
		clearMu.Unlock()
		return errors.New("webkit: clearing website data did not finish")
	}
}
