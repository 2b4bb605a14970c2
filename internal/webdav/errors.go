package webdav

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel kinds: test with errors.Is. A *StatusError or *NetError wraps one.
var (
	ErrUnauthorized        = errors.New("the server did not accept the credentials: sign in again")
	ErrForbidden           = errors.New("the server does not allow this operation (check the folder's sharing permissions)")
	ErrNotFound            = errors.New("not found on the server")
	ErrExists              = errors.New("already exists on the server")
	ErrConflict            = errors.New("the parent folder does not exist on the server")
	ErrPrecondition        = errors.New("changed on the server since it was last seen: sync again to pick up the change")
	ErrLocked              = errors.New("locked on the server (open in another app?): try again later")
	ErrInsufficientStorage = errors.New("not enough space on the server: free some space or ask the administrator for more quota")
	ErrTooLarge            = errors.New("the server refuses files this large")
	ErrServer              = errors.New("the server had an internal error: try again later")
	ErrBadHref             = errors.New("the server sent an unusable or unsafe path")
	ErrInvalidPath         = errors.New("invalid path")
	ErrNotSupported        = errors.New("the server does not support this")
	ErrChangedWhileReading = errors.New("the file changed on the server during the download: download it again from the start")
	// ErrStalled: no data moved for the stall timeout (Options.StallTimeout);
	// the request was given up, not retried.
	ErrStalled = errors.New("the transfer stalled")
)

// StatusError is an HTTP error answer from the server.
type StatusError struct {
	Method  string
	Path    string // the path relative to the files root (or the URL for non-file requests)
	Status  int
	Message string // the server's explanation, if it gave one
	Kind    error  // one of the sentinels above, or nil
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("webdav %s %q: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	if e.Kind != nil {
		s += ": " + e.Kind.Error()
	}
	return s
}

func (e *StatusError) Unwrap() error { return e.Kind }

// NetError is a failure to talk to the server at all.
type NetError struct {
	Method string
	URL    string
	Err    error
}

func (e *NetError) Error() string {
	if errors.Is(e.Err, ErrStalled) { // reached, but it stopped answering
		return fmt.Sprintf("webdav %s %s: %v", e.Method, e.URL, e.Err)
	}
	return fmt.Sprintf("webdav %s %s: cannot reach the server (check the network connection and the server address): %v",
		e.Method, e.URL, e.Err)
}

func (e *NetError) Unwrap() error { return e.Err }

// EntryError is one unusable entry of a listing (a hostile or malformed href,
// an unparsable property); the rest of the listing is still valid.
type EntryError struct {
	Href   string
	Reason string
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("webdav: server entry %q skipped: %s", e.Href, e.Reason)
}

func (e *EntryError) Unwrap() error { return ErrBadHref }

func kindOf(status int) error {
	switch status {
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotFound, http.StatusGone:
		return ErrNotFound
	case http.StatusMethodNotAllowed:
		return ErrExists // MKCOL on an existing path; callers of other methods re-map
	case http.StatusConflict:
		return ErrConflict
	case http.StatusPreconditionFailed:
		return ErrPrecondition
	case http.StatusLocked, http.StatusFailedDependency:
		return ErrLocked
	case http.StatusInsufficientStorage:
		return ErrInsufficientStorage
	case http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	}
	if status >= 500 {
		return ErrServer
	}
	return nil
}

// LocalReadError is a failure reading the local data being uploaded.
type LocalReadError struct {
	Path string
	Err  error
}

func (e *LocalReadError) Error() string {
	return fmt.Sprintf("webdav: upload of %q stopped: reading the local file failed: %v", e.Path, e.Err)
}

func (e *LocalReadError) Unwrap() error { return e.Err }
