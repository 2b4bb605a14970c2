package mailcache

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/deskport/deskport/internal/mailparse"
	"github.com/emersion/go-message/mail"
)

// Draft is a message written in the app.
type Draft struct {
	From        string            `json:"from"` // "Name <addr>" or addr
	To          string            `json:"to"`   // comma-separated addresses
	Cc          string            `json:"cc"`
	Bcc         string            `json:"bcc"`
	Subject     string            `json:"subject"`
	Text        string            `json:"text"`
	InReplyTo   string            `json:"inReplyTo"`  // Message-ID of the message answered, without <>
	References  []string          `json:"references"` // the thread's Message-IDs, oldest first, ending with InReplyTo
	Attachments []DraftAttachment `json:"attachments"`
}

// DraftAttachment is a file attached to a draft.
type DraftAttachment struct {
	Name string `json:"name"`
	Type string `json:"type"` // MIME type; guessed from the name when empty
	Data []byte `json:"data"` // base64 in JSON
}

// ParseAddresses reads a comma-separated address list as people write it
// and as the cache shows it: RFC 5322 lists, and also display names with an
// unquoted comma ("Müller, Jürgen <j@amt.example>"), which German offices
// use for "surname, first name".
func ParseAddresses(s string) ([]*mail.Address, error) {
	if list, err := mail.ParseAddressList(s); err == nil {
		return list, nil
	}
	var out []*mail.Address
	name := ""
	for _, seg := range mailparse.SplitOutside(s, ',', true) {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		if !strings.Contains(seg, "@") { // the first half of a "surname, first name"
			if name != "" {
				name += ", "
			}
			name += seg
			continue
		}
		a, err := mail.ParseAddress(seg)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address (%v); write name <address>, and separate addresses with commas", seg, err)
		}
		if name != "" {
			if !strings.Contains(seg, "<") {
				return nil, fmt.Errorf("%q is not an address; write name <address>, and separate addresses with commas", name)
			}
			a.Name = strings.TrimSpace(name + ", " + a.Name)
			name = ""
		}
		out = append(out, a)
	}
	if name != "" {
		return nil, fmt.Errorf("%q is not an address; write name <address>, and separate addresses with commas", name)
	}
	return out, nil
}

// Compose turns a draft into an RFC 5322 message (MIME via go-message).
func Compose(d Draft) ([]byte, error) {
	var h mail.Header
	h.SetDate(time.Now())
	h.SetSubject(d.Subject)
	for _, f := range []struct {
		key, val string
		need     bool
	}{{"From", d.From, true}, {"To", d.To, false}, {"Cc", d.Cc, false}, {"Bcc", d.Bcc, false}} {
		if strings.TrimSpace(f.val) == "" {
			if f.need {
				return nil, fmt.Errorf("compose: the message needs a %s address", f.key)
			}
			continue
		}
		list, err := ParseAddresses(f.val)
		if err != nil {
			return nil, fmt.Errorf("compose: %s: %w", f.key, err)
		}
		h.SetAddressList(f.key, list)
	}
	if d.To == "" && d.Cc == "" && d.Bcc == "" {
		return nil, fmt.Errorf("compose: add at least one recipient")
	}
	if d.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{d.InReplyTo})
		refs := d.References
		if len(refs) == 0 || refs[len(refs)-1] != d.InReplyTo {
			refs = append(append([]string{}, refs...), d.InReplyTo)
		}
		h.SetMsgIDList("References", refs)
	}
	if err := h.GenerateMessageID(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if len(d.Attachments) == 0 {
		var th mail.InlineHeader
		th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Header.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		w, err := mail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return nil, err
		}
		w.Write([]byte(d.Text))
		return buf.Bytes(), w.Close()
	}
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	var th mail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, err := w.CreateSingleInline(th)
	if err != nil {
		return nil, err
	}
	tw.Write([]byte(d.Text))
	tw.Close()
	for _, a := range d.Attachments {
		var ah mail.AttachmentHeader
		typ := a.Type
		if typ == "" {
			if i := strings.LastIndexByte(a.Name, '.'); i >= 0 {
				typ = mime.TypeByExtension(a.Name[i:])
			}
			if typ == "" {
				typ = "application/octet-stream"
			}
		}
		ah.SetContentType(typ, nil)
		ah.SetFilename(a.Name)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return nil, err
		}
		aw.Write(a.Data)
		aw.Close()
	}
	return buf.Bytes(), w.Close()
}
