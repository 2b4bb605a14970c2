package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
)

const logoutUsage = `Usage: deskport logout [--files] [--mail] [--yes | --keep-caches]

Signs out: the server revokes this device's files app password, the
passwords leave the OS keyring, and the suite's web session (cookies) is
deleted. Then it asks before deleting local caches (the offline mail copy
and other rebuildable data). The synced folder and its files are never
touched.

Options:
  --files         sign out of files only
  --mail          sign out of mail only
  --yes           delete local caches without asking
  --keep-caches   keep local caches without asking`

var logoutCommand = &command{
	Name:    "logout",
	Summary: "sign out: remove passwords and the web session (asks before deleting caches)",
	Usage:   logoutUsage,
	Run:     runLogout,
}

func runLogout(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("logout", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	files := fs.Bool("files", false, "")
	mailOnly := fs.Bool("mail", false, "")
	yes := fs.Bool("yes", false, "")
	keep := fs.Bool("keep-caches", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"unexpected argument " + fs.Arg(0)}
	}
	if *yes && *keep {
		return usageError{"--yes and --keep-caches contradict each other"}
	}
	both := !*files && !*mailOnly
	m, cfg, err := env.workspace().Accounts()
	if err != nil {
		return err
	}
	var kinds []accounts.Kind
	if both || *files {
		kinds = append(kinds, accounts.FilesKind)
	}
	if both || *mailOnly {
		kinds = append(kinds, accounts.MailKind)
	}
	book, err := m.Book()
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if (k == accounts.FilesKind && book.Files == nil) || (k == accounts.MailKind && book.Mail == nil) {
			fmt.Fprintf(env.Stdout, "Not signed in to %s.\n", k)
			continue
		}
		notes, err := m.SignOut(ctx, k)
		for _, n := range notes {
			fmt.Fprintln(env.Stderr, "note:", n)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		fmt.Fprintf(env.Stdout, "Signed out of %s.\n", k)
	}
	if !both {
		return nil // the web session and caches belong to the whole suite
	}
	for _, d := range accounts.WebSessionDirs(m.Paths) {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("could not delete the web session in %s: %w (close Deskport's window and try again)", d, err)
		}
	}
	fmt.Fprintln(env.Stdout, "Deleted the suite's web session.")
	if *keep {
		return nil
	}
	if !*yes {
		fmt.Fprintf(env.Stdout, "Delete local caches in %s (offline mail copy, previews)? They are rebuilt from the server after the next sign-in. [y/N] ", m.Paths.Cache)
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		fmt.Fprintln(env.Stdout)
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" && a != "j" && a != "ja" {
			fmt.Fprintln(env.Stdout, "Kept local caches.")
			return nil
		}
	}
	if err := deleteCaches(m.Paths, cfg); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Deleted local caches.")
	return nil
}

// deleteCaches empties the cache folder, unless the synced folder is
// inside it (then nothing is deleted: the user's files come first).
func deleteCaches(p config.Paths, cfg *config.Config) error {
	if sf := cfg.Effective.SyncFolder; sf != "" && within(sf, p.Cache) {
		return errors.New("the synced folder is inside the cache folder, so caches were not deleted; move the synced folder elsewhere first")
	}
	entries, err := os.ReadDir(p.Cache)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(p.Cache, e.Name())); err != nil {
			return fmt.Errorf("could not delete %s: %w", e.Name(), err)
		}
	}
	return nil
}

func within(path, dir string) bool {
	a, err1 := filepath.Abs(path)
	b, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return true // unsure: do not delete
	}
	rel, err := filepath.Rel(b, a)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
