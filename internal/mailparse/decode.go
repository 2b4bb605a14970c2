package mailparse

import (
	"bytes"
	"encoding/base64"
	"io"
	"slices"
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
	b64state
	src    io.Reader
	buf    [4096]byte
	out    []byte
	outBuf [3*4096/4 + 3]byte
	err    error
}

// b64state is a lenient base64 decoder's state between chunks.
type b64state struct {
	quantum [4]byte
	nq      int
	skipped int // bytes that were neither alphabet, padding nor whitespace
}

func (s *b64state) flush(out []byte) []byte {
	q := s.quantum
	switch s.nq {
	case 4:
		out = append(out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
	case 3:
		out = append(out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2)
	case 2:
		out = append(out, q[0]<<2|q[1]>>4)
	}
	s.nq = 0
	return out
}

// decode appends the decoding of src to out (at most len(src)*3/4 bytes);
// a quantum cut by the end of src waits for the next call or flush.
func (s *b64state) decode(out, src []byte) []byte {
	// Well-formed base64 (whole quanta, padding only at the end, nothing
	// outside the alphabet but line breaks) is what nearly every mail holds:
	// the standard library decodes it several times faster than the loop
	// below, with the same result. Only whole lines go that way, so a
	// quantum cut by the end of src stays with the loop.
	if s.nq == 0 {
		if j := bytes.LastIndexByte(src, '\n'); j >= 0 {
			n := base64.StdEncoding.DecodedLen(j + 1)
			out = slices.Grow(out, n)
			if m, err := base64.StdEncoding.Decode(out[len(out):len(out)+n], src[:j+1]); err == nil {
				out, src = out[:len(out)+m], src[j+1:]
			}
		}
	}
	return s.lenient(out, src)
}

// lenient is decode without the fast path: byte by byte, skipping what is
// outside the alphabet, padding ending a quantum.
func (s *b64state) lenient(out, src []byte) []byte {
	for _, c := range src {
		v := b64[c]
		if v == 0xFF {
			switch c {
			case '=':
				out = s.flush(out)
			case ' ', '\t', '\r', '\n':
			default:
				s.skipped++
			}
			continue
		}
		s.quantum[s.nq] = v
		s.nq++
		if s.nq == 4 {
			out = append(out, s.quantum[0]<<2|s.quantum[1]>>4, s.quantum[1]<<4|s.quantum[2]>>2, s.quantum[2]<<6|s.quantum[3])
			s.nq = 0
		}
	}
	return out
}

func (b *base64Reader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			if b.nq > 0 {
				b.out = b.flush(b.outBuf[:0])
				continue
			}
			return 0, b.err
		}
		n, err := b.src.Read(b.buf[:])
		b.out = b.decode(b.outBuf[:0], b.buf[:n])
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

// decodeBytes undoes a transfer encoding of a body held in memory, keeping
// at most max bytes (more: there was more). It decodes exactly as
// DecodeTransfer, without a reader's copies. skipped counts bytes base64
// ignored.
func decodeBytes(encoding string, body []byte, max int) (out []byte, more bool, skipped int) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		var s b64state
		out = make([]byte, 0, min(len(body)*3/4, max)+4)
		for rest := body; len(rest) > 0 && len(out) <= max; {
			// chunks end with a line, for decode's fast path
			k := len(rest)
			if k > 64<<10 {
				k = 64 << 10
				if j := bytes.IndexByte(rest[k:], '\n'); j >= 0 {
					k += j + 1
				} else {
					k = len(rest)
				}
			}
			out = s.decode(out, rest[:k])
			rest = rest[k:]
		}
		if len(out) <= max {
			out = s.flush(out)
		}
		skipped = s.skipped
	case "quoted-printable":
		out = make([]byte, 0, min(len(body), max)+1)
		for rest := body; len(rest) > 0 && len(out) <= max; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line = rest[:i+1]
			}
			rest = rest[len(line):]
			out = decodeQPLine(out, line)
		}
	default:
		out = body[:min(len(body), max+1):min(len(body), max+1)]
	}
	return capAt(out, max), len(out) > max, skipped
}

// copyAll is io.Copy that reports only real errors.
func copyAll(w io.Writer, r io.Reader) (int64, error) {
	n, err := io.Copy(w, r)
	if err == io.EOF {
		err = nil
	}
	return n, err
}

func capAt(b []byte, max int) []byte {
	if len(b) > max {
		return b[:max]
	}
	return b
}
