package mailcache

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Outbox states. A message moves queued → claimed → sending → sent →
// (appended to Sent, row deleted). Each state is committed before the next
// step starts:
//   - "claimed": a sync has taken it to send (one row changed by an UPDATE
//     from "queued", so no one else sends it and the user cannot discard
//     it while it goes out). Only one process syncs a cache at a time
//     (proclock.go), so a claim found at the start of a sync is a dead
//     process's: before the final "." nothing was accepted, and it is
//     queued again.
//   - "sending" is committed just before the final "." of SMTP DATA, the
//     moment the server may accept it. Found after a crash it becomes
//     "uncertain": it may have been delivered, so it is never resent on its
//     own (never sent twice) and never deleted (never lost); the user
//     resends or discards it.
//   - "sent": delivered; only the copy to the Sent folder is left, done at
//     most once by looking for its Message-ID there first.
const (
	outQueued    = "queued"
	outClaimed   = "claimed"
	outSending   = "sending"
	outSent      = "sent"
	outUncertain = "uncertain"
	outFailed    = "failed" // the server refused it for good; see error
)

// Outgoing is a message in the outbox.
type Outgoing struct {
	ID        int64     `json:"id"`
	MessageID string    `json:"messageId"`
	Subject   string    `json:"subject"`
	To        []string  `json:"to"`
	State     string    `json:"state"`
	Error     string    `json:"error"`
	Created   time.Time `json:"created"`
}

// Enqueue puts a complete RFC 5322 message into the outbox. It gets a
// Message-ID and Date when it has none; Bcc is removed from the copy sent
// and filed. Recipients are To, Cc and Bcc.
func (c *Cache) Enqueue(ctx context.Context, raw []byte) (Outgoing, error) {
	return c.enqueue(ctx, raw, false)
}

// EnqueueDraft is Enqueue for the compose panel's message: the saved draft
// (draft.go) is forgotten in the same transaction, so that after a crash the
// message is either in the outbox or still the draft, never both.
func (c *Cache) EnqueueDraft(ctx context.Context, raw []byte) (Outgoing, error) {
	return c.enqueue(ctx, raw, true)
}

