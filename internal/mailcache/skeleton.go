package mailcache

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/deskport/deskport/internal/mailparse"
)

// A message larger than Policy.wholeBytes is stored as a skeleton: its
// header, its text and the parts within Policy.MaxAttachmentBytes, with
// every other part kept as its MIME header plus
//
//	X-Deskport-Omitted: <decoded size in bytes>
//
// and an empty body (mailparse.OmittedHeader). The skeleton is a valid MIME
// message, rebuilt from the BODYSTRUCTURE's boundaries and the sections the
// server sends, so it is parsed, indexed and shown like any other; only
// mailparse.Options.Skeleton (set for these alone) makes the markers count.
// A text part longer than skeletonTextBytes keeps its start and
// X-Deskport-Partial (the whole size); so does an attached message
// (message/rfc822) walked into because it is too large to keep whole, when
// any of its parts is left out or cut.
//
// Two FETCHes: the BODYSTRUCTURE and header of every large message at once,
// then one per message for all the sections it keeps: MIME headers, bodies,
// and the first and last sampleBytes of each base64 part left out, from
// which its decoded size follows exactly (BINARY.SIZE would say it, but
// Dovecot 2.3.19 answered far too small sizes for parts before the last one
// of a multipart: 118568 for a part of 307200 bytes).

// skeletonTextBytes caps each text part of a skeleton (encoded bytes); the
// reader shows at most 8 MB of a text anyway (mailparse.Options).
const skeletonTextBytes = 8 << 20

// sampleBytes: how much of each end of a base64 part left out is fetched
// to know its decoded size.
const sampleBytes = 160

// maxSkeletonSections bounds one FETCH's command line (Dovecot's limit is
// 64 KB); a message with more parts than that gets its headers only.
const maxSkeletonSections = 1500

// skeletonMaxDepth bounds how deep the structure is walked: a deeper
// attached message is kept or left out whole, a deeper multipart leaves the
// message to headers only.
const skeletonMaxDepth = 20

// fetchSkeletons fetches the messages uids (each larger than
// Policy.wholeBytes) as skeletons and stores them one by one. A message the
// server cannot give part by part gets its envelope only, as before.
func (c *Cache) fetchSkeletons(ctx context.Context, cl *imapclient.Client, folderID int64, uids []imap.UID, condstore, adopt bool, prog *fetchProgress) (int, error) {
	fo := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, Envelope: true, ModSeq: condstore}
	n := 0
	err := c.eachSkeleton(ctx, cl, uids, fo, func(md *imapclient.FetchMessageBuffer, raw []byte) error {
		m := &serverMsg{UID: uint32(md.UID), Flags: flagStrings(md.Flags), ModSeq: md.ModSeq, Size: md.RFC822Size, InternalDate: md.InternalDate}
		if raw != nil {
			m.Raw, m.Skeleton = raw, true
		} else {
			// Refused or not rebuildable: headers only, as for mail outside
			// the policy; the body is fetched when opened.
			m.Env = fromEnvelope(md.Envelope)
		}
		in, err := c.prepare(m)
		if err != nil {
			return err
		}
		if err := c.db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := c.storeWith(ctx, tx, nil, folderID, in, adopt)
			return err
		}); err != nil {
			return err
		}
		n++
		prog.done++
		c.progress(prog.folder, prog.done, prog.total)
		return nil
	})
	return n, err
}

// eachSkeleton fetches the structure and header of uids, with the items of
// fo besides, and rebuilds each message as a skeleton: fn gets the
// message's data and its skeleton, or nil when the server cannot give it
// part by part (refused, or a structure that cannot be rebuilt).
func (c *Cache) eachSkeleton(ctx context.Context, cl *imapclient.Client, uids []imap.UID, fo *imap.FetchOptions,
	fn func(md *imapclient.FetchMessageBuffer, raw []byte) error) error {
	hdr := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	fo.BodyStructure = &imap.FetchItemBodyStructure{Extended: true}
	fo.BodySection = []*imap.FetchItemBodySection{hdr}
	msgs, err := cl.Fetch(imap.UIDSetNum(uids...), fo).Collect()
	if err != nil {
		return err
	}
	for _, md := range msgs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		raw, err := c.fetchSkeleton(cl, md.UID, md.BodyStructure, md.FindBodySection(hdr))
		var ie *imap.Error
		switch {
		case err == nil:
		case errors.Is(err, errNoSkeleton) || errors.As(err, &ie):
			raw = nil
		default:
			return err
		}
		if err := fn(md, raw); err != nil {
			return err
		}
	}
	return nil
}

