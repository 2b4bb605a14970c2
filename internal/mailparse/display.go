package mailparse

import (
	"encoding/base64"
	"io"
	"strings"

	"github.com/deskport/deskport/internal/htmlsafe"
)

// MaxInlineImage is the largest cid: image DisplayHTML inlines.
const MaxInlineImage = 5 << 20

// DisplayHTML returns m's body as HTML that is safe to show in the reader's
// sandboxed iframe, and how many remote references were blocked. cid: images
// are taken from raw (the full message m was parsed from) as data: URLs.
// Plain-text mail comes back as escaped, wrapped <pre> text whose web and
// e-mail addresses are links like those of an HTML mail (htmlsafe.TextHTML).
func DisplayHTML(raw []byte, m *Message, allowRemote bool) (string, int) {
	return DisplayHTMLPolicy(raw, m, htmlsafe.Policy{AllowRemote: allowRemote})
}

// DisplayHTMLPolicy is DisplayHTML with a full policy (e.g. a Fetch that
// inlines remote images once allowed); a nil p.CID resolves from raw.
func DisplayHTMLPolicy(raw []byte, m *Message, p htmlsafe.Policy) (string, int) {
	if m.HTML == "" {
		return htmlsafe.TextHTML(m.Text), 0
	}
	if p.CID != nil {
		return htmlsafe.Sanitize(m.HTML, p)
	}
	p.CID = func(id string) string {
		for _, a := range m.Attachments {
			if a.ContentID != id || !strings.HasPrefix(a.ContentType, "image/") || a.Size > MaxInlineImage || a.Omitted {
				continue
			}
			_, r, err := OpenPart(raw, a.Part)
			if err != nil {
				return ""
			}
			data, err := io.ReadAll(io.LimitReader(r, MaxInlineImage))
			if err != nil || len(data) == 0 { // nothing to show (e.g. left out of a skeleton)
				return ""
			}
			return "data:" + a.ContentType + ";base64," + base64.StdEncoding.EncodeToString(data)
		}
		return ""
	}
	return htmlsafe.Sanitize(m.HTML, p)
}
