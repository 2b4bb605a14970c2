package mailparse

import (
	"bytes"
	"io"
	"strings"
)

// DecodeTransfer returns a reader that undoes a Content-Transfer-Encoding.
// Base64 is decoded leniently (characters outside the alphabet are skipped,
// missing padding is tolerated); quoted-printable keeps malformed escapes
// literally. Unknown encodings are passed through unchanged.
func DecodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		return &base64Reader{src: r}
	case "quoted-printable":
		return &qpReader{src: r}
	}
	return r
}

var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63 // URL-safe variant, seen from some gateways
	return
}()

// base64Reader decodes base64 ignoring everything outside the alphabet.
// Padding ends a quantum, so concatenated padded chunks decode too.
type base64Reader struct {
	src     io.Reader
	buf     [4096]byte
	quantum [4]byte
	nq      int
	out     []byte
	outBuf  [3 * 4096 / 4 * 2]byte
	err     error
	Skipped int // bytes that were neither alphabet, padding nor whitespace
}

func (b *base64Reader) flushQuantum() {
	q := b.quantum
	switch b.nq {
	case 4:
		b.out = append(b.out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
	case 3:
		b.out = append(b.out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2)
	case 2:
		b.out = append(b.out, q[0]<<2|q[1]>>4)
	}
	b.nq = 0
}

func (b *base64Reader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			if b.nq > 0 {
				b.flushQuantum()
				continue
			}
			return 0, b.err
		}
		n, err := b.src.Read(b.buf[:])
		b.out = b.outBuf[:0]
		for _, c := range b.buf[:n] {
			v := b64[c]
			if v == 0xFF {
				switch c {
				case '=':
					b.flushQuantum()
				case ' ', '\t', '\r', '\n':
				default:
					b.Skipped++
				}
				continue
			}
			b.quantum[b.nq] = v
			b.nq++
			if b.nq == 4 {
				b.flushQuantum()
			}
		}
		if err != nil {
			b.err = err
		}
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	return n, nil
}

// qpReader decodes quoted-printable line by line with the standard library
// and, for a line it rejects, keeps the line as it was.
type qpReader struct {
	src  io.Reader
	br   *bytesLineReader
	out  []byte
	dec  []byte
	done bool
}

// decodeQPLine decodes one line (or a piece of an overlong one): "=XX" becomes
// a byte, "=" at the end of a line joins it to the next, anything malformed
// stays as it was.
func decodeQPLine(out, line []byte) []byte {
	body, nl := line, []byte(nil)
	if bytes.HasSuffix(body, []byte("\n")) {
		body, nl = body[:len(body)-1], body[len(body)-1:]
		if bytes.HasSuffix(body, []byte("\r")) {
			body, nl = body[:len(body)-1], line[len(body)-1:]
		}
		body = bytes.TrimRight(body, " \t")
	}
	if bytes.HasSuffix(body, []byte("=")) {
		body, nl = body[:len(body)-1], nil
	}
	for len(body) > 0 {
		k := bytes.IndexByte(body, '=')
		if k < 0 {
			out = append(out, body...)
			break
		}
		out = append(out, body[:k]...)
		body = body[k:]
		if len(body) >= 3 && isHex(body[1]) && isHex(body[2]) {
			out = append(out, unhex(body[1])<<4|unhex(body[2]))
			body = body[3:]
			continue
		}
		out = append(out, '=')
		body = body[1:]
	}
	return append(out, nl...)
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

type bytesLineReader struct {
	r     io.Reader
	buf   []byte
	hold  []byte
	chunk []byte
	err   error
}

// line returns the next line including its '\n'; lines longer than 64 KiB are
// returned in pieces.
func (l *bytesLineReader) line() ([]byte, error) {
	for {
		if i := bytes.IndexByte(l.buf, '\n'); i >= 0 {
			line := l.buf[:i+1]
			l.buf = l.buf[i+1:]
			return line, nil
		}
		if len(l.buf) >= 64<<10 || (l.err != nil && len(l.buf) > 0) {
			cut := len(l.buf)
			if l.err == nil {
				// Do not split an escape: "=" or "=X" at the cut.
				for k := 0; k < 2 && cut > 0; k++ {
					if l.buf[cut-1] == '=' || (cut >= 2 && l.buf[cut-2] == '=') {
						cut--
					}
				}
				if cut == 0 {
					cut = len(l.buf)
				}
			}
			line := l.buf[:cut]
			l.buf = l.buf[cut:]
			return line, nil
		}
		if l.err != nil {
			return nil, l.err
		}
		if l.chunk == nil {
			l.chunk = make([]byte, 32<<10)
		}
		n, err := l.r.Read(l.chunk)
		// Compact before appending so the buffer does not grow with the input.
		l.buf = append(append(l.hold[:0], l.buf...), l.chunk[:n]...)
		l.hold = l.buf
		l.err = err
	}
}

func (q *qpReader) Read(p []byte) (int, error) {
	if q.br == nil {
		q.br = &bytesLineReader{r: q.src}
	}
	for len(q.out) == 0 {
		if q.done {
			return 0, io.EOF
		}
		line, err := q.br.line()
		if err != nil {
			q.done = true
			if err != io.EOF {
				return 0, err
			}
			continue
		}
		dec := decodeQPLine(q.dec[:0], line)
		q.dec = dec
		q.out = dec
	}
	n := copy(p, q.out)
	q.out = q.out[n:]
	return n, nil
}

// copyAll is io.Copy that reports only real errors.
func copyAll(w io.Writer, r io.Reader) (int64, error) {
	n, err := io.Copy(w, r)
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// readCapped reads at most max bytes from r and reports whether there was
// more. hint is how much r probably holds (decoding never grows a body), so
// the buffer is allocated once.
func readCapped(r io.Reader, max, hint int) ([]byte, bool, error) {
	buf := make([]byte, 0, min(hint, max)+1)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > max {
				break
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), max+1)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return capAt(buf, max), len(buf) > max, err
		}
		if len(buf) > max {
			break
		}
	}
	return capAt(buf, max), len(buf) > max, nil
}

func capAt(b []byte, max int) []byte {
	if len(b) > max {
		return b[:max]
	}
	return b
}
