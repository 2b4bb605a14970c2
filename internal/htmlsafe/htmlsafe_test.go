package htmlsafe

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

const pngData = "data:image/png;base64,iVBORw0KGgo="

// Vectors in the style of the OWASP XSS filter evasion cheat sheet. Each must
// come out without anything that could run or load.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`<IMG SRC=javascript:alert('XSS')>`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	"<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
	`<a onmouseover="alert(document.cookie)">xxs link</a>`,
	`<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>`,
	`<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
	`<IMG SRC=# onmouseover="alert('xxs')">`,
	`<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
	`<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
	`<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
	`<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
	`<IMG SRC="jav	ascript:alert('XSS');">`,
	`<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
	`<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
	`<IMG SRC=" &#14;  javascript:alert('XSS');">`,
	`<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>`,
	`<BODY onload!#$%&()*~+-_.,:;?@[/|\]^` + "`" + `=alert("XSS")>`,
	`<<SCRIPT>alert("XSS");//\<</SCRIPT>`,
	`<SCRIPT SRC=http://xss.example/xss.js?< B >`,
	`<IMG SRC="` + "`" + `<javascript:alert>` + "`" + `('XSS')"`,
	`<iframe src=http://xss.example/scriptlet.html <`,
	`</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
	`<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
	`<BODY BACKGROUND="javascript:alert('XSS')">`,
	`<IMG DYNSRC="javascript:alert('XSS')">`,
	`<IMG LOWSRC="javascript:alert('XSS')">`,
	`<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
	`<svg/onload=alert('XSS')>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<BODY ONLOAD=alert('XSS')>`,
	`<BGSOUND SRC="javascript:alert('XSS');">`,
	`<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
	`<STYLE>@import'http://xss.example/xss.css';</STYLE>`,
	`<META HTTP-EQUIV="Link" Content="<http://xss.example/xss.css>; REL=stylesheet">`,
	`<STYLE>BODY{-moz-binding:url("http://xss.example/xssmoz.xml#xss")}</STYLE>`,
	`<STYLE>@im\port'\ja\vasc\ript:alert("XSS")';</STYLE>`,
	`<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`,
	`<STYLE TYPE="text/javascript">alert('XSS');</STYLE>`,
	`<STYLE>.XSS{background-image:url("javascript:alert('XSS')");}</STYLE><A CLASS=XSS></A>`,
	`<STYLE type="text/css">BODY{background:url("javascript:alert('XSS')")}</STYLE>`,
	`<XSS STYLE="behavior: url(xss.htc);">`,
	`<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
	`<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`,
	`<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
	`<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`,
	`<TABLE BACKGROUND="javascript:alert('XSS')">`,
	`<TABLE><TD BACKGROUND="javascript:alert('XSS')">`,
	`<DIV STYLE="background-image: url(javascript:alert('XSS'))">`,
	`<DIV STYLE="background-image:\0075\0072\006C\0028'\006a\0061\0076\0061\0073\0063\0072\0069\0070\0074\003a\0061\006c\0065\0072\0074\0028.1027\0058.1053\0053\0027\0029'\0029">`,
	`<DIV STYLE="width: expression(alert('XSS'));">`,
	`<BASE HREF="javascript:alert('XSS');//">`,
	`<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>`,
	`<EMBED SRC="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" AllowScriptAccess="always"></EMBED>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="  JAVASCRIPT:alert(1)">x</a>`,
	`<a href="java&#x0D;script:alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button><input type=submit></form>`,
	`<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<template><script>alert(1)</script></template>`,
	`<details open ontoggle=alert(1)>`,
	`<video><source onerror="alert(1)">`,
	`<img src="x" srcset="javascript:alert(1) 1x">`,
	`<a href="#" style="position:fixed;top:0;left:0;width:100%;height:100%" onclick=alert(1)>x</a>`,
	`<p style="background:url(&quot;javascript:alert(1)&quot;)">x</p>`,
	`<div style="background-image: image-set('javascript:alert(1)' 1x)">x</div>`,
	`<object data="javascript:alert(1)">`,
	`<isindex action="javascript:alert(1)" type=image>`,
	`<x onclick=alert(1)>click</x>`,
	`<a href="javas&#99;ript:alert(1)">x</a>`,
	`<img src="&#x6A;avascript:alert(1)">`,
}

var forbidden = []string{"<script", "javascript:", "vbscript:", "onerror", "onload", "onmouseover",
	"onclick", "ontoggle", "<iframe", "<frame", "<object", "<embed", "<form", "<input", "<button",
	"<meta", "<base", "<link", "<svg", "<math", "expression", "behavior", "-moz-binding",
	"@import", "data:text", "<style type", "formaction", "srcset", "dynsrc", "lowsrc", "xss.example"}

