package mailcache

import (
	"context"
	"crypto/x509"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// A sync's IMAP connection stays logged in for the next sync: the app
// syncs every few minutes and on every push, and each sync dialled, did
// TLS and LOGIN again — 12–14 ms of a 45 ms no-change sync on loopback,
// several round trips (a few hundred ms) to a suite far away. A kept
// connection is checked with NOOP before it is used; one the server closed
// meanwhile, or one older than keepConnFor, is replaced.
const (
	keepConnFor = 10 * time.Minute // Dovecot logs idle clients out after 30
	noopTimeout = 10 * time.Second
)

type keptConn struct {
	cl   *imapclient.Client
	imap Server
	user string
	pass string // to tell a new sign-in from the old (in memory only, as Account)
	cas  *x509.CertPool
	at   time.Time
}

type connKeeper struct {
	mu   sync.Mutex
	kept *keptConn
	slot chan struct{} // the one on-demand connection (onDemandConn)
}

func (k *keptConn) fits(a Account) bool {
	return k.imap == a.IMAP && k.user == a.User && k.pass == a.Password && k.cas == a.RootCAs &&
		time.Since(k.at) < keepConnFor
}

// syncConn returns the kept connection if it still works for a, else a new
// one.
func (c *Cache) syncConn(ctx context.Context, a Account) (*imapclient.Client, error) {
	c.conns.mu.Lock()
	k := c.conns.kept
	c.conns.kept = nil
	c.conns.mu.Unlock()
	if k != nil {
		if k.fits(a) && noop(k.cl) == nil {
			return k.cl, nil
		}
		k.cl.Close()
	}
	c.crashPoint("dial")
	return dialIMAP(ctx, a, nil)
}

// noop checks a connection, closing it when the server does not answer.
func noop(cl *imapclient.Client) error {
	t := time.AfterFunc(noopTimeout, func() { cl.Close() })
	defer t.Stop()
	return cl.Noop().Wait()
}

// keepConn keeps cl, logged in as a, for the next sync.
func (c *Cache) keepConn(cl *imapclient.Client, a Account) {
	c.conns.mu.Lock()
	old := c.conns.kept
	c.conns.kept = &keptConn{cl: cl, imap: a.IMAP, user: a.User, pass: a.Password, cas: a.RootCAs, at: time.Now()}
	c.conns.mu.Unlock()
	if old != nil {
		old.cl.Close()
	}
}

// Disconnect logs the kept connection out (after a sign-out, and on Close).
func (c *Cache) Disconnect() {
	c.conns.mu.Lock()
	k := c.conns.kept
	c.conns.kept = nil
	c.conns.mu.Unlock()
	if k != nil {
		t := time.AfterFunc(noopTimeout, func() { k.cl.Close() })
		k.cl.Logout().Wait()
		t.Stop()
		k.cl.Close()
	}
}

// onDemandConn dials the connection for a body or an attachment the user
// opened, one at a time: with IDLE and the kept sync connection an account
// then never holds more than 3 IMAP connections (servers limit them per
// user and IP; Dovecot's default is 10). done logs it out and frees the slot.
func (c *Cache) onDemandConn(ctx context.Context, a Account) (cl *imapclient.Client, done func(), err error) {
	c.conns.mu.Lock()
	if c.conns.slot == nil {
		c.conns.slot = make(chan struct{}, 1)
	}
	slot := c.conns.slot
	c.conns.mu.Unlock()
	select {
	case slot <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	cl, err = dialIMAP(ctx, a, nil)
	if err != nil {
		<-slot
		return nil, nil, err
	}
	return cl, func() { cl.Close(); <-slot }, nil
}
