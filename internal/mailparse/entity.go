package mailparse

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	htmlcharset "golang.org/x/net/html/charset"
)

type parser struct {
	opts     Options
	msg      *Message
	seen     map[string]bool
	parts    int
	capped   bool
	plain    []string
	htmlPart []string
	htmlReal bool
	finished bool
}

func (p *parser) problem(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[s] || len(p.msg.Problems) >= maxProblems {
		return
	}
	p.seen[s] = true
	p.msg.Problems = append(p.msg.Problems, s)
}

// Which bodies a walk may contribute to: inside multipart/alternative the
// plain child feeds only Text and the rich child only HTML.
const (
	bodyPlain = 1 << iota
	bodyHTML
)

func childPath(parent string, i int) string {
	if parent == "" {
		return strconv.Itoa(i)
	}
	return parent + "." + strconv.Itoa(i)
}

type partInfo struct {
	mediaType   string
	params      map[string]string
	disposition string
	filename    string
	encoding    string
	contentID   string
	// omitted, partial: the sizes of a skeleton's markers, -1 without them.
	omitted, partial int64
}

func (p *parser) info(h header, parentType string) partInfo {
	var pi partInfo
	ct := h.get("Content-Type")
	pi.mediaType, pi.params = p.parseParams(ct)
	if !strings.Contains(pi.mediaType, "/") || strings.ContainsAny(pi.mediaType, " \t\"") {
		if strings.TrimSpace(ct) != "" {
			p.problem("malformed Content-Type %q, read as text/plain", truncate(ct, 60))
		}
		pi.mediaType = "text/plain"
		if parentType == "multipart/digest" {
			pi.mediaType = "message/rfc822"
		}
	}
	var dparams map[string]string
	pi.disposition, dparams = p.parseParams(h.get("Content-Disposition"))
	pi.filename = dparams["filename"]
	if pi.filename == "" {
		pi.filename = pi.params["name"]
	}
	pi.filename = cleanFilename(pi.filename)
	pi.encoding = strings.ToLower(strings.TrimSpace(h.get("Content-Transfer-Encoding")))
	pi.contentID = strings.TrimSpace(strings.Trim(strings.TrimSpace(h.get("Content-Id")), "<>"))
	pi.omitted, pi.partial = -1, -1
	if p.opts.Skeleton {
		pi.omitted, pi.partial = markerSize(h.get(OmittedHeader)), markerSize(h.get(PartialHeader))
	}
	return pi
}

