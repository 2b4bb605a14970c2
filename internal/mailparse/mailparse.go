// Package mailparse turns a raw RFC 5322 message into what the mail cache
// stores and indexes and what the reader shows: decoded headers, a text body,
// the HTML body, attachment metadata and a list of problems found on the way.
//
// It never fails and never panics on malformed input: whatever can be decoded
// is kept, and everything that was wrong is named in Message.Problems. It works
// on the raw bytes in place (bodies are sub-slices decoded as streams), so a
// 50 MB message costs little more than its text bodies.
package mailparse

import (
	"time"
)

// Options bounds the work done on one message. Zero values take defaults.
type Options struct {
	// MaxHeaderBytes is how much header text is kept per entity (default 1 MiB).
	// Beyond it only the fields this package reads are kept.
	MaxHeaderBytes int
	// MaxFieldBytes caps one header field's value (default 64 KiB); the
	// Subject is capped by MaxHeaderBytes instead, so that all its words
	// can be indexed.
	MaxFieldBytes int
	// MaxTextBytes caps each decoded text or HTML body part (default 8 MiB).
	MaxTextBytes int
	// MaxDepth caps multipart nesting (default 20): a deeper multipart is
	// listed as one opaque attachment, and the text parts inside it are
	// still read, in one linear pass (deepText), into the text body.
	MaxDepth int
	// MaxParts caps the number of MIME parts walked (default 1000).
	MaxParts int
	// Skeleton reads the part headers OmittedHeader and PartialHeader with
	// which the mail cache marks a message it stored without some of its
	// content: such parts report their real size and Attachment.Omitted.
	// Only for messages the cache built itself: in mail from elsewhere a
	// sender could have written them.
	Skeleton bool
	// TextOnly leaves Message.HTML empty and skips what only it needs (the
	// HTML alternative of a plain text, escaping): for indexing.
	TextOnly bool
}

// The part headers of a skeleton (see Options.Skeleton). Their value is the
// part's whole decoded size in bytes.
const (
	// OmittedHeader: the part's content was left out (its body is empty).
	OmittedHeader = "X-Deskport-Omitted"
	// PartialHeader: only the start of the part's content is there (a very
	// long text), or, on an attached message, some of its parts are omitted.
	PartialHeader = "X-Deskport-Partial"
)

func (o Options) withDefaults() Options {
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = 1 << 20
	}
	if o.MaxFieldBytes <= 0 {
		o.MaxFieldBytes = 64 << 10
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = 8 << 20
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 20
	}
	if o.MaxParts <= 0 {
		o.MaxParts = 1000
	}
	return o
}

// Address is one decoded mailbox. Email may be empty when only a name could
// be recovered from a broken field.
type Address struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attachment describes a non-body part. Its content is not kept: fetch it by
// Part (IMAP BODY[<Part>]) or from the raw message with OpenPart.
type Attachment struct {
	// Part is the IMAP section path, e.g. "2" or "1.2".
	Part     string `json:"part"`
	Filename string `json:"filename"`
	// ContentType is the lower-case media type without parameters, e.g. "image/png".
	ContentType string `json:"contentType"`
	// Size is the decoded size in bytes (estimated from the encoded length for base64).
	Size int64 `json:"size"`
	// ContentID is the Content-ID without angle brackets, for cid: references.
	ContentID string `json:"contentId,omitempty"`
	// Inline is true for Content-Disposition: inline parts (usually images in HTML).
	Inline bool `json:"inline"`
	// Encoding is the Content-Transfer-Encoding (lower case), needed to decode a part fetched alone.
	Encoding string `json:"encoding,omitempty"`
	// Charset is the charset parameter, if any.
	Charset string `json:"charset,omitempty"`
	// Omitted: the content is not (wholly) in the raw message, a skeleton
	// (Options.Skeleton); fetch it by Part from the server. Size is then
	// the size of the whole part.
	Omitted bool `json:"omitted,omitempty"`
}

// Message is the parsed form of one raw message.
type Message struct {
	Subject string    `json:"subject"`
	From    []Address `json:"from"`
	Sender  []Address `json:"sender,omitempty"`
	To      []Address `json:"to"`
	Cc      []Address `json:"cc"`
	Bcc     []Address `json:"bcc,omitempty"`
	ReplyTo []Address `json:"replyTo"`
	// Date is the Date header; zero when missing or unparseable.
	Date time.Time `json:"date"`
	// MessageID, InReplyTo and References hold ids without angle brackets.
	MessageID  string   `json:"messageId"`
	InReplyTo  []string `json:"inReplyTo"`
	References []string `json:"references"`

	// Text is the text body: the text/plain parts, or the text of the HTML
	// when there are none. It is what the search index should hold.
	Text string `json:"text"`
	// HTML is the HTML body as sent: NOT safe to display. Pass it through
	// htmlsafe.Sanitize (or use DisplayHTML) first. Empty for plain mail.
	HTML string `json:"html"`
	// Preview is the start of Text on one line, for message lists.
	Preview string `json:"preview"`

	Attachments []Attachment `json:"attachments"`
	// Problems names everything malformed that was worked around.
	Problems []string `json:"problems"`
	// Size is the raw message size in bytes.
	Size int64 `json:"size"`
}

const maxProblems = 50
const previewRunes = 200

// Parse parses a raw message. It always returns a Message; malformed input is
// reported in Message.Problems, never as a failure.
func Parse(raw []byte, opts Options) *Message {
	opts = opts.withDefaults()
	p := &parser{opts: opts, msg: &Message{Size: int64(len(raw))}}
	defer func() {
		// Parsing must never take the sync down; a bug here loses only the
		// parts not yet walked, and says so.
		if r := recover(); r != nil {
			p.problem("internal parser error, message shown partially: %v", r)
			p.finish()
		}
	}()
	if len(raw) == 0 {
		p.problem("empty message")
		p.finish()
		return p.msg
	}
	h, body := p.readHeader(raw)
	p.envelope(h)
	// IMAP calls the body of a single-part message part 1.
	mode := bodyPlain | bodyHTML
	if opts.TextOnly {
		mode = bodyPlain
	}
	p.entity(h, body, "", "1", 0, mode, "")
	p.finish()
	return p.msg
}