func TestXSSVectors(t *testing.T) {
	for _, v := range xssVectors {
		for _, allow := range []bool{false, true} {
			out, _ := Sanitize(v, Policy{AllowRemote: allow})
			l := strings.ToLower(out)
			for _, f := range forbidden {
				if strings.Contains(l, f) {
					t.Errorf("allowRemote=%v\n in: %s\nout: %s\ncontains %q", allow, v, out, f)
				}
			}
			again, _ := Sanitize(out, Policy{AllowRemote: allow})
			if again != out {
				t.Errorf("not stable under re-sanitizing (mutation XSS risk)\n in: %s\n 1st: %s\n 2nd: %s", v, out, again)
			}
		}
	}
}

func TestKeepsOrdinaryMail(t *testing.T) {
	in := `<html><head><style>p.x { color: #333; font-family: Arial }</style></head>
<body bgcolor="#fff"><table width="600" cellpadding="4"><tr><td align="left" style="color: red; font-weight: bold">
<p class="x">Sehr geehrte <b>Frau</b> M&uuml;ller,</p><a href="https://amt.example/a?b=1&amp;c=2">Link</a>
<a href="mailto:poststelle@amt.example">Mail</a> <a href="#top">oben</a><br><ul type="square"><li>eins</li></ul>
</td></tr></table><o:p>Word</o:p><font color="blue" face="Arial">f</font></body></html>`
	out, blocked := Sanitize(in, Policy{})
	for _, want := range []string{
		`<style>p.x { color: #333; font-family: Arial }</style>`,
		`<table width="600" cellpadding="4">`,
		`<td align="left" style="color: red; font-weight: bold">`,
		`<p class="x">Sehr geehrte <b>Frau</b> Müller,</p>`,
		`<a href="/__deskport/open?u=https%3A%2F%2Famt.example%2Fa%3Fb%3D1%26c%3D2" title="https://amt.example/a?b=1&amp;c=2">Link</a>`,
		`<a href="/__deskport/open?u=mailto%3Apoststelle%40amt.example" title="mailto:poststelle@amt.example">Mail</a>`,
		`<a href="#top">oben</a>`,
		`<ul type="square">`, `Word`, `<font color="blue" face="Arial">f</font>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lost %s\nin: %s", want, out)
		}
	}
	if blocked != 0 {
		t.Errorf("blocked %d", blocked)
	}
}

func TestRemoteContent(t *testing.T) {
	cases := []struct {
		name, in       string
		blocked        int
		want, wantNot  string
		allowedWant    string
		allowedBlocked int
	}{
		{"img", `<img src="https://cdn.example/logo.png" alt="Logo" width="200">`, 1,
			`<img data-blocked="remote" alt="Logo" width="200"/>`, "cdn.example",
			`<img src="https://cdn.example/logo.png" alt="Logo" width="200"/>`, 0},
		{"protocol relative", `<img src="//cdn.example/a.png">`, 1, `data-blocked="remote"`, "cdn.example",
			`src="https://cdn.example/a.png"`, 0},
		{"tracking pixel", `<img src="https://t.example/open?id=42" width="1" height="1">`, 0, ``, "<img",
			``, 0},
		{"hidden tracker", `<img src="https://t.example/o.gif" style="display:none">`, 0, ``, "<img", ``, 0},
		{"css background", `<div style="background: url('https://cdn.example/bg.jpg') no-repeat; color: red">x</div>`, 1,
			`<div style="color: red">x</div>`, "cdn.example",
			`<div style="background: url(&#34;https://cdn.example/bg.jpg&#34;) no-repeat; color: red">`, 0},
		{"background attribute", `<table background="http://cdn.example/bg.gif"><tr><td>x</td></tr></table>`, 1, `<table><tbody><tr><td>x</td>`, "cdn.example",
			`background="http://cdn.example/bg.gif"`, 0},
		{"style sheet url", `<style>.a{background:url(http://cdn.example/x.png)}</style><p class=a>x</p>`, 1,
			`<style>.a{background:none}</style>`, "cdn.example",
			`url("http://cdn.example/x.png")`, 0},
		{"font face", `<style>@font-face{font-family:F;src:url(https://fonts.example/f.woff)}</style>`, 1,
			`src:none`, "fonts.example", `https://fonts.example/f.woff`, 0},
		{"data image kept", `<img src="` + pngData + `">`, 0, `<img src="` + pngData + `"/>`, "data-blocked", `<img src="` + pngData + `"/>`, 0},
		{"svg data image dropped", `<img src="data:image/svg+xml,<svg onload=alert(1)>">`, 0, `<img/>`, "svg", `<img/>`, 0},
		{"srcset counted", `<img srcset="https://cdn.example/a.png 2x">`, 1, `<img/>`, "cdn.example", `<img/>`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, blocked := Sanitize(c.in, Policy{})
			if blocked != c.blocked || !strings.Contains(out, c.want) || strings.Contains(out, c.wantNot) {
				t.Errorf("blocked %d (want %d)\nout: %s\nwant: %s\nwithout: %s", blocked, c.blocked, out, c.want, c.wantNot)
			}
			out, blocked = Sanitize(c.in, Policy{AllowRemote: true})
			if blocked != c.allowedBlocked || !strings.Contains(out, c.allowedWant) {
				t.Errorf("allowed: blocked %d\nout: %s\nwant: %s", blocked, out, c.allowedWant)
			}
		})
	}
}