func (c *Cache) enqueue(ctx context.Context, raw []byte, clearDraft bool) (Outgoing, error) {
	br := bufio.NewReader(bytes.NewReader(raw))
	th, err := textproto.ReadHeader(br)
	if err != nil {
		return Outgoing{}, fmt.Errorf("outbox: the message has no readable header (%v); it must start with header lines such as From:, To:, Subject:, then an empty line", err)
	}
	body, _ := io.ReadAll(br)
	h := mail.Header{Header: message.Header{Header: th}}
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 {
		return Outgoing{}, errors.New("outbox: the message needs a From: address")
	}
	var rcpt []string
	for _, k := range []string{"To", "Cc", "Bcc"} {
		list, err := h.AddressList(k)
		if err != nil {
			return Outgoing{}, fmt.Errorf("outbox: the %s: line is not a valid address list (%v)", k, err)
		}
		for _, a := range list {
			rcpt = append(rcpt, a.Address)
		}
	}
	if len(rcpt) == 0 {
		return Outgoing{}, errors.New("outbox: the message has no recipients (add a To: line)")
	}
	h.Del("Bcc")
	mid, _ := h.MessageID()
	if mid == "" {
		b := make([]byte, 12)
		rand.Read(b)
		domain := "deskport.local"
		if i := strings.LastIndexByte(from[0].Address, '@'); i >= 0 {
			domain = from[0].Address[i+1:]
		}
		mid = hex.EncodeToString(b) + "@" + domain
		h.SetMessageID(mid)
	}
	if !h.Has("Date") {
		h.SetDate(time.Now())
	}
	var out bytes.Buffer
	if err := textproto.WriteHeader(&out, h.Header.Header); err != nil {
		return Outgoing{}, err
	}
	out.Write(body)
	subject, _ := h.Subject()
	rj, _ := json.Marshal(rcpt)
	o := Outgoing{MessageID: mid, Subject: subject, To: rcpt, State: outQueued, Created: time.Now()}
	answers, _ := h.MsgIDList("In-Reply-To")
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO outbox(message_id, mail_from, rcpt, subject, state, raw, created, updated) VALUES(?,?,?,?,?,?,?,?) RETURNING id`,
			mid, from[0].Address, string(rj), subject, outQueued, out.Bytes(), now(), now()).Scan(&o.ID); err != nil {
			return err
		}
		if clearDraft {
			if _, err := tx.ExecContext(ctx, `DELETE FROM draft`); err != nil {
				return err
			}
		}
		return markAnswered(ctx, tx, answers)
	})
	return o, err
}

// markAnswered flags the cached messages a reply answers (\Answered, here at
// once and on the server at the next sync), as mail programs show replied mail.
func markAnswered(ctx context.Context, tx *sql.Tx, messageIDs []string) error {
	for _, mid := range messageIDs {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM messages WHERE message_id=? AND answered=0`, mid)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if err := setFlagTx(ctx, tx, id, "answered", true, "answered"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Outbox lists the messages not yet delivered and filed.
func (c *Cache) Outbox(ctx context.Context) ([]Outgoing, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, message_id, subject, rcpt, state, error, created FROM outbox ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Outgoing{}
	for rows.Next() {
		var o Outgoing
		var rj string
		var created int64
		if err := rows.Scan(&o.ID, &o.MessageID, &o.Subject, &rj, &o.State, &o.Error, &created); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(rj), &o.To)
		o.Created = time.Unix(created, 0)
		if o.State == outClaimed {
			o.State = outSending // what the user sees: it is going out now
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Resend queues an uncertain or failed message again (the user's decision).
func (c *Cache) Resend(ctx context.Context, id int64) error {
	r, err := c.db.ExecContext(ctx, `UPDATE outbox SET state=?, error='', updated=? WHERE id=? AND state IN (?,?)`, outQueued, now(), id, outUncertain, outFailed)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return errors.New("outbox: only a message marked uncertain or failed can be sent again")
	}
	return nil
}

// Discard removes an unsent message from the outbox; not one a sync is
// sending at this moment.
func (c *Cache) Discard(ctx context.Context, id int64) error {
	r, err := c.db.ExecContext(ctx, `DELETE FROM outbox WHERE id=? AND state IN (?,?,?)`, id, outQueued, outUncertain, outFailed)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		var state string
		if c.db.QueryRowContext(ctx, `SELECT state FROM outbox WHERE id=?`, id).Scan(&state) == nil {
			return errors.New("outbox: this message is being sent right now and can no longer be discarded; if it fails, it stays in the outbox")
		}
	}
	return nil
}

func (c *Cache) setOutState(ctx context.Context, id int64, state, msg string) error {
	return c.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state=?, error=?, updated=? WHERE id=?`, state, msg, now(), id)
		return err
	})
}

// sendOutbox delivers queued messages over SMTP and files them in Sent.
func (c *Cache) sendOutbox(ctx context.Context, a Account, cl *imapclient.Client) (int, error) {
	var waiting int
	if err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&waiting); err != nil || waiting == 0 {
		return 0, err
	}
	// The caller holds the process lock: no live process is sending, so these
	// states are left by one that died. A send interrupted at the final "."
	// may or may not have been accepted; one interrupted before it was not.
	if _, err := c.db.ExecContext(ctx, `UPDATE outbox SET state=?, error=?, updated=? WHERE state=?`, outUncertain,
		"Deskport stopped while the server was accepting this message: it may have been sent. Check with a recipient, then send it again or discard it.", now(), outSending); err != nil {
		return 0, err
	}
	if _, err := c.db.ExecContext(ctx, `UPDATE outbox SET state=?, updated=? WHERE state=?`, outQueued, now(), outClaimed); err != nil {
		return 0, err
	}
	var queued []int64
	rows, err := c.db.QueryContext(ctx, `SELECT id FROM outbox WHERE state IN (?,?) ORDER BY id`, outQueued, outSent)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		queued = append(queued, id)
	}
	rows.Close()
	if len(queued) == 0 {
		return 0, nil
	}
	var sc *smtp.Client
	defer func() {
		if sc != nil {
			sc.Quit()
			sc.Close()
		}
	}()
	sent := 0
	for _, id := range queued {
		var state, mid, from, rj string
		var raw []byte
		if err := c.db.QueryRowContext(ctx, `SELECT state, message_id, mail_from, rcpt, raw FROM outbox WHERE id=?`, id).Scan(&state, &mid, &from, &rj, &raw); err != nil {
			return sent, err
		}
		if state == outQueued {
			if sc == nil {
				if sc, err = dialSMTP(a); err != nil {
					return sent, err
				}
			}
			r, err := c.db.ExecContext(ctx, `UPDATE outbox SET state=?, updated=? WHERE id=? AND state=?`, outClaimed, now(), id, outQueued)
			if err != nil {
				return sent, err
			}
			if n, _ := r.RowsAffected(); n != 1 {
				continue // discarded since it was read
			}
			c.crashPoint("smtp-claimed")
			var rcpt []string
			json.Unmarshal([]byte(rj), &rcpt)
			if err := c.deliver(ctx, sc, id, from, rcpt, raw); err != nil {
				// not accepted before the final "." (deliver moved it on otherwise)
				c.db.ExecContext(context.WithoutCancel(ctx), `UPDATE outbox SET state=?, updated=? WHERE id=? AND state=?`, outQueued, now(), id, outClaimed)
				var se *smtp.SMTPError
				if errors.As(err, &se) {
					if se.Code >= 500 {
						if err := c.setOutState(ctx, id, outFailed, "the mail server refused this message: "+se.Message+" (correct it and send again)"); err != nil {
							return sent, err
						}
						sc.Reset()
						continue
					}
				}
				return sent, fmt.Errorf("sending %q: %w", mid, err)
			}
			sent++
		}
		if err := c.fileSent(ctx, cl, mid, raw); err != nil {
			return sent, err
		}
		if _, err := c.db.ExecContext(ctx, `DELETE FROM outbox WHERE id=?`, id); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (c *Cache) deliver(ctx context.Context, sc *smtp.Client, id int64, from string, rcpt []string, raw []byte) error {
	if err := sc.Mail(from, nil); err != nil {
		return err
	}
	for _, r := range rcpt {
		if err := sc.Rcpt(r, nil); err != nil {
			return err
		}
	}
	w, err := sc.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	c.crashPoint("smtp-before-dot")
	if err := c.setOutState(ctx, id, outSending, ""); err != nil {
		return err
	}
	c.crashPoint("smtp-sending-committed")
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) { // refused: not delivered
			c.setOutState(ctx, id, outQueued, se.Message)
			return err
		}
		c.setOutState(ctx, id, outUncertain, "the connection broke while the server was accepting this message: it may have been sent. Check with a recipient, then send it again or discard it.")
		return err
	}
	c.crashPoint("smtp-accepted")
	if err := c.setOutState(ctx, id, outSent, ""); err != nil {
		return err
	}
	c.crashPoint("smtp-sent-committed")
	return nil
}

// fileSent appends a delivered message to the Sent folder once.
func (c *Cache) fileSent(ctx context.Context, cl *imapclient.Client, mid string, raw []byte) error {
	var sent string
	c.db.QueryRowContext(ctx, `SELECT name FROM folders WHERE special='\Sent' UNION ALL SELECT name FROM folders WHERE name='Sent' LIMIT 1`).Scan(&sent)
	if sent == "" {
		return nil
	}
	found, err := inFolder(cl, sent, mid)
	if err != nil {
		return err
	}
	if found {
		return nil
	}
	cmd := cl.Append(sent, int64(len(raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
	if _, err := cmd.Write(raw); err != nil {
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	if _, err := cmd.Wait(); err != nil {
		return err
	}
	c.crashPoint("appended")
	return nil
}

func dialSMTP(a Account) (*smtp.Client, error) {
	if err := a.SMTP.check("SMTP"); err != nil {
		return nil, err
	}
	var sc *smtp.Client
	var err error
	switch a.SMTP.Security {
	case SecurityTLS:
		sc, err = smtp.DialTLS(a.SMTP.addr(), a.tlsConfig(a.SMTP.Host))
	case SecuritySTARTTLS:
		sc, err = smtp.DialStartTLS(a.SMTP.addr(), a.tlsConfig(a.SMTP.Host))
	default:
		sc, err = smtp.Dial(a.SMTP.addr())
	}
	if err != nil {
		return nil, connError("SMTP", a.SMTP, err)
	}
	// with STARTTLS the handshake (and the certificate check) happens here
	if err := sc.Auth(sasl.NewPlainClient("", a.User, a.Password)); err != nil {
		sc.Close()
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			if se.Code == 535 {
				return nil, fmt.Errorf("SMTP %s as %s: %w", a.SMTP.Host, a.User, ErrAuth)
			}
			return nil, fmt.Errorf("SMTP %s: login refused: %v (check the user name and that the server allows sending for it)", a.SMTP.Host, se.Message)
		}
		return nil, connError("SMTP", a.SMTP, err)
	}
	return sc, nil
}
