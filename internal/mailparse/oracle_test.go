package mailparse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// The hand-written parser checked against github.com/emersion/go-message
// (issue 16, item 6). go-message reads the MIME structure, the transfer
// encodings, the charsets and the headers; the oracle below applies
// mailparse's documented choices on top of it (which part is the text, the
// plain side of an alternative, attached messages walked into, IMAP part
// numbers), so that what is compared is the reading, not the policy.
// Wherever go-message reads a message without an error, both must agree on
// the decoded Subject, From and To, Date, the text body (whitespace
// normalised) and the attachments' part numbers, names and sizes. A
// disagreement that is a deliberate choice is named below with its reason;
// any other fails the test.

// deliberate lists the ways mailparse reads a message differently from
// go-message on purpose. The oracle marks a message (or one text part of it)
// with the name when the situation arises; a disagreement in a field is
// excused only by a mark whose entry names that field.
var deliberate = map[string]struct {
	fields []string
	reason string
}{
	"html-text":        {[]string{"text"}, "text/html parts (with no plain alternative) reach Text as mailparse's own HTML-to-text conversion; go-message has none. The plain parts are still required, in order."},
	"forwarded":        {[]string{"text"}, "an attached message is introduced in the text by a \"Forwarded message\" block with its From/Date/Subject/To; the texts inside are still required, in order."},
	"deep":             {[]string{"text", "attachments"}, "beyond MaxDepth (20) mailparse keeps a multipart as one opaque attachment and reads every text in it (no choice between alternatives); the plain texts are still required, in order."},
	"parts-capped":     {[]string{"text", "attachments"}, "more than MaxParts (1000) parts: the rest is not walked, by design (bounded work per message)."},
	"text-capped":      {[]string{"text"}, "a text part over MaxTextBytes is cut."},
	"not-utf8":         {[]string{"text"}, "a text part that is not valid UTF-8 after go-message's decoding (undeclared 8-bit, or declared UTF-8 but is not): mailparse reads it as Windows-1252, which is what such mail nearly always is; go-message passes the bytes through."},
	"not-utf8-header":  {[]string{"subject", "from", "to", "attachments"}, "an 8-bit header (also an attached message's subject, which names its .eml file) or an encoded word whose bytes are not valid in its charset: mailparse reads it as Windows-1252 (or marks U+FFFD), go-message passes the bytes through."},
	"bom":              {[]string{"text"}, "a byte order mark decides the encoding and is removed; go-message keeps U+FEFF in the text (or fails on UTF-32)."},
	"flowed-delsp":     {[]string{"text"}, "format=flowed; delsp=yes: mailparse joins soft line breaks and deletes the space before them, as RFC 3676 says; go-message leaves the lines as sent."},
	"b64-garbage":      {[]string{"attachments"}, "base64 with characters outside the alphabet: mailparse estimates a base64 attachment's size from its length without decoding it (attachments can be 50 MB); decoding skips the junk."},
	"rfc2231":          {[]string{"text", "attachments"}, "an RFC 2231 parameter value in a charset other than UTF-8 (filename*=iso-8859-1''%E4...) or without the charset'language' prefix: Go's mime package, which go-message uses, decodes only UTF-8 and US-ASCII ones and drops or garbles the others; mailparse decodes any charset go-message's charset package knows, and takes a value without the prefix as it is. (A file name decides whether a part is text or a file.)"},
	"bad-header-line":  {[]string{"subject", "from", "to", "date", "text", "attachments"}, "a line that is not a header field (no name before the colon, a name with spaces or control characters): mailparse ends the header there and reads the rest as body; go-message takes it as a field."},
	"mixed-newlines":   {[]string{"text", "attachments"}, "delimiter lines of one multipart with different line ends (CRLF and bare LF): mailparse takes a delimiter at the start of any line; go-message, like Go's mime/multipart, fixes the line end at the first delimiter and reads the others as content."},
	"lenient-words":    {[]string{"subject", "from", "to", "text", "attachments"}, "an encoded word (also in a file name, where it decides whether a part is text or a file) that Go's decoder leaves as it is (bad base64 or quoted-printable, unknown charset, glued to the text around it): mailparse decodes it leniently, as mail programs do, instead of showing =?...?= to the user."},
	"close-first":      {[]string{"text", "attachments"}, "a closing delimiter before any part: mailparse ends the multipart there (what follows is epilogue, RFC 2046), as go-message does with CRLF line ends; with bare LF ones go-message reads on (its reader expects CRLF until the first part and takes the line for preamble)."},
	"invalid-type":     {[]string{"text"}, "a Content-Type that is not type/subtype is read as text/plain with its parameters kept, so its charset is applied; go-message applies a charset only to text/* types."},
	"filename-cleaned": {nil, "file names are cut to their last path element, control characters removed (applied to go-message's names before comparing, so no disagreement needs excusing)."},
}

