package workspace

import (
	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
)

// AccountBook reads the account book (accounts.json) without the keyring.
func AccountBook() (accounts.Book, bool) {
	paths, err := config.UserPaths()
	if err != nil {
		return accounts.Book{}, false
	}
	b, err := accounts.LoadBook(paths)
	return b, err == nil
}

// MailSignedIn: a mail account is in the account book (no keyring access;
// without an account the cache alone says nothing).
func MailSignedIn() bool {
	b, ok := AccountBook()
	return ok && b.Mail != nil
}

// FilesSignedIn: a files account is in the account book.
func FilesSignedIn() bool {
	b, ok := AccountBook()
	return ok && b.Files != nil
}

// Configured tells whether the user's own Deskport has a suite or an
// account (or an administrator pre-set the suite). Nothing is written.
func Configured() (bool, error) {
	paths, err := config.UserPaths()
	if err != nil {
		return false, err
	}
	b, err := accounts.LoadBook(paths)
	if err != nil {
		return true, nil // a damaged book is the user's: the window shows what to do
	}
	if b.Suite != nil || b.Files != nil || b.Mail != nil {
		return true, nil
	}
	if cfg, err := config.Load(paths); err == nil && cfg.Effective.Domain != "" {
		return true, nil
	}
	return false, nil
}
