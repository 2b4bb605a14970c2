// Package htmlsafe turns the HTML of a mail into HTML that is safe to show:
// an allowlist of elements and attributes, no scripts or active content, no
// dangerous URLs, and remote content (images, CSS backgrounds, fonts) held
// back until the user allows it. The reader shows the result in a sandboxed
// iframe with a strict CSP as a second line of defence.
package htmlsafe

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/deskport/deskport/internal/navpolicy"
)

// Policy says what the user has allowed for one message.
type Policy struct {
	// AllowRemote keeps http(s) images and CSS urls. Tracking pixels are
	// dropped even then.
	AllowRemote bool
	// CID maps a cid: reference (the Content-ID without "cid:" and brackets)
	// to a data:image/... URL; "" drops the reference. Nil drops them all.
	CID func(contentID string) string
	// Fetch, with AllowRemote, loads a remote image and returns it as a
	// data:image/... URL ("" drops it). The reader's iframe inherits the
	// shell page's CSP, which lets no remote images in, so the app fetches
	// them itself (through its proxy, without cookies or referrer). Nil keeps
	// the URLs as they are.
	Fetch func(url string) string
}

// Sanitize returns safe HTML for the body of a document (style elements
// first, then the body content) and how many remote references it blocked.
func Sanitize(src string, p Policy) (safeHTML string, blockedRemote int) {
	defer func() {
		// A bug here must not take the reader down: show the source as text.
		if !recoverPanics {
			return
		}
		if r := recover(); r != nil {
			safeHTML, blockedRemote = `<pre style="white-space:pre-wrap">`+html.EscapeString(src)+`</pre>`, 0
		}
	}()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", 0
	}
	s := &sanitizer{policy: p}
	out := &html.Node{Type: html.DocumentNode}
	s.children(doc, out, 0)
	var b strings.Builder
	for _, st := range s.styles {
		html.Render(&b, st)
	}
	for c := out.FirstChild; c != nil; c = c.NextSibling {
		html.Render(&b, c)
	}
	return b.String(), s.blocked
}

// recoverPanics is turned off by the fuzz test, which must see them.
var recoverPanics = true

type sanitizer struct {
	policy  Policy
	blocked int
	styles  []*html.Node
}

const maxDepth = 256

type rule int

const (
	unwrap rule = iota // drop the tag, keep its content
	keep
	drop // drop the tag and its content
)

var allowed = map[atom.Atom]bool{}

func init() {
	for _, a := range []atom.Atom{
		atom.A, atom.Abbr, atom.Address, atom.Article, atom.Aside, atom.B, atom.Bdi, atom.Bdo,
		atom.Big, atom.Blockquote, atom.Br, atom.Caption, atom.Center, atom.Cite, atom.Code,
		atom.Col, atom.Colgroup, atom.Dd, atom.Del, atom.Details, atom.Dfn, atom.Div, atom.Dl,
		atom.Dt, atom.Em, atom.Figcaption, atom.Figure, atom.Font, atom.Footer, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.I, atom.Img, atom.Ins,
		atom.Kbd, atom.Li, atom.Main, atom.Mark, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Q,
		atom.Rp, atom.Rt, atom.Ruby, atom.S, atom.Samp, atom.Section, atom.Small, atom.Span,
		atom.Strike, atom.Strong, atom.Sub, atom.Summary, atom.Sup, atom.Table, atom.Tbody,
		atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Time, atom.Tr, atom.Tt, atom.U, atom.Ul,
		atom.Var, atom.Wbr,
	} {
		allowed[a] = true
	}
}

var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true,
	atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Input: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Option: true, atom.Optgroup: true,
	atom.Meta: true, atom.Link: true, atom.Base: true, atom.Title: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true, atom.Audio: true, atom.Video: true,
	atom.Source: true, atom.Track: true, atom.Canvas: true, atom.Param: true, atom.Noembed: true,
	atom.Noframes: true, atom.Xmp: true, atom.Plaintext: true, atom.Datalist: true,
	atom.Keygen: true, atom.Output: true, atom.Dialog: true, atom.Slot: true, atom.Map: true,
	atom.Area: true, atom.Picture: true,
}

func ruleFor(n *html.Node) rule {
	if n.Namespace != "" {
		return drop // svg and mathml can carry script and event handlers
	}
	if dropped[n.DataAtom] || n.DataAtom == 0 && strings.ContainsAny(n.Data, ":") && strings.HasPrefix(asciiLower(n.Data), "xml") {
		return drop
	}
	if allowed[n.DataAtom] {
		return keep
	}
	return unwrap // html, head, body, form, label, unknown tags like <o:p>
}

var plainAttrs = map[string]bool{
	"align": true, "valign": true, "bgcolor": true, "border": true, "cellpadding": true,
	"cellspacing": true, "color": true, "colspan": true, "rowspan": true, "dir": true,
	"face": true, "height": true, "width": true, "size": true, "lang": true, "title": true,
	"alt": true, "class": true, "id": true, "name": true, "start": true, "span": true,
	"summary": true, "headers": true, "scope": true, "abbr": true, "nowrap": true,
	"hspace": true, "vspace": true, "datetime": true, "reversed": true, "open": true,
	"clear": true, "noshade": true, "rules": true, "frame": true, "char": true, "charoff": true,
}

