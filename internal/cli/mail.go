package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/workspace"

	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
)

const mailUsage = `Usage: deskport mail COMMAND [options]

Offline mail: an IMAP account cached on this computer, searchable and
writable without a network; changes reach the server at the next sync.

Commands:
  sync [--once]       pull new mail, replay offline changes, send the outbox;
                      without --once it keeps running with push (IDLE) until Ctrl+C
  search QUERY        search the cache (words, "phrases", pre*, subject: body:
                      from: to: date:2024-03..2024-04 folder: is:unread is:flagged)
  show ID             print a message (--raw for the bytes as stored: attachments
                      that are online only are empty parts there)
  send                read a complete message (From:, To:, Subject:, body) from
                      standard input into the outbox, and send it if online
  outbox              list messages waiting to be sent

Options (all commands):
  --cache DIR         cache folder (default: Deskport's data folder/mail)
Account (sync, send; default: the account from 'deskport login --mail-user'):
  --host H --port P   IMAP server
  --tls | --starttls | --plain-loopback   connection security (default --tls;
                      plain only to 127.0.0.1, for test servers)
  --user U            user name; the password comes from DESKPORT_PASSWORD or,
                      with --password-stdin, the first line of standard input
  --smtp-host H --smtp-port P --smtp-security tls|starttls|plain-loopback
                      SMTP submission (default: the IMAP host, 587, starttls)
  --ca-file PEM       trust this CA too (besides the system's), e.g. your organisation's
Sync policy (without these flags: what is set in the app's mail view or by your
administrator, else the defaults below):
  --body-days N       keep bodies of the last N days offline (default 90, -1 = all)
  --max-body-mb N     keep at most this much of one message offline (default 25,
                      or more for the attachment limit); its largest attachments
                      are left out first
  --max-attachment-mb N   attachments larger than this are not kept offline but
                      fetched when opened; their message's text is (default 10)
Output:
  search --json, --limit N (default 20), --count (print only the number of
  matches), --total (print the number of matches after the results)`

var mailCommand = &command{Name: "mail", Summary: "offline mail: sync, search, show, send", Usage: mailUsage, Run: runMail}

type mailFlags struct {
	fs                       *flag.FlagSet
	cache                    string
	host, user, caFile       string
	port                     int
	tls, starttls, plain     bool
	passwordStdin            bool
	smtpHost, smtpSecurity   string
	smtpPort                 int
	bodyDays, maxBodyMB      int
	maxAttachmentMB          int
	once, asJSON, count, raw bool
	total                    bool
	limit                    int
}

