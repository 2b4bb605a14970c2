package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/deskport/deskport/internal/accounts"
	"github.com/deskport/deskport/internal/config"
	"github.com/deskport/deskport/internal/mailcache"
	"github.com/deskport/deskport/internal/mailto"
	"github.com/deskport/deskport/internal/remoteimg"
	"github.com/deskport/deskport/internal/workspace"
)

// Mail is the service behind the mail view (frontend/src/views/mail.ts).
// Every method works offline on the cache; changes are queued and reach the
// server at the next sync. Method names are the view's API: keep them stable.
//
// Events it emits:
//   - "mail:changed" (no data): folders or messages changed; reload what is shown.
//   - "mail:status" (mailcache.Status): online/offline, syncing, outbox counts;
//     while a sync downloads, its progress (folder, done of total), at most
//     every 250 ms, and once more without progress when it ends.
//   - "mail:compose" (ComposeRequest): open the compose panel with this
//     draft (a mailto: link clicked in a mail) and confirm with ComposeShown.
type Mail struct {
	open    func(ctx context.Context) (*mailcache.Cache, error)
	account func() (mailcache.Account, error)
	rt      Runtime

	mu      sync.Mutex
	cache   *mailcache.Cache
	ctx     context.Context
	kick    chan struct{}
	rewatch chan struct{}

	settingsMu sync.Mutex // one read-change-save of the settings at a time
	settings   MailSettings

	composeMu      sync.Mutex
	composeSeq     int64
	composeWait    map[int64]chan struct{}
	composeTimeout time.Duration
}

// ComposeTimeout is how long ComposeMailto waits for the mail view to
// confirm that it shows the draft before the link goes to the system's mail
// program instead.
const ComposeTimeout = 3 * time.Second

// NewMail makes the service; open opens the cache (once, lazily) and
// account returns the signed-in mail account with its password.
func NewMail(open func(ctx context.Context) (*mailcache.Cache, error), account func() (mailcache.Account, error)) *Mail {
	return &Mail{open: open, account: account, rt: noRuntime{}, ctx: context.Background(),
		kick: make(chan struct{}, 1), rewatch: make(chan struct{}, 1),
		composeWait: map[int64]chan struct{}{}, composeTimeout: ComposeTimeout}
}

// Startup gets Wails' context and starts background sync with push.
func (m *Mail) Startup(ctx context.Context) { m.start(ctx, NewWailsRuntime(ctx)) }

func (m *Mail) start(ctx context.Context, rt Runtime) {
	m.rt = rt
	m.ctx = ctx
	go m.background(ctx)
}

func (m *Mail) db() (*mailcache.Cache, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cache == nil {
		c, err := m.open(m.ctx)
		if err != nil {
			return nil, err
		}
		m.cache = c
		// The sync's start, end and download progress (at most every
		// 250 ms) go to the view as they happen. OnStatus calls this on the
		// syncing goroutine, one call after another, so the events keep
		// their order; Emit only queues the event for the window.
		c.OnStatus(func() { m.rt.Emit("mail:status", c.Status(m.ctx)) })
	}
	return m.cache, nil
}

// background syncs now, then on push from the server (IDLE on the inbox),
// every few minutes for other folders, and when SyncNow or an action asks.
func (m *Mail) background(ctx context.Context) {
	c, err := m.db()
	if err != nil {
		return
	}
	changed := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			a, err := m.account()
			if err == nil {
				err = c.Watch(ctx, a, func() {
					select {
					case changed <- struct{}{}:
					default:
					}
				})
			}
			select {
			case <-ctx.Done():
			case <-time.After(30 * time.Second): // offline or no account yet: retry
			case <-m.rewatch: // signed in (again): retry now
			}
		}
	}()
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		m.syncOnce(ctx, c)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-changed:
		case <-m.kick:
		}
	}
}

func (m *Mail) syncOnce(ctx context.Context, c *mailcache.Cache) {
	a, err := m.account()
	if err != nil {
		return
	}
	// Sync's start and end reach the view as "mail:status" through OnStatus (see db).
	res, _ := c.Sync(ctx, a)
	if res.New+res.Flags+res.Expunged+res.Replayed+res.Sent+res.Bodies > 0 {
		m.rt.Emit("mail:changed")
	}
}

func (m *Mail) poke() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// SyncNow asks for a sync as soon as possible (returns at once).
func (m *Mail) SyncNow() { m.poke() }

