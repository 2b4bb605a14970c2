package mailcache

import (
	"mime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decodes non-UTF-8 charsets
	"golang.org/x/text/encoding/charmap"

	"github.com/deskport/deskport/internal/mailparse"
)

// parsed is what the cache keeps of a raw message for listing and search.
type parsed struct {
	Subject, From, To, Cc string
	FromEmail             string // lower-case address of the first sender
	MessageID, InReplyTo  string
	Date                  time.Time
	Text                  string // body text (HTML turned into text)
	Snippet               string // its start on one line, without quoted replies
	Attachments           []attachment
	Problems              []string
}

type attachment struct {
	Part, Name, Type string
	Size             int64
	Offline          bool // false: left out of a skeleton, fetched when opened
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// maxIndexedText bounds the body text kept for search per message.
const maxIndexedText = 256 << 10

// parseMessage extracts what the cache keeps, with the lenient parser of
// internal/mailparse: it never fails; what cannot be decoded is reported in
// Problems.
func parseMessage(raw []byte) parsed { return parseWith(raw, false) }

// parseSkeleton parses a skeleton the cache built (skeleton.go): parts it
// left out are listed with their real size and not offline.
func parseSkeleton(raw []byte) parsed { return parseWith(raw, true) }

func parseWith(raw []byte, skeleton bool) parsed {
	m := mailparse.Parse(raw, mailparse.Options{MaxTextBytes: maxIndexedText, Skeleton: skeleton, TextOnly: true})
	p := parsed{Subject: m.Subject, From: addrString(m.From), To: addrString(m.To), Cc: addrString(m.Cc),
		MessageID: m.MessageID, Date: m.Date, Text: clip(m.Text), Snippet: m.Preview, Problems: m.Problems}
	if len(m.InReplyTo) > 0 {
		p.InReplyTo = m.InReplyTo[0]
	}
	if len(m.From) > 0 {
		p.FromEmail = strings.ToLower(m.From[0].Email)
	}
	for _, a := range m.Attachments {
		p.Attachments = append(p.Attachments, attachment{Part: a.Part, Name: a.Filename, Type: a.ContentType, Size: a.Size, Offline: !a.Omitted})
	}
	return p
}

func addrString(as []mailparse.Address) string {
	var b strings.Builder
	for i, a := range as {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case a.Name != "" && a.Email != "":
			b.WriteString(a.Name + " <" + a.Email + ">")
		case a.Email != "":
			b.WriteString(a.Email)
		default:
			b.WriteString(a.Name)
		}
	}
	return b.String()
}

// maxStoredSubject bounds the subject kept for lists and the reader. The
// index gets every word of the whole subject (ingest.fold); a phrase check
// on a shortened subject reads the whole one from the body (phrase.go).
const maxStoredSubject = 4 << 10

// storedSubject is s shortened to maxStoredSubject bytes, ending in "…"
// when cut.
func storedSubject(s string) string {
	if len(s) <= maxStoredSubject {
		return s
	}
	s = s[:maxStoredSubject-len("…")]
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if !utf8.FullRuneInString(s[i:]) {
				s = s[:i]
			}
			break
		}
	}
	return s + "…"
}

// clip bounds the text to maxIndexedText without cutting a character (the
// parser's text is valid UTF-8: its fuzz test checks that).
func clip(s string) string {
	if len(s) <= maxIndexedText {
		return s
	}
	s = s[:maxIndexedText]
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if !utf8.FullRuneInString(s[i:]) {
				s = s[:i]
			}
			break
		}
	}
	return s
}

// toValidUTF8 reads undeclared 8-bit text as Windows-1252 (what such mail
// almost always is) and keeps valid UTF-8 as it is.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
