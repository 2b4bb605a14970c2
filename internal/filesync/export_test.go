package filesync

// SetFault makes local writes fail (e.g. with ENOSPC) in tests.
func SetFault(e *Engine, f func(op, rel string) error) { e.local.fault = f }

// SetCrashHook sets the crash point hook for the kill tests.
func SetCrashHook(f func(point string)) { crashHook = f }