func (s *sanitizer) children(in, out *html.Node, depth int) {
	for c := in.FirstChild; c != nil; c = c.NextSibling {
		s.node(c, out, depth)
	}
}

func (s *sanitizer) node(n, out *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		out.AppendChild(&html.Node{Type: html.TextNode, Data: n.Data})
		return
	case html.ElementNode:
	default:
		return // comments (incl. conditional ones), doctypes
	}
	if depth > maxDepth {
		return
	}
	if n.DataAtom == atom.Style && n.Namespace == "" {
		s.style(n)
		return
	}
	switch ruleFor(n) {
	case drop:
		return
	case unwrap:
		s.children(n, out, depth+1)
		return
	}
	el := &html.Node{Type: html.ElementNode, Data: n.Data, DataAtom: n.DataAtom}
	if !s.attrs(n, el) {
		return // a tracking pixel
	}
	out.AppendChild(el)
	s.children(n, el, depth+1)
}

// attrs copies the allowed attributes of n to el; false drops the element.
func (s *sanitizer) attrs(n, el *html.Node) bool {
	isImg := n.DataAtom == atom.Img
	if isImg && isTracker(n) {
		for _, a := range n.Attr {
			if a.Key == "src" && urlKind(a.Val) == remoteURL {
				return false
			}
		}
	}
	isA := n.DataAtom == atom.A
	var linkTitle, ownTitle string
	hrefSeen, hasOwnTitle := false, false
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		key := asciiLower(a.Key)
		switch {
		case key == "title" && isA:
			// Added after the loop: a link shows its real address, not what the mail claims.
			if !hasOwnTitle {
				ownTitle, hasOwnTitle = a.Val, true
			}
		case plainAttrs[key]:
			el.Attr = append(el.Attr, html.Attribute{Key: key, Val: a.Val})
		case key == "type" && (n.DataAtom == atom.Ol || n.DataAtom == atom.Ul || n.DataAtom == atom.Li):
			el.Attr = append(el.Attr, html.Attribute{Key: key, Val: a.Val})
		case key == "style":
			if css := s.declarations(a.Val); css != "" {
				el.Attr = append(el.Attr, html.Attribute{Key: key, Val: css})
			}
		case key == "href" && isA:
			if hrefSeen {
				continue // browsers use the first; so do we
			}
			hrefSeen = true
			if href, real, ok := safeLink(a.Val); ok {
				el.Attr = append(el.Attr, html.Attribute{Key: "href", Val: href})
				linkTitle = real
			}
		case key == "src" && isImg:
			if u, ok := s.image(a.Val); ok {
				el.Attr = append(el.Attr, html.Attribute{Key: "src", Val: u})
			} else if urlKind(a.Val) == remoteURL {
				el.Attr = append(el.Attr, html.Attribute{Key: "data-blocked", Val: "remote"})
			}
		case key == "srcset" && isImg:
			// Dropped: src is enough, and srcset is one more way to load remote content.
			if !s.policy.AllowRemote && strings.Contains(asciiLower(a.Val), "http") {
				s.blocked++
			}
		case key == "background":
			if u, ok := s.image(a.Val); ok {
				el.Attr = append(el.Attr, html.Attribute{Key: key, Val: u})
			}
		}
	}
	switch {
	case linkTitle != "":
		el.Attr = append(el.Attr, html.Attribute{Key: "title", Val: linkTitle})
	case hasOwnTitle:
		el.Attr = append(el.Attr, html.Attribute{Key: "title", Val: ownTitle})
	}
	return true
}

func isTracker(n *html.Node) bool {
	for _, a := range n.Attr {
		switch asciiLower(a.Key) {
		case "width", "height":
			if v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(a.Val), "px")); err == nil && v <= 1 {
				return true
			}
		case "style":
			css := asciiLower(strings.Join(strings.Fields(a.Val), ""))
			for _, t := range []string{"width:0", "width:1px", "height:0", "height:1px", "display:none", "visibility:hidden", "opacity:0;", "max-height:0", "max-width:0"} {
				if strings.Contains(css+";", t) {
					return true
				}
			}
		}
	}
	return false
}

type kind int

const (
	otherURL kind = iota
	remoteURL
	dataImageURL
	cidURL
	fragmentURL
	linkURL // mailto:, tel:
)

// cleanURL removes what browsers ignore in URLs (ASCII whitespace and control
// characters), which is where "java\tscript:" hides.
func cleanURL(u string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, u)
}

var dataImage = regexp.MustCompile(`^data:image/(png|gif|jpe?g|webp|bmp|x-icon|vnd\.microsoft\.icon)[;,]`)

