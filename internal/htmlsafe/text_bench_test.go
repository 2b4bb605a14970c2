package htmlsafe

import (
	"strings"
	"testing"
)

func BenchmarkTextHTML(b *testing.B) {
	para := "Sehr geehrte Damen und Herren, das Formular finden Sie unter https://amt.example/formular?id=7 oder www.amt.example.\n" +
		"> Fragen bitte an poststelle@amt.example (Montag bis Freitag). Mit freundlichen Grüßen, Ihr Bürgeramt =E4=F6\n"
	text := strings.Repeat(para, 5000) // about 1 MB
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		TextHTML(text)
	}
}
