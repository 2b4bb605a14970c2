package mailcache

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Search finds messages, newest first. The query language is a small,
// notmuch-like one:
//
//	word "a phrase" pre*          in subject, people or body (all must match)
//	subject:x body:x from:x to:x  in one field (from:/to: with an address match it)
//	date:2024-03..2024-04         date range (YYYY, YYYY-MM or YYYY-MM-DD; either end may be empty)
//	folder:INBOX is:unread is:flagged
//	and, or, not (- before a term negates it)
//
// Umlauts and ß match their spelled-out forms and plain vowels both ways.
func (c *Cache) Search(ctx context.Context, query string, limit int) ([]Summary, error) {
	res, _, err := c.search(ctx, query, limit, false)
	return res, err
}

// SearchTotal is Search that also returns how many messages match in all
// (which, for a phrase found in many messages, means checking each one).
func (c *Cache) SearchTotal(ctx context.Context, query string, limit int) ([]Summary, int, error) {
	return c.search(ctx, query, limit, true)
}

func (c *Cache) search(ctx context.Context, query string, limit int, wantTotal bool) ([]Summary, int, error) {
	q, err := parseQuery(query)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 50
	}
	where, args := q.sql(c.dir)
	// Newest first. For text-only queries, walking the date index and
	// stopping at the limit beats sorting every match; with filters (an
	// address, a date range) SQLite picks their index. Only the page's rows
	// are read in full.
	hint := ""
	if len(q.filters) == q.textFilters {
		hint = " INDEXED BY messages_by_day"
	}
	rows, err := c.db.QueryContext(ctx, `SELECT m.id FROM messages m`+hint+`
		WHERE `+where+` ORDER BY m.date DESC, m.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, searchErr(query, err)
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	res := []Summary{}
	if len(ids) > 0 {
		rows, err = c.db.QueryContext(ctx, `SELECT `+summaryCols+` FROM messages m JOIN folders f ON f.id=m.folder_id
			WHERE m.id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY m.date DESC, m.id DESC`, ids...)
		if err != nil {
			return nil, 0, err
		}
		if res, err = scanSummaries(rows); err != nil {
			return nil, 0, err
		}
	}
	total := len(res)
	if total == limit && wantTotal {
		if total, err = c.count(ctx, q); err != nil {
			return nil, 0, searchErr(query, err)
		}
	}
	return res, total, nil
}

// Count returns how many messages match query.
func (c *Cache) Count(ctx context.Context, query string) (int, error) {
	q, err := parseQuery(query)
	if err != nil {
		return 0, err
	}
	n, err := c.count(ctx, q)
	return n, searchErr(query, err)
}

func (c *Cache) count(ctx context.Context, q *query) (int, error) {
	var n int
	if len(q.filters) == 0 && len(q.fts) > 0 {
		// every indexed row is a message: count in the index alone
		err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM fts WHERE fts MATCH ?`, strings.Join(q.fts, " ")).Scan(&n)
		return n, err
	}
	where, args := q.sql(c.dir)
	err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM messages m WHERE `+where, args...).Scan(&n)
	return n, err
}

func searchErr(query string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("search %q: %v (put words with special characters in double quotes)", query, err)
}

type query struct {
	fts     []string // FTS5 expressions, ANDed
	filters []string
	args    []any
	// textFilters counts the filters that are text terms (the phrase
	// check): like FTS-only queries they walk the date index newest first
	// and stop at the limit, instead of checking every candidate.
	textFilters int
}

// cacheDir stands in a query's arguments for the cache's folder (the
// phrase check reads message bodies from it); sql fills it in.
type cacheDir struct{}

func (q *query) sql(dir string) (string, []any) {
	conds := append([]string{}, q.filters...)
	args := append([]any{}, q.args...)
	for i, a := range args {
		if _, ok := a.(cacheDir); ok {
			args[i] = dir
		}
	}
	if len(q.fts) > 0 {
		conds = append([]string{`m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)`}, conds...)
		args = append([]any{strings.Join(q.fts, " ")}, args...)
	}
	if len(conds) == 0 {
		return "1", args
	}
	return strings.Join(conds, " AND "), args
}

// tokenize splits on spaces, keeping "quoted phrases" (and field:"phrases") together.
func tokenize(s string) []string {
	var out []string
	var cur strings.Builder
	inQ := false
	for _, r := range s {
		switch {
		case r == '"':
			inQ = !inQ
			cur.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !inQ:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// ftsTerm makes a safe FTS5 term: a quoted phrase, with a prefix star kept,
// OR its spelled-out German form.
func ftsTerm(col, word string) string {
	prefix := strings.HasSuffix(word, "*")
	word = strings.Trim(strings.TrimSuffix(word, "*"), `"`)
	one := func(w string) string {
		t := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		return t
	}
	t := one(word)
	if hasGerman(word) {
		t = "(" + t + " OR " + one(germanFold.Replace(word)) + ")"
	}
	if col != "" {
		t = col + " : " + t
	}
	return t
}