type segment struct {
	text string
	mark string // "" for a plain part that must match exactly
}

type oracleView struct {
	subject, subjectErr string
	from, to            []Address
	fromErr, toErr      bool
	date                time.Time
	dateErr             bool
	segments            []segment
	attachments         []Attachment
	marks               map[string]bool
	parts               int
}

// errOracle: go-message did not read the message without an error.
type errOracle struct{ err error }

func (e errOracle) Error() string { return "go-message: " + e.err.Error() }

func readWithGoMessage(raw []byte) (v *oracleView, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, errOracle{fmt.Errorf("panic: %v", r)}
		}
	}()
	// message.Read is textproto.ReadHeader with a 1 MiB header limit, then
	// New (decoding); the walk below needs the raw body too.
	if _, err := message.Read(bytes.NewReader(raw)); err != nil {
		return nil, errOracle{err}
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	th, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, errOracle{err}
	}
	body, _ := io.ReadAll(br)
	v = &oracleView{marks: map[string]bool{}}
	v.checkFields(th)
	h := gomail.Header{Header: message.Header{Header: th}}
	if s, err := h.Subject(); err != nil {
		v.subjectErr = err.Error()
	} else {
		v.subject = s
	}
	list := func(key string) ([]Address, bool) {
		as, err := h.AddressList(key)
		if err != nil {
			return nil, true
		}
		var out []Address
		for _, a := range as {
			out = append(out, Address{Name: a.Name, Email: a.Address})
		}
		return out, false
	}
	v.from, v.fromErr = list("From")
	v.to, v.toErr = list("To")
	for _, s := range append([]string{v.subject}, addrStrings(v.from, v.to)...) {
		if !utf8.ValidString(s) {
			v.mark("not-utf8-header")
		}
		if strings.Contains(s, "=?") {
			v.mark("lenient-words")
		}
	}
	if d, err := h.Date(); err != nil {
		v.dateErr = true
	} else {
		v.date = d
	}
	if err := v.entity(message.Header{Header: th}, body, "", "1", 0, bodyPlain, ""); err != nil {
		return nil, err
	}
	return v, nil
}

func (v *oracleView) checkFields(h textproto.Header) {
	for f := h.Fields(); f.Next(); {
		if !validKey([]byte(f.Key())) {
			v.mark("bad-header-line")
		}
	}
}

func (v *oracleView) mark(m string) {
	if _, ok := deliberate[m]; !ok {
		panic("mark without an entry in deliberate: " + m)
	}
	v.marks[m] = true
}

