// Package filesync keeps a local folder and a WebDAV folder (Nextcloud or
// generic) equal in both directions without ever losing a version.
//
// A pass scans the local tree, walks the server (only into folders whose
// propagated ETag changed; every folder on generic WebDAV), loads the
// journal of the last synced state (SQLite) and reconciles the three into a
// plan: moves first (server file ids, local inodes), then folders, then
// transfers in parallel, then deletions, then the folders' ETags.
//
// While Run watches the folder, a pass after the first is scoped (scope.go):
// it looks only at the paths the watcher reported, what the pass before did
// and the journal's unsettled paths, and on the server at the folders whose
// ETag moved, reading the journal folder by folder. It makes the plan a full
// pass would make for those paths (tested against full passes on random
// changes). A full pass runs at the start, after any sign that the watcher
// missed something, hourly, and whenever a scope would be large.
//
// The rules that keep data safe:
//   - Every server write has a precondition (If-Match the ETag the plan saw,
//     If-None-Match for new files), so a change made meanwhile is never
//     overwritten; it is picked up by the next pass instead. Bulk upload has
//     no precondition, so it is only used in folders the same pass created.
//   - A local file is replaced or deleted only if it is still exactly what
//     the plan saw (size and mtime checked just before the rename/remove).
//   - Downloads go to a temp file in the same folder, fsynced, then renamed.
//   - Changed on both sides: contents are compared; if they differ the local
//     edit is renamed "name (conflicted copy DATE TIME).ext" and kept
//     ("… TIME 2).ext" and on when a copy of that second exists).
//   - Deleted on one side, changed on the other: the changed file is
//     restored, never deleted.
//   - The mass-delete guard stops a pass that would delete more than 50 files
//     or a quarter of the tree on either side until the user confirms.
//   - Journal writes are batched in order, so a crash loses only the newest
//     ones; a path without journal entry that exists on both sides is
//     compared, never deleted. kill -9 at any crash point (see crashpoint.go)
//     is tested to converge on the next run.
//   - Every transfer is written down as pending before it starts (an upload
//     with the SHA-256 of its bytes, a download just before its temp file is
//     renamed into place), and uploads and moves are recorded the moment
//     they return; so the run after a kill -9 takes its own unrecorded
//     transfer for what it is, not for a change made by someone else: a
//     change made on one side only never becomes a conflict, a delete is
//     never undone (pending.go). Random kill -9 rounds against a model of
//     every version written are tested too (randomkill_test.go).
//   - Every local path goes through localFS.abs: names from the server that
//     are invalid here, leave the root or cross a symlink are per-file errors.
//   - Names are kept byte for byte (Windows and Linux do not normalize):
//     an NFD name from the server stays NFD. On case-insensitive disks two
//     server names differing only in case are a per-file error.
//   - A folder's server ETag is recorded only when everything below it
//     synced, so an unchanged ETag really means nothing to do below it.
//   - Nothing is deleted below a folder that could not be read (a local
//     link or unreadable folder, a server folder that cannot be listed):
//     those are per-folder errors and the rest of the pass goes on.
//   - A missing local folder (unmounted drive) stops the pass; an empty one
//     trips the mass-delete guard. Ignored and deselected paths are never
//     touched on either side.
//   - Every per-file failure is retried with backoff, then recorded for the
//     UI; only a full disk, a full server quota or a refused login stop
//     the pass.
package filesync