func newMailFlags(name string) *mailFlags {
	f := &mailFlags{fs: flag.NewFlagSet("mail "+name, flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.cache, "cache", "", "")
	f.fs.StringVar(&f.host, "host", "", "")
	f.fs.IntVar(&f.port, "port", 0, "")
	f.fs.BoolVar(&f.tls, "tls", false, "")
	f.fs.BoolVar(&f.starttls, "starttls", false, "")
	f.fs.BoolVar(&f.plain, "plain-loopback", false, "")
	f.fs.StringVar(&f.user, "user", "", "")
	f.fs.StringVar(&f.caFile, "ca-file", "", "")
	f.fs.BoolVar(&f.passwordStdin, "password-stdin", false, "")
	f.fs.StringVar(&f.smtpHost, "smtp-host", "", "")
	f.fs.IntVar(&f.smtpPort, "smtp-port", 587, "")
	f.fs.StringVar(&f.smtpSecurity, "smtp-security", "starttls", "")
	// unset: the app's settings, else the engine's defaults (90 days, 10 MB)
	f.fs.IntVar(&f.bodyDays, "body-days", 0, "")
	f.fs.IntVar(&f.maxBodyMB, "max-body-mb", 0, "")
	f.fs.IntVar(&f.maxAttachmentMB, "max-attachment-mb", 0, "")
	f.fs.BoolVar(&f.once, "once", false, "")
	f.fs.BoolVar(&f.asJSON, "json", false, "")
	f.fs.BoolVar(&f.count, "count", false, "")
	f.fs.BoolVar(&f.raw, "raw", false, "")
	f.fs.BoolVar(&f.total, "total", false, "")
	f.fs.IntVar(&f.limit, "limit", 20, "")
	return f
}

// parse accepts flags before and after the positional arguments.
func (f *mailFlags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.fs.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		args = f.fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (f *mailFlags) open(ctx context.Context) (*mailcache.Cache, error) {
	dir := f.cache
	if dir == "" {
		paths, err := config.UserPaths()
		if err != nil {
			return nil, err
		}
		dir = workspace.MailCacheDir(paths)
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["body-days"] && f.bodyDays == 0 {
		return nil, usageError{"--body-days must be a number of days or -1 for all"}
	}
	// Without flags, the policy the user set in the app (or the admin's).
	var settings config.Settings
	if paths, err := config.UserPaths(); err == nil {
		if cfg, err := config.Load(paths); err == nil {
			settings = cfg.Effective
		}
	}
	return mailcache.Open(ctx, dir, f.policy(set, settings))
}

// policy: each flag given wins over the setting, each setting over the
// engine's default.
func (f *mailFlags) policy(set map[string]bool, s config.Settings) mailcache.Policy {
	p := workspace.MailCachePolicy(s)
	if set["body-days"] {
		p.BodyDays = f.bodyDays
	}
	if set["max-body-mb"] {
		p.MaxBodyBytes = int64(f.maxBodyMB) << 20
	}
	if set["max-attachment-mb"] {
		p.MaxAttachmentBytes = int64(f.maxAttachmentMB) << 20
	}
	return p
}

// account is the account from the flags, or the signed-in one.
func (f *mailFlags) account(ws *workspace.Workspace, stdin io.Reader) (mailcache.Account, error) {
	if f.host == "" {
		return ws.SignedInMail()
	}
	sec := mailcache.SecurityTLS
	n := 0
	for _, x := range []struct {
		on bool
		s  mailcache.Security
	}{{f.tls, mailcache.SecurityTLS}, {f.starttls, mailcache.SecuritySTARTTLS}, {f.plain, mailcache.SecurityPlainLoopback}} {
		if x.on {
			sec = x.s
			n++
		}
	}
	if n > 1 {
		return mailcache.Account{}, usageError{"give only one of --tls, --starttls, --plain-loopback"}
	}
	port := f.port
	if port == 0 {
		port = map[mailcache.Security]int{mailcache.SecurityTLS: 993, mailcache.SecuritySTARTTLS: 143, mailcache.SecurityPlainLoopback: 143}[sec]
	}
	if f.user == "" {
		return mailcache.Account{}, usageError{"--user is required with --host"}
	}
	pw := os.Getenv("DESKPORT_PASSWORD")
	if f.passwordStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return mailcache.Account{}, errors.New("--password-stdin: standard input is empty; pipe the password into it")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return mailcache.Account{}, usageError{"no password: set DESKPORT_PASSWORD or use --password-stdin"}
	}
	smtpHost := f.smtpHost
	if smtpHost == "" {
		smtpHost = f.host
	}
	roots, err := workspace.ExtraRoots(f.caFile)
	if err != nil {
		return mailcache.Account{}, err
	}
	return mailcache.Account{
		IMAP: mailcache.Server{Host: f.host, Port: port, Security: sec},
		SMTP: mailcache.Server{Host: smtpHost, Port: f.smtpPort, Security: mailcache.Security(f.smtpSecurity)},
		User: f.user, Password: pw, RootCAs: roots,
	}, nil
}

func runMail(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"which mail command? (sync, search, show, send, outbox)"}
	}
	f := newMailFlags(args[0])
	pos, err := f.parse(args[1:])
	if err != nil {
		return err
	}
	switch args[0] {
	case "sync":
		return mailSync(ctx, env, f)
	case "search":
		if len(pos) == 0 {
			return usageError{"search needs a query, e.g. deskport mail search 'subject:Rechnung'"}
		}
		return mailSearch(ctx, env, f, strings.Join(pos, " "))
	case "show":
		if len(pos) != 1 {
			return usageError{"show needs one message ID (from search)"}
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("%q is not a message ID (a number from search)", pos[0])}
		}
		return mailShow(ctx, env, f, id)
	case "send":
		return mailSend(ctx, env, f)
	case "outbox":
		return mailOutbox(ctx, env, f)
	}
	return usageError{fmt.Sprintf("unknown mail command %q", args[0])}
}

func mailSync(ctx context.Context, env *Env, f *mailFlags) error {
	a, err := f.account(env.workspace(), env.Stdin)
	if err != nil {
		return err
	}
	c, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	report := func(res mailcache.SyncResult, took time.Duration) {
		fmt.Fprintf(env.Stderr, "synced in %s: %d folders changed, %d new, %d flag changes, %d expunged, %d changes replayed, %d sent\n",
			took.Round(time.Millisecond), res.Folders, res.New, res.Flags, res.Expunged, res.Replayed, res.Sent)
		st := c.Status(ctx)
		if st.Outbox+st.Uncertain+st.Dropped > 0 {
			fmt.Fprintf(env.Stderr, "outbox: %d waiting, %d uncertain; %d changes dropped (see 'deskport mail outbox')\n", st.Outbox, st.Uncertain, st.Dropped)
		}
	}
	start := time.Now()
	res, err := c.Sync(ctx, a)
	if err != nil {
		return err
	}
	report(res, time.Since(start))
	fmt.Fprintln(env.Stdout, res.Messages)
	if f.once {
		return nil
	}
	fmt.Fprintln(env.Stderr, "watching for new mail (Ctrl+C to stop)")
	changed := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			err := c.Watch(ctx, a, func() {
				select {
				case changed <- struct{}{}:
				default:
				}
			})
			if ctx.Err() == nil {
				fmt.Fprintf(env.Stderr, "push connection: %v; retrying in 30 s\n", err)
				select {
				case <-ctx.Done():
				case <-time.After(30 * time.Second):
				}
			}
		}
	}()
	tick := time.NewTicker(2 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-changed:
		}
		start := time.Now()
		res, err := c.Sync(ctx, a)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fmt.Fprintf(env.Stderr, "sync: %v\n", err)
			continue
		}
		report(res, time.Since(start))
	}
}