func (v *oracleView) info(hd message.Header, parentType string) (partInfo, error) {
	var pi partInfo
	t, params, err := hd.ContentType()
	switch {
	case hd.Get("Content-Type") == "":
		t, params = "text/plain", map[string]string{}
		if parentType == "multipart/digest" {
			t = "message/rfc822"
		}
	case err != nil:
		return pi, errOracle{fmt.Errorf("Content-Type: %w", err)}
	case !strings.Contains(t, "/"):
		// mailparse's policy (RFC 2045 5.2): an invalid type is text/plain.
		t = "text/plain"
		if params["charset"] != "" {
			v.mark("invalid-type")
		}
	}
	pi.mediaType, pi.params = strings.ToLower(t), params
	disp, dparams, err := hd.ContentDisposition()
	if err != nil && hd.Get("Content-Disposition") != "" {
		return pi, errOracle{fmt.Errorf("Content-Disposition: %w", err)}
	}
	if otherRFC2231(hd.Get("Content-Disposition") + ";" + hd.Get("Content-Type")) {
		v.mark("rfc2231")
	}
	pi.disposition = strings.ToLower(disp)
	pi.filename = dparams["filename"]
	if pi.filename == "" {
		pi.filename = params["name"]
	}
	if strings.Contains(pi.filename, "=?") {
		v.mark("lenient-words")
	}
	pi.filename = cleanFilename(pi.filename)
	pi.encoding = strings.ToLower(strings.TrimSpace(hd.Get("Content-Transfer-Encoding")))
	return pi, nil
}

// decoded is the part's content as go-message decodes it: transfer
// encoding and, with text, the charset (withCharset) undone.
func decoded(hd message.Header, raw []byte, withCharset bool) ([]byte, error) {
	if !withCharset {
		c := hd.Copy()
		c.Set("Content-Type", "application/octet-stream")
		hd = c
	}
	e, err := message.New(hd, bytes.NewReader(raw))
	if err != nil {
		return nil, errOracle{err}
	}
	b, err := io.ReadAll(e.Body)
	if err != nil {
		return nil, errOracle{err}
	}
	return b, nil
}

