package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/accounts/mail"
	"github.com/deskport/deskport/internal/accounts/nextcloud"
	"github.com/deskport/deskport/internal/suite"
)

const loginUsage = `Usage: deskport login [--domain D] [options]

Signs in to the suite's files (Nextcloud) and, with --mail-user, to mail.
Passwords are kept only in the OS keyring.

Files:
  Without --user, Deskport starts Nextcloud's Login Flow v2: it prints a
  link, you sign in in a browser (single sign-on works), and the app
  password the server issues is stored. Ctrl+C cancels.
  With --user and --password-stdin (for scripted roll-outs) the first line
  of standard input is the password or an app password. It is checked
  against the server; an account password is traded for an app password,
  so only a revocable one is kept.

Options:
  --domain D           the suite's domain (default: from the admin defaults or settings)
  --files-url URL      the Nextcloud address (default: https://files.<domain>)
  --user U             files login name (scripted sign-in)
  --password-stdin     read the password from standard input: line 1 for files
                       (and mail), an optional line 2 for mail if it differs
  --no-files           do not sign in to files
  --mail-user U        also sign in to mail as U (usually your e-mail address)
  --imap HOST[:PORT]   IMAP server (default: found from the domain; port 993)
  --imap-security S    tls (default), starttls, or none (this computer only)
  --smtp HOST[:PORT]   SMTP submission server (default: found from the domain; port 587)
  --smtp-security S    starttls (default), tls, or none (this computer only)
  --mail-address A     the e-mail address to send from (default: --mail-user if it has an @)

Example:
  printf '%s\n' "$PASSWORD" | deskport login --domain example.org --user alice --password-stdin --mail-user alice@example.org`

var loginCommand = &command{
	Name:    "login",
	Summary: "sign in to the suite's files and mail (passwords go to the OS keyring)",
	Usage:   loginUsage,
	Run:     runLogin,
}

type loginOpts struct {
	domain, filesURL, user                 string
	passwordStdin, noFiles                 bool
	mailUser, imap, smtp, imapSec, smtpSec string
	mailAddress                            string
}

func runLogin(ctx context.Context, env *Env, args []string) error {
	var o loginOpts
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.domain, "domain", "", "")
	fs.StringVar(&o.filesURL, "files-url", "", "")
	fs.StringVar(&o.user, "user", "", "")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false, "")
	fs.BoolVar(&o.noFiles, "no-files", false, "")
	fs.StringVar(&o.mailUser, "mail-user", "", "")
	fs.StringVar(&o.imap, "imap", "", "")
	fs.StringVar(&o.smtp, "smtp", "", "")
	fs.StringVar(&o.imapSec, "imap-security", "tls", "")
	fs.StringVar(&o.smtpSec, "smtp-security", "starttls", "")
	fs.StringVar(&o.mailAddress, "mail-address", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"unexpected argument " + fs.Arg(0)}
	}
	if o.user != "" && !o.passwordStdin {
		return usageError{"--user needs --password-stdin (passwords are never taken as arguments: they would show in the process list)"}
	}
	if o.mailUser != "" && !o.passwordStdin {
		return usageError{"--mail-user needs --password-stdin"}
	}
	if o.noFiles && o.mailUser == "" {
		return usageError{"--no-files leaves nothing to sign in to: add --mail-user"}
	}

	m, cfg, err := env.workspace().Accounts()
	if err != nil {
		return err
	}
	domain := o.domain
	if domain == "" {
		domain = cfg.Effective.Domain
	}
	if domain == "" {
		return usageError{"no suite domain: give --domain (or ask your administrator to pre-set it in the admin defaults)"}
	}
	hosts := map[string]string{}
	for k, v := range cfg.Effective.Hosts {
		hosts[k] = v
	}
	if o.filesURL != "" {
		hosts[string(suite.Files)] = o.filesURL
	}
	profile, err := suite.FromSettings(domain, hosts)
	if err != nil {
		return err
	}

	var filesPW, mailPW string
	if o.passwordStdin {
		filesPW, mailPW, err = readPasswords(env.Stdin)
		if err != nil {
			return err
		}
	}

	// Everything is checked before anything is saved.
	var mailSettings mail.Settings
	if o.mailUser != "" {
		mailSettings, err = mailSettingsFor(ctx, m, profile, o, env)
		if err != nil {
			return err
		}
	}
	if err := m.SetProfile(profile); err != nil {
		return err
	}

	if !o.noFiles {
		serverURL := profile.Origin(suite.Files)
		var f accounts.Files
		var warnings []string
		if o.user != "" {
			f, warnings, err = m.SignInFiles(ctx, serverURL, o.user, filesPW)
		} else {
			f, warnings, err = loginFlowCLI(ctx, m, serverURL, env)
		}
		for _, w := range warnings {
			fmt.Fprintln(env.Stderr, "warning:", w)
		}
		if err != nil {
			return fmt.Errorf("files: %w", err)
		}
		fmt.Fprintf(env.Stdout, "Signed in to files at %s as %s (user id %s).\n", f.ServerURL, f.LoginName, f.UserID)
	}
	if o.mailUser != "" {
		addr := o.mailAddress
		if addr == "" && strings.Contains(o.mailUser, "@") {
			addr = o.mailUser
		}
		a, warnings, err := m.SignInMail(ctx, mailSettings, addr, mailPW)
		for _, w := range warnings {
			fmt.Fprintln(env.Stderr, "warning:", w)
		}
		if err != nil {
			return fmt.Errorf("mail: %w", err)
		}
		fmt.Fprintf(env.Stdout, "Signed in to mail as %s (IMAP %s, SMTP %s).\n", a.Username, a.IMAP, a.SMTP)
	}
	return nil
}

