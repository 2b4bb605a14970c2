package htmlsafe

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// TextHTML returns a text/plain body as HTML for the reader: escaped, in a
// <pre> that wraps, with the web addresses (http://, https://, www.) and
// e-mail addresses in it made into links exactly as Sanitize makes the links
// of an HTML mail (an href to the shell's opener, OpenHref, and the real
// address as the title). See TextLinks for what is taken as an address.
func TextHTML(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8 + 64)
	b.WriteString(`<pre style="white-space:pre-wrap;font-family:inherit">`)
	last := 0
	for _, l := range TextLinks(text) {
		b.WriteString(html.EscapeString(text[last:l.Start]))
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(l.href))
		b.WriteString(`" title="`)
		b.WriteString(html.EscapeString(l.title))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(text[l.Start:l.End]))
		b.WriteString(`</a>`)
		last = l.End
	}
	b.WriteString(html.EscapeString(text[last:]))
	b.WriteString(`</pre>`)
	return b.String()
}

// TextLink is an address found in plain text: text[Start:End] shows it and
// URL is what it opens (http, https or mailto).
type TextLink struct {
	Start, End int
	URL        string

	href, title string // as safeLink made them
}

// TextLinks finds the addresses in plain text, in order:
//   - http:// and https:// URLs, and www.host.tld (opened as https://);
//   - mailto: URLs and bare e-mail addresses (local@domain.tld).
//
// An address starts at the beginning of the text, after white space or after
// one of ( [ { < > " ' * | ; , : and typographic quotes, never inside a word
// (so not in "x=3Dhttps://..." or "=E4foo@bar.de"). A URL ends at white
// space, a control character, one of < > " ` { } | \ ^ or a typographic
// quote; then trailing . , ; : ! ? ' * and closing brackets without an
// opening one in the URL are not part of it. Leftovers of quoted-printable
// (an encoding the sender got wrong, or text quoted from a raw message) are
// not linked: a URL with "=3D" (an encoded "=") or two encoded bytes in a row
// ("=C3=A4"), or cut by a soft line break ("=" at the end of the line), stays
// text, and nothing inside it is linked either. Only links that Sanitize
// would make work are returned (see MaxLinkBytes).
func TextLinks(text string) []TextLink {
	var out []TextLink
	for i := 0; i < len(text); {
		c := text[i]
		if !isLinkStart(c) || !startBoundary(text, i) {
			i++
			continue
		}
		end, u, found := urlAt(text, i)
		if !found {
			end, u = emailAt(text, i)
		}
		if u != "" {
			if href, title, ok := safeLink(u); ok {
				out = append(out, TextLink{Start: i, End: end, URL: u, href: href, title: title})
			}
		}
		i = end
	}
	return out
}

// isLinkStart: an address can start with this byte (ASCII letters and
// digits for the schemes, www. and most addresses; any non-ASCII byte for
// addresses with letters beyond ASCII).
func isLinkStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

// startBoundary reports whether an address may start at text[i].
func startBoundary(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '(', '[', '{', '<', '>', '"', '\'', '*', '|', ';', ',', ':',
		'«', '»', '‹', '›', '“', '”', '„', '‘', '’', '‚':
		return true
	}
	return false
}