func (v *oracleView) entity(hd message.Header, raw []byte, base, leaf string, depth, mode int, parentType string) error {
	v.parts++
	if v.parts > 1000 {
		v.mark("parts-capped")
		return nil
	}
	pi, err := v.info(hd, parentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(pi.mediaType, "multipart/") {
		if depth >= 20 {
			v.mark("deep")
		}
		if pi.params["boundary"] == "" {
			return errOracle{fmt.Errorf("%s without a boundary", pi.mediaType)}
		}
		if mixedDelimiters(raw, pi.params["boundary"]) {
			v.mark("mixed-newlines")
		}
		if closeFirst(raw, pi.params["boundary"]) {
			v.mark("close-first")
		}
		mr := textproto.NewMultipartReader(bytes.NewReader(raw), pi.params["boundary"])
		type child struct {
			h   message.Header
			raw []byte
		}
		var children []child
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return errOracle{err}
			}
			b, err := io.ReadAll(p)
			if err != nil {
				return errOracle{err}
			}
			v.checkFields(p.Header)
			children = append(children, child{message.Header{Header: p.Header}, b})
		}
		plainIdx, richIdx := -1, -1
		if pi.mediaType == "multipart/alternative" {
			for i, c := range children {
				ct, _, _ := c.h.ContentType()
				ct = strings.ToLower(ct)
				switch {
				case ct == "text/plain" || c.h.Get("Content-Type") == "" || !strings.Contains(ct, "/"):
					if plainIdx < 0 {
						plainIdx = i
					}
				case ct == "text/html" || strings.HasPrefix(ct, "multipart/"):
					richIdx = i
				}
			}
		}
		for i, c := range children {
			m := mode
			if pi.mediaType == "multipart/alternative" {
				switch {
				case i == plainIdx && richIdx >= 0:
				case i == richIdx && plainIdx >= 0:
					m = 0 // the rich side feeds only Message.HTML
				case i == plainIdx || i == richIdx:
				default:
					m = 0
				}
			}
			cp := childPath(base, i+1)
			if err := v.entity(c.h, c.raw, cp, cp, depth+1, m, pi.mediaType); err != nil {
				return err
			}
		}
		return nil
	}
	content, err := decoded(hd, raw, false)
	if err != nil {
		return err
	}
	if isMessage(pi.mediaType) {
		a := Attachment{Part: leaf, Filename: pi.filename, ContentType: pi.mediaType, Size: int64(len(content))}
		if !identityEncoding(pi.encoding) {
			v.attachments = append(v.attachments, a)
			return nil
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		ih, err := textproto.ReadHeader(br)
		if err != nil {
			return errOracle{err}
		}
		ib, _ := io.ReadAll(br)
		v.checkFields(ih)
		inner := message.Header{Header: ih}
		if a.Filename == "" {
			if s, err := inner.Text("Subject"); err == nil && cleanFilename(s) != "" {
				if !utf8.ValidString(s) {
					v.mark("not-utf8-header")
				}
				a.Filename = truncate(cleanFilename(s), 100) + ".eml"
			}
		}
		if a.Filename == "" && pi.mediaType == "message/rfc822" {
			a.Filename = "message.eml"
		}
		v.attachments = append(v.attachments, a)
		v.mark("forwarded")
		if depth >= 20 {
			v.mark("deep")
		}
		return v.entity(inner, ib, leaf, leaf+".1", depth+1, mode, "")
	}
	role := textRole(pi)
	if role != bodyText {
		v.attachments = append(v.attachments, Attachment{Part: leaf, Filename: pi.filename, ContentType: pi.mediaType, Size: int64(len(content))})
		if pi.encoding == "base64" && b64Garbage(raw) {
			v.mark("b64-garbage")
		}
		if role == notText {
			return nil
		}
	}
	if mode&bodyPlain == 0 {
		return nil
	}
	text, err := decoded(hd, raw, true)
	if err != nil {
		return err
	}
	seg := segment{text: string(text)}
	switch {
	case pi.mediaType == "text/html":
		seg.mark = "html-text"
	case bytes.HasPrefix(content, []byte{0xFE, 0xFF}) || bytes.HasPrefix(content, []byte{0xFF, 0xFE}) || bytes.HasPrefix(content, []byte{0xEF, 0xBB, 0xBF}) || bytes.HasPrefix(content, []byte{0, 0, 0xFE, 0xFF}):
		seg.mark = "bom"
	case len(content) > 8<<20:
		seg.mark = "text-capped"
	case !utf8.Valid(text):
		seg.mark = "not-utf8"
	case strings.EqualFold(pi.params["format"], "flowed") && strings.EqualFold(pi.params["delsp"], "yes"):
		seg.mark = "flowed-delsp"
	}
	if seg.mark != "" {
		v.mark(seg.mark)
	}
	v.segments = append(v.segments, seg)
	return nil
}

// mixedDelimiters reports delimiter lines of boundary with both CRLF and
// bare LF line ends around them.
func mixedDelimiters(raw []byte, boundary string) bool {
	d := []byte("--" + boundary)
	crlf, lf := false, false
	for i := 0; ; {
		j := bytes.Index(raw[i:], d)
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if at > 0 && raw[at-1] != '\n' {
			continue
		}
		if at >= 2 && raw[at-2] == '\r' {
			crlf = true
		} else if at >= 1 {
			lf = true
		}
		rest := bytes.TrimLeft(bytes.TrimPrefix(raw[at+len(d):], []byte("--")), " \t")
		switch {
		case bytes.HasPrefix(rest, []byte("\r\n")):
			crlf = true
		case bytes.HasPrefix(rest, []byte("\n")):
			lf = true
		}
	}
	return crlf && lf
}

// closeFirst reports a multipart body whose first delimiter line is the
// closing one.
func closeFirst(raw []byte, boundary string) bool {
	d := []byte("--" + boundary)
	for i := 0; ; {
		j := bytes.Index(raw[i:], d)
		if j < 0 {
			return false
		}
		at := i + j
		i = at + 1
		if at > 0 && raw[at-1] != '\n' {
			continue
		}
		return bytes.HasPrefix(raw[at+len(d):], []byte("--"))
	}
}