func parseQuery(s string) (*query, error) {
	q := &query{}
	var terms []qterm
	pendingOp := ""
	addFTS := func(t qterm, neg bool) {
		t.neg, t.or = neg, pendingOp == "OR" && len(terms) > 0
		terms = append(terms, t)
		pendingOp = ""
	}
	neg := false
	for _, tok := range tokenize(s) {
		switch strings.ToUpper(tok) {
		case "AND":
			continue
		case "OR":
			pendingOp = "OR"
			continue
		case "NOT":
			neg = true
			continue
		}
		if strings.HasPrefix(tok, "-") && len(tok) > 1 {
			neg, tok = true, tok[1:]
		}
		field, val, hasField := strings.Cut(tok, ":")
		if !hasField || strings.Contains(field, `"`) {
			field, val = "", tok
		}
		val = strings.Trim(val, `"`)
		if val == "" {
			return nil, fmt.Errorf("search: %q has nothing after the colon", tok)
		}
		cond, arg := "", any(nil)
		switch strings.ToLower(field) {
		case "":
			addFTS(textTerm("", val), neg)
		case "subject":
			addFTS(textTerm("subject", val), neg)
		case "body":
			addFTS(textTerm("body", val), neg)
		case "from", "to":
			col := map[string]string{"from": "m.from_addr", "to": "(m.to_addr || ' ' || m.cc_addr)"}[strings.ToLower(field)]
			if strings.ToLower(field) == "from" && isAddress(val) {
				cond, arg = `m.from_email = ?`, strings.ToLower(val)
			} else if strings.Contains(val, "@") {
				// the index narrows it down (the address's words among
				// the people), LIKE makes it exact
				if !neg {
					t, _ := wordsTerm("people", val)
					addFTS(t, false)
				}
				cond, arg = col+` LIKE ? ESCAPE '\'`, "%"+likeEscape(val)+"%"
			} else {
				addFTS(textTerm("people", val), neg)
			}
		case "date":
			from, to, err := dateRange(val)
			if err != nil {
				return nil, err
			}
			cond = fmt.Sprintf("m.date >= %d AND m.date < %d", from, to)
		case "folder":
			cond, arg = `m.folder_id = (SELECT id FROM folders WHERE name=?)`, val
		case "is", "tag":
			switch strings.ToLower(val) {
			case "unread":
				cond = "m.seen=0"
			case "read":
				cond = "m.seen=1"
			case "flagged":
				cond = "m.flagged=1"
			case "attachment":
				cond = "m.has_attachments=1"
			default:
				return nil, fmt.Errorf("search: unknown %s:%s (use is:unread, is:read, is:flagged or is:attachment)", field, val)
			}
		default:
			addFTS(textTerm("", tok), neg) // "a:b" that is no field: search it as text
		}
		if cond != "" {
			if neg {
				cond = "NOT (" + cond + ")"
			}
			q.filters = append(q.filters, cond)
			if arg != nil {
				q.args = append(q.args, arg)
			}
		}
		neg = false
	}
	q.addTerms(terms)
	return q, nil
}

// qterm is one text term of a query.
type qterm struct {
	fts     string // FTS5 expression; for a phrase, all its words (candidates)
	neg, or bool   // preceded by NOT / by OR
	phrase  string // set when the words must also stand together (checked per message)
	cols    int
}

// textTerm is a term for one column ("subject", "people", "body") or, with
// col "", for all three. The index holds no word positions (detail=column;
// the body is a set of words anyway), so a term of several words matches by
// all its words in the index and is then checked as a phrase in the
// message.
func textTerm(col, val string) qterm {
	t, n := wordsTerm(col, val)
	if n < 2 {
		return t
	}
	t.phrase = strings.Trim(strings.TrimSuffix(val, "*"), `"`)
	if strings.HasSuffix(val, "*") {
		t.phrase += "*"
	}
	switch col {
	case "":
		t.cols = colAny
	case "subject":
		t.cols = colSubject
	case "people":
		t.cols = colPeople
	case "body":
		t.cols = colBody
	}
	return t
}

