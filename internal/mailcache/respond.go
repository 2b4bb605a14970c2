package mailcache

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/mailparse"
	"github.com/emersion/go-message/mail"
)

// What a response to a message is.
const (
	Reply    = "reply"    // to the sender (or its Reply-To)
	ReplyAll = "replyAll" // to the sender and every other recipient but the user
	Forward  = "forward"  // to no one yet, with the message's text and attachments
)

// Response is what a reply or forward starts from. The view adds its own
// language's subject prefix and quote line; addresses are ready for Draft.
type Response struct {
	Kind       string    `json:"kind"`
	To         string    `json:"to"` // address list that Compose accepts
	Cc         string    `json:"cc"`
	Subject    string    `json:"subject"` // the original subject, without Re:/AW:/Fwd:/WG:
	InReplyTo  string    `json:"inReplyTo"`
	References []string  `json:"references"`
	From       string    `json:"from"` // the original sender, for the quote line
	Date       time.Time `json:"date"`
	Text       string    `json:"text"` // the original text, to quote or forward
	// Attachments of the original, for a forward (fetch each with its part).
	Attachments []Attachment `json:"attachments"`
	// Partial: the message's body is not on this computer and the server
	// could not be asked: addresses and text come from the cached headers
	// and preview (Reply-To and older references unknown).
	Partial bool `json:"partial"`
}

// Respond prepares a reply, reply-all or forward of message id. raw is the
// whole message, or nil when it is not cached and cannot be fetched now.
// self is the user's own address (as in Draft.From): never a recipient of a
// reply-all.
func (c *Cache) Respond(ctx context.Context, id int64, raw []byte, kind, self string) (Response, error) {
	if kind != Reply && kind != ReplyAll && kind != Forward {
		return Response{}, fmt.Errorf("respond: unknown kind %q (reply, replyAll or forward)", kind)
	}
	var o original
	if raw != nil {
		m := mailparse.Parse(raw, mailparse.Options{})
		o = original{subject: m.Subject, from: m.From, replyTo: m.ReplyTo, to: m.To, cc: m.Cc,
			messageID: m.MessageID, references: m.References, date: m.Date, text: m.Text}
		if len(o.references) == 0 {
			o.references = m.InReplyTo
		}
	} else {
		var from, to, cc, inReplyTo string
		var date int64
		err := c.db.QueryRowContext(ctx, `SELECT subject, from_addr, to_addr, cc_addr, message_id, in_reply_to, date, snippet FROM messages WHERE id=?`, id).
			Scan(&o.subject, &from, &to, &cc, &o.messageID, &inReplyTo, &date, &o.text)
		if err == sql.ErrNoRows {
			return Response{}, ErrNotFound
		} else if err != nil {
			return Response{}, err
		}
		o.from, o.to, o.cc = listedAddresses(from), listedAddresses(to), listedAddresses(cc)
		if inReplyTo != "" {
			o.references = []string{inReplyTo}
		}
		o.date = time.Unix(date, 0)
		o.partial = true
	}
	r := o.respond(kind, self)
	if kind == Forward {
		atts, err := c.Attachments(ctx, id)
		if err != nil {
			return Response{}, err
		}
		r.Attachments = atts
	}
	return r, nil
}

// original is the part of a message a response needs.
type original struct {
	subject               string
	from, replyTo, to, cc []mailparse.Address
	messageID             string
	references            []string
	date                  time.Time
	text                  string
	partial               bool
}

func (o original) respond(kind, self string) Response {
	r := Response{Kind: kind, Subject: stripPrefixes(o.subject), From: formatAddresses(o.from), Date: o.date, Text: o.text, Partial: o.partial}
	if kind == Forward {
		return r
	}
	r.InReplyTo = o.messageID
	r.References = o.references
	if o.messageID != "" {
		r.References = append(append([]string{}, o.references...), o.messageID)
	}
	me := ""
	if list := listedAddresses(self); len(list) > 0 {
		me = list[0].Email
	}
	isMe := func(a mailparse.Address) bool { return me != "" && strings.EqualFold(a.Email, me) }
	fromMe := len(o.from) > 0 && isMe(o.from[0])
	to := o.replyTo
	if len(to) == 0 {
		to = o.from
	}
	if fromMe { // answering one's own message (from Sent): to its recipients
		to = o.to
	}
	var cc []mailparse.Address
	if kind == ReplyAll {
		if !fromMe {
			to = append(append([]mailparse.Address{}, to...), o.to...)
		}
		cc = o.cc
	}
	seen := map[string]bool{}
	keep := func(as []mailparse.Address) []mailparse.Address {
		var out []mailparse.Address
		for _, a := range as {
			k := strings.ToLower(a.Email)
			if k == "" || seen[k] || (kind == ReplyAll && isMe(a) && !fromMe) {
				continue
			}
			seen[k] = true
			out = append(out, a)
		}
		return out
	}
	r.To, r.Cc = formatAddresses(keep(to)), formatAddresses(keep(cc))
	return r
}

// stripPrefixes removes the reply and forward prefixes mail programs put in
// front of a subject, in the languages staff meet ("Re: AW: WG: Antrag" →
// "Antrag"), so that a reply gets exactly one.
func stripPrefixes(s string) string {
	for {
		t := strings.TrimSpace(s)
		i := strings.IndexByte(t, ':')
		if i <= 0 || i > 4 {
			return t
		}
		switch strings.ToLower(t[:i]) {
		case "re", "aw", "fw", "fwd", "wg", "sv", "vs", "tr", "rv":
			s = t[i+1:]
		default:
			return t
		}
	}
}

// formatAddresses writes an address list that Compose parses back to the
// same addresses: a display name with a comma, dot or other special is
// quoted ("Müller, Jürgen" <j@amt.example>), others are left as written.
func formatAddresses(as []mailparse.Address) string {
	var parts []string
	for _, a := range as {
		switch {
		case a.Email == "":
		case a.Name == "" || strings.EqualFold(a.Name, a.Email):
			parts = append(parts, a.Email)
		case strings.ContainsAny(a.Name, `,;:<>@"()[]\.`):
			q := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(a.Name)
			parts = append(parts, `"`+q+`" <`+a.Email+`>`)
		default:
			parts = append(parts, a.Name+" <"+a.Email+">")
		}
	}
	return strings.Join(parts, ", ")
}

// listedAddresses reads back an address list as the cache stores it for
// display ("Müller, Jürgen <j@amt.example>, b@amt.example": names unquoted).
func listedAddresses(s string) []mailparse.Address {
	list, err := ParseAddresses(s)
	if err != nil {
		return nil
	}
	return fromMail(list)
}

func fromMail(list []*mail.Address) []mailparse.Address {
	out := make([]mailparse.Address, 0, len(list))
	for _, a := range list {
		out = append(out, mailparse.Address{Name: a.Name, Email: a.Address})
	}
	return out
}
