// Package webdav is a WebDAV client for Nextcloud and generic servers (Apache
// mod_dav): listing, transfers with conditional writes, chunked upload v2 with
// resume, bulk upload and capabilities. A Client is safe for use from many
// goroutines and keeps connections alive.
//
// Paths are relative to the files URL, "/"-separated, and names are kept
// byte-exact (NFC and NFD are different names). Paths with "..", ".", empty
// names or NUL are refused with ErrInvalidPath; server hrefs that leave the
// requested folder or are otherwise unsafe become per-entry *EntryError values
// (Listing.Errors), never paths.
//
// Nothing is overwritten by accident: Put takes IfMatch (the ETag last seen)
// or CreateOnly; Delete takes IfMatch; Move and Copy refuse an existing
// destination unless Overwrite is set. A refused condition is ErrPrecondition
// (ErrExists for a destination in the way). Apache calls an ETag weak for a
// second after a write and refuses If-Match on it; the client waits that out.
//
// Errors wrap sentinels for errors.Is: ErrUnauthorized (sign in again),
// ErrNotFound, ErrExists, ErrConflict (parent folder missing), ErrPrecondition,
// ErrLocked, ErrInsufficientStorage, ErrForbidden, ErrTooLarge, ErrServer;
// *NetError when the server cannot be reached or the connection stalls;
// *LocalReadError when the local data being uploaded could not be read.
//
// Typical use:
//
//	c, _ := webdav.New(webdav.Options{FilesURL: "https://cloud.example.org/remote.php/dav/files/alice/",
//		User: "alice", Password: appPassword})
//	caps, _ := c.Capabilities(ctx)               // once per session: bulk, chunking
//	l, _ := c.List(ctx, "Documents")            // l.Self.ETag unchanged: nothing changed below (Nextcloud)
//	r, err := c.Put(ctx, "Documents/a.txt", f, size, webdav.PutOptions{ModTime: mt, IfMatch: known.ETag})
//	r, err = c.PutChunked(ctx, "big.iso", f, size, webdav.ChunkedOptions{Identity: localIdentity})
//	results := c.BulkUpload(ctx, smallFiles, caps.CanBulk())
package webdav
