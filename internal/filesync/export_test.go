package filesync

import "context"

// SetFault makes local writes fail (e.g. with ENOSPC) in tests.
func SetFault(e *Engine, f func(op, rel string) error) { e.local.fault = f }

// SetCrashHook sets the crash point hook for the kill tests.
func SetCrashHook(f func(point string)) { crashHook = f }

// SyncScoped runs Sync with a first pass that looks only at the given local
// paths (each with everything below it), as Run does with the watcher's.
func SyncScoped(ctx context.Context, e *Engine, changed []string) (Result, error) {
	sc := newScope()
	for _, p := range changed {
		sc.addDeep(p)
	}
	return e.syncScoped(ctx, sc)
}
