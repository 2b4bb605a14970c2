// Package samples makes the demo's attachments and documents in code: small
// but real PDF, PNG and text files, the same bytes on every run.
package samples

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"strings"
)

// PDF returns a one-page PDF (A4) showing title and the lines below it, in
// Helvetica. Text outside Latin-1 is replaced by '?' (the built-in fonts
// have no other glyphs).
func PDF(title string, lines ...string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 20 Tf 56 780 Td (" + pdfString(title) + ") Tj ET\n")
	y := 748
	for _, l := range lines {
		fmt.Fprintf(&content, "BT /F1 11 Tf 56 %d Td (%s) Tj ET\n", y, pdfString(l))
		y -= 16
		if y < 60 {
			break
		}
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Title (" + pdfString(title) + ") /Producer (Deskport demo) >>",
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, len(objects), xref)
	return out.Bytes()
}

// pdfString escapes s for a PDF literal string in WinAnsi (Latin-1 here).
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		case r == '€':
			b.WriteString("\\200")
		case r == '–' || r == '—':
			b.WriteString("-")
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// PNG returns a w×h picture: a soft gradient with a few bars whose colours
// and heights follow from seed, so that each name gives its own picture.
func PNG(seed string, w, h int) []byte {
	f := fnv.New32a()
	f.Write([]byte(seed))
	s := f.Sum32()
	base := color.RGBA{uint8(80 + s%120), uint8(90 + (s>>8)%120), uint8(120 + (s>>16)%120), 255}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			img.Set(x, y, color.RGBA{mix(base.R, 250, t), mix(base.G, 250, t), mix(base.B, 252, t), 255})
		}
	}
	bars := 5
	for i := 0; i < bars; i++ {
		bh := int(float64(h) * (0.2 + 0.6*float64((s>>(i*3))%8)/7))
		x0 := w/(bars*2) + i*w/bars
		c := color.RGBA{uint8(30 + (s>>(i*5))%90), uint8(60 + (s>>(i*4))%120), uint8(110 + (s>>(i*2))%110), 255}
		for y := h - bh; y < h-h/12; y++ {
			for x := x0; x < x0+w/(bars*2) && x < w; x++ {
				img.Set(x, y, c)
			}
		}
	}
	var out bytes.Buffer
	png.Encode(&out, img)
	return out.Bytes()
}

func mix(a, b uint8, t float64) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t) }

// Documents are the demo account's files, by path.
func Documents() map[string][]byte {
	return map[string][]byte{
		"Readme.md": []byte("# Welcome to the Deskport demo\n\nThese files live on the demo suite's file server. Deskport keeps them in sync\nwith a folder on this computer: change a file here and it changes there.\n\n" +
			"Willkommen! Diese Dateien liegen auf dem Dateiserver der Demo. Deskport hält sie\nmit einem Ordner auf diesem Computer abgeglichen.\n"),
		"Documents/Projektplan 2027.pdf": PDF("Projektplan 2027", "1. Quartal: Anforderungen und Ausschreibung", "2. Quartal: Umsetzung des Bürgerportals",
			"3. Quartal: Pilotbetrieb in zwei Ämtern", "4. Quartal: Einführung in allen Ämtern", "", "Verantwortlich: Eva Schmidt"),
		"Documents/Quarterly report Q3.pdf": PDF("Quarterly report Q3", "Summary: all milestones reached; budget 4% below plan.",
			"Outlook: rollout of the desktop client to 1,200 workplaces.", "Risks: staff time for training."),
		"Documents/Meeting notes.md":       []byte("# Meeting notes\n\n- Rollout plan approved\n- Training on Thursday, 2 pm\n- Next meeting: Monday\n"),
		"Documents/Übersicht Haushalt.csv": []byte("Posten;Betrag (€);Status\nLizenzen;0;entfallen\nSchulungen;12.500;geplant\nHardware;48.000;bestellt\nBetrieb;23.750;laufend\n"),
		"Photos/Baustelle Ostseite.png":    PNG("Baustelle Ostseite", 640, 400),
		"Photos/Team offsite.png":          PNG("Team offsite", 640, 400),
		"Photos/Whiteboard.png":            PNG("Whiteboard", 480, 320),
		"Projekte/Rathaus-Portal/Anforderungen.pdf": PDF("Anforderungen Rathaus-Portal", "Barrierefrei nach WCAG 2.1 AA",
			"Anmeldung über das Servicekonto", "Termine online buchen", "Anträge digital einreichen"),
		"Projekte/Rathaus-Portal/Zeitplan.csv": []byte("Phase;Beginn;Ende\nKonzept;2027-01-04;2027-02-26\nUmsetzung;2027-03-01;2027-06-30\nPilot;2027-07-01;2027-09-30\n"),
		"Shared/Budget 2027.csv":               []byte("Item,Amount (EUR)\nTraining,12500\nHardware,48000\nOperations,23750\n"),
	}
}