// accountChanged: the mail account was signed in, out or marked as needing
// a new sign-in. Sync at once and let the push connection try again now,
// instead of at the next tick.
func (m *Mail) accountChanged() {
	// The last sync's connection stays logged in (mailcache keeps it for
	// the next sync): not after a sign-out, nor as the old account.
	m.mu.Lock()
	c := m.cache
	m.mu.Unlock()
	if c != nil {
		go c.Disconnect()
	}
	m.poke()
	select {
	case m.rewatch <- struct{}{}:
	default:
	}
}

// SyncOnSignIn makes a mail sign-in through am start a sync at once. A plain
// function, so Wails does not bind it.
func SyncOnSignIn(m *Mail, am *accounts.Manager) {
	am.OnChange(func(k accounts.Kind) {
		if k == accounts.MailKind {
			m.accountChanged()
		}
	})
}

// ComposeRequest is the data of "mail:compose".
type ComposeRequest struct {
	ID int64 `json:"id"` // for ComposeShown
	mailto.Draft
}

// ComposeMailto offers a mailto: link (clicked in a mail, arriving at the
// shell's opener) to the mail view: it emits "mail:compose" with the draft
// parsed from the link and waits until the view confirms with ComposeShown.
// It returns false, and the caller opens the link outside as before, when u
// is not a mailto: link, no mail account is signed in, or no view confirmed
// within ComposeTimeout (the mail view is not shown, e.g. a suite page's
// mailto: link on Windows, or the window has not started). It blocks for up
// to that long. A plain function, so the view cannot call it.
func ComposeMailto(m *Mail, u string) bool {
	d, err := mailto.Parse(u)
	if err != nil {
		return false
	}
	if _, err := m.account(); err != nil {
		return false
	}
	ch := make(chan struct{})
	m.composeMu.Lock()
	m.composeSeq++
	id := m.composeSeq
	m.composeWait[id] = ch
	timeout := m.composeTimeout
	m.composeMu.Unlock()
	defer func() {
		m.composeMu.Lock()
		delete(m.composeWait, id)
		m.composeMu.Unlock()
	}()
	m.rt.Emit("mail:compose", ComposeRequest{ID: id, Draft: d})
	select {
	case <-ch:
		return true
	case <-time.After(timeout):
		return false
	}
}

// ComposeShown is the mail view's answer to "mail:compose": the compose
// panel shows request id's draft.
func (m *Mail) ComposeShown(id int64) {
	m.composeMu.Lock()
	defer m.composeMu.Unlock()
	if ch, ok := m.composeWait[id]; ok {
		close(ch)
		delete(m.composeWait, id)
	}
}

// Folders lists folders with total and unread counts, INBOX first.
func (m *Mail) Folders() ([]mailcache.Folder, error) {
	c, err := m.db()
	if err != nil {
		return nil, err
	}
	return c.Folders(m.ctx)
}

// ListPage is one window of a folder for the virtualized list.
type ListPage struct {
	Total int                 `json:"total"`
	Items []mailcache.Summary `json:"items"`
}

// List returns messages offset..offset+limit of folder, newest first, and
// the folder's total for the scrollbar.
func (m *Mail) List(folder string, offset, limit int) (ListPage, error) {
	c, err := m.db()
	if err != nil {
		return ListPage{}, err
	}
	items, err := c.List(m.ctx, folder, offset, limit)
	if err != nil {
		return ListPage{}, err
	}
	total, err := c.FolderTotal(m.ctx, folder)
	return ListPage{Total: total, Items: items}, err
}

// Search returns up to limit messages matching query (see mailcache.Search
// for the syntax: words, "phrases", pre*, subject: from: date: folder: is:unread).
func (m *Mail) Search(query string, limit int) ([]mailcache.Summary, error) {
	c, err := m.db()
	if err != nil {
		return nil, err
	}
	return c.Search(m.ctx, query, limit)
}

// MessageView is a message ready for the reader.
type MessageView struct {
	mailcache.Summary
	Cc          string                 `json:"cc"`
	Text        string                 `json:"text"`
	HTML        string                 `json:"html"`    // sanitized; remote content blocked unless allowed
	Blocked     int                    `json:"blocked"` // remote references held back
	Attachments []mailcache.Attachment `json:"attachments"`
	Offline     bool                   `json:"offline"` // body not downloaded and no connection: headers only
	Problems    []string               `json:"problems"`
}