// errNoSkeleton: the structure cannot be rebuilt (no boundary, a section
// missing from the answer).
var errNoSkeleton = errors.New("mail cache: message structure cannot be stored part by part")

// fetchSkeleton plans which parts of one message to keep, fetches them in
// one UID FETCH and rebuilds the message.
func (c *Cache) fetchSkeleton(cl *imapclient.Client, uid imap.UID, bs imap.BodyStructure, header []byte) ([]byte, error) {
	if bs == nil || header == nil {
		return nil, errNoSkeleton
	}
	s := planSkeleton(bs, c.policy)
	if len(s.sections) > maxSkeletonSections {
		return nil, errNoSkeleton
	}
	got, err := fetchSections(cl, uid, &imap.FetchOptions{UID: true, BodySection: s.sections})
	if err != nil {
		return nil, err
	}
	for _, l := range s.leaves {
		if !l.keep && strings.EqualFold(l.bs.Encoding, "base64") {
			head, tail := got[partialKey(l.part, 0)], got[partialKey(l.part, tailOffset(l.bs))]
			if n, ok := base64Size(int64(l.bs.Size), head, tail); ok {
				l.size = n
			}
		}
	}
	return s.build(header, got)
}

func tailOffset(sp *imap.BodyStructureSinglePart) int64 { return max(int64(sp.Size)-sampleBytes, 0) }

// base64Size is the decoded size of a base64 part of size bytes from its
// first and last bytes, when its lines (but the last) are all as long as
// the first; ok is false otherwise.
func base64Size(size int64, head, tail []byte) (int64, bool) {
	isSpace := func(c byte) bool { return c == '\r' || c == '\n' || c == ' ' || c == '\t' }
	t := len(tail)
	for t > 0 && isSpace(tail[t-1]) {
		t--
	}
	content := size - int64(len(tail)-t) // without the trailing line break
	nl := bytes.IndexByte(head, '\n')
	var chars int64
	switch {
	case nl < 0 && size <= int64(len(head)): // one short line, all in head
		chars = content
	case nl < 0:
		return 0, false // lines longer than the sample
	default:
		width := int64(nl) // a line's characters
		if nl > 0 && head[nl-1] == '\r' {
			width--
		}
		line := int64(nl) + 1 // with its line break
		last := int64(t - 1 - bytes.LastIndexByte(tail[:t], '\n'))
		if last > width || (content-last)%line != 0 || last == int64(t) && size > int64(len(tail)) {
			return 0, false // the last line not in the sample, or lines of other lengths
		}
		chars = (content-last)/line*width + last
	}
	if chars%4 != 0 {
		return 0, false
	}
	pad := int64(0)
	for i := t - 1; i >= 0 && pad < 2 && tail[i] == '='; i-- {
		pad++
	}
	return chars/4*3 - pad, true
}