// stopsURL: a URL never contains r.
func stopsURL(r rune) bool {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '<', '>', '"', '`', '{', '}', '|', '\\', '^',
		'«', '»', '‹', '›', '“', '”', '„', '‘', '’', '‚',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', utf8.RuneError:
		return true
	}
	return false
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// urlAt looks for a URL starting at text[i]. found says whether one of the
// prefixes was there; then end is where scanning goes on (past the whole
// candidate, also when it was not taken) and u the URL to open ("" when the
// candidate is no usable link).
func urlAt(text string, i int) (end int, u string, found bool) {
	rest := text[i:]
	var kind string
	switch {
	case hasPrefixFold(rest, "https://"), hasPrefixFold(rest, "http://"):
		kind = "web"
	case hasPrefixFold(rest, "www."):
		kind = "www"
	case hasPrefixFold(rest, "mailto:"):
		kind = "mailto"
	default:
		return 0, "", false
	}
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if stopsURL(r) {
			break
		}
		j += size
	}
	end = j
	cand := text[i:j]
	// A quoted-printable soft line break: the URL goes on, encoded, on the next line.
	if strings.HasSuffix(cand, "=") && (j == len(text) || text[j] == '\r' || text[j] == '\n') {
		return end, "", true
	}
	if quotedPrintable(cand) {
		return end, "", true
	}
	cand = trimURLEnd(cand)
	end = i + len(cand)
	switch kind {
	case "web":
		p, err := url.Parse(cand)
		if err != nil || p.Host == "" || p.Hostname() == "" || !strings.ContainsFunc(p.Hostname(), isLetterOrDigit) {
			return end, "", true
		}
		return end, cand, true
	case "www":
		host := cand
		if k := strings.IndexAny(host, "/?#:"); k >= 0 {
			host = host[:k]
		}
		labels := strings.Split(host, ".")
		if len(labels) < 3 {
			return end, "", true
		}
		for _, l := range labels {
			if l == "" || !strings.ContainsFunc(l, isLetterOrDigit) {
				return end, "", true
			}
		}
		return end, "https://" + cand, true
	default: // mailto
		if len(cand) <= len("mailto:") {
			return end, "", true
		}
		addr := cand[len("mailto:"):]
		if k := strings.IndexAny(addr, "?#"); k >= 0 {
			addr = addr[:k]
		}
		if at := strings.IndexByte(addr, '@'); at <= 0 || at == len(addr)-1 {
			return end, "", true
		}
		return end, cand, true
	}
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// quotedPrintable reports leftovers of quoted-printable in s: "=3D" (an
// encoded "=", which every query of an encoded URL has) or two encoded
// bytes in a row (non-ASCII text, "=C3=A4").
func quotedPrintable(s string) bool {
	if strings.Contains(s, "=3D") {
		return true
	}
	for k := strings.IndexByte(s, '='); k >= 0 && k+5 < len(s); k = nextEq(s, k) {
		if isUpperHex(s[k+1]) && isUpperHex(s[k+2]) && s[k+3] == '=' && isUpperHex(s[k+4]) && isUpperHex(s[k+5]) {
			return true
		}
	}
	return false
}

func nextEq(s string, k int) int {
	n := strings.IndexByte(s[k+1:], '=')
	if n < 0 {
		return -1
	}
	return k + 1 + n
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// trimURLEnd drops what ends a sentence or closes a bracket opened before the URL.
func trimURLEnd(s string) string {
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		switch r {
		case '.', ',', ';', ':', '!', '?', '\'', '*':
			s = s[:len(s)-size]
			continue
		case ')':
			if strings.Count(s, "(") < strings.Count(s, ")") {
				s = s[:len(s)-size]
				continue
			}
		case ']':
			if strings.Count(s, "[") < strings.Count(s, "]") {
				s = s[:len(s)-size]
				continue
			}
		}
		return s
	}
	return s
}

// emailAt looks for an e-mail address starting at text[i]: end is where
// scanning goes on and u the mailto: URL ("" when there is none).
func emailAt(text string, i int) (end int, u string) {
	// The local part: letters, digits and . _ % + -.
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isLetterOrDigit(r) && r != '.' && r != '_' && r != '%' && r != '+' && r != '-' {
			break
		}
		j += size
	}
	if j == i {
		_, size := utf8.DecodeRuneInString(text[i:])
		return i + size, ""
	}
	local := text[i:j]
	if j >= len(text) || text[j] != '@' || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return j, ""
	}
	// The domain: labels of letters, digits and -, separated by dots.
	k := j + 1
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !isLetterOrDigit(r) && r != '.' && r != '-' {
			break
		}
		k += size
	}
	domain := strings.TrimRight(text[j+1:k], ".-")
	end = j + 1 + len(domain)
	if end < len(text) {
		// Glued to more address-like text: not an address (QP leftovers like
		// "a@amt.example=E4", or "a@b.example@c", or a path).
		switch text[end] {
		case '@', '=', '/', '%', '_', '+':
			return k, ""
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return end, ""
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return end, ""
		}
	}
	// The top-level domain: two letters or more, or an IDN in punycode.
	tld := labels[len(labels)-1]
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	if utf8.RuneCountInString(tld) < 2 || (strings.ContainsFunc(tld, notLetter) && !hasPrefixFold(tld, "xn--")) {
		return end, ""
	}
	return end, "mailto:" + local + "@" + domain
}
