package mailparse

import (
	"bytes"
	"math/rand"
	"testing"
)

// decodeQPLineRef is the plain byte-by-byte decoding decodeQPLine must match.
func decodeQPLineRef(out, line []byte) []byte {
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
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '=' && i+2 < len(body) && isHex(body[i+1]) && isHex(body[i+2]) {
			out = append(out, unhex(body[i+1])<<4|unhex(body[i+2]))
			i += 2
			continue
		}
		out = append(out, c)
	}
	return append(out, nl...)
}

func TestDecodeQPLineMatchesReference(t *testing.T) {
	alphabet := []byte("=AF3ag \t\r\nxü")
	r := rand.New(rand.NewSource(1))
	for _, fixed := range []string{"", "=", "==", "=4", "=41", "=4G", "a=41=42b", "end=\r\n", "x=\n", "=3D=\n", "trail  \r\n"} {
		if got, want := decodeQPLine(nil, []byte(fixed)), decodeQPLineRef(nil, []byte(fixed)); !bytes.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", fixed, got, want)
		}
	}
	for i := 0; i < 20000; i++ {
		line := make([]byte, r.Intn(24))
		for k := range line {
			line[k] = alphabet[r.Intn(len(alphabet))]
		}
		if got, want := decodeQPLine([]byte("p"), line), decodeQPLineRef([]byte("p"), line); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %q, want %q", line, got, want)
		}
	}
}