// markerSize reads a skeleton marker's size; -1 when absent or malformed.
func markerSize(v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// cleanFilename keeps a name safe to show and to save: no directories, no
// control characters.
func cleanFilename(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// entity walks one MIME entity. base is the path its children extend, leaf
// the path it has itself (they differ for a whole message: "" and "1").
func (p *parser) entity(h header, body []byte, base, leafPath string, depth int, mode int, parentType string) {
	if p.parts >= p.opts.MaxParts {
		if !p.capped {
			p.capped = true
			p.problem("more than %d MIME parts; the rest is not shown", p.opts.MaxParts)
		}
		return
	}
	p.parts++
	pi := p.info(h, parentType)
	if strings.HasPrefix(pi.mediaType, "multipart/") {
		if depth >= p.opts.MaxDepth {
			// The structure stops here, the text does not: a sender must
			// not be able to hide words from search by nesting.
			p.problem("MIME parts nested deeper than %d; the rest is kept as one attachment, its text is shown", p.opts.MaxDepth)
			p.attach(pi, body, leafPath)
			p.deepText(body, false, pi.params["boundary"], pi.mediaType, mode)
			return
		}
		p.multipart(pi, body, base, depth, mode)
		return
	}
	if isMessage(pi.mediaType) {
		p.attach(pi, body, leafPath) // the whole message stays available as a file
		if !identityEncoding(pi.encoding) || pi.omitted >= 0 {
			return
		}
		if depth >= p.opts.MaxDepth {
			p.problem("MIME parts nested deeper than %d; the rest is kept as one attachment, its text is shown", p.opts.MaxDepth)
			p.deepText(body, true, "", "", mode)
			return
		}
		// Shown and indexed inline, as mail programs show forwarded messages.
		ih, ib := p.readHeader(body)
		if a := &p.msg.Attachments[len(p.msg.Attachments)-1]; pi.filename == "" {
			if subj := cleanFilename(p.text(ih.get("Subject"))); subj != "" {
				a.Filename = truncate(subj, 100) + ".eml"
			}
		}
		p.forwardedHeader(ih, mode)
		// IMAP numbers an attached message's parts below its own: "2.1", "2.2".
		p.entity(ih, ib, leafPath, leafPath+".1", depth+1, mode, "")
		return
	}
	switch textRole(pi) {
	case notText:
		p.attach(pi, body, leafPath)
		return
	case namedInlineText:
		// Older mailers send the text itself this way: shown and indexed
		// as text (as Thunderbird does), and still listed as the file the
		// sender named, so it can be saved.
		p.attach(pi, body, leafPath)
	}
	switch {
	case pi.omitted >= 0:
		p.problem("a text part of %d bytes is not stored offline; open the message in the web mail to read it", pi.omitted)
	case pi.partial >= 0:
		p.problem("only the start of a text of %d bytes is stored offline; open the message in the web mail to read all of it", pi.partial)
	}
	p.addText(pi, body, mode)
}

// Whether a single part is the message's text.
const (
	notText         = iota // an attachment
	bodyText               // text/plain or text/html, no name, not an attachment
	namedInlineText        // text/plain, Content-Disposition: inline with a filename
)

func textRole(pi partInfo) int {
	switch {
	case pi.mediaType != "text/plain" && pi.mediaType != "text/html", pi.disposition == "attachment":
		return notText
	case pi.filename == "":
		return bodyText
	case pi.mediaType == "text/plain" && pi.disposition == "inline":
		return namedInlineText
	}
	return notText
}

// addText decodes a text part into the bodies mode asks for.
func (p *parser) addText(pi partInfo, body []byte, mode int) {
	if mode == 0 {
		return // an alternative not shown in this parse
	}
	text := p.decodeText(pi, body)
	if pi.mediaType == "text/html" {
		if mode&bodyHTML != 0 {
			p.htmlPart = append(p.htmlPart, text)
			p.htmlReal = true
		}
		if mode&bodyPlain != 0 {
			p.plain = append(p.plain, TextFromHTML(text))
		}
		return
	}
	if strings.EqualFold(pi.params["format"], "flowed") {
		text = unflow(text, strings.EqualFold(pi.params["delsp"], "yes"))
	}
	if mode&bodyPlain != 0 {
		p.plain = append(p.plain, text)
	}
	if mode&bodyHTML != 0 {
		p.htmlPart = append(p.htmlPart, `<pre style="white-space:pre-wrap">`+html.EscapeString(text)+`</pre>`)
	}
}

func (p *parser) multipart(pi partInfo, body []byte, path string, depth int, mode int) {
	boundary := pi.params["boundary"]
	if boundary == "" {
		p.problem("%s without boundary, read as text", pi.mediaType)
		p.fallbackText(body, mode)
		return
	}
	parts, found, closed := splitMultipart(body, boundary)
	if !found {
		p.problem("boundary of %s not found, read as text", pi.mediaType)
		p.fallbackText(body, mode)
		return
	}
	if !closed {
		p.problem("%s has no closing boundary", pi.mediaType)
	}
	type child struct {
		h    header
		body []byte
		pi   partInfo
	}
	children := make([]child, len(parts))
	for i, raw := range parts {
		h, b := p.readHeader(raw)
		children[i] = child{h, b, partInfo{}}
	}
	if pi.mediaType != "multipart/alternative" {
		for i, c := range children {
			cp := childPath(path, i+1)
			p.entity(c.h, c.body, cp, cp, depth+1, mode, pi.mediaType)
		}
		return
	}
	// Alternative: text/plain feeds Text, the last rich child (HTML or a
	// multipart holding it) feeds HTML; the rest only contributes attachments.
	plainIdx, richIdx := -1, -1
	for i, c := range children {
		ct, _ := p.parseParams(c.h.get("Content-Type"))
		switch {
		case ct == "text/plain" || ct == "" || !strings.Contains(ct, "/"):
			if plainIdx < 0 {
				plainIdx = i
			}
		case ct == "text/html" || strings.HasPrefix(ct, "multipart/"):
			richIdx = i
		}
	}
	for i, c := range children {
		m := 0
		switch {
		case i == plainIdx && richIdx >= 0:
			m = mode & bodyPlain
		case i == richIdx && plainIdx >= 0:
			m = mode & bodyHTML
		case i == plainIdx || i == richIdx:
			m = mode
		}
		cp := childPath(path, i+1)
		p.entity(c.h, c.body, cp, cp, depth+1, m, pi.mediaType)
	}
}

func isMessage(mediaType string) bool {
	return mediaType == "message/rfc822" || mediaType == "message/global"
}

func identityEncoding(e string) bool {
	return e == "" || e == "7bit" || e == "8bit" || e == "binary"
}

// forwardedHeader introduces an attached message in the text and HTML bodies.
func (p *parser) forwardedHeader(h header, mode int) {
	lines := []string{"---------- Forwarded message ----------"}
	for _, f := range []struct{ key, val string }{
		{"From", FormatAddresses(p.addresses(h, "From"))},
		{"Date", h.get("Date")},
		{"Subject", p.text(h.get("Subject"))},
		{"To", FormatAddresses(p.addresses(h, "To"))},
	} {
		if f.val != "" {
			lines = append(lines, f.key+": "+f.val)
		}
	}
	text := strings.Join(lines, "\n")
	if mode&bodyPlain != 0 {
		p.plain = append(p.plain, text)
	}
	if mode&bodyHTML != 0 {
		p.htmlPart = append(p.htmlPart, `<hr><pre style="white-space:pre-wrap">`+html.EscapeString(text)+`</pre>`)
	}
}

// fallbackText shows a multipart body that could not be split as plain text.
func (p *parser) fallbackText(body []byte, mode int) {
	pi := partInfo{mediaType: "text/plain", params: map[string]string{}}
	text := p.decodeText(pi, body)
	if mode&bodyPlain != 0 {
		p.plain = append(p.plain, text)
	}
	if mode&bodyHTML != 0 {
		p.htmlPart = append(p.htmlPart, `<pre style="white-space:pre-wrap">`+html.EscapeString(text)+`</pre>`)
	}
}

func (p *parser) attach(pi partInfo, body []byte, path string) {
	a := Attachment{
		Part:        path,
		Filename:    pi.filename,
		ContentType: pi.mediaType,
		ContentID:   pi.contentID,
		Inline:      pi.disposition == "inline",
		Encoding:    pi.encoding,
		Charset:     pi.params["charset"],
	}
	if a.Filename == "" && pi.mediaType == "message/rfc822" {
		a.Filename = "message.eml"
	}
	switch {
	case pi.omitted >= 0:
		a.Size, a.Omitted = pi.omitted, true
	case pi.partial >= 0:
		a.Size, a.Omitted = pi.partial, true
	default:
		a.Size = decodedSize(pi.encoding, body)
	}
	p.msg.Attachments = append(p.msg.Attachments, a)
}

// decodedSize estimates the decoded size without decoding: base64 from the
// count of non-whitespace bytes, quoted-printable by decoding (rare for
// attachments), everything else as is.
func decodedSize(encoding string, body []byte) int64 {
	switch encoding {
	case "base64":
		n := len(body) - bytes.Count(body, []byte{'\n'}) - bytes.Count(body, []byte{'\r'}) -
			bytes.Count(body, []byte{' '}) - bytes.Count(body, []byte{'\t'})
		trimmed := bytes.TrimRight(body, " \t\r\n")
		pad := 0
		for pad < 2 && len(trimmed) > pad && trimmed[len(trimmed)-1-pad] == '=' {
			pad++
		}
		size := int64(n-pad) * 3 / 4
		if size < 0 {
			size = 0
		}
		return size
	case "quoted-printable":
		n, _ := copyAll(discard{}, DecodeTransfer(encoding, bytes.NewReader(body)))
		return n
	}
	return int64(len(body))
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// decodeText undoes the transfer encoding and the charset of a text part,
// keeping at most MaxTextBytes.
func (p *parser) decodeText(pi partInfo, body []byte) string {
	switch pi.encoding {
	case "", "7bit", "8bit", "binary", "base64", "quoted-printable":
	default:
		p.problem("unknown transfer encoding %q, shown as is", truncate(pi.encoding, 40))
	}
	data, more, skipped := decodeBytes(pi.encoding, body, p.opts.MaxTextBytes)
	if skipped > 0 {
		p.problem("invalid characters in base64 skipped")
	}
	if more {
		p.problem("text part larger than %d bytes, shown truncated", p.opts.MaxTextBytes)
		// Do not cut a UTF-8 sequence in half.
		for i := len(data) - 1; i >= 0 && i >= len(data)-3; i-- {
			if utf8.RuneStart(data[i]) {
				if !utf8.FullRune(data[i:]) {
					data = data[:i]
				}
				break
			}
		}
	}
	if enc, n, name := unicodeBOM(data); n > 0 {
		if enc == nil {
			return p.bestEffort(data[n:], "utf-8")
		}
		return p.decodeUnicode(enc, data[n:], name)
	}
	cs, ok := pi.params["charset"]
	if !ok && pi.mediaType == "text/html" {
		if _, name, certain := htmlcharset.DetermineEncoding(data, "text/html"); certain {
			cs = name
		}
	}
	return p.decodeCharset(data, cs)
}

// unflow joins format=flowed soft line breaks (RFC 3676).
func unflow(s string, delsp bool) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.Grow(len(s))
	for i, l := range lines {
		if l != "-- " {
			l = strings.TrimPrefix(l, " ") // space stuffing
		}
		soft := strings.HasSuffix(l, " ") && l != "-- " && i < len(lines)-1
		if soft && delsp {
			l = l[:len(l)-1]
		}
		b.WriteString(l)
		if !soft && i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (p *parser) finish() {
	if p.finished {
		return
	}
	p.finished = true
	m := p.msg
	m.Text = strings.Join(p.plain, "\n\n")
	if p.htmlReal {
		m.HTML = strings.Join(p.htmlPart, "\n")
	}
	m.Preview = preview(m.Text)
	if m.From == nil {
		m.From = []Address{}
	}
	for _, l := range []*[]Address{&m.To, &m.Cc, &m.ReplyTo} {
		if *l == nil {
			*l = []Address{}
		}
	}
	if m.Attachments == nil {
		m.Attachments = []Attachment{}
	}
	if m.Problems == nil {
		m.Problems = []string{}
	}
}

func preview(text string) string {
	var b strings.Builder
	n := 0
	space := false
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if t := strings.TrimSpace(line); strings.HasPrefix(t, ">") {
			continue // quoted reply text says little about this message
		}
		for _, r := range line {
			if unicode.IsSpace(r) {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				n++
				space = false
			}
			if n >= previewRunes {
				return b.String() + "…"
			}
			b.WriteRune(r)
			n++
		}
		space = b.Len() > 0
	}
	return b.String()
}

// splitMultipart finds the parts between "--boundary" delimiter lines.
// found is false when no delimiter line exists, closed false when the
// closing "--boundary--" is missing (the last part then runs to the end).
func splitMultipart(body []byte, boundary string) (parts [][]byte, found, closed bool) {
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's content
	pos := 0
	for pos < len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		idx := pos + i
		pos = idx + 1
		if idx > 0 && body[idx-1] != '\n' {
			continue
		}
		rest := body[idx+len(delim):]
		closing := bytes.HasPrefix(rest, []byte("--"))
		if closing {
			rest = rest[2:]
		}
		k := 0
		for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
			k++
		}
		lineEnd := -1
		switch {
		case k == len(rest):
			lineEnd = len(rest)
		case rest[k] == '\n':
			lineEnd = k + 1
		case rest[k] == '\r' && k+1 < len(rest) && rest[k+1] == '\n':
			lineEnd = k + 2
		case rest[k] == '\r' && k+1 == len(rest):
			lineEnd = k + 1
		case closing:
			lineEnd = k // junk after a closing delimiter: still the end
		}
		if lineEnd < 0 {
			continue // e.g. "--abc" found inside "--abcdef"
		}
		found = true
		if start >= 0 {
			end := idx
			if end > start && body[end-1] == '\n' {
				end--
				if end > start && body[end-1] == '\r' {
					end--
				}
			}
			parts = append(parts, body[start:end])
		}
		if closing {
			return parts, true, true
		}
		start = idx + len(delim) + lineEnd
		pos = start
	}
	if start >= 0 {
		parts = append(parts, body[start:])
	}
	return parts, found, false
}