// Problems is never null for the view.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Message opens a message for reading. allowRemote lets the HTML load
// remote images (the user's choice per message).
func (m *Mail) Message(id int64, allowRemote bool) (MessageView, error) {
	c, err := m.db()
	if err != nil {
		return MessageView{}, err
	}
	s, err := c.Summary(m.ctx, id)
	if err != nil {
		return MessageView{}, err
	}
	v := MessageView{Summary: s}
	raw, err := m.rawMessage(c, id)
	if errors.Is(err, mailcache.ErrNotCached) {
		v.Offline = true
		v.Text = s.Snippet
		v.Problems = []string{}
		v.Attachments, _ = c.Attachments(m.ctx, id)
		return v, nil
	} else if err != nil {
		return v, err
	}
	var fetch func(string) string
	if allowRemote {
		f, err := remoteimg.New()
		if err != nil {
			return v, err
		}
		defer f.Close()
		fetch = f.Fetch
	}
	d := mailcache.DisplayWith(raw, allowRemote, fetch)
	v.Cc, v.Text, v.HTML, v.Blocked, v.Problems = d.Cc, d.Text, d.HTML, d.Blocked, d.Problems
	v.Attachments, _ = c.Attachments(m.ctx, id)
	v.Problems = nonNil(v.Problems)
	return v, nil
}

// Respond prepares a reply ("reply", "replyAll") or forward ("forward") of
// a message for the compose panel; self is the user's own address. A body
// that is not offline is fetched first; without a network the response is
// made from the cached headers (Response.Partial).
func (m *Mail) Respond(id int64, kind, self string) (mailcache.Response, error) {
	c, err := m.db()
	if err != nil {
		return mailcache.Response{}, err
	}
	raw, err := m.rawMessage(c, id)
	if errors.Is(err, mailcache.ErrNotCached) {
		raw = nil // answered from the cached headers
	} else if err != nil {
		return mailcache.Response{}, err
	}
	r, err := c.Respond(m.ctx, id, raw, kind, self)
	if r.References == nil {
		r.References = []string{}
	}
	if r.Attachments == nil {
		r.Attachments = []mailcache.Attachment{}
	}
	return r, err
}

// Attachment returns one attachment's content (by its part path from
// MessageView.attachments) for the view to offer as a download. The body is
// fetched first when it is not offline yet; an attachment that is online
// only (attachments[].offline false) is fetched alone.
func (m *Mail) Attachment(id int64, part string) (mailcache.AttachmentFile, error) {
	c, err := m.db()
	if err != nil {
		return mailcache.AttachmentFile{}, err
	}
	if f, online, err := m.onlineAttachment(c, id, part); online {
		return f, err
	}
	raw, err := m.rawMessage(c, id)
	if err != nil {
		return mailcache.AttachmentFile{}, err
	}
	return mailcache.AttachmentContent(raw, part)
}

// rawMessage returns the whole message: from the cache, else from the
// server when its body is not offline yet. When it cannot be fetched (no
// account, no network) the error is mailcache.ErrNotCached with the reason.
func (m *Mail) rawMessage(c *mailcache.Cache, id int64) ([]byte, error) {
	raw, err := c.Raw(m.ctx, id)
	if !errors.Is(err, mailcache.ErrNotCached) {
		return raw, err
	}
	a, err := m.account()
	if err == nil {
		if raw, err = c.FetchBody(m.ctx, a, id); err == nil {
			return raw, nil
		}
	}
	return nil, fmt.Errorf("%w (%v)", mailcache.ErrNotCached, err)
}

// onlineAttachment downloads the attachment at part from the server when
// the cache left it out of the stored message (larger than the policy's
// MaxAttachmentBytes); nothing is cached. online is false for an attachment
// that is offline: Attachment reads it from the message.
func (m *Mail) onlineAttachment(c *mailcache.Cache, id int64, part string) (f mailcache.AttachmentFile, online bool, err error) {
	atts, err := c.Attachments(m.ctx, id)
	if err != nil {
		return f, false, nil
	}
	for _, x := range atts {
		if x.Part == part && !x.Offline {
			a, err := m.account()
			if err != nil {
				return f, true, fmt.Errorf("%w (%v)", mailcache.ErrOnlineOnly, err)
			}
			f, err = c.FetchPart(m.ctx, a, id, part)
			return f, true, err
		}
	}
	return f, false, nil
}

