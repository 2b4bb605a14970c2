package mailparse

import (
	"bytes"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// unicodeBOM recognises a byte order mark at the start of a text part. A
// BOM says more than the charset label (mailers label UTF-16 text
// "utf-16le", "unicode", or not at all), so, as in the WHATWG decoding
// rules, it wins over the label. FF FE 00 00 is taken as UTF-32LE: a UTF-16
// text starting with U+0000 is not a real text. enc is nil for UTF-8.
func unicodeBOM(data []byte) (enc encoding.Encoding, n int, name string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return nil, 3, "UTF-8"
	case bytes.HasPrefix(data, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), 4, "UTF-32BE"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), 4, "UTF-32LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2, "UTF-16BE"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2, "UTF-16LE"
	}
	return nil, 0, ""
}

// utf32Label: the charset library knows no UTF-32 (WHATWG dropped it), mail
// still carries it. Without a BOM, UTF-32 is big-endian.
func utf32Label(cs string) encoding.Encoding {
	switch strings.ToLower(strings.TrimSpace(cs)) {
	case "utf-32", "utf32", "utf-32be", "ucs-4", "iso-10646-ucs-4":
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	case "utf-32le":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	}
	return nil
}

// decodeUnicode decodes UTF-16/32 text; bytes that do not decode become
// U+FFFD.
func (p *parser) decodeUnicode(enc encoding.Encoding, data []byte, name string) string {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		p.problem("text not valid %s", name)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}
