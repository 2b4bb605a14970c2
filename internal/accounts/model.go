// Package accounts keeps the user's suite accounts: the files (Nextcloud)
// account and the mail account. What is not secret lives in accounts.json
// under the config folder; passwords and app passwords live only in the OS
// keyring (internal/secrets), under keys like "files/alice@files.example.org".
package accounts

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/suite"
)

// Kind names an account.
type Kind string

const (
	FilesKind Kind = "files"
	MailKind  Kind = "mail"
)

var (
	// ErrNoAccount: nobody has signed in for this kind yet.
	ErrNoAccount = errors.New("not signed in yet: sign in in Deskport's window, or run 'deskport login'")
	// ErrSignInAgain: the server refuses the saved credentials (a revoked or
	// expired app password, a changed password). Sync and mail pause; nothing
	// is deleted or uploaded again; the user signs in again to resume.
	ErrSignInAgain = errors.New("the server no longer accepts the saved sign-in (revoked or expired): sign in again; syncing is paused until then and nothing is deleted")
	// ErrWrongPassword: the server refused the user name or password at sign-in.
	ErrWrongPassword = errors.New("wrong user name or password")
)

// Files is the files (Nextcloud) account. Its secret is an app password
// (from Login Flow v2 or supplied by a script) or, for scripted roll-outs,
// the account password.
type Files struct {
	ServerURL   string    `json:"serverUrl"` // e.g. https://files.example.org
	LoginName   string    `json:"loginName"` // what the user signs in with
	UserID      string    `json:"userId"`    // what WebDAV paths use (differs under SSO)
	DisplayName string    `json:"displayName,omitempty"`
	Email       string    `json:"email,omitempty"`
	SignedIn    time.Time `json:"signedIn"`
	// NeedsSignIn is set when the server answered 401 to the saved secret.
	NeedsSignIn bool `json:"needsSignIn,omitempty"`
}

// SecretKey is the keyring key of the account's (app) password.
func (f Files) SecretKey() string { return "files/" + f.LoginName + "@" + hostOf(f.ServerURL) }

// WebDAVURL is the root of the user's files: <server>/remote.php/dav/files/<user id>/.
func (f Files) WebDAVURL() string {
	return strings.TrimRight(f.ServerURL, "/") + "/remote.php/dav/files/" + url.PathEscape(f.UserID) + "/"
}

// Mail is the mail account.
type Mail struct {
	mail.Settings
	Address     string    `json:"address,omitempty"` // the user's e-mail address, when known
	SignedIn    time.Time `json:"signedIn"`
	NeedsSignIn bool      `json:"needsSignIn,omitempty"`
}

// SecretKey is the keyring key of the mail password (or, for OAUTHBEARER,
// the refresh token).
func (m Mail) SecretKey() string { return "mail/" + m.Username + "@" + m.IMAP.Host }

// Book is everything accounts.json holds.
type Book struct {
	Version int            `json:"version"`
	Suite   *suite.Profile `json:"suite,omitempty"` // the suite the accounts belong to
	Files   *Files         `json:"files,omitempty"`
	Mail    *Mail          `json:"mail,omitempty"`
}

const bookVersion = 1

// FileName is the accounts file in the config folder.
const FileName = "accounts.json"

// BookPath is where the accounts file lives.
func BookPath(p config.Paths) string { return filepath.Join(p.Config, FileName) }

// LoadBook reads accounts.json; a missing file is an empty book.
func LoadBook(p config.Paths) (Book, error) {
	path := BookPath(p)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Book{Version: bookVersion}, nil
	}
	if err != nil {
		return Book{}, fmt.Errorf("accounts: cannot read %s: %w", path, err)
	}
	var b Book
	if err := json.Unmarshal(data, &b); err != nil {
		return Book{}, fmt.Errorf("accounts: %s is damaged (%v): move it aside and sign in again; your files and mail are not affected", path, err)
	}
	if b.Version > bookVersion {
		return Book{}, fmt.Errorf("accounts: %s was written by a newer Deskport (version %d): update Deskport", path, b.Version)
	}
	return b, nil
}

// SaveBook writes accounts.json atomically, readable only by the user.
func SaveBook(p config.Paths, b Book) error {
	b.Version = bookVersion
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := config.WriteFileAtomic(BookPath(p), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("accounts: cannot save %s: %w", BookPath(p), err)
	}
	return nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// WebSessionDirs are where the suite window keeps cookies and site data:
// WebKit's on Linux, WebView2's profile on Windows. Sign-out deletes them.
func WebSessionDirs(p config.Paths) []string {
	return []string{filepath.Join(p.Data, "webkit"), filepath.Join(p.Data, "WebView2")}
}
