package mailcache

import (
	"strings"

	"github.com/deskport/deskport/internal/mailparse"
)

// Displayed is a message prepared for the reader.
type Displayed struct {
	Cc       string
	Text     string
	HTML     string // sanitized by htmlsafe (via mailparse); safe only inside the sandboxed frame
	Blocked  int    // remote references (images, trackers) held back
	Problems []string
}

// Display prepares a raw message for reading: scripts stripped, remote
// content blocked unless allowRemote.
func Display(raw []byte, allowRemote bool) Displayed {
	m := mailparse.Parse(raw, mailparse.Options{})
	html, blocked := mailparse.DisplayHTML(raw, m, allowRemote)
	var cc []string
	for _, a := range m.Cc {
		switch {
		case a.Name != "" && a.Email != "":
			cc = append(cc, a.Name+" <"+a.Email+">")
		case a.Email != "":
			cc = append(cc, a.Email)
		default:
			cc = append(cc, a.Name)
		}
	}
	return Displayed{Cc: strings.Join(cc, ", "), Text: m.Text, HTML: html, Blocked: blocked, Problems: m.Problems}
}