func TestCID(t *testing.T) {
	in := `<img src="cid:logo@x" alt="Logo"><img src="cid:missing"><img src="CID:&lt;evil&gt;">` +
		`<div style="background-image:url(cid:logo@x)">x</div>`
	var asked []string
	out, blocked := Sanitize(in, Policy{CID: func(id string) string {
		asked = append(asked, id)
		switch id {
		case "logo@x":
			return pngData
		case "evil":
			return "javascript:alert(1)"
		}
		return ""
	}})
	want := `<img src="` + pngData + `" alt="Logo"/><img/><img/><div style="background-image: url(&#34;` + pngData + `&#34;)">x</div>`
	if out != want || blocked != 0 {
		t.Errorf("out %s\nwant %s", out, want)
	}
	if strings.Join(asked, ",") != "logo@x,missing,evil,logo@x" {
		t.Errorf("asked %q", asked)
	}
	if out, _ := Sanitize(in, Policy{}); strings.Contains(out, "cid:") {
		t.Errorf("without a resolver cid: must go: %s", out)
	}
}

func TestDeepNestingBounded(t *testing.T) {
	in := strings.Repeat("<div>", 100000) + "deep" + strings.Repeat("</div>", 100000)
	out, _ := Sanitize(in, Policy{})
	if strings.Count(out, "<div>") > maxDepth+1 {
		t.Errorf("%d divs kept", strings.Count(out, "<div>"))
	}
}

func TestEmptyAndText(t *testing.T) {
	if out, _ := Sanitize("", Policy{}); out != "" {
		t.Errorf("%q", out)
	}
	if out, _ := Sanitize("a < b & c", Policy{}); out != "a &lt; b &amp; c" {
		t.Errorf("%q", out)
	}
}

// The fuzz oracle must itself catch what it is meant to catch.
func TestUnsafeNodeOracle(t *testing.T) {
	for _, bad := range []string{`<a href="jav&#x09;ascript:x">`, `<p onclick=x>`, `<svg></svg>`, `<img src="cid:x">`,
		`<p style="width:expression(1)">`, `<style>@import "x"</style>`, `<iframe>`, `<a href="https://x.example">`,
		`<a href="/__deskport/open?u=javascript%3Aalert(1)">`, `<a href="/elsewhere">`, `<a href="#x" target="_blank">`} {
		doc, _ := html.Parse(strings.NewReader(bad))
		if unsafeNode(doc) == "" {
			t.Errorf("oracle missed %s", bad)
		}
	}
	doc, _ := html.Parse(strings.NewReader(`<p>javascript: is only text</p><a href="` + OpenHref("https://x.example") + `">x</a><a href="#top">`))
	if r := unsafeNode(doc); r != "" {
		t.Errorf("oracle objects to safe HTML: %s", r)
	}
}

func TestFetchRemote(t *testing.T) {
	in := `<img src="https://cdn.example/a.png"><img src="http://cdn.example/evil"><div style="background:url(https://cdn.example/a.png)">x</div>`
	var fetched []string
	p := Policy{AllowRemote: true, Fetch: func(u string) string {
		fetched = append(fetched, u)
		if u == "https://cdn.example/a.png" {
			return pngData
		}
		return "data:text/html,<script>alert(1)</script>"
	}}
	out, blocked := Sanitize(in, p)
	want := `<img src="` + pngData + `"/><img data-blocked="remote"/><div style="background: url(&#34;` + pngData + `&#34;)">x</div>`
	if out != want || blocked != 0 {
		t.Errorf("out %s\nwant %s", out, want)
	}
	if len(fetched) != 3 {
		t.Errorf("fetched %q", fetched)
	}
	if out, _ := Sanitize(in, Policy{Fetch: p.Fetch}); strings.Contains(out, "data:image") {
		t.Errorf("fetched without AllowRemote: %s", out)
	}
}

// Large hostile inputs must cost time in proportion to their size (a
// quadratic url() scan once took 28 s on the style sheet below).
func TestLargeInputsLinear(t *testing.T) {
	for name, in := range map[string]string{
		"style sheet": "<style>" + strings.Repeat("a{background:url(http://x.example/a.png)}", 50000) + "</style>",
		"style attr":  `<div style="` + strings.Repeat("background:url(http://x.example/a.png);", 50000) + `">x</div>`,
		"links":       strings.Repeat(`<a href="http://x.example">`, 50000),
		"nesting":     strings.Repeat("<b><p>", 20000) + "x",
		"text":        strings.Repeat("Hallo Welt ", 1000000),
	} {
		start := time.Now()
		out, _ := Sanitize(in, Policy{})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: %v for %d KB", name, d, len(in)/1024)
		}
		if strings.Contains(out, "x.example/a.png") {
			t.Errorf("%s: remote image kept", name)
		}
	}
}