// fetchSections runs one UID FETCH of uid and returns its body sections by
// sectionKey (partialKey for a byte range).
func fetchSections(cl *imapclient.Client, uid imap.UID, fo *imap.FetchOptions) (map[string][]byte, error) {
	got := map[string][]byte{}
	cmd := cl.Fetch(imap.UIDSetNum(uid), fo)
	for {
		md := cmd.Next()
		if md == nil {
			break
		}
		for {
			item := md.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataBodySection:
				var b []byte
				if it.Literal != nil {
					b = make([]byte, it.Literal.Size())
					if _, err := io.ReadFull(it.Literal, b); err != nil {
						cmd.Close()
						return nil, err
					}
				}
				key := sectionKey(it.Section.Part, it.Section.Specifier)
				if it.Section.Partial != nil {
					key = partialKey(it.Section.Part, it.Section.Partial.Offset)
				}
				got[key] = b
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, err
	}
	return got, nil
}

func partialKey(part []int, offset int64) string {
	return sectionKey(part, "") + "<" + strconv.FormatInt(offset, 10) + ">"
}

func sectionKey(part []int, spec imap.PartSpecifier) string {
	var b strings.Builder
	for i, n := range part {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	if spec != "" {
		b.WriteByte('.')
		b.WriteString(string(spec))
	}
	return b.String()
}

// skeleton is the plan for one message: what to fetch and how to rebuild it.
type skeleton struct {
	bs       imap.BodyStructure
	leaves   map[string]*skelLeaf // by part
	walked   map[string]bool      // attached messages walked into, by part
	sections []*imap.FetchItemBodySection
}

type skelLeaf struct {
	part []int
	bs   *imap.BodyStructureSinglePart
	text bool  // a body text: always kept (its start when long)
	keep bool  // fetched
	cut  bool  // only its first skeletonTextBytes fetched
	size int64 // decoded size: an estimate until base64Size knows it
}

// planSkeleton decides, for each leaf part, whether it is kept: body texts
// always (their start when longer than skeletonTextBytes), other parts up
// to p.MaxAttachmentBytes decoded, smallest first, while the message stays
// within p.MaxBodyBytes.
func planSkeleton(bs imap.BodyStructure, p Policy) *skeleton {
	s := &skeleton{bs: bs, leaves: map[string]*skelLeaf{}, walked: map[string]bool{}}
	var order []*skelLeaf
	var walkMessage func(bs imap.BodyStructure, base []int, depth int)
	var walkMulti func(mp *imap.BodyStructureMultiPart, path []int, depth int)
	leaf := func(sp *imap.BodyStructureSinglePart, part []int) {
		l := &skelLeaf{part: part, bs: sp, text: isBodyText(sp), size: decodedEstimate(sp)}
		s.leaves[sectionKey(part, "")] = l
		order = append(order, l)
	}
	walkMessage = func(bs imap.BodyStructure, base []int, depth int) {
		switch x := bs.(type) {
		case *imap.BodyStructureMultiPart:
			walkMulti(x, base, depth)
		case *imap.BodyStructureSinglePart:
			leaf(x, append(slices.Clone(base), 1)) // its header is the message's
		}
	}
	walkMulti = func(mp *imap.BodyStructureMultiPart, path []int, depth int) {
		for i, ch := range mp.Children {
			cp := append(slices.Clone(path), i+1)
			s.sections = append(s.sections, &imap.FetchItemBodySection{Part: cp, Specifier: imap.PartSpecifierMIME, Peek: true})
			switch x := ch.(type) {
			case *imap.BodyStructureMultiPart:
				if depth < skeletonMaxDepth {
					walkMulti(x, cp, depth+1)
				}
			case *imap.BodyStructureSinglePart:
				if x.MessageRFC822 != nil && x.MessageRFC822.BodyStructure != nil && identityEncoding(x.Encoding) &&
					int64(x.Size) > p.MaxAttachmentBytes && depth < skeletonMaxDepth {
					s.walked[sectionKey(cp, "")] = true
					s.sections = append(s.sections, &imap.FetchItemBodySection{Part: cp, Specifier: imap.PartSpecifierHeader, Peek: true})
					walkMessage(x.MessageRFC822.BodyStructure, cp, depth+1)
					continue
				}
				leaf(x, cp)
			}
		}
	}
	walkMessage(bs, nil, 0)

	// A multipart nested deeper than skeletonMaxDepth is not walked: its
	// MIME header is fetched but its body would be missing. build notices
	// (errNoSkeleton); such mail is left to headers only.
	textCap := min(int64(skeletonTextBytes), p.MaxBodyBytes)
	used := int64(0)
	var others []*skelLeaf
	for _, l := range order {
		if l.text {
			l.keep = true
			l.cut = int64(l.bs.Size) > textCap
			used += min(int64(l.bs.Size), textCap)
		} else if l.size <= p.MaxAttachmentBytes {
			others = append(others, l)
		}
	}
	slices.SortStableFunc(others, func(a, b *skelLeaf) int { return int(a.bs.Size) - int(b.bs.Size) })
	for _, l := range others {
		if used+int64(l.bs.Size) > p.MaxBodyBytes {
			break
		}
		l.keep = true
		used += int64(l.bs.Size)
	}
	for _, l := range order {
		switch {
		case l.cut:
			s.sections = append(s.sections, &imap.FetchItemBodySection{Part: l.part, Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: textCap}})
		case l.keep:
			s.sections = append(s.sections, &imap.FetchItemBodySection{Part: l.part, Peek: true})
		case strings.EqualFold(l.bs.Encoding, "base64") && l.bs.Size > 0:
			s.sections = append(s.sections,
				&imap.FetchItemBodySection{Part: l.part, Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: sampleBytes}},
				&imap.FetchItemBodySection{Part: l.part, Peek: true, Partial: &imap.SectionPartial{Offset: tailOffset(l.bs), Size: sampleBytes}})
		}
	}
	return s
}

