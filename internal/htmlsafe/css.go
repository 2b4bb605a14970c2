package htmlsafe

import (
	"strings"

	"golang.org/x/net/html"
)

// Anything that can run code, pull in other sheets or hide a URL from the
// url() scanner below. Old IE's expression() and behavior are long dead, but
// cost nothing to refuse.
var cssDanger = []string{
	"expression", "javascript:", "vbscript:", "behavior", "-moz-binding", "@import",
	"image-set(", "cross-fade(", "element(", "image(", "\\", "</", "<!--",
}

func dangerousCSS(css string) bool {
	l := asciiLower(css)
	for _, d := range cssDanger {
		if strings.Contains(l, d) {
			return true
		}
	}
	return false
}

func stripComments(css string) string {
	var b strings.Builder
	for {
		i := strings.Index(css, "/*")
		if i < 0 {
			b.WriteString(css)
			return b.String()
		}
		b.WriteString(css[:i])
		b.WriteByte(' ')
		j := strings.Index(css[i+2:], "*/")
		if j < 0 {
			return b.String()
		}
		css = css[i+2+j+2:]
	}
}

// rewriteURLs replaces every url(...) in css with what replace returns for
// its (unquoted) argument; ok is false if replace refused any of them.
func rewriteURLs(css string, replace func(u string) (string, bool)) (string, bool) {
	var b strings.Builder
	ok := true
	lower := asciiLower(css) // same byte offsets as css
	pos := 0
	for {
		i := strings.Index(lower[pos:], "url(")
		if i < 0 {
			b.WriteString(css[pos:])
			return b.String(), ok
		}
		i += pos
		b.WriteString(css[pos:i])
		rest := css[i+4:]
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return b.String(), false // unterminated url( swallows the rest
		}
		arg := strings.TrimSpace(rest[:end])
		if len(arg) >= 2 && (arg[0] == '"' || arg[0] == '\'') && arg[len(arg)-1] == arg[0] {
			arg = arg[1 : len(arg)-1]
		}
		r, good := replace(arg)
		if !good {
			ok = false
		}
		b.WriteString(r)
		pos = i + 4 + end + 1
	}
}

// cssURL decides on one url() argument: a quoted safe URL, or false.
func (s *sanitizer) cssURL(arg string) (string, bool) {
	u, ok := s.image(arg)
	if !ok || strings.ContainsAny(u, "\"'()\\") {
		return "none", false
	}
	return `url("` + u + `")`, true
}

// splitDecls splits on semicolons outside quotes and parentheses (data: URLs
// contain semicolons).
func splitDecls(css string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(css); i++ {
		c := css[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ';' && depth == 0:
			out = append(out, css[start:i])
			start = i + 1
		}
	}
	return append(out, css[start:])
}

func validProperty(p string) bool {
	if p == "" {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// declarations sanitizes a style attribute declaration by declaration.
func (s *sanitizer) declarations(style string) string {
	var out []string
	for _, d := range splitDecls(stripComments(style)) {
		colon := strings.IndexByte(d, ':')
		if colon < 0 {
			continue
		}
		prop := asciiLower(strings.TrimSpace(d[:colon]))
		val := strings.TrimSpace(d[colon+1:])
		if !validProperty(prop) || val == "" || dangerousCSS(prop+":"+val) || strings.ContainsAny(val, "<>{}") {
			continue
		}
		val, ok := rewriteURLs(val, s.cssURL)
		if !ok {
			continue
		}
		out = append(out, prop+": "+val)
	}
	return strings.Join(out, "; ")
}

// style keeps a <style> element whose sheet is harmless after its url()s
// are rewritten; a sheet with anything dangerous is dropped whole.
func (s *sanitizer) style(n *html.Node) {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	css := stripComments(b.String())
	if strings.TrimSpace(css) == "" || dangerousCSS(css) {
		return
	}
	css, _ = rewriteURLs(css, func(arg string) (string, bool) {
		return s.cssURL(arg)
	})
	if strings.TrimSpace(css) == "" || dangerousCSS(css) {
		return
	}
	st := &html.Node{Type: html.ElementNode, Data: "style"}
	st.DataAtom = n.DataAtom
	st.AppendChild(&html.Node{Type: html.TextNode, Data: css})
	s.styles = append(s.styles, st)
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid
// (strings.ToLower can change lengths) and, like browsers reading schemes
// and CSS keywords, no non-ASCII letter turns into an ASCII one.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
