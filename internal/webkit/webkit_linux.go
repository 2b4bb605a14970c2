//go:build linux && cgo

// Package webkit reaches the WebKitWebView that Wails v2 creates on Linux and
// adds what Wails leaves out: persistent cookies, a navigation allowlist,
// media permissions, offline detection and an injected page script. Wails
// uses WebKit's default web context and one view; the view is found from
// gtk_window_list_toplevels on the GTK main thread.
package webkit

/*
#cgo pkg-config: webkit2gtk-4.1 gtk+-3.0
#cgo CFLAGS: -Wno-deprecated-declarations
#include <stdint.h>
#include <stdlib.h>
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

extern int goDecide(char *uri, int kind, int gesture, int shellSafe);
extern int goIsShell(char *uri);
extern void goWallEvent(int what);
extern int goPermission(char *viewURI, int kind);
extern int goLoadFailed(char *uri, char *domain, int code);
extern void goViewReady(void);
extern void goOpResult(long id, char *result, char *err);

static WebKitWebView *dp_view = NULL;
static WebKitUserScript *dp_script = NULL;
static int dp_mock_capture = 0;

static char *dp_cookie_path = NULL;

// Only remembered here: WebKit is touched on the GTK main thread once the
// view exists (calling into WebKit before wails.Run could abort in Wails'
// own web view setup).
static void dp_set_cookie_storage(const char *path) {
	g_free(dp_cookie_path);
	dp_cookie_path = g_strdup(path);
}

static void dp_test_features(void) { dp_mock_capture = 2; }
static void dp_mock_capture_only(void) { if (!dp_mock_capture) dp_mock_capture = 1; }

static WebKitWebView *dp_find_view(GtkWidget *w) {
	if (WEBKIT_IS_WEB_VIEW(w)) return WEBKIT_WEB_VIEW(w);
	if (!GTK_IS_CONTAINER(w)) return NULL;
	WebKitWebView *found = NULL;
	GList *kids = gtk_container_get_children(GTK_CONTAINER(w));
	for (GList *l = kids; l != NULL && found == NULL; l = l->next) found = dp_find_view(GTK_WIDGET(l->data));
	g_list_free(kids);
	return found;
}

// The wall between remote pages and the desktop. Wails v2.12 authorizes every
// message a page posts to the "external" script message handler (binding
// calls 'C', quit 'Q', browser open 'BO:', file drops 'DD:') by the view's
// URI at the moment the message is handled, and WebKit changes that URI when
// a load STARTS, while the old page keeps running. Two locks, each enough on
// its own against a page posting while the shell loads:
//
// Lock 1 (ordering): the shell is never loaded over a non-shell page. Every
// load of the shell while anything else is committed (the page's own
// navigations, the user's menu, Ctrl+0, the switcher, deep links, the
// offline page) first loads about:blank and starts the shell only once the
// blank page has committed, so no remote script runs any more when the URI
// becomes the shell's.
//
// Lock 2 (no channel): the "external" handler exists only while the shell
// may be shown. It is unregistered as soon as a non-shell page commits and
// registered again just before the shell loads over the blank page. A remote
// page therefore finds no window.webkit.messageHandlers.external at all, a
// handler object it kept from before is dead, and WebKit's UI process drops
// messages for a handler that is gone, whatever the URI says. This does not
// depend on timing: a later change that loads the shell directly still
// meets a page without a channel. Wails connected its signal
// ("script-message-received::external") on the manager, not on the
// registration, so re-registering brings the shell's channel back.
//
// As a side effect a remote page cannot flood Wails' bounded message queue
// (every rejected message used to be logged and block the GTK thread once
// 100 were queued): it has nothing to post to.
static int dp_handler_on = 1;      // Wails registered it before the view existed
// Test builds only (DisableForTest): switch parts off to show each matters.
enum { OFF_ORDER = 1, OFF_CHANNEL = 2, OFF_POLICY = 4, OFF_PERMISSION = 8 };
static int dp_off = 0;
static void dp_test_off(int what) { dp_off = what; }
static int dp_committed_shell = 1; // the committed page is the shell (Wails' first page)
static int dp_committed_blank = 0; // the committed page is about:blank
static char *dp_pending_shell = NULL; // shell load waiting for about:blank to commit
static int dp_expect_shell = 0;    // we started the shell load over the blank page

enum { WALL_HANDLER_OFF = 1, WALL_HANDLER_ON = 2, WALL_VIA_BLANK = 3, WALL_SHELL_NO_HANDLER = 4, WALL_REROUTED = 5 };

static void dp_handler_set(int on) {
	if (dp_view == NULL || on == dp_handler_on || (dp_off & OFF_CHANNEL)) return;
	WebKitUserContentManager *m = webkit_web_view_get_user_content_manager(dp_view);
	if (on) webkit_user_content_manager_register_script_message_handler(m, "external");
	else webkit_user_content_manager_unregister_script_message_handler(m, "external");
	dp_handler_on = on;
	goWallEvent(on ? WALL_HANDLER_ON : WALL_HANDLER_OFF);
}

// dp_shell_safe: the shell may load directly, because the shell itself is
// the committed page and no other load is under way (a load under way may
// have committed in the web process already without the UI knowing).
static int dp_shell_safe(void) {
	return dp_committed_shell && !webkit_web_view_is_loading(dp_view);
}

static gint64 dp_pending_since = 0;

static void dp_load_shell(const char *uri, int force) {
	if (dp_shell_safe() || (dp_off & OFF_ORDER)) {
		webkit_web_view_load_uri(dp_view, uri);
		return;
	}
	if (dp_committed_blank && dp_expect_shell) {
		// The blank page is committed and the shell on its way: nothing else runs.
		webkit_web_view_load_uri(dp_view, uri);
		return;
	}
	int underway = dp_pending_shell != NULL && g_get_monotonic_time() - dp_pending_since < 2 * G_USEC_PER_SEC;
	g_free(dp_pending_shell);
	dp_pending_shell = g_strdup(uri);
	if (underway && !force) return; // the blank page is on its way; the shell follows it
	dp_pending_since = g_get_monotonic_time();
	goWallEvent(WALL_VIA_BLANK);
	webkit_web_view_load_uri(dp_view, "about:blank");
}

static int dp_nav_shell_safe(void);

// The URI becomes the shell's over another page by a way the policy handler
// does not see first: a server redirect changes the URI as soon as it is
// received, before its navigation is decided (and while the page still
// runs). Replace that load at once with the blank page: load_uri changes the
// URI before this returns, inside the same notification, so no message is
// judged by the shell's URI in between. The launcher follows the blank page.
static void dp_on_uri(GObject *o, GParamSpec *ps, gpointer u) {
	WebKitWebView *v = WEBKIT_WEB_VIEW(o);
	const char *uri = webkit_web_view_get_uri(v);
	if (uri == NULL || (dp_off & OFF_ORDER) || !goIsShell((char *)uri) || dp_nav_shell_safe()) return;
	goWallEvent(WALL_REROUTED);
	dp_load_shell("wails://wails/#/home", 1); // every time: WebKit may set the URI again
}

static void dp_on_load_changed(WebKitWebView *v, WebKitLoadEvent ev, gpointer u) {
	const char *uri = webkit_web_view_get_uri(v);
	if (ev != WEBKIT_LOAD_COMMITTED) return;
	int shell = uri != NULL && goIsShell((char *)uri);
	int blank = uri != NULL && g_strcmp0(uri, "about:blank") == 0;
	dp_committed_shell = shell;
	dp_committed_blank = blank;
	dp_expect_shell = 0;
	if (!shell) dp_handler_set(0);
	else if (!dp_handler_on) {
		// Only the path above loads the shell over another page, and it
		// registers the handler first. Any other way the shell got here
		// leaves it without bindings (fail closed), and says so in the log.
		goWallEvent(WALL_SHELL_NO_HANDLER);
	}
	if (!blank && dp_pending_shell != NULL) {
		// Another page won over the blank one: the shell waits for the next request.
		g_free(dp_pending_shell);
		dp_pending_shell = NULL;
	}
	if (blank && dp_pending_shell != NULL) {
		char *to = dp_pending_shell;
		dp_pending_shell = NULL;
		dp_handler_set(1);
		dp_expect_shell = 1;
		webkit_web_view_load_uri(v, to);
		g_free(to);
	}
}

// A navigation to the shell may go on only over the shell itself or over
// the blank page we loaded for it; anything else is re-routed (Decide).
// WebKit handles a page's requests in order after that page's commit, so
// what the UI saw committed is what asks here.
static int dp_nav_shell_safe(void) {
	if (dp_off & OFF_ORDER) {
		// As before the wall: the URI (which changes when a load starts) decides.
		const char *u = webkit_web_view_get_uri(dp_view);
		return u != NULL && goIsShell((char *)u);
	}
	return dp_committed_shell || (dp_committed_blank && dp_expect_shell);
}

static const char *dp_request_uri(WebKitNavigationPolicyDecision *d, int *gesture) {
	WebKitNavigationAction *a = webkit_navigation_policy_decision_get_navigation_action(d);
	*gesture = webkit_navigation_action_is_user_gesture(a) ? 1 : 0;
	WebKitURIRequest *r = webkit_navigation_action_get_request(a);
	return r ? webkit_uri_request_get_uri(r) : NULL;
}

static gboolean dp_on_decide(WebKitWebView *v, WebKitPolicyDecision *d, WebKitPolicyDecisionType type, gpointer u) {
	const char *uri = NULL;
	int gesture = 0;
	int kind = 0;
	switch (type) {
	case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
		uri = dp_request_uri(WEBKIT_NAVIGATION_POLICY_DECISION(d), &gesture);
		kind = 0;
		break;
	case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
		uri = dp_request_uri(WEBKIT_NAVIGATION_POLICY_DECISION(d), &gesture);
		kind = 1;
		break;
	case WEBKIT_POLICY_DECISION_TYPE_RESPONSE: {
		WebKitResponsePolicyDecision *rd = WEBKIT_RESPONSE_POLICY_DECISION(d);
		if (!webkit_response_policy_decision_is_main_frame_main_resource(rd)) return FALSE;
		WebKitURIResponse *resp = webkit_response_policy_decision_get_response(rd);
		uri = resp ? webkit_uri_response_get_uri(resp) : NULL;
		kind = 2;
		break;
	}
	default:
		return FALSE;
	}
	if (uri == NULL) {
		webkit_policy_decision_ignore(d);
		return TRUE;
	}
	if (goDecide((char *)uri, kind, gesture, dp_nav_shell_safe())) {
		webkit_policy_decision_ignore(d);
		return TRUE;
	}
	return FALSE;
}

static gboolean dp_on_permission(WebKitWebView *v, WebKitPermissionRequest *req, gpointer u) {
	int kind = -1;
	if (WEBKIT_IS_USER_MEDIA_PERMISSION_REQUEST(req)) kind = 0;
	else if (WEBKIT_IS_DEVICE_INFO_PERMISSION_REQUEST(req)) kind = 1;
	const char *uri = webkit_web_view_get_uri(v);
	if (kind >= 0 && ((dp_off & OFF_PERMISSION) || goPermission((char *)(uri ? uri : ""), kind))) webkit_permission_request_allow(req);
	else webkit_permission_request_deny(req);
	return TRUE;
}

// A certificate WebKit does not trust: keep WebKit's error page (never the
// offline mode, never an exception). The load-failed that follows is skipped.
static char *dp_tls_failed = NULL;

static gboolean dp_on_tls_errors(WebKitWebView *v, gchar *uri, GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer u) {
	g_free(dp_tls_failed);
	dp_tls_failed = g_strdup(uri);
	return FALSE;
}

static gboolean dp_on_load_failed(WebKitWebView *v, WebKitLoadEvent ev, gchar *uri, GError *err, gpointer u) {
	gboolean tls = dp_tls_failed != NULL && uri != NULL && g_strcmp0(dp_tls_failed, uri) == 0;
	g_free(dp_tls_failed);
	dp_tls_failed = NULL;
	if (tls) return FALSE;
	if (err == NULL || uri == NULL) return FALSE;
	return goLoadFailed(uri, (char *)g_quark_to_string(err->domain), err->code) ? TRUE : FALSE;
}

static gboolean dp_try_attach(gpointer data) {
	GList *tops = gtk_window_list_toplevels();
	WebKitWebView *v = NULL;
	for (GList *l = tops; l != NULL && v == NULL; l = l->next) v = dp_find_view(GTK_WIDGET(l->data));
	g_list_free(tops);
	if (v == NULL) return G_SOURCE_CONTINUE;
	dp_view = g_object_ref(v);
	WebKitWebContext *ctx = webkit_web_view_get_context(v);
	if (dp_cookie_path) {
		webkit_cookie_manager_set_persistent_storage(webkit_web_context_get_cookie_manager(ctx), dp_cookie_path,
			WEBKIT_COOKIE_PERSISTENT_STORAGE_SQLITE);
	}
	if (dp_mock_capture == 2) webkit_web_context_set_automation_allowed(ctx, TRUE);
	if (!(dp_off & OFF_POLICY)) g_signal_connect(v, "decide-policy", G_CALLBACK(dp_on_decide), NULL);
	g_signal_connect(v, "permission-request", G_CALLBACK(dp_on_permission), NULL);
	g_signal_connect(v, "load-failed", G_CALLBACK(dp_on_load_failed), NULL);
	g_signal_connect(v, "load-changed", G_CALLBACK(dp_on_load_changed), NULL);
	g_signal_connect(v, "notify::uri", G_CALLBACK(dp_on_uri), NULL);
	g_signal_connect(v, "load-failed-with-tls-errors", G_CALLBACK(dp_on_tls_errors), NULL);
	WebKitSettings *s = webkit_web_view_get_settings(v);
	webkit_settings_set_enable_media_stream(s, TRUE);
	webkit_settings_set_enable_webrtc(s, TRUE);
	webkit_settings_set_javascript_can_open_windows_automatically(s, FALSE);
	if (dp_mock_capture) webkit_settings_set_enable_mock_capture_devices(s, TRUE);
	goViewReady();
	return G_SOURCE_REMOVE;
}

static void dp_attach(void) { g_timeout_add(50, dp_try_attach, NULL); }

enum { OP_LOAD, OP_LOAD_SHELL, OP_EVAL, OP_URI, OP_SCRIPT, OP_BACK, OP_FORWARD, OP_RELOAD };
typedef struct { int kind; long id; char *str; } dp_op;

static void dp_eval_done(GObject *src, GAsyncResult *res, gpointer data) {
	long id = (long)(intptr_t)data;
	GError *err = NULL;
	JSCValue *v = webkit_web_view_evaluate_javascript_finish(WEBKIT_WEB_VIEW(src), res, &err);
	if (v == NULL) {
		goOpResult(id, NULL, err ? err->message : "evaluation failed");
		if (err) g_error_free(err);
		return;
	}
	char *s = (jsc_value_is_undefined(v) || jsc_value_is_null(v)) ? g_strdup("") : jsc_value_to_string(v);
	goOpResult(id, s, NULL);
	g_free(s);
	g_object_unref(v);
}

// dp_go moves in the history by one page in direction dir, over the blank
// pages the wall put before the shell.
static void dp_go(int dir) {
	WebKitBackForwardList *l = webkit_web_view_get_back_forward_list(dp_view);
	for (int i = dir; i > -100 && i < 100; i += dir) {
		WebKitBackForwardListItem *it = webkit_back_forward_list_get_nth_item(l, i);
		if (it == NULL) return;
		if (g_strcmp0(webkit_back_forward_list_item_get_uri(it), "about:blank") != 0) {
			webkit_web_view_go_to_back_forward_list_item(dp_view, it);
			return;
		}
	}
}

static gboolean dp_run_op(gpointer p) {
	dp_op *op = (dp_op *)p;
	if (dp_view == NULL) {
		if (op->id) goOpResult(op->id, NULL, "no web view");
	} else switch (op->kind) {
	case OP_LOAD:
		// Any other load supersedes a shell load still waiting for the blank page.
		g_free(dp_pending_shell);
		dp_pending_shell = NULL;
		webkit_web_view_load_uri(dp_view, op->str);
		break;
	case OP_LOAD_SHELL:
		dp_load_shell(op->str, 0);
		break;
	case OP_EVAL:
		webkit_web_view_evaluate_javascript(dp_view, op->str, -1, NULL, NULL, NULL, dp_eval_done, (gpointer)(intptr_t)op->id);
		break;
	case OP_BACK:
		dp_go(-1);
		break;
	case OP_FORWARD:
		dp_go(1);
		break;
	case OP_RELOAD:
		webkit_web_view_reload(dp_view);
		break;
	case OP_URI: {
		const char *u = webkit_web_view_get_uri(dp_view);
		goOpResult(op->id, (char *)(u ? u : ""), NULL);
		break;
	}
	case OP_SCRIPT: {
		WebKitUserContentManager *m = webkit_web_view_get_user_content_manager(dp_view);
		if (dp_script) {
			webkit_user_content_manager_remove_script(m, dp_script);
			webkit_user_script_unref(dp_script);
			dp_script = NULL;
		}
		if (op->str[0]) {
			dp_script = webkit_user_script_new_for_world(op->str, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
				WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_END, "deskport", NULL, NULL);
			webkit_user_content_manager_add_script(m, dp_script);
		}
		if (op->id) goOpResult(op->id, "", NULL);
		break;
	}
	}
	free(op->str);
	free(op);
	return G_SOURCE_REMOVE;
}

static void dp_queue(int kind, long id, char *str) {
	dp_op *op = malloc(sizeof(dp_op));
	op->kind = kind;
	op->id = id;
	op->str = str; // owned, freed by dp_run_op
	g_idle_add(dp_run_op, op);
}
*/
import "C"