// b64Garbage reports base64 with bytes outside the alphabet, padding and
// line breaks.
func b64Garbage(raw []byte) bool {
	for _, c := range raw {
		if b64[c] == 0xFF && c != '=' && c != '\r' && c != '\n' && c != ' ' && c != '\t' || c == '-' || c == '_' {
			return true
		}
	}
	return false
}

// rfc2231Value finds RFC 2231 parameters: key*=v, key*N=v, key*N*=v.
var (
	rfc2231Value = regexp.MustCompile(`([A-Za-z0-9_-]+)\*(?:(\d+)(\*)?)?\s*=\s*"?([^;"]*)`)
	goReadable   = regexp.MustCompile(`(?i)^(utf-8|us-ascii)'[^']*'`)
)

// otherRFC2231 reports RFC 2231 parameters Go's mime package does not
// decode: a charset other than UTF-8 or US-ASCII, no charset'language'
// prefix, or continuations that do not run 0, 1, 2, ...
func otherRFC2231(v string) bool {
	segments := map[string]map[string]bool{}
	for _, m := range rfc2231Value.FindAllStringSubmatch(v, -1) {
		key, n, star, val := strings.ToLower(m[1]), m[2], m[3], m[4]
		if (n == "" || n == "0" && star == "*") && !goReadable.MatchString(val) {
			return true
		}
		if n != "" {
			if segments[key] == nil {
				segments[key] = map[string]bool{}
			}
			segments[key][n] = true
		}
	}
	for _, seg := range segments {
		for i := range len(seg) {
			if !seg[fmt.Sprint(i)] {
				return true
			}
		}
	}
	return false
}

func addrStrings(lists ...[]Address) []string {
	var out []string
	for _, l := range lists {
		for _, a := range l {
			out = append(out, a.Name, a.Email)
		}
	}
	return out
}

func normWS(s string) string { return strings.Join(strings.Fields(s), " ") }

type disagreement struct {
	field, ours, theirs string
}

// compare returns the disagreements between mailparse and go-message on
// raw, and those no entry of deliberate excuses; err says why go-message
// could not read the message.
func compare(raw []byte) (all, unexcused []disagreement, err error) {
	v, err := readWithGoMessage(raw)
	if err != nil {
		return nil, nil, err
	}
	m := Parse(raw, Options{})
	add := func(field, ours, theirs string) {
		d := disagreement{field, ours, theirs}
		all = append(all, d)
		for mark := range v.marks {
			if slices.Contains(deliberate[mark].fields, field) {
				return
			}
		}
		unexcused = append(unexcused, d)
	}
	if v.subjectErr == "" && normWS(m.Subject) != normWS(v.subject) {
		add("subject", m.Subject, v.subject)
	}
	addrs := func(as []Address) string {
		var b []string
		for _, a := range as {
			b = append(b, a.Name+" <"+a.Email+">")
		}
		return strings.Join(b, ", ")
	}
	if !v.fromErr && addrs(m.From) != addrs(v.from) {
		add("from", addrs(m.From), addrs(v.from))
	}
	if !v.toErr && addrs(m.To) != addrs(v.to) {
		add("to", addrs(m.To), addrs(v.to))
	}
	if !v.dateErr && !m.Date.Equal(v.date) {
		add("date", m.Date.String(), v.date.String())
	}
	// Text: every exact part, in order; all of it, when nothing else
	// contributes.
	ours := normWS(m.Text)
	rest := ours
	var exact []string
	for _, s := range v.segments {
		if s.mark != "" {
			continue
		}
		t := normWS(s.text)
		exact = append(exact, t)
		i := strings.Index(rest, t)
		if i < 0 {
			add("text", truncate(ours, 300), "missing part: "+truncate(t, 300))
			break
		}
		rest = rest[i+len(t):]
	}
	if theirs := normWS(strings.Join(exact, " ")); len(v.marks) == 0 && ours != theirs {
		add("text", truncate(ours, 300), truncate(theirs, 300))
	}
	att := func(as []Attachment) string {
		var b []string
		for _, a := range as {
			b = append(b, fmt.Sprintf("%s %q %s %d", a.Part, a.Filename, a.ContentType, a.Size))
		}
		return strings.Join(b, "; ")
	}
	if att(m.Attachments) != att(v.attachments) {
		add("attachments", att(m.Attachments), att(v.attachments))
	}
	return all, unexcused, nil
}

