package remoteimg

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// fakeDNS is a real DNS server on loopback UDP. answer decides, for the
// n-th query (from 1) of a type for a name, what to answer; the resolver it
// gives is the one both the check and the dial use, as the system's would be.
type fakeDNS struct {
	answer func(name string, aaaa bool, n int) []netip.Addr

	mu    sync.Mutex
	count map[string]int
}

func startDNS(t *testing.T, answer func(name string, aaaa bool, n int) []netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	d := &fakeDNS{answer: answer, count: map[string]int{}}
	go d.serve(pc)
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var nd net.Dialer
		return nd.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

func (d *fakeDNS) serve(pc net.PacketConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		var req dnsmessage.Message
		if req.Unpack(buf[:n]) != nil || len(req.Questions) != 1 {
			continue
		}
		q := req.Questions[0]
		name := strings.TrimSuffix(strings.ToLower(q.Name.String()), ".")
		aaaa := q.Type == dnsmessage.TypeAAAA
		d.mu.Lock()
		key := name + "/" + q.Type.String()
		d.count[key]++
		nth := d.count[key]
		d.mu.Unlock()
		resp := dnsmessage.Message{
			Header:    dnsmessage.Header{ID: req.ID, Response: true, Authoritative: true, RecursionAvailable: true},
			Questions: req.Questions,
		}
		addrs := d.answer(name, aaaa, nth)
		if addrs == nil {
			resp.Header.RCode = dnsmessage.RCodeNameError
		}
		for _, a := range addrs {
			h := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 0}
			switch {
			case q.Type == dnsmessage.TypeA && a.Is4():
				h.Type = dnsmessage.TypeA
				resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AResource{A: a.As4()}})
			case q.Type == dnsmessage.TypeAAAA && a.Is6():
				h.Type = dnsmessage.TypeAAAA
				resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AAAAResource{AAAA: a.As16()}})
			}
		}
		out, err := resp.Pack()
		if err == nil {
			pc.WriteTo(out, from)
		}
	}
}
