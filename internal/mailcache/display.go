package mailcache

import (
	"fmt"
	"io"
	"strings"

	"github.com/deskport/deskport/internal/htmlsafe"
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
	return DisplayWith(raw, allowRemote, nil)
}

// DisplayWith is Display where fetch, when remote content is allowed, loads
// a remote image and returns it as a data: URL (remoteimg.Fetcher.Fetch):
// the sandboxed reader never reaches the network itself.
func DisplayWith(raw []byte, allowRemote bool, fetch func(url string) string) Displayed {
	// Skeleton: a text the cache stored only the start of says so in
	// Problems. In other mail the markers can do no more than that (the
	// attachment list comes from the cache, not from here).
	m := mailparse.Parse(raw, mailparse.Options{Skeleton: true})
	html, blocked := mailparse.DisplayHTMLPolicy(raw, m, htmlsafe.Policy{AllowRemote: allowRemote, Fetch: fetch})
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

// AttachmentFile is one attachment's decoded content.
type AttachmentFile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data []byte `json:"data"` // base64 in JSON
}

// MaxAttachmentFile bounds what AttachmentContent returns in one piece.
const MaxAttachmentFile = 100 << 20

// AttachmentContent decodes the attachment at part (its IMAP part path)
// from the raw message.
func AttachmentContent(raw []byte, part string) (AttachmentFile, error) {
	a, r, err := mailparse.OpenPart(raw, part)
	if err != nil {
		return AttachmentFile{}, fmt.Errorf("attachment %s: %w", part, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxAttachmentFile+1))
	if err != nil {
		return AttachmentFile{}, fmt.Errorf("attachment %s cannot be decoded: %w", part, err)
	}
	if len(data) > MaxAttachmentFile {
		return AttachmentFile{}, fmt.Errorf("attachment %s is larger than %d MB; open the message in the web mail to save it", part, MaxAttachmentFile>>20)
	}
	typ := a.ContentType
	if typ == "" {
		typ = "application/octet-stream"
	}
	return AttachmentFile{Name: a.Filename, Type: typ, Data: data}, nil
}