// readPasswords reads line 1 (files, and mail unless line 2 is given).
func readPasswords(r io.Reader) (files, mailPW string, err error) {
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	var lines []string
	for sc.Scan() && len(lines) < 2 {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if len(lines) == 0 || lines[0] == "" {
		return "", "", errors.New("--password-stdin: standard input is empty; pipe the password in, e.g. printf '%s\\n' \"$PASSWORD\" | deskport login ...")
	}
	files, mailPW = lines[0], lines[0]
	if len(lines) == 2 && lines[1] != "" {
		mailPW = lines[1]
	}
	return files, mailPW, nil
}

// mailSettingsFor takes --imap/--smtp, else discovers the servers.
func mailSettingsFor(ctx context.Context, m *accounts.Manager, p suite.Profile, o loginOpts, env *Env) (mail.Settings, error) {
	var s mail.Settings
	if o.imap == "" || o.smtp == "" {
		found, ok, attempts := m.MailDefaults(ctx, p)
		s = found
		if !ok && (o.imap == "" && !reachedIMAP(attempts) || o.smtp == "" && !reachedSMTP(attempts)) {
			for _, a := range attempts {
				if a.Error != "" {
					fmt.Fprintf(env.Stderr, "  %s: %s\n", a.Server, a.Error)
				}
			}
			return s, errors.New("mail servers not found from the domain; give them with --imap HOST[:PORT] and --smtp HOST[:PORT]")
		}
	}
	var err error
	if o.imap != "" {
		if s.IMAP, err = parseServer(o.imap, o.imapSec, 993); err != nil {
			return s, usageError{"--imap: " + err.Error()}
		}
	}
	if o.smtp != "" {
		if s.SMTP, err = parseServer(o.smtp, o.smtpSec, 587); err != nil {
			return s, usageError{"--smtp: " + err.Error()}
		}
	}
	s.Username, s.Auth = o.mailUser, mail.AuthPassword
	return s, nil
}

func reachedIMAP(a []mail.Attempt) bool { return reached(a, false) }
func reachedSMTP(a []mail.Attempt) bool { return reached(a, true) }
func reached(as []mail.Attempt, smtp bool) bool {
	for _, a := range as {
		if a.SMTP == smtp && a.Error == "" {
			return true
		}
	}
	return false
}

func parseServer(hostport, security string, defPort int) (mail.Server, error) {
	s := mail.Server{Host: hostport, Port: defPort, Security: mail.Security(security)}
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		n, perr := strconv.Atoi(p)
		if perr != nil {
			return s, fmt.Errorf("port %q is not a number", p)
		}
		s.Host, s.Port = h, n
	}
	return s, s.Validate()
}

// loginFlowCLI runs Login Flow v2 from a terminal: print the link, open
// the system browser when there is one, poll until done or Ctrl+C.
func loginFlowCLI(ctx context.Context, m *accounts.Manager, serverURL string, env *Env) (accounts.Files, []string, error) {
	flow, warnings, err := m.StartFilesLogin(ctx, serverURL)
	if err != nil {
		return accounts.Files{}, warnings, err
	}
	fmt.Fprintf(env.Stdout, "Open this link and sign in (Ctrl+C cancels):\n  %s\n", flow.LoginURL)
	openBrowser(flow.LoginURL)
	f, err := m.FinishFilesLogin(ctx, serverURL, flow, nextcloud.PollOptions{})
	if errors.Is(err, context.Canceled) {
		err = errors.New("sign-in canceled; nothing was saved")
	}
	return f, warnings, err
}

// openBrowser would start the desktop's browser on the link; it opens
// nothing yet (the link is printed: a terminal sign-in may run on a machine
// without a browser, over SSH).
var openBrowser = func(string) {}