import (
	"errors"
	"log/slog"
	"sync"
	"time"
	"unsafe"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Hooks is what the app decides; all are called on the GTK main thread and
// must not block.
type Hooks struct {
	// Policy returns the current navigation policy (it changes when the
	// user connects a suite).
	Policy func() *navpolicy.Policy
	// OpenExternal hands a URL to the system browser.
	OpenExternal func(url string)
	// Open takes a link the shell's opener (navpolicy.OpenPath) was asked
	// for by a click in the shell, e.g. in the reader's mail frame (see
	// Decision.Open). Called on its own goroutine.
	Open func(url string)
	// AllowMedia says whether the page at viewURI may use camera/microphone.
	AllowMedia func(viewURI string) bool
	// Offline is called when a main-frame load of an allowed suite page
	// failed for lack of network; it returns the page to show instead ("" to
	// keep WebKit's error page).
	Offline func(failedURI string) string
}

var (
	mu      sync.Mutex
	hooks   Hooks
	ready   = make(chan struct{})
	once    sync.Once
	opSeq   int64
	waiters = map[int64]chan opResult{}
)

type opResult struct {
	val string
	err error
}

// SetCookieStorage makes the view's web context (WebKit's default one under
// Wails) keep cookies in an SQLite file at path. Call it before Attach; it
// takes effect on the GTK main thread when the view is found, before the
// first suite page (the shell itself is served by Wails, without cookies).
func SetCookieStorage(path string) {
	c := C.CString(path)
	defer C.free(unsafe.Pointer(c))
	C.dp_set_cookie_storage(c)
}

// EnableTestFeatures allows automation on the context and mock capture
// devices in the view. Only test builds call it, before Attach.
func EnableTestFeatures() { C.dp_test_features() }

// DisableForTest switches parts of the window's protection off, to show in
// tests that each one matters: 1 the blank page before the shell, 2 the
// message handler's removal, 4 the navigation policy, 8 the media
// permission check. Only test builds call it, before Attach.
func DisableForTest(parts int) { C.dp_test_off(C.int(parts)) }

// EnableMockCapture gives the view fake camera and microphone devices (the
// window self-check's own window only), before Attach.
func EnableMockCapture() { C.dp_mock_capture_only() }

// Attach finds Wails' web view once it exists and connects the handlers.
// Call it from OnStartup.
func Attach(h Hooks) {
	mu.Lock()
	hooks = h
	mu.Unlock()
	C.dp_attach()
}

// Ready is closed once the view is found and the handlers connected.
func Ready() <-chan struct{} { return ready }

func currentHooks() Hooks {
	mu.Lock()
	defer mu.Unlock()
	return hooks
}

//export goViewReady
func goViewReady() { once.Do(func() { close(ready) }) }

// Decision kinds from C.
const (
	kindNavigation = 0
	kindNewWindow  = 1
	kindResponse   = 2
)

//export goDecide
func goDecide(curi *C.char, kind C.int, gesture C.int, shellSafe C.int) C.int {
	h := currentHooks()
	uri := C.GoString(curi)
	var p *navpolicy.Policy
	if h.Policy != nil {
		p = h.Policy()
	}
	if p == nil {
		p = navpolicy.New(nil)
	}
	clicked := gesture != 0
	switch kind {
	case kindNavigation:
		if clicked {
			gestures.Note(uri, time.Now())
		}
	case kindResponse:
		// The response carries no gesture: it counts when the navigation
		// action for the same address was a click.
		clicked = gestures.Take(uri, time.Now())
	}
	d := Decide(p, uri, int(kind), clicked, shellSafe != 0)
	if d.OpenExternal && h.OpenExternal != nil && opens.Allow(time.Now()) {
		go h.OpenExternal(uri)
	}
	if d.Open != "" && h.Open != nil && opens.Allow(time.Now()) {
		go h.Open(d.Open)
	}
	if d.LoadInstead != "" {
		Load(d.LoadInstead)
	}
	if d.Ignore {
		return 1
	}
	return 0
}

// gestures remembers clicked navigations until their response is decided;
// opens limits how often a page can hand links to the desktop.
var (
	gestures = newGestureMemory(10 * time.Second)
	opens    = newRateLimit(3, time.Second)
)

//export goIsShell
func goIsShell(curi *C.char) C.int {
	if navpolicy.IsShell(C.GoString(curi)) {
		return 1
	}
	return 0
}

// Wall events from C (see the comment on the locks there).
const (
	wallHandlerOff     = 1
	wallHandlerOn      = 2
	wallViaBlank       = 3
	wallShellNoHandler = 4
	wallRerouted       = 5
)

var wallStats struct {
	sync.Mutex
	off, on, viaBlank, shellNoHandler, rerouted int
}

//export goWallEvent
func goWallEvent(what C.int) {
	wallStats.Lock()
	defer wallStats.Unlock()
	switch what {
	case wallHandlerOff:
		wallStats.off++
	case wallHandlerOn:
		wallStats.on++
	case wallViaBlank:
		wallStats.viaBlank++
	case wallRerouted:
		wallStats.rerouted++
	case wallShellNoHandler:
		wallStats.shellNoHandler++
		if wallStats.shellNoHandler == 1 {
			slog.Error("the shell was loaded without going through the blank page; its bindings stay off (a Deskport bug, please report it)")
		}
	}
}

// Wall counts what the wall did: how often the message handler was switched
// off and on, how many shell loads went through the blank page, how many
// shell loads the policy handler had not seen were replaced (server
// redirects), and how often the shell committed without its handler (should
// be 0). For tests.
type Wall struct {
	HandlerOff, HandlerOn, ShellViaBlank, Rerouted, ShellWithoutHandler int
}

// WallStats reports the counts so far.
func WallStats() Wall {
	wallStats.Lock()
	defer wallStats.Unlock()
	return Wall{wallStats.off, wallStats.on, wallStats.viaBlank, wallStats.rerouted, wallStats.shellNoHandler}
}

//export goPermission
func goPermission(curi *C.char, kind C.int) C.int {
	h := currentHooks()
	if h.AllowMedia != nil && h.AllowMedia(C.GoString(curi)) {
		return 1
	}
	return 0
}

//export goLoadFailed
func goLoadFailed(curi *C.char, cdomain *C.char, code C.int) C.int {
	h := currentHooks()
	uri, domain := C.GoString(curi), C.GoString(cdomain)
	if h.Offline == nil || !navpolicy.OfflineError(domain, int(code)) {
		return 0
	}
	if to := h.Offline(uri); to != "" {
		Load(to)
		return 1
	}
	return 0
}

//export goOpResult
func goOpResult(id C.long, val *C.char, cerr *C.char) {
	mu.Lock()
	ch := waiters[int64(id)]
	delete(waiters, int64(id))
	mu.Unlock()
	if ch == nil {
		return
	}
	r := opResult{}
	if cerr != nil {
		r.err = errors.New(C.GoString(cerr))
	} else if val != nil {
		r.val = C.GoString(val)
	}
	ch <- r
}

func queue(kind C.int, s string, wait bool, timeout time.Duration) (string, error) {
	var id int64
	var ch chan opResult
	if wait {
		ch = make(chan opResult, 1)
		mu.Lock()
		opSeq++
		id = opSeq
		waiters[id] = ch
		mu.Unlock()
	}
	C.dp_queue(kind, C.long(id), C.CString(s))
	if !wait {
		return "", nil
	}
	select {
	case r := <-ch:
		return r.val, r.err
	case <-time.After(timeout):
		mu.Lock()
		delete(waiters, id)
		mu.Unlock()
		return "", errors.New("webkit: no answer from the web view")
	}
}

// Load navigates the view to uri (any goroutine). The navigation policy
// still applies at the response stage. The shell is loaded over a blank page
// unless it is shown already (see the locks in the C part).
func Load(uri string) {
	if navpolicy.IsShell(uri) {
		queue(C.OP_LOAD_SHELL, uri, false, 0)
		return
	}
	queue(C.OP_LOAD, uri, false, 0)
}

// Back, Forward and Reload act on the view's history (any goroutine).
func Back()    { queue(C.OP_BACK, "", false, 0) }
func Forward() { queue(C.OP_FORWARD, "", false, 0) }
func Reload()  { queue(C.OP_RELOAD, "", false, 0) }

// URI is the view's current address (any goroutine except the GTK thread).
func URI() (string, error) { return queue(C.OP_URI, "", true, 10*time.Second) }

// Eval runs script in the current page's main world and returns the result as
// a string. For tests and the app's own fixed scripts only.
func Eval(script string) (string, error) { return queue(C.OP_EVAL, script, true, 20*time.Second) }

// SetUserScript injects src (in an isolated world, at document end, top
// frame only) into every page loaded from now on, replacing the previous
// script; "" removes it. The script itself checks which page it is on.
func SetUserScript(src string) {
	go func() {
		<-ready
		queue(C.OP_SCRIPT, src, false, 0)
	}()
}
