package mailparse

import (
	"io"
	"regexp"
	"strings"
)

var encodedWord = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=`)

// decodeWords decodes RFC 2047 encoded words. Unlike mime.WordDecoder it
// joins adjacent words in the same charset before converting, so a
// character split across two words (common from some mailers) survives,
// and it decodes broken base64 and unknown charsets as well as it can.
func (p *parser) decodeWords(v string) string {
	matches := encodedWord.FindAllStringSubmatchIndex(v, -1)
	if matches == nil {
		return v
	}
	var out strings.Builder
	var pending []byte
	pendingCS := ""
	flush := func() {
		if pending != nil {
			out.WriteString(p.decodeCharset(pending, pendingCS))
			pending, pendingCS = nil, ""
		}
	}
	last := 0
	for _, m := range matches {
		between := v[last:m[0]]
		if pending == nil || strings.TrimSpace(between) != "" {
			flush()
			out.WriteString(between)
		}
		if enc, text := v[m[4]:m[5]], v[m[6]:m[7]]; (enc == "b" || enc == "B") && !validBase64(text) {
			flush()
			p.problem("malformed encoded word in header kept as is")
			out.WriteString(v[m[0]:m[1]])
			last = m[1]
			continue
		}
		cs := v[m[2]:m[3]]
		if i := strings.IndexByte(cs, '*'); i >= 0 {
			cs = cs[:i] // RFC 2231 language suffix
		}
		data := decodeWordPayload(v[m[4]:m[5]], v[m[6]:m[7]])
		if pending != nil && !strings.EqualFold(cs, pendingCS) {
			flush()
		}
		if pending == nil {
			pending, pendingCS = []byte{}, cs
		}
		pending = append(pending, data...)
		last = m[1]
	}
	flush()
	out.WriteString(v[last:])
	return out.String()
}

func decodeWordPayload(enc, text string) []byte {
	if enc == "b" || enc == "B" {
		data, _ := io.ReadAll(&base64Reader{src: strings.NewReader(text)})
		return data
	}
	var b []byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '_':
			b = append(b, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			b = append(b, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return b
}

func validBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		if b64[s[i]] == 0xFF && s[i] != '=' {
			return false
		}
	}
	return true
}
