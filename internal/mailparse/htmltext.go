package mailparse

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TextFromHTML returns the readable text of an HTML document for the search
// index and for plain display: block elements become line breaks, entities
// are decoded, script, style and head content is dropped, runs of blank lines
// are collapsed.
func TextFromHTML(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	var w textWriter
	w.walk(doc, 0)
	return w.String()
}

type textWriter struct {
	b        strings.Builder
	newlines int  // trailing newlines already written
	space    bool // a space is pending
}

const maxHTMLDepth = 512

func (w *textWriter) String() string { return strings.TrimSpace(w.b.String()) }

func (w *textWriter) breakLine(n int) {
	w.space = false
	if w.b.Len() == 0 {
		return
	}
	for w.newlines < n {
		w.b.WriteByte('\n')
		w.newlines++
	}
}

func (w *textWriter) text(s string, pre bool) {
	if s == "" {
		return
	}
	if pre {
		w.b.WriteString(s)
		w.newlines = 0
		if strings.HasSuffix(s, "\n") {
			w.newlines = 1
		}
		return
	}
	if isHTMLSpace(rune(s[0])) {
		w.space = true
	}
	for i, f := range strings.FieldsFunc(s, isHTMLSpace) {
		if (i > 0 || w.space) && w.newlines == 0 && w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(f)
		w.newlines = 0
		w.space = false
	}
	if isHTMLSpace(rune(s[len(s)-1])) {
		w.space = true
	}
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}

var blockAtoms = map[atom.Atom]int{
	atom.P: 2, atom.Div: 1, atom.Br: 1, atom.Li: 1, atom.Ul: 1, atom.Ol: 1, atom.Tr: 1,
	atom.Table: 1, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Hr: 1, atom.Section: 1, atom.Article: 1,
	atom.Header: 1, atom.Footer: 1, atom.Dl: 1, atom.Dt: 1, atom.Dd: 1, atom.Center: 1,
	atom.Address: 1, atom.Figure: 1, atom.Caption: 1, atom.Main: 1, atom.Nav: 1, atom.Aside: 1,
}

var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Title: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Math: true,
}

func (w *textWriter) walk(n *html.Node, depth int) {
	w.walkPre(n, depth, false)
}

func (w *textWriter) walkPre(n *html.Node, depth int, pre bool) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, pre)
		return
	case html.ElementNode:
		if skipAtoms[n.DataAtom] {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	if depth > maxHTMLDepth {
		return
	}
	brk := blockAtoms[n.DataAtom]
	if n.Type == html.ElementNode {
		if brk > 0 {
			w.breakLine(brk)
		}
		switch n.DataAtom {
		case atom.Li:
			w.b.WriteString("- ")
			w.newlines = 0
		case atom.Td, atom.Th:
			if n.PrevSibling != nil {
				w.b.WriteString("\t")
				w.newlines = 0
			}
		case atom.Img:
			for _, a := range n.Attr {
				if a.Key == "alt" && strings.TrimSpace(a.Val) != "" {
					w.text(" "+a.Val+" ", false)
				}
			}
		case atom.Pre:
			pre = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walkPre(c, depth+1, pre)
	}
	if brk > 0 {
		w.breakLine(brk)
	}
}
