package mailparse

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidUTF8MatchesStdlib(t *testing.T) {
	pieces := [][]byte{[]byte("abcdefgh"), []byte("a"), []byte("ü"), []byte("ß"), []byte("€"), []byte("😀"), []byte("\u07ff"),
		{0xC3}, {0xBC}, {0xC1, 0xBF}, {0xC2, 0x41}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xC0, 0x80}, {0xEF, 0xBF, 0xBD}, {0xFF}}
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 50000; i++ {
		var b []byte
		for n := r.Intn(14); n > 0; n-- {
			b = append(b, pieces[r.Intn(len(pieces))]...)
		}
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("%q: got %v, want %v", b, got, want)
		}
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("Grüße aus der Straße \xc3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("%q: got %v, want %v", b, got, want)
		}
	})
}

func BenchmarkValidUTF8German(b *testing.B) {
	text := []byte(strings.Repeat("Sehr geehrte Damen und Herren, die Grünstraße wird am Montag für den Verkehr gesperrt. Grüße ", 200))
	b.Run("validUTF8", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			validUTF8(text)
		}
	})
	b.Run("utf8.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			utf8.Valid(text)
		}
	})
}
