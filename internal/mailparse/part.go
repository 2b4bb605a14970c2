package mailparse

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// OpenPart finds the part with the IMAP section path (as in Attachment.Part)
// in a raw message and returns its description and a reader of its decoded
// content (transfer encoding undone, charset untouched). The reader reads
// from raw in place.
func OpenPart(raw []byte, path string) (Attachment, io.Reader, error) {
	p := &parser{opts: Options{}.withDefaults(), msg: &Message{}}
	h, body := p.readHeader(raw)
	parentType := ""
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		n, err := strconv.Atoi(seg)
		if err != nil || n < 1 {
			return Attachment{}, nil, fmt.Errorf("mailparse: bad part path %q", path)
		}
		pi := p.info(h, parentType)
		if !strings.HasPrefix(pi.mediaType, "multipart/") {
			// A single-part entity only has part 1: itself.
			if n != 1 || i != len(segs)-1 {
				return Attachment{}, nil, fmt.Errorf("mailparse: no part %q", path)
			}
			break
		}
		parts, _, _ := splitMultipart(body, pi.params["boundary"])
		if pi.params["boundary"] == "" || n > len(parts) {
			return Attachment{}, nil, fmt.Errorf("mailparse: no part %q", path)
		}
		parentType = pi.mediaType
		h, body = p.readHeader(parts[n-1])
	}
	pi := p.info(h, parentType)
	a := Attachment{
		Part: path, Filename: pi.filename, ContentType: pi.mediaType, ContentID: pi.contentID,
		Inline: pi.disposition == "inline", Encoding: pi.encoding, Charset: pi.params["charset"],
		Size: decodedSize(pi.encoding, body),
	}
	return a, DecodeTransfer(pi.encoding, bytes.NewReader(body)), nil
}
