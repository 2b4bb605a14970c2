package mailcache

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/deskport/deskport/internal/mailparse"
	"github.com/deskport/deskport/internal/testpeer"
)

func TestParseAddressesAsOfficesWriteThem(t *testing.T) {
	for in, want := range map[string]string{
		"Müller, Jürgen <j.mueller@amt.example>":                         "Müller, Jürgen|j.mueller@amt.example",
		"Müller, Jürgen <j@amt.example>, Bob <b@x.example>, c@x.example": "Müller, Jürgen|j@amt.example Bob|b@x.example |c@x.example",
		`"Dr. Weiß, Anna" <a@amt.example>`:                               "Dr. Weiß, Anna|a@amt.example",
		"Amt 42, Referat 3, Poststelle <post@amt.example>":               "Amt 42, Referat 3, Poststelle|post@amt.example",
	} {
		list, err := ParseAddresses(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		var got []string
		for _, a := range list {
			got = append(got, a.Name+"|"+a.Address)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: got %q, want %q", in, strings.Join(got, " "), want)
		}
	}
	for in, names := range map[string]string{
		"Müller, j@amt.example": `"Müller"`, // a name without its address
		"Müller":                `"Müller"`,
		"a@x.example, Bob":      `"Bob"`,
	} {
		if _, err := ParseAddresses(in); err == nil || !strings.Contains(err.Error(), names) || !strings.Contains(err.Error(), "name <address>") {
			t.Errorf("%q: error %v should name %s and say how to write it", in, err, names)
		}
	}
}

func addrs(s string) []mailparse.Address { return listedAddresses(s) }

func TestRespondAddresses(t *testing.T) {
	o := original{
		subject: "AW: WG: Antrag 42", messageID: "m3@amt.example", references: []string{"m1@amt.example", "m2@amt.example"},
		from: addrs("Müller, Jürgen <j.mueller@amt.example>"),
		to:   addrs("Alice <alice@amt.example>, Poststelle <post@amt.example>"),
		cc:   addrs("ALICE@amt.example, Weiß, Anna <anna@amt.example>, j.mueller@amt.example"),
		text: "Guten Tag",
	}
	const self = "Alice Admin <alice@amt.example>"
	for _, tc := range []struct {
		name, kind, to, cc string
		mod                func(*original)
	}{
		{"reply goes to the sender", Reply, `"Müller, Jürgen" <j.mueller@amt.example>`, "", nil},
		{"reply-all: everyone but me, each once", ReplyAll,
			`"Müller, Jürgen" <j.mueller@amt.example>, Poststelle <post@amt.example>`, `"Weiß, Anna" <anna@amt.example>`, nil},
		{"Reply-To wins over From", Reply, "Referat 3 <ref3@amt.example>", "",
			func(o *original) { o.replyTo = addrs("Referat 3 <ref3@amt.example>") }},
		{"my own message: to its recipients", Reply, "Alice <alice@amt.example>, Poststelle <post@amt.example>", "",
			func(o *original) { o.from = addrs(self) }},
		{"forward: to no one", Forward, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oo := o
			if tc.mod != nil {
				tc.mod(&oo)
			}
			r := oo.respond(tc.kind, self)
			if r.To != tc.to || r.Cc != tc.cc {
				t.Fatalf("to %q cc %q, want %q / %q", r.To, r.Cc, tc.to, tc.cc)
			}
			if r.Subject != "Antrag 42" || r.Text != "Guten Tag" {
				t.Errorf("subject %q text %q", r.Subject, r.Text)
			}
			if tc.kind == Forward {
				if r.InReplyTo != "" || len(r.References) != 0 {
					t.Errorf("a forward is not part of the thread: %+v", r)
				}
				return
			}
			if r.InReplyTo != "m3@amt.example" || strings.Join(r.References, " ") != "m1@amt.example m2@amt.example m3@amt.example" {
				t.Errorf("threading: %q %q", r.InReplyTo, r.References)
			}
			// What the view puts in the draft, Compose takes back unchanged.
			for _, l := range []string{r.To, r.Cc} {
				if l == "" {
					continue
				}
				list, err := ParseAddresses(l)
				if err != nil || formatAddresses(fromMail(list)) != l {
					t.Errorf("%q does not round-trip: %v", l, err)
				}
			}
		})
	}
}

