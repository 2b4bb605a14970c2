package cli

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/deskport/deskport/internal/secrets"
	"github.com/deskport/deskport/internal/workspace"
)

// testSecrets, when set, is the keyring the commands of a test use.
var testSecrets secrets.Store

func useTestSecrets(t *testing.T, s secrets.Store) {
	testSecrets = s
	t.Cleanup(func() { testSecrets = nil })
}

// testEnv is a command's environment with the test's streams and keyring.
func testEnv(stdin io.Reader, stdout, stderr io.Writer) *Env {
	e := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if testSecrets != nil {
		e.Workspace = workspace.New(testSecrets)
	}
	return e
}

// lockedBuffer is a standard stream that a running command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
