package mailparse

import (
	"bytes"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-message/charset"
)

// parseParams parses "type/sub; k=v; k*=cs'lang'pct; k*0=...; k*1*=..." leniently
// (mime.ParseMediaType rejects much of what is sent and drops RFC 2231 values
// in charsets other than UTF-8). The value is lower-cased, keys too.
func (p *parser) parseParams(v string) (string, map[string]string) {
	pieces := splitParams(v)
	value := strings.ToLower(strings.TrimSpace(pieces[0]))
	params := map[string]string{}
	type cont struct {
		n       int
		encoded bool
		val     string
	}
	conts := map[string][]cont{}
	for _, piece := range pieces[1:] {
		eq := strings.IndexByte(piece, '=')
		if eq < 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(piece[:eq]))
		val := unquote(strings.TrimSpace(piece[eq+1:]))
		if key == "" {
			continue
		}
		if star := strings.IndexByte(key, '*'); star >= 0 {
			name, rest := key[:star], key[star+1:]
			encoded := strings.HasSuffix(rest, "*") || rest == ""
			rest = strings.TrimSuffix(rest, "*")
			n := 0
			if rest != "" {
				var err error
				if n, err = strconv.Atoi(rest); err != nil || n > 1000 {
					continue
				}
			}
			conts[name] = append(conts[name], cont{n, encoded, val})
			continue
		}
		if _, ok := params[key]; !ok {
			params[key] = val
		}
	}
	for name, cs := range conts {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].n < cs[j].n })
		var raw strings.Builder
		cset := ""
		for i, c := range cs {
			val := c.val
			if c.encoded {
				if i == 0 {
					if parts := strings.SplitN(val, "'", 3); len(parts) == 3 {
						cset, val = parts[0], parts[2]
					}
				}
				val = pctDecode(val)
			}
			raw.WriteString(val)
		}
		params[name] = p.decodeCharset([]byte(raw.String()), cset)
	}
	for k, val := range params {
		if strings.Contains(val, "=?") {
			params[k] = p.text(val) // RFC 2047 in parameters: wrong, but common
		} else {
			params[k] = p.fixBytes(val)
		}
	}
	return value, params
}

// splitParams splits on semicolons outside quoted strings.
func splitParams(v string) []string { return SplitOutside(v, ';', false) }

// SplitOutside splits v at sep where sep is outside quoted strings and, with
// angles, outside <...> (an address list's separators).
func SplitOutside(v string, sep byte, angles bool) []string {
	var out []string
	quoted, angle, esc, start := false, false, false, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case esc:
			esc = false
		case c == '\\' && quoted:
			esc = true
		case c == '"':
			quoted = !quoted
		case angles && c == '<' && !quoted:
			angle = true
		case angles && c == '>' && !quoted:
			angle = false
		case c == sep && !quoted && !angle:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
		if strings.IndexByte(s, '\\') >= 0 {
			var b strings.Builder
			for i := 0; i < len(s); i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			s = b.String()
		}
	} else if len(s) >= 1 && s[0] == '"' {
		s = s[1:]
	}
	return s
}

func pctDecode(s string) string {
	if out, err := url.PathUnescape(s); err == nil {
		return out
	}
	// Keep what decodes: bad escapes stay literal.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(n))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// decodeCharset converts data in the named charset to UTF-8; unknown or
// wrong charsets fall back to UTF-8-if-valid, else Windows-1252.
func (p *parser) decodeCharset(data []byte, cs string) string {
	if isUTF8Label(cs) {
		return p.bestEffort(data, cs)
	}
	if enc := utf32Label(cs); enc != nil {
		return p.decodeUnicode(enc, data, strings.ToUpper(cs))
	}
	r, err := charset.Reader(cs, bytes.NewReader(data))
	if err != nil {
		p.problem("unknown charset %q", truncate(cs, 40))
		return p.bestEffort(data, "")
	}
	var b strings.Builder
	if _, err := copyAll(&b, r); err != nil {
		p.problem("text not valid in charset %q", truncate(cs, 40))
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}