// SaveAttachment saves one attachment where the user chooses: the save
// dialog starts in the Downloads folder with the attachment's name made safe
// (SafeFileName) and confirms replacing an existing file; the file is written
// atomically. It returns the saved path, or "" when the user cancelled
// (nothing is written then). title is the dialog's title in the view's
// language. Saving from Go works where a Blob download in the web view does
// nothing (WebKitGTK).
func (m *Mail) SaveAttachment(id int64, part, title string) (string, error) {
	file, err := m.Attachment(id, part)
	if err != nil {
		return "", err
	}
	dest, err := m.rt.SaveFile(SaveDialog{Title: title, Directory: DownloadsDir(), Filename: SafeFileName(file.Name, file.Type)})
	if err != nil {
		return "", fmt.Errorf("the save dialog failed: %w", err)
	}
	if dest == "" {
		return "", nil
	}
	if !filepath.IsAbs(dest) {
		return "", fmt.Errorf("the save dialog returned %q, not a full path: choose the folder again", dest)
	}
	if err := writeFileAtomic(dest, file.Data); err != nil {
		return "", err
	}
	return dest, nil
}

func (m *Mail) act(f func(c *mailcache.Cache) error) error {
	c, err := m.db()
	if err != nil {
		return err
	}
	if err := f(c); err != nil {
		return err
	}
	m.rt.Emit("mail:changed")
	m.poke()
	return nil
}

// SetSeen marks a message read (true) or unread.
func (m *Mail) SetSeen(id int64, seen bool) error {
	return m.act(func(c *mailcache.Cache) error { return c.SetSeen(m.ctx, id, seen) })
}

// SetFlagged flags or unflags a message.
func (m *Mail) SetFlagged(id int64, flagged bool) error {
	return m.act(func(c *mailcache.Cache) error { return c.SetFlagged(m.ctx, id, flagged) })
}

// Move files a message into folder.
func (m *Mail) Move(id int64, folder string) error {
	return m.act(func(c *mailcache.Cache) error { return c.Move(m.ctx, id, folder) })
}

// Delete moves a message to the trash (or deletes it for good from the trash).
func (m *Mail) Delete(id int64) error {
	return m.act(func(c *mailcache.Cache) error { return c.Delete(m.ctx, id) })
}

// Send puts a composed message (with attachments) into the outbox; it is
// sent at once when online, else at the next sync.
func (m *Mail) Send(d mailcache.Draft) (mailcache.Outgoing, error) {
	raw, err := mailcache.Compose(d)
	if err != nil {
		return mailcache.Outgoing{}, err
	}
	var o mailcache.Outgoing
	err = m.act(func(c *mailcache.Cache) error {
		var err error
		o, err = c.EnqueueDraft(m.ctx, raw)
		return err
	})
	return o, err
}

// SaveDraftFields keeps what the compose panel holds (not its files), so a
// crash or restart does not lose it; SaveDraftFiles keeps its attachments.
func (m *Mail) SaveDraftFields(d mailcache.Draft) error {
	c, err := m.db()
	if err != nil {
		return err
	}
	return c.SaveDraftFields(m.ctx, d)
}

// SaveDraftFiles keeps the compose panel's attachments.
func (m *Mail) SaveDraftFiles(files []mailcache.DraftAttachment) error {
	c, err := m.db()
	if err != nil {
		return err
	}
	return c.SaveDraftFiles(m.ctx, files)
}

// Draft returns the saved draft for the compose panel, or nil.
func (m *Mail) Draft() (*mailcache.SavedDraft, error) {
	c, err := m.db()
	if err != nil {
		return nil, err
	}
	d, ok, err := c.LoadDraft(m.ctx)
	if !ok || err != nil {
		return nil, err
	}
	if d.References == nil {
		d.References = []string{}
	}
	if d.Attachments == nil {
		d.Attachments = []mailcache.DraftAttachment{}
	}
	return &d, nil
}

// DiscardDraft forgets the saved draft (the user discarded it).
func (m *Mail) DiscardDraft() error {
	c, err := m.db()
	if err != nil {
		return err
	}
	return c.ClearDraft(m.ctx)
}

// Outbox lists messages waiting to be sent, including uncertain ones.
func (m *Mail) Outbox() ([]mailcache.Outgoing, error) {
	c, err := m.db()
	if err != nil {
		return nil, err
	}
	return c.Outbox(m.ctx)
}

// Resend sends an uncertain or failed outbox message again (user's choice).
func (m *Mail) Resend(id int64) error {
	return m.act(func(c *mailcache.Cache) error { return c.Resend(m.ctx, id) })
}

// Discard removes an unsent message from the outbox.
func (m *Mail) Discard(id int64) error {
	return m.act(func(c *mailcache.Cache) error { return c.Discard(m.ctx, id) })
}

// Dropped lists changes that could not be applied because the message was
// gone on the server; ClearDropped forgets them once shown.
func (m *Mail) Dropped() ([]mailcache.Dropped, error) {
	c, err := m.db()
	if err != nil {
		return nil, err
	}
	return c.DroppedActions(m.ctx)
}

