// Package mailto parses mailto: links (RFC 6068) into what Deskport's compose
// view is prefilled with. The link comes from a mail, so it is hostile input:
// header fields lose line breaks and control characters (nothing can add a
// header), "bcc" and every other header field are dropped (nothing is sent
// to anyone the user does not see), and lengths are bounded.
package mailto

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a link can put into the compose view.
const (
	MaxAddresses = 4 << 10  // bytes of To or Cc
	MaxSubject   = 1 << 10  // bytes of the subject
	MaxBody      = 64 << 10 // bytes of the body
)

// Draft is a mailto: link's content. To and Cc are comma-separated address
// lists as the compose view's fields hold them ("a@x.example, b@y.example").
type Draft struct {
	To      string `json:"to"`
	Cc      string `json:"cc"`
	Subject string `json:"subject"`
	Body    string `json:"text"`
}

// ErrNotMailto is returned for anything but a mailto: URL.
var ErrNotMailto = errors.New("not a mailto: link")

// Is reports whether u is a mailto: URL (scheme case-insensitive).
func Is(u string) bool {
	return len(u) >= 7 && strings.EqualFold(u[:7], "mailto:")
}

// Parse reads a mailto: URL. Addresses come from the part before "?" and
// from "to" fields; "cc", "subject" and "body" fill the rest (field names
// case-insensitive, the first subject and body win). Values are
// percent-decoded as UTF-8 ("+" stays a plus sign, as RFC 6068 says);
// a "%" not followed by two hex digits stays as it is; invalid UTF-8
// becomes U+FFFD. A fragment ("#...") is not part of the link's content.
func Parse(u string) (Draft, error) {
	if !Is(u) {
		return Draft{}, ErrNotMailto
	}
	rest := u[7:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	addrPart, query, _ := strings.Cut(rest, "?")
	var to, cc []string
	var d Draft
	var haveSubject, haveBody bool
	to = appendAddresses(to, unescape(addrPart))
	if query != "" {
		for _, field := range strings.Split(query, "&") {
			name, value, _ := strings.Cut(field, "=")
			switch strings.ToLower(unescape(name)) {
			case "to":
				to = appendAddresses(to, unescape(value))
			case "cc":
				cc = appendAddresses(cc, unescape(value))
			case "subject":
				if !haveSubject {
					d.Subject, haveSubject = headerText(unescape(value), MaxSubject), true
				}
			case "body":
				if !haveBody {
					d.Body, haveBody = bodyText(unescape(value)), true
				}
			}
			// bcc, in-reply-to, from and any other header: dropped.
		}
	}
	d.To = joinAddresses(to)
	d.Cc = joinAddresses(cc)
	return d, nil
}

// unescape percent-decodes s leniently.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// headerText makes s safe for a header field: every control character
// (CR and LF included) and every line or paragraph separator becomes a
// space, runs of spaces are folded, and the result is cut at max bytes on a
// character boundary.
func headerText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return truncate(s, max)
}

// bodyText keeps line breaks (as "\n") and tabs, drops other control characters.
func bodyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return truncate(s, MaxBody)
}

func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	// Drop a character cut in half.
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// appendAddresses adds the comma-separated addresses in s (header-safe,
// empty entries dropped) to list.
func appendAddresses(list []string, s string) []string {
	for _, a := range strings.Split(s, ",") {
		if a = headerText(a, MaxAddresses); a != "" {
			list = append(list, a)
		}
	}
	return list
}

func joinAddresses(list []string) string {
	s := strings.Join(list, ", ")
	if len(s) <= MaxAddresses {
		return s
	}
	// Whole addresses only.
	s = s[:MaxAddresses]
	if i := strings.LastIndex(s, ", "); i >= 0 {
		return s[:i]
	}
	return ""
}