// wordsTerm matches the messages that have every word of val in column col
// (all columns for ""), wherever they stand; n is how many words that is.
func wordsTerm(col, val string) (t qterm, n int) {
	words := splitWords(strings.Trim(strings.TrimSuffix(val, "*"), `"`))
	if len(words) < 2 {
		return qterm{fts: ftsTerm(col, val)}, len(words)
	}
	parts := make([]string, len(words))
	for i, w := range words {
		if i == len(words)-1 && strings.HasSuffix(val, "*") {
			w += "*"
		}
		parts[i] = ftsTerm("", w)
	}
	t = qterm{fts: "(" + strings.Join(parts, " AND ") + ")"}
	if col != "" {
		t.fts = col + " : " + t.fts
	}
	return t, len(words)
}

// addTerms turns the text terms into the query: one FTS expression when
// the index can decide alone (the fast path), else SQL over the index with
// the phrase check (AND binds closer than OR, as in FTS5).
func (q *query) addTerms(terms []qterm) {
	verify := false
	for _, t := range terms {
		verify = verify || t.phrase != ""
	}
	if !verify {
		var expr []string
		for _, t := range terms {
			switch {
			case t.neg && len(expr) == 0:
				// FTS5 cannot start with NOT; as a filter instead
				q.filters = append(q.filters, `m.id NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)`)
				q.args = append(q.args, t.fts)
				q.textFilters++
			case t.neg:
				expr = append(expr, "NOT", t.fts)
			case len(expr) > 0 && t.or:
				expr = append(expr, "OR", t.fts)
			case len(expr) > 0:
				expr = append(expr, "AND", t.fts)
			default:
				expr = append(expr, t.fts)
			}
		}
		if len(expr) > 0 {
			q.fts = []string{strings.Join(expr, " ")}
		}
		return
	}
	var groups []string
	var conds []string
	var pos []string // positive FTS terms of the group
	var gargs [][]any
	var cargs []any
	end := func() {
		if len(conds) == 0 && len(pos) == 0 {
			return
		}
		var a []any
		c := conds
		if len(pos) > 0 {
			c = append([]string{`m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)`}, c...)
			a = append(a, strings.Join(pos, " AND "))
		}
		groups = append(groups, "("+strings.Join(c, " AND ")+")")
		gargs = append(gargs, append(a, cargs...))
		conds, pos, cargs = nil, nil, nil
	}
	for _, t := range terms {
		if t.or {
			end()
		}
		check := ""
		if t.phrase != "" {
			check = phraseFunc + `(?, ?, ?, m.subject, m.from_addr || ' ' || m.to_addr || ' ' || m.cc_addr, m.body_pack, m.body_off, m.body_len, m.body_crc)`
		}
		switch {
		case !t.neg:
			pos = append(pos, t.fts)
			if check != "" {
				conds = append(conds, check)
				cargs = append(cargs, cacheDir{}, t.phrase, t.cols)
			}
		case check == "":
			conds = append(conds, `m.id NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)`)
			cargs = append(cargs, t.fts)
		default:
			conds = append(conds, `NOT (m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND `+check+`)`)
			cargs = append(cargs, t.fts, cacheDir{}, t.phrase, t.cols)
		}
	}
	end()
	if len(groups) == 0 {
		return
	}
	q.filters = append(q.filters, "("+strings.Join(groups, " OR ")+")")
	q.textFilters++
	for _, a := range gargs {
		q.args = append(q.args, a...)
	}
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// dateRange parses A..B (or a single date) into [from, to) Unix seconds in local time.
func dateRange(v string) (int64, int64, error) {
	a, b, isRange := strings.Cut(v, "..")
	if !isRange {
		b = a
	}
	lo, hi := int64(0), int64(1<<62)
	if a != "" {
		t, _, err := parseDay(a)
		if err != nil {
			return 0, 0, err
		}
		lo = t.Unix()
	}
	if b != "" {
		t, span, err := parseDay(b)
		if err != nil {
			return 0, 0, err
		}
		hi = t.AddDate(span[0], span[1], span[2]).Unix()
	}
	return lo, hi, nil
}

func parseDay(s string) (time.Time, [3]int, error) {
	for _, f := range []struct {
		layout string
		span   [3]int
	}{{"2006-01-02", [3]int{0, 0, 1}}, {"2006-01", [3]int{0, 1, 0}}, {"2006", [3]int{1, 0, 0}}} {
		if t, err := time.ParseInLocation(f.layout, s, time.Local); err == nil {
			return t, f.span, nil
		}
	}
	return time.Time{}, [3]int{}, fmt.Errorf("search: %q is not a date (use YYYY, YYYY-MM or YYYY-MM-DD, ranges as 2024-03..2024-04)", s)
}

// isAddress: a whole address (local@domain), matched exactly and by index.
func isAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " *%")
}
