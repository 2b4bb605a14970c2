package mailparse

import (
	"bytes"
	"strings"
)

// deepText reads the text parts inside an entity nested deeper than
// MaxDepth, in one pass over its lines. Walking such a structure level by
// level costs depth × size (every level scans its whole body for its
// boundary); here every delimiter line is looked up in a map of the
// boundaries open at that point, so the work stays linear whatever the
// depth. Nothing of the structure is kept (no attachments, no choice between
// alternatives: every text is shown). body is a multipart's body with
// boundary and mediaType, or, with startsWithHeader, a whole message (header first).
func (p *parser) deepText(body []byte, startsWithHeader bool, boundary, mediaType string, mode int) {
	type level struct{ boundary, mediaType string }
	open := map[string]int{}
	var stack []level
	push := func(b, mediaType string) {
		if _, dup := open[b]; !dup && b != "" {
			open[b] = len(stack)
			stack = append(stack, level{b, mediaType})
		}
	}
	truncateStack := func(n int) {
		for _, l := range stack[n:] {
			delete(open, l.boundary)
		}
		stack = stack[:n]
	}
	// The part being read: text (textPI set) or skipped.
	var textPI *partInfo
	contentStart := 0
	// startPart reads the header(s) of a part starting at off and returns
	// where its content starts; an attached message's header follows its
	// part header directly.
	startPart := func(off int, parentType string) int {
		textPI = nil
		for off < len(body) {
			h, rest := p.readHeader(body[off:])
			next := len(body) - len(rest)
			pi := p.info(h, parentType)
			switch {
			case strings.HasPrefix(pi.mediaType, "multipart/"):
				push(pi.params["boundary"], pi.mediaType)
				return next // its preamble is skipped
			case isMessage(pi.mediaType) && identityEncoding(pi.encoding) && next > off:
				off, parentType = next, ""
				continue
			case textRole(pi) != notText:
				// Only text parts count towards MaxParts here: the pass is
				// linear anyway, and nesting alone must not hide text.
				if p.parts >= p.opts.MaxParts {
					if !p.capped {
						p.capped = true
						p.problem("more than %d MIME parts; the rest is not shown", p.opts.MaxParts)
					}
					return len(body)
				}
				p.parts++
				textPI = &pi
			}
			return next
		}
		return len(body)
	}
	endContent := func(end int) {
		if textPI == nil || end < contentStart {
			return
		}
		c := body[contentStart:end]
		c = bytes.TrimSuffix(c, []byte("\n"))
		c = bytes.TrimSuffix(c, []byte("\r"))
		p.addText(*textPI, c, mode)
		textPI = nil
	}
	if !startsWithHeader && boundary == "" {
		p.fallbackText(body, mode)
		return
	}
	pos := 0
	if startsWithHeader {
		pos = startPart(0, "")
		contentStart = pos
	} else {
		push(boundary, mediaType)
	}
	for pos < len(body) && !p.capped {
		lineStart := pos
		nl := bytes.IndexByte(body[pos:], '\n')
		lineEnd := len(body)
		if nl >= 0 {
			lineEnd = pos + nl + 1
		}
		pos = lineEnd
		line := body[lineStart:lineEnd]
		if len(stack) == 0 || !bytes.HasPrefix(line, []byte("--")) {
			continue
		}
		key := string(bytes.TrimRight(line[2:], " \t\r\n"))
		i, ok := open[key]
		closing := false
		if !ok && strings.HasSuffix(key, "--") {
			i, ok = open[key[:len(key)-2]]
			closing = ok
		}
		if !ok {
			continue
		}
		endContent(lineStart)
		if closing {
			truncateStack(i)
			textPI = nil
			continue
		}
		truncateStack(i + 1)
		pos = startPart(lineEnd, stack[i].mediaType)
		contentStart = pos
	}
	endContent(len(body))
}
