package mailparse

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand"
	"net/mail"
	"testing"
	"time"
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

// decodeBytes (the in-memory decoding of text parts) must give what the
// reader gives, capped the same way, for any input.
func checkDecodeBytes(t *testing.T, enc string, in []byte, max int) {
	t.Helper()
	tr := DecodeTransfer(enc, bytes.NewReader(in))
	all, _ := io.ReadAll(tr)
	got, more, skipped := decodeBytes(enc, in, max)
	want := all[:min(len(all), max)]
	if !bytes.Equal(got, want) || more != (len(all) > max) {
		t.Fatalf("%s %q max %d: got %q more=%v, want %q more=%v", enc, in, max, got, more, want, len(all) > max)
	}
	if b, ok := tr.(*base64Reader); ok && !more && skipped != b.skipped {
		t.Fatalf("%s %q: skipped %d, reader skipped %d", enc, in, skipped, b.skipped)
	}
}

func TestDecodeBytesMatchesReader(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alphabets := map[string][]byte{
		"quoted-printable": []byte("=AF3ag \t\r\nxü"),
		"base64":           []byte("QUJDRA==+/az09 \r\n*-_"),
		"7bit":             []byte("ab \r\n"),
	}
	for enc, alphabet := range alphabets {
		for i := 0; i < 3000; i++ {
			in := make([]byte, r.Intn(200))
			for k := range in {
				in[k] = alphabet[r.Intn(len(alphabet))]
			}
			checkDecodeBytes(t, enc, in, 1<<20)
			checkDecodeBytes(t, enc, in, r.Intn(len(in)+1))
		}
	}
	// long lines and inputs past the 64 KiB pieces the readers work in
	long := bytes.Repeat([]byte("Stra=C3=9Fe ="), 20000)
	checkDecodeBytes(t, "quoted-printable", long, 1<<20)
	checkDecodeBytes(t, "quoted-printable", long, 70000)
	b64 := bytes.Repeat([]byte("U3RyYcOfZQ==\r\nQUJD"), 20000)
	checkDecodeBytes(t, "base64", b64, 1<<20)
	checkDecodeBytes(t, "base64", b64, 100001)
}

func FuzzDecodeBytes(f *testing.F) {
	f.Add("quoted-printable", []byte("a=41=\r\nb=4"), 5)
	f.Add("base64", []byte("QUJD\r\nRA=*=QQ"), 2)
	f.Add("base64", []byte("QUJDRA==\r\nQUJD\r\n"), 9)
	f.Fuzz(func(t *testing.T, enc string, in []byte, max int) {
		if max < 0 || max > 1<<20 {
			return
		}
		checkDecodeBytes(t, enc, in, max)
		if enc == "base64" {
			want, _ := decodeBase64Ref(in)
			if got, _, _ := decodeBytes(enc, in, 1<<30); !bytes.Equal(got, want) {
				t.Fatalf("%q: got %q, the lenient loop %q", in, got, want)
			}
		}
	})
}

// parseDate's fast path gives what net/mail gives for every form it takes.
func TestParseDateFastPathMatchesNetMail(t *testing.T) {
	for _, v := range []string{
		"Mon, 13 May 2024 08:54:21 +0000", "Tue, 3 Nov 2026 10:15:00 +0100", "Sun, 31 Dec 2023 23:59:59 -0930",
		"Wed, 29 Feb 2024 12:00:00 +1400", "Fri, 1 Mar 2024 00:00:00 -0000",
	} {
		want, err := mail.ParseDate(v)
		got, ok := parseDate(v)
		if err != nil || !ok || !got.Equal(want) || got.Format(time.RFC3339) != want.Format(time.RFC3339) {
			t.Errorf("%q: got %v %v, net/mail %v %v", v, got, ok, want, err)
		}
	}
	// what the fast path refuses still goes through net/mail and the fallbacks
	for _, v := range []string{"13 May 2024 08:54:21 +0000", "Mon, 13 May 2024 08:54 +0000", "Mon, 13 May 2024 08:54:21 GMT", "Mon, 13 May 2024 08:54:21 +0000 (UTC)"} {
		if _, ok := parseDate(v); !ok {
			t.Errorf("%q not parsed", v)
		}
	}
}

// decodeBase64Ref is the lenient byte-by-byte loop alone, which decode's
// standard-library fast path must match.
func decodeBase64Ref(in []byte) (out []byte, skipped int) {
	var s b64state
	out = s.flush(s.lenient(nil, in))
	return out, s.skipped
}

// Well-formed base64 as mailers write it (lines of any width, CRLF or LF,
// padded or not), now and then damaged: the fast path must decode exactly
// as the lenient loop, and the reader too.
func TestDecodeBase64FastPathMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 4000; i++ {
		data := make([]byte, r.Intn(3000))
		r.Read(data)
		enc := []byte(base64.StdEncoding.EncodeToString(data))
		if r.Intn(4) == 0 {
			enc = bytes.TrimRight(enc, "=")
		}
		width := 4 * (1 + r.Intn(25))
		if r.Intn(5) == 0 {
			width = 1 + r.Intn(100) // not whole quanta per line
		}
		nl := []byte("\r\n")
		if r.Intn(2) == 0 {
			nl = nl[1:]
		}
		var in []byte
		for len(enc) > 0 {
			k := min(width, len(enc))
			in = append(append(in, enc[:k]...), nl...)
			enc = enc[k:]
		}
		for d := r.Intn(4); d > 0 && len(in) > 0 && i%3 == 0; d-- {
			in[r.Intn(len(in))] = "=* -_\tA\n"[r.Intn(8)]
		}
		want, wantSkipped := decodeBase64Ref(in)
		got, more, skipped := decodeBytes("base64", in, 1<<30)
		if !bytes.Equal(got, want) || more || skipped != wantSkipped {
			t.Fatalf("%q: got %d bytes (skipped %d), want %d (skipped %d)", in, len(got), skipped, len(want), wantSkipped)
		}
		if i%10 == 0 {
			checkDecodeBytes(t, "base64", in, 1<<30)
		}
	}
	// past decodeBytes's 64 KiB pieces
	big := make([]byte, 300<<10)
	r.Read(big)
	var in []byte
	for enc := []byte(base64.StdEncoding.EncodeToString(big)); len(enc) > 0; {
		k := min(76, len(enc))
		in = append(append(in, enc[:k]...), '\r', '\n')
		enc = enc[k:]
	}
	if got, _, _ := decodeBytes("base64", in, 1<<30); !bytes.Equal(got, big) {
		t.Fatal("300 KiB of base64 not decoded back")
	}
}

func BenchmarkDecodeBase64Text(b *testing.B) {
	data := bytes.Repeat([]byte("Sehr geehrte Frau Müller, anbei die Rechnung für März. "), 200)
	var in []byte
	for enc := []byte(base64.StdEncoding.EncodeToString(data)); len(enc) > 0; {
		k := min(76, len(enc))
		in = append(append(in, enc[:k]...), '\r', '\n')
		enc = enc[k:]
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		decodeBytes("base64", in, 8<<20)
	}
}
