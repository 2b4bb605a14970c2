package mailcache

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decodes non-UTF-8 charsets
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

// parsed is what the cache keeps of a raw message for listing and search.
type parsed struct {
	Subject, From, To, Cc string
	MessageID, InReplyTo  string
	Date                  time.Time
	Text                  string // body text (HTML turned into text)
	Attachments           []attachment
	Problems              []string
}

type attachment struct {
	Part, Name, Type string
	Size             int64
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// maxIndexedText bounds the body text kept for search per message.
const maxIndexedText = 256 << 10

// parseMessage extracts headers, text and attachment metadata; it never
// fails: what cannot be decoded is reported in Problems.
func parseMessage(raw []byte) parsed {
	var p parsed
	br := bufio.NewReader(bytes.NewReader(raw))
	hdr, err := textproto.ReadHeader(br)
	if err != nil {
		if small, dropped := trimHeader(raw); dropped > 0 {
			p.Problems = append(p.Problems, fmt.Sprintf("header too large: %d lines left out", dropped))
			br = bufio.NewReader(bytes.NewReader(small))
			hdr, err = textproto.ReadHeader(br)
		}
	}
	if err != nil {
		p.Problems = append(p.Problems, "unreadable header: "+err.Error())
		p.Text = clip(toValidUTF8(string(raw)))
		return p
	}
	ent := struct{ Header message.Header }{message.Header{Header: hdr}}
	dec := func(k string) string {
		v := ent.Header.Get(k)
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			return toValidUTF8(d)
		}
		return toValidUTF8(v)
	}
	p.Subject = dec("Subject")
	p.From, p.To, p.Cc = dec("From"), dec("To"), dec("Cc")
	mh := gomail.Header{Header: ent.Header}
	p.MessageID, _ = mh.MessageID() // without <>, as IMAP ENVELOPE gives it
	if ids, _ := mh.MsgIDList("In-Reply-To"); len(ids) > 0 {
		p.InReplyTo = ids[0]
	}
	if d, err := mail.ParseDate(ent.Header.Get("Date")); err == nil {
		p.Date = d
	}
	var text strings.Builder
	// Walk the MIME tree on raw parts: text parts are decoded (transfer
	// encoding and charset), attachments are only measured, never decoded.
	var walk func(h textproto.Header, body io.Reader, path string, depth int)
	walk = func(h textproto.Header, body io.Reader, path string, depth int) {
		mh := message.Header{Header: h}
		ct, params, _ := mh.ContentType()
		if strings.HasPrefix(ct, "multipart/") && params["boundary"] != "" && depth < 20 {
			mr := textproto.NewMultipartReader(body, params["boundary"])
			for i := 1; ; i++ {
				part, err := mr.NextPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					p.Problems = append(p.Problems, "multipart: "+err.Error())
					return
				}
				sub := fmt.Sprint(i)
				if path != "" {
					sub = path + "." + sub
				}
				walk(part.Header, part, sub, depth+1)
			}
		}
		if path == "" {
			path = "1"
		}
		disp, dparams, _ := mh.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		if d, err := wordDecoder.DecodeHeader(name); err == nil {
			name = d
		}
		isText := ct == "" || strings.HasPrefix(ct, "text/")
		if disp == "attachment" || !isText || name != "" && ct != "text/plain" && ct != "text/html" {
			n, _ := io.Copy(io.Discard, body)
			if strings.EqualFold(strings.TrimSpace(h.Get("Content-Transfer-Encoding")), "base64") {
				n = n * 3 / 4 // close enough without decoding
			}
			if ct == "" {
				ct = "application/octet-stream"
			}
			p.Attachments = append(p.Attachments, attachment{Part: path, Name: toValidUTF8(name), Type: ct, Size: n})
			return
		}
		if text.Len() >= maxIndexedText {
			io.Copy(io.Discard, body)
			return
		}
		ent, err := message.New(mh, body)
		if ent == nil {
			p.Problems = append(p.Problems, "part "+path+": "+err.Error())
			return
		}
		if err != nil {
			p.Problems = append(p.Problems, "part "+path+": "+err.Error())
		}
		b, err := io.ReadAll(io.LimitReader(ent.Body, maxIndexedText))
		if err != nil {
			p.Problems = append(p.Problems, "part "+path+": "+err.Error())
		}
		s := toValidUTF8(string(b))
		if ct == "text/html" {
			s = htmlText(s)
		}
		text.WriteString(s)
		text.WriteByte('\n')
	}
	walk(hdr, br, "", 0)
	p.Text = clip(text.String())
	return p
}

// htmlText is the visible text of an HTML document, for the index.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			n, _ := z.TagName()
			if string(n) == "script" || string(n) == "style" {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			n, _ := z.TagName()
			if (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

func clip(s string) string {
	if len(s) > maxIndexedText {
		s = s[:maxIndexedText]
	}
	return strings.ToValidUTF8(s, "")
}

func snippetOf(text string) string {
	if len(text) > 1024 {
		text = text[:1024]
	}
	s := strings.Join(strings.Fields(text), " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.ToValidUTF8(s, "")
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

// keptFields survive trimHeader wherever they are in the header.
var keptFields = []string{"subject:", "from:", "to:", "cc:", "date:", "message-id:", "in-reply-to:", "references:", "mime-version:", "content-"}

// trimHeader shortens a header too large for the MIME reader: the first
// 64 KB of lines stay, later lines only when they are fields the cache
// needs. It returns the message with the shorter header and how many lines
// were left out (0 when raw has no header/body split to work with).
func trimHeader(raw []byte) ([]byte, int) {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	sep := 4
	if end < 0 {
		if end = bytes.Index(raw, []byte("\n\n")); end < 0 {
			return raw, 0
		}
		sep = 2
	}
	var out bytes.Buffer
	dropped := 0
	keep := false
	for _, line := range bytes.SplitAfter(raw[:end+sep/2], []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' { // a new field, not a continuation
			keep = out.Len() < 64<<10
			if !keep {
				l := bytes.ToLower(line[:min(len(line), 16)])
				for _, f := range keptFields {
					if bytes.HasPrefix(l, []byte(f)) {
						keep = true
					}
				}
			}
		}
		if keep && out.Len() < 512<<10 {
			out.Write(line)
		} else {
			dropped++
		}
	}
	out.Write(raw[end+sep/2:])
	return out.Bytes(), dropped
}
