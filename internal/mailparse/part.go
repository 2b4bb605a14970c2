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
	segs := strings.Split(path, ".")
	nums := make([]int, len(segs))
	for i, seg := range segs {
		n, err := strconv.Atoi(seg)
		if err != nil || n < 1 {
			return Attachment{}, nil, fmt.Errorf("mailparse: bad part path %q", path)
		}
		nums[i] = n
	}
	notFound := fmt.Errorf("mailparse: no part %q", path)
	h, body := p.readHeader(raw)
	parentType := ""
	top := true // h is a whole message, whose single body is part 1
	for i := 0; i < len(nums); {
		pi := p.info(h, parentType)
		n := nums[i]
		switch {
		case strings.HasPrefix(pi.mediaType, "multipart/"):
			parts, _, _ := splitMultipart(body, pi.params["boundary"])
			if pi.params["boundary"] == "" || n > len(parts) {
				return Attachment{}, nil, notFound
			}
			h, body = p.readHeader(parts[n-1])
			parentType, top = pi.mediaType, false
			i++
		case !top && isMessage(pi.mediaType) && identityEncoding(pi.encoding):
			h, body = p.readHeader(body) // into the attached message
			parentType, top = "", true
		case top && n == 1 && i == len(nums)-1:
			i++
		case top && n == 1 && isMessage(pi.mediaType) && identityEncoding(pi.encoding):
			h, body = p.readHeader(body) // a message that is only an attached message
			parentType = ""
			i++
		default:
			return Attachment{}, nil, notFound
		}
	}
	pi := p.info(h, parentType)
	a := Attachment{
		Part: path, Filename: pi.filename, ContentType: pi.mediaType, ContentID: pi.contentID,
		Inline: pi.disposition == "inline", Encoding: pi.encoding, Charset: pi.params["charset"],
		Size: decodedSize(pi.encoding, body),
	}
	return a, DecodeTransfer(pi.encoding, bytes.NewReader(body)), nil
}
