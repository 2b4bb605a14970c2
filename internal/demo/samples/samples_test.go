package samples

import (
	"bytes"
	"fmt"
	"image/png"
	"regexp"
	"strconv"
	"testing"
)

// The PDF's cross-reference table points at its objects, so that viewers
// open it without repairing it; text outside Latin-1 does not break it.
func TestPDFIsWellFormed(t *testing.T) {
	pdf := PDF("Übersicht (Entwurf)", "Größe: 12 €", "日本語 – ok")
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	offsets := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	for i, o := range offsets {
		off, _ := strconv.Atoi(string(o[1]))
		if !bytes.HasPrefix(pdf[off:], []byte(fmt.Sprintf("%d 0 obj", i+1))) {
			t.Errorf("object %d is not at offset %d", i+1, off)
		}
	}
	if len(offsets) != 6 {
		t.Errorf("%d objects", len(offsets))
	}
}

func TestPNGDecodesAndDiffersByName(t *testing.T) {
	a, b := PNG("a", 64, 40), PNG("b", 64, 40)
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil || img.Bounds().Dx() != 64 || img.Bounds().Dy() != 40 {
		t.Fatalf("%v %v", img, err)
	}
	if bytes.Equal(a, b) || !bytes.Equal(a, PNG("a", 64, 40)) {
		t.Error("pictures should differ by name and repeat for the same name")
	}
}
