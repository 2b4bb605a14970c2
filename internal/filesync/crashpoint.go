package filesync

// crashHook, when set by a test, is called at every point where a kill -9
// would leave a half-done state; the kill tests make it SIGKILL the process
// at the n-th call.
var crashHook func(point string)

func hit(point string) {
	if crashHook != nil {
		crashHook(point)
	}
}