// ClearDropped forgets the dropped changes.
func (m *Mail) ClearDropped() error {
	return m.act(func(c *mailcache.Cache) error { return c.ClearDropped(m.ctx) })
}

// Status is the sync state: online, syncing, last sync, error, counts.
func (m *Mail) Status() (mailcache.Status, error) {
	c, err := m.db()
	if err != nil {
		return mailcache.Status{}, err
	}
	return c.Status(m.ctx), nil
}

// MailSettings loads the user's and the administrator's settings
// (config.Load in the app, a temporary folder in tests).
type MailSettings func() (*config.Config, error)

// UseMailSettings lets m show and save the offline policy through load. A
// plain function, so Wails does not bind it.
func UseMailSettings(m *Mail, load MailSettings) {
	m.settingsMu.Lock()
	m.settings = load
	m.settingsMu.Unlock()
}

// MailPolicy is the mail view's "Offline" settings: the values in effect
// (the administrator's where locked, defaults filled in).
type MailPolicy struct {
	BodyDays         int  `json:"bodyDays"`     // message text kept offline for the last this many days
	AttachmentMB     int  `json:"attachmentMB"` // attachments up to this size kept offline
	BodyDaysLocked   bool `json:"bodyDaysLocked"`
	AttachmentLocked bool `json:"attachmentLocked"`
}

// What the view may set. Messages are fetched whole up to a third more than
// the attachment limit, in memory: the limit stays modest.
const (
	maxBodyDays     = 3650
	maxAttachmentMB = 25
)

func mailPolicyOf(cfg *config.Config) MailPolicy {
	p := workspace.MailCachePolicy(cfg.Effective).WithDefaults()
	return MailPolicy{BodyDays: p.BodyDays, AttachmentMB: int(max(1, (p.MaxAttachmentBytes+512<<10)>>20)),
		BodyDaysLocked: cfg.IsLocked("mailBodyDays"), AttachmentLocked: cfg.IsLocked("mailAttachmentMaxKB")}
}

func (m *Mail) loadSettings() (*config.Config, error) {
	if m.settings == nil {
		return nil, errors.New("the mail settings cannot be read in this build")
	}
	return m.settings()
}

// MailPolicy returns the offline settings for the view.
func (m *Mail) MailPolicy() (MailPolicy, error) {
	m.settingsMu.Lock()
	defer m.settingsMu.Unlock()
	cfg, err := m.loadSettings()
	if err != nil {
		return MailPolicy{}, err
	}
	return mailPolicyOf(cfg), nil
}

// SetMailPolicy saves the offline settings (only the values that changed)
// and applies them from the next sync on, which it starts: raising the days
// downloads the older messages' text; lowering them deletes nothing. A
// setting the administrator locked is refused and nothing is saved.
func (m *Mail) SetMailPolicy(bodyDays, attachmentMB int) error {
	m.settingsMu.Lock()
	defer m.settingsMu.Unlock()
	cfg, err := m.loadSettings()
	if err != nil {
		return err
	}
	cur := mailPolicyOf(cfg)
	days, att := bodyDays != cur.BodyDays, attachmentMB != cur.AttachmentMB
	switch {
	case days && cur.BodyDaysLocked:
		return fmt.Errorf("your administrator has locked how long message text is kept offline (the last %d days); ask your IT administrator if it needs to change", cur.BodyDays)
	case att && cur.AttachmentLocked:
		return fmt.Errorf("your administrator has locked which attachments are kept offline (up to %d MB); ask your IT administrator if it needs to change", cur.AttachmentMB)
	case days && (bodyDays < 1 || bodyDays > maxBodyDays):
		return fmt.Errorf("message text can be kept offline for 1 to %d days (you entered %d)", maxBodyDays, bodyDays)
	case att && (attachmentMB < 1 || attachmentMB > maxAttachmentMB):
		return fmt.Errorf("the size up to which attachments are kept offline must be 1 to %d MB (you entered %d)", maxAttachmentMB, attachmentMB)
	case !days && !att:
		return nil
	}
	err = cfg.Update(func(s *config.Settings) {
		if days {
			s.MailBodyDays = bodyDays
		}
		if att {
			s.MailAttachmentMaxKB = attachmentMB << 10
		}
	})
	if err != nil {
		return err
	}
	if c, err := m.db(); err == nil { // else the cache opens with the saved settings
		c.SetPolicy(workspace.MailCachePolicy(cfg.Effective))
	}
	m.poke()
	return nil
}