func TestStripPrefixes(t *testing.T) {
	for in, want := range map[string]string{"Re: AW: WG: Antrag": "Antrag", "FWD:re:  x": "x", "Termin: Montag": "Termin: Montag",
		"Antrag": "Antrag", "AW:": "", "Re : x": "Re : x"} {
		if got := stripPrefixes(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// A reply made from a cached message reaches the server's SMTP with the
// sender's comma name intact and the thread's references; a reply to a
// message whose body is not cached still gets its addresses right.
func TestReplyThroughTheOutbox(t *testing.T) {
	d := testpeer.StartDovecot(t)
	s := testpeer.StartSMTPSink(t)
	d.Append("INBOX", []byte("From: =?utf-8?q?M=C3=BCller=2C_J=C3=BCrgen?= <j.mueller@amt.example>\r\n"+
		"Reply-To: Referat 3 <ref3@amt.example>\r\nTo: alice@example.org\r\nCc: \"Weiß, Anna\" <anna@amt.example>\r\n"+
		"Subject: AW: Antrag 42\r\nMessage-ID: <m2@amt.example>\r\nReferences: <m1@amt.example>\r\n"+
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnbei der Bescheid.\r\n"+
		"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=bescheid.pdf\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n"))
	a := account(d, s)
	ctx := context.Background()
	c := openCache(t, t.TempDir(), Policy{BodyDays: -1})
	mustSync(t, c, a)
	hits := find(t, c, "subject:Antrag")
	if len(hits) != 1 {
		t.Fatalf("%d hits", len(hits))
	}
	for _, withBody := range []bool{true, false} {
		raw, err := c.Raw(ctx, hits[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !withBody {
			raw = nil // as for a body not cached while offline: the cached headers
		}
		r, err := c.Respond(ctx, hits[0].ID, raw, ReplyAll, "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		wantTo := `Referat 3 <ref3@amt.example>` // Reply-To stands for the sender, as in Thunderbird
		if raw == nil {                          // Reply-To is not among the cached headers
			wantTo = `"Müller, Jürgen" <j.mueller@amt.example>`
			if !r.Partial {
				t.Error("a response from headers only is not marked partial")
			}
		}
		if r.To != wantTo || r.Cc != `"Weiß, Anna" <anna@amt.example>` || r.Subject != "Antrag 42" {
			t.Fatalf("body %v: %+v", withBody, r)
		}
		out, err := Compose(Draft{From: "alice@example.org", To: r.To, Cc: r.Cc, Subject: "AW: " + r.Subject, Text: "Danke",
			InReplyTo: r.InReplyTo, References: r.References})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Enqueue(ctx, out); err != nil {
			t.Fatal(err)
		}
		if sm, err := c.Summary(ctx, hits[0].ID); err != nil || !sm.Answered {
			t.Fatalf("the answered message is not marked answered at once: %+v %v", sm, err)
		}
		mustSync(t, c, a)
		if f := d.Messages("INBOX")[0].Flags; !slices.Contains(f, imap.FlagAnswered) {
			t.Fatalf("server flags after the sync: %v", f)
		}
		got := s.Received()
		m := string(got[len(got)-1])
		rcpt := "X-Sink-Rcpt-To: j.mueller@amt.example, anna@amt.example"
		if raw != nil {
			rcpt = "X-Sink-Rcpt-To: ref3@amt.example, anna@amt.example"
		}
		refs := "References: <m1@amt.example> <m2@amt.example>"
		if raw == nil {
			refs = "References: <m2@amt.example>\r\n" // the cache keeps no References header
		}
		for _, want := range []string{rcpt, "In-Reply-To: <m2@amt.example>", refs} {
			if !strings.Contains(m, want) {
				t.Errorf("body %v: delivered reply lacks %q:\n%s", withBody, want, m)
			}
		}
		f, err := c.Respond(ctx, hits[0].ID, raw, Forward, "alice@example.org")
		if err != nil || len(f.Attachments) != 1 || f.Attachments[0].Name != "bescheid.pdf" || f.To != "" {
			t.Fatalf("forward: %+v %v", f, err)
		}
	}
}