// isBodyText: a part the reader shows as the message's text (as mailparse
// decides: text/plain or text/html, not an attachment, without a name; or
// text/plain inline with a name, as older mailers send the text).
func isBodyText(sp *imap.BodyStructureSinglePart) bool {
	mt := sp.MediaType()
	if mt != "text/plain" && mt != "text/html" {
		return false
	}
	d := sp.Disposition()
	if d != nil && strings.EqualFold(d.Value, "attachment") {
		return false
	}
	return sp.Filename() == "" || mt == "text/plain" && d != nil && strings.EqualFold(d.Value, "inline")
}

func identityEncoding(e string) bool {
	switch strings.ToLower(e) {
	case "", "7bit", "8bit", "binary":
		return true
	}
	return false
}

// decodedEstimate is a part's decoded size from its encoded size: base64
// in lines of 76 characters and CRLF; anything else as is.
func decodedEstimate(sp *imap.BodyStructureSinglePart) int64 {
	n := int64(sp.Size)
	if strings.EqualFold(sp.Encoding, "base64") {
		lines := (n + 77) / 78
		return max(n-2*lines, 0) / 4 * 3
	}
	return n
}

// build rebuilds the message from its header and the fetched sections.
func (s *skeleton) build(header []byte, got map[string][]byte) ([]byte, error) {
	var b bytes.Buffer
	size := len(header)
	for _, v := range got {
		size += len(v) + 128
	}
	b.Grow(size)
	if err := s.writeMessage(&b, header, s.bs, nil, got); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeMessage writes a message (the whole one, or an attached one) whose
// header is hdr and whose body has the structure bs, its parts below base.
func (s *skeleton) writeMessage(b *bytes.Buffer, hdr []byte, bs imap.BodyStructure, base []int, got map[string][]byte) error {
	switch x := bs.(type) {
	case *imap.BodyStructureMultiPart:
		b.Write(headerBlock(hdr))
		return s.writeMulti(b, x, base, got)
	case *imap.BodyStructureSinglePart:
		return s.writeLeaf(b, hdr, append(slices.Clone(base), 1), got)
	}
	return errNoSkeleton
}

func (s *skeleton) writeMulti(b *bytes.Buffer, mp *imap.BodyStructureMultiPart, path []int, got map[string][]byte) error {
	if mp.Extended == nil || mp.Extended.Params["boundary"] == "" {
		return errNoSkeleton
	}
	boundary := mp.Extended.Params["boundary"]
	for i, ch := range mp.Children {
		cp := append(slices.Clone(path), i+1)
		key := sectionKey(cp, "")
		mime, ok := got[sectionKey(cp, imap.PartSpecifierMIME)]
		if !ok {
			return errNoSkeleton
		}
		b.WriteString("--" + boundary + "\r\n")
		switch x := ch.(type) {
		case *imap.BodyStructureMultiPart:
			b.Write(headerBlock(mime))
			if err := s.writeMulti(b, x, cp, got); err != nil {
				return err
			}
		case *imap.BodyStructureSinglePart:
			if !s.walked[key] {
				if err := s.writeLeaf(b, mime, cp, got); err != nil {
					return err
				}
				break
			}
			if s.incomplete(key) {
				mime = withMarker(mime, mailparse.PartialHeader, int64(x.Size))
			}
			b.Write(headerBlock(mime))
			inner, ok := got[sectionKey(cp, imap.PartSpecifierHeader)]
			if !ok {
				return errNoSkeleton
			}
			if err := s.writeMessage(b, inner, x.MessageRFC822.BodyStructure, cp, got); err != nil {
				return err
			}
		}
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return nil
}

func (s *skeleton) writeLeaf(b *bytes.Buffer, hdr []byte, part []int, got map[string][]byte) error {
	key := sectionKey(part, "")
	l := s.leaves[key]
	if l == nil {
		return errNoSkeleton
	}
	if !l.keep {
		b.Write(withMarker(hdr, mailparse.OmittedHeader, l.size))
		return nil
	}
	if l.cut {
		key = partialKey(part, 0)
	}
	body, ok := got[key]
	if !ok {
		return errNoSkeleton
	}
	if l.cut {
		// End at a line break: no half base64 quantum, QP escape or character.
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
		b.Write(withMarker(hdr, mailparse.PartialHeader, l.size))
	} else {
		b.Write(headerBlock(hdr))
	}
	b.Write(body)
	return nil
}

// incomplete: some part below the part key is left out or cut.
func (s *skeleton) incomplete(key string) bool {
	for k, l := range s.leaves {
		if strings.HasPrefix(k, key+".") && (!l.keep || l.cut) {
			return true
		}
	}
	return false
}

// headerBlock returns a header ending in its empty line.
func headerBlock(h []byte) []byte {
	switch {
	case len(bytes.TrimRight(h, "\r\n")) == 0:
		return []byte("\r\n")
	case bytes.HasSuffix(h, []byte("\n\n")) || bytes.HasSuffix(h, []byte("\r\n\r\n")):
		return h
	case bytes.HasSuffix(h, []byte("\n")):
		return append(slices.Clip(h), "\r\n"...)
	}
	return append(slices.Clip(h), "\r\n\r\n"...)
}

// withMarker adds the field name: size to header h.
func withMarker(h []byte, name string, size int64) []byte {
	h = bytes.TrimRight(headerBlock(h), "\r\n")
	out := make([]byte, 0, len(h)+len(name)+32)
	if len(h) > 0 {
		out = append(append(out, h...), "\r\n"...)
	}
	return fmt.Appendf(out, "%s: %d\r\n\r\n", name, size)
}

// ErrOnlineOnly: the attachment is not stored offline (Policy.MaxAttachmentBytes)
// and the server cannot be reached.
var ErrOnlineOnly = errors.New("this attachment is not stored offline; connect to the network to download it")

// FetchPart downloads one part (an attachment's IMAP part path) of message
// id from the server and returns it decoded, for attachments left out of
// the stored message (Attachment.Offline false). Nothing is cached. When
// the server cannot be reached, the error is ErrOnlineOnly.
func (c *Cache) FetchPart(ctx context.Context, a Account, id int64, part string) (AttachmentFile, error) {
	var folder string
	var uid int64
	if err := c.db.QueryRowContext(ctx, `SELECT f.name, m.uid FROM messages m JOIN folders f ON f.id=m.folder_id WHERE m.id=?`, id).Scan(&folder, &uid); err != nil {
		return AttachmentFile{}, ErrNotFound
	}
	if uid == 0 { // moved offline, not yet replayed: the server has no UID for it yet
		return AttachmentFile{}, fmt.Errorf("%w (the message was moved and is not on the server under its new place yet: sync first)", ErrOnlineOnly)
	}
	path, err := parsePart(part)
	if err != nil {
		return AttachmentFile{}, err
	}
	var size int64
	c.db.QueryRowContext(ctx, `SELECT size FROM attachments WHERE message=? AND part=?`, id, part).Scan(&size)
	if size > MaxAttachmentFile { // not into memory: AttachmentContent would refuse it anyway
		return AttachmentFile{}, fmt.Errorf("attachment %s is larger than %d MB; open the message in the web mail to save it", part, MaxAttachmentFile>>20)
	}
	cl, done, err := c.onDemandConn(ctx, a)
	if err != nil {
		if errors.Is(err, ErrOffline) {
			return AttachmentFile{}, fmt.Errorf("%w (%v)", ErrOnlineOnly, err)
		}
		return AttachmentFile{}, err
	}
	defer done()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()
	if _, err := cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return AttachmentFile{}, fetchPartErr(err)
	}
	// The part's MIME header says how to decode it (for part 1 of a
	// single-part message the server sends the message's header).
	got, err := fetchSections(cl, imap.UID(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{
		{Part: path, Specifier: imap.PartSpecifierMIME, Peek: true}, {Part: path, Peek: true}}})
	if err != nil {
		return AttachmentFile{}, fetchPartErr(err)
	}
	body, ok := got[sectionKey(path, "")]
	if !ok {
		return AttachmentFile{}, fmt.Errorf("attachment %s: the server no longer has it (the message may have been deleted or moved; sync and try again)", part)
	}
	one := append(headerBlock(got[sectionKey(path, imap.PartSpecifierMIME)]), body...)
	f, err := AttachmentContent(one, "1")
	if err == nil && f.Name == "" { // e.g. an attached message: the name it is listed under
		c.db.QueryRowContext(ctx, `SELECT name FROM attachments WHERE message=? AND part=?`, id, part).Scan(&f.Name)
	}
	return f, err
}

func fetchPartErr(err error) error {
	if isConnErr(err) {
		return fmt.Errorf("%w (%v)", ErrOnlineOnly, err)
	}
	return err
}

func parsePart(part string) ([]int, error) {
	var path []int
	for _, seg := range strings.Split(part, ".") {
		n, err := strconv.Atoi(seg)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("attachment: bad part %q", part)
		}
		path = append(path, n)
	}
	return path, nil
}
