package mailcache

// Displayed is a message prepared for the reader.
type Displayed struct {
	Cc       string
	Text     string
	HTML     string // sanitized HTML, "" when the message has none
	Problems []string
}

// Display prepares a raw message for reading.
//
// TODO(mail): switch to internal/mailparse (sanitized HTML with remote
// content blocked unless allowRemote) when it lands; until then only the
// text is shown (HTML turned into text), which is safe by construction.
func Display(raw []byte, allowRemote bool) Displayed {
	p := parseMessage(raw)
	return Displayed{Cc: p.Cc, Text: p.Text, Problems: p.Problems}
}