func urlKind(raw string) kind {
	u := asciiLower(cleanURL(raw))
	switch {
	case strings.HasPrefix(u, "http://"), strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "//"),
		strings.HasPrefix(u, `\\`), strings.HasPrefix(u, "http:"), strings.HasPrefix(u, "https:"):
		return remoteURL
	case dataImage.MatchString(u):
		return dataImageURL
	case strings.HasPrefix(u, "cid:"):
		return cidURL
	case strings.HasPrefix(u, "#"):
		return fragmentURL
	case strings.HasPrefix(u, "mailto:"), strings.HasPrefix(u, "tel:"):
		return linkURL
	}
	return otherURL
}

// MaxLinkBytes bounds the address of a link that is made to work; longer
// ones stay dead (text only). Real links, tracking redirects included, stay
// far below it.
const MaxLinkBytes = 8 << 10

// safeLink decides on the href of an <a>. A fragment (#top) stays as it is
// and scrolls the message. A web, mail or phone link becomes a same-origin
// request to navpolicy.OpenPath?u=URL: the reader's frame is sandboxed
// without scripts or popups, so a click starts a navigation of the frame
// itself to the shell, which hands URL to the app's opener and keeps the
// frame on the message (Linux: the WebKit policy handler takes the
// navigation before it is made; Windows: the shell's handler answers 204).
// real is the address to show the user (title).
// Everything else (javascript:, data:, file:, relative links, ...) is dropped.
func safeLink(raw string) (href, real string, ok bool) {
	u, ok := linkTarget(raw)
	if !ok {
		return "", "", false
	}
	if strings.HasPrefix(u, "#") {
		return u, "", true
	}
	return OpenHref(u), u, true
}

// OpenHref is the href that opens u (an http, https, mailto or tel URL)
// outside the app from the reader's frame.
func OpenHref(u string) string { return navpolicy.OpenPath + "?u=" + url.QueryEscape(u) }

// hrefWhitespace removes what browsers drop anywhere in an href.
var hrefWhitespace = strings.NewReplacer("\t", "", "\n", "", "\r", "")

// linkTarget returns the URL a link may open outside (or a #fragment).
// An href that is already an OpenHref (sanitizing our own output again)
// yields the URL it carries, checked again.
func linkTarget(raw string) (string, bool) {
	// What browsers do with an href: trim C0 controls and spaces, drop tabs
	// and newlines anywhere. Any other control character is refused.
	u := strings.TrimFunc(raw, func(r rune) bool { return r <= 0x20 })
	u = hrefWhitespace.Replace(u)
	if len(u) > MaxLinkBytes || strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false
	}
	u = strings.ReplaceAll(u, " ", "%20")
	if inner, ok := strings.CutPrefix(u, navpolicy.OpenPath+"?u="); ok {
		if strings.ContainsAny(inner, "&#") {
			return "", false
		}
		v, err := url.QueryUnescape(inner)
		if err != nil || strings.HasPrefix(v, "#") || strings.HasPrefix(v, navpolicy.OpenPath) {
			return "", false
		}
		return linkTarget(v)
	}
	switch urlKind(u) {
	case fragmentURL:
		return u, true
	case remoteURL:
		if strings.HasPrefix(u, "//") {
			u = "https:" + u
		}
		l := asciiLower(u)
		if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
			return "", false
		}
	case linkURL:
	default:
		return "", false
	}
	if !navpolicy.ExternalOK(u) || len(u) > MaxLinkBytes {
		return "", false
	}
	return u, true
}

// OpenTarget returns the URL an href made by OpenHref opens, or false when
// href is not one (for checks of sanitized output).
func OpenTarget(href string) (string, bool) {
	inner, ok := strings.CutPrefix(href, navpolicy.OpenPath+"?u=")
	if !ok || strings.ContainsAny(inner, "&#") {
		return "", false
	}
	v, err := url.QueryUnescape(inner)
	if err != nil || !navpolicy.ExternalOK(v) {
		return "", false
	}
	return v, true
}

// image returns the URL to use for an image reference, or false to drop it
// (counting it when it was remote and not allowed).
func (s *sanitizer) image(raw string) (string, bool) {
	u := cleanURL(raw)
	switch urlKind(u) {
	case dataImageURL:
		return u, true
	case cidURL:
		if s.policy.CID == nil {
			return "", false
		}
		id := strings.Trim(u[len("cid:"):], "<>")
		if d := s.policy.CID(id); urlKind(d) == dataImageURL {
			return cleanURL(d), true
		}
	case remoteURL:
		if s.policy.AllowRemote {
			if strings.HasPrefix(u, "//") {
				u = "https:" + u
			}
			if l := asciiLower(u); !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				return "", false
			}
			if navpolicy.IsShell(u) {
				return "", false // http://wails.localhost/... would reach the shell's own handlers (Windows)
			}
			if s.policy.Fetch == nil {
				return u, true
			}
			if d := s.policy.Fetch(u); urlKind(d) == dataImageURL {
				return cleanURL(d), true
			}
			return "", false
		}
		s.blocked++
	}
	return "", false
}