// corpora: the repository's test messages, and with DESKPORT_MAIL_CORPUS
// (a folder, searched recursively) any other, e.g. CPython's
// Lib/test/test_email/data.
func corpora(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*.eml")
	if dir := os.Getenv("DESKPORT_MAIL_CORPUS"); dir != "" {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return nil
		})
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	for name, raw := range map[string][]byte{
		"structured":        []byte(structured),
		"nested 60":         nested(60, "Tiefseetaucher"),
		"nested 19":         nested(19, "Flachwasser"),
		"inline named text": []byte(inlineNamedText),
		"huge subject":      []byte("Subject: " + strings.Repeat("Betreff ", 12000) + "Schlussstein\r\nFrom: a@example.org\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\n\r\nbody\r\n"),
		"alternative":       []byte("From: \"Müller, Jürgen\" <jm@example.org>\r\nTo: a@example.org, =?utf-8?q?B=C3=B6rje?= <b@example.org>\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\nContent-Type: text/plain; charset=iso-8859-15\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nPreis 5 =A4\r\n--A\r\nContent-Type: text/html\r\n\r\n<p>Preis 5 &euro;</p>\r\n--A--\r\n"),
		// Found by FuzzAgainstGoMessage: the first fixed in mailparse, the
		// second agrees with CRLF (and is "close-first" with LF).
		"field without a name":    []byte("Subject: x\r\n: junk\r\nFrom: a@example.org\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\n\r\nbody\r\n"),
		"closing delimiter first": []byte("Subject: x\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m--\r\n--m\r\n\r\nText nach dem Ende\r\n--m--\r\n"),
		"qp attachment name":      []byte("From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsiehe Anhang\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''Stra%C3%9Fe.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nSGFsbG8gV2VsdA==\r\n--B--\r\n"),
	} {
		out[name] = raw
	}
	return out
}

const inlineNamedText = "From: a@example.org\r\nSubject: Protokoll\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnbei.\r\n--x\r\nContent-Type: text/plain; name=p.txt\r\nContent-Disposition: inline; filename=p.txt\r\n\r\nTagesordnung\r\n--x--\r\n"

func TestAgreesWithGoMessage(t *testing.T) {
	read, excused := 0, 0
	for name, raw := range corpora(t) {
		all, bad, err := compare(raw)
		if err != nil {
			t.Logf("%s: not compared, %v", name, err)
			continue
		}
		read++
		excused += len(all) - len(bad)
		for _, d := range bad {
			t.Errorf("%s: %s differs:\n  mailparse:  %q\n  go-message: %q", name, d.field, d.ours, d.theirs)
		}
		for _, d := range all {
			if !slices.Contains(bad, d) {
				t.Logf("%s: %s differs (deliberate)", name, d.field)
			}
		}
	}
	t.Logf("%d messages compared, %d deliberate differences", read, excused)
	if read < 10 {
		t.Fatalf("only %d messages were read by go-message: the comparison proves little", read)
	}
}

func FuzzAgainstGoMessage(f *testing.F) {
	for _, raw := range corpora(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 1<<20 {
			return
		}
		_, bad, _ := compare(raw)
		for _, d := range bad {
			t.Errorf("%s differs:\n  mailparse:  %q\n  go-message: %q", d.field, d.ours, d.theirs)
		}
	})
}