func mailSearch(ctx context.Context, env *Env, f *mailFlags, q string) error {
	c, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if f.count {
		n, err := c.Count(ctx, q)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, n)
		return nil
	}
	var res []mailcache.Summary
	var total int
	if f.total {
		res, total, err = c.SearchTotal(ctx, q, f.limit)
	} else {
		res, err = c.Search(ctx, q, f.limit)
	}
	if err != nil {
		return err
	}
	if f.asJSON {
		e := json.NewEncoder(env.Stdout)
		e.SetIndent("", "  ")
		return e.Encode(res)
	}
	for _, s := range res {
		mark := " "
		if !s.Seen {
			mark = "*"
		}
		fmt.Fprintf(env.Stdout, "%-7d %s %s  %-14.14s  %-28.28s  %s\n", s.ID, mark, s.Date.Local().Format("2006-01-02"), s.Folder, s.From, s.Subject)
	}
	if f.total {
		fmt.Fprintln(env.Stdout, total)
	}
	return nil
}

func mailShow(ctx context.Context, env *Env, f *mailFlags, id int64) error {
	c, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := c.Summary(ctx, id)
	if err != nil {
		return err
	}
	raw, err := c.Raw(ctx, id)
	if errors.Is(err, mailcache.ErrNotCached) {
		a, aerr := f.account(env.workspace(), env.Stdin)
		if aerr != nil {
			return fmt.Errorf("%w; also: %v", err, aerr)
		}
		raw, err = c.FetchBody(ctx, a, id)
	}
	if err != nil {
		return err
	}
	if f.raw {
		_, err := env.Stdout.Write(raw)
		return err
	}
	d := mailcache.Display(raw, false)
	fmt.Fprintf(env.Stdout, "From:    %s\nTo:      %s\n", s.From, s.To)
	if d.Cc != "" {
		fmt.Fprintf(env.Stdout, "Cc:      %s\n", d.Cc)
	}
	fmt.Fprintf(env.Stdout, "Date:    %s\nSubject: %s\nFolder:  %s\n", s.Date.Local().Format(time.RFC1123Z), s.Subject, s.Folder)
	atts, _ := c.Attachments(ctx, id)
	for _, a := range atts {
		where := ""
		if !a.Offline {
			where = ", online only"
		}
		fmt.Fprintf(env.Stdout, "Attachment: %s (%s, %d bytes%s)\n", a.Name, a.Type, a.Size, where)
	}
	fmt.Fprintf(env.Stdout, "\n%s\n", strings.TrimSpace(d.Text))
	for _, p := range d.Problems {
		fmt.Fprintf(env.Stderr, "note: %s\n", p)
	}
	return nil
}

func mailSend(ctx context.Context, env *Env, f *mailFlags) error {
	if f.passwordStdin {
		return usageError{"send reads the message from standard input: give the password in DESKPORT_PASSWORD"}
	}
	raw, err := io.ReadAll(io.LimitReader(env.Stdin, 64<<20))
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return usageError{"standard input is empty: pipe a complete message (From:, To:, Subject:, empty line, text) into it"}
	}
	c, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	o, err := c.Enqueue(ctx, raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "queued <%s> for %s\n", o.MessageID, strings.Join(o.To, ", "))
	a, err := f.account(env.workspace(), env.Stdin)
	if err != nil {
		fmt.Fprintf(env.Stderr, "not sent yet: %v; it is sent at the next sync\n", err)
		return nil
	}
	if _, err := c.Sync(ctx, a); err != nil {
		fmt.Fprintf(env.Stderr, "not sent yet: %v; it stays in the outbox and is sent at the next sync\n", err)
		return nil
	}
	st := c.Status(ctx)
	if st.Outbox+st.Uncertain > 0 {
		fmt.Fprintf(env.Stderr, "%d message(s) still in the outbox ('deskport mail outbox')\n", st.Outbox+st.Uncertain)
	} else {
		fmt.Fprintln(env.Stderr, "sent")
	}
	return nil
}

func mailOutbox(ctx context.Context, env *Env, f *mailFlags) error {
	c, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	out, err := c.Outbox(ctx)
	if err != nil {
		return err
	}
	for _, o := range out {
		fmt.Fprintf(env.Stdout, "%-5d %-9s %s  to %s  %s\n", o.ID, o.State, o.Subject, strings.Join(o.To, ", "), o.Error)
	}
	dropped, err := c.DroppedActions(ctx)
	if err != nil {
		return err
	}
	for _, d := range dropped {
		fmt.Fprintf(env.Stdout, "dropped %s in %s (%s): %s\n", d.Kind, d.Folder, d.Subject, d.Reason)
	}
	if len(out)+len(dropped) == 0 {
		fmt.Fprintln(env.Stdout, "outbox empty")
	}
	return nil
}
