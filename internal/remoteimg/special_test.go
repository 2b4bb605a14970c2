package remoteimg

import (
	"net/netip"
	"testing"
)

// The registries as IANA publishes them (iana-ipv4-special-registry-1.csv,
// iana-ipv6-special-registry-1.csv), copied here by hand and independently of
// special.go: the first and last address of every entry must be refused.
var ianaIPv4Special = []string{
	"0.0.0.0/8", "0.0.0.0/32", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32", "192.0.0.10/32",
	"192.0.0.170/32", "192.0.0.171/32", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
	"192.88.99.0/24", "192.88.99.2/32", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
}

var ianaIPv6Special = []string{
	"::1/128", "::/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64",
	"2001::/23", "2001::/32", "2001:1::1/128", "2001:1::2/128", "2001:1::3/128", "2001:2::/48",
	"2001:3::/32", "2001:4:112::/48", "2001:10::/28", "2001:20::/28", "2001:30::/28",
	"2001:db8::/32", "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
	// 64:ff9b::/96 and 2002::/16 are judged by the IPv4 inside: below.
}

// Outside the registries and not Internet unicast either.
var otherNonPublic = []string{"224.0.0.0/4", "ff00::/8", "fec0::/10", "::/96", "4000::/2", "::2/127"}

func last(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			if i*8+bit >= bits {
				b[i] |= 0x80 >> bit
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func TestEveryRegistryEntryIsRefused(t *testing.T) {
	var all []string
	all = append(all, ianaIPv4Special...)
	all = append(all, ianaIPv6Special...)
	all = append(all, otherNonPublic...)
	for _, s := range all {
		p := netip.MustParsePrefix(s)
		for _, a := range []netip.Addr{p.Masked().Addr(), last(p)} {
			if Public(a) {
				t.Errorf("%s (in %s) counted as public", a, s)
			}
			if a.Is4() {
				// The same address in the IPv6 forms that carry an IPv4.
				b := a.As4()
				for _, form := range []netip.Addr{
					netip.AddrFrom16([16]byte{10: 0xff, 11: 0xff, 12: b[0], 13: b[1], 14: b[2], 15: b[3]}),              // ::ffff:a.b.c.d
					netip.AddrFrom16([16]byte{0: 0, 1: 0x64, 2: 0xff, 3: 0x9b, 12: b[0], 13: b[1], 14: b[2], 15: b[3]}), // 64:ff9b::a.b.c.d
					netip.AddrFrom16([16]byte{0: 0x20, 1: 0x02, 2: b[0], 3: b[1], 4: b[2], 5: b[3], 15: 1}),             // 2002:abcd::1
					netip.AddrFrom16([16]byte{12: b[0], 13: b[1], 14: b[2], 15: b[3]}),                                  // ::a.b.c.d
				} {
					if Public(form) {
						t.Errorf("%s (%s inside, from %s) counted as public", form, a, s)
					}
				}
			}
		}
	}
	for _, s := range []string{"100.100.100.200", "169.254.169.254", "fd00:ec2::254", "fe80::1%eth0", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:c0a8:101::1", "2002:a00:1::"} {
		if Public(netip.MustParseAddr(s)) {
			t.Errorf("%s counted as public", s)
		}
	}
}

func TestPublicAddressesPass(t *testing.T) {
	for _, s := range []string{
		"8.8.8.8", "1.1.1.1", "193.99.144.80", "223.255.255.255", "1.0.0.0",
		// Next to the blocks: the edges must be exact.
		"100.63.255.255", "100.128.0.0", "198.17.255.255", "198.20.0.0", "9.255.255.255", "11.0.0.0",
		"172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0", "192.167.255.255", "192.169.0.0",
		"126.255.255.255", "128.0.0.0", "223.255.255.254",
		"2a00:1450:4001:80b::200e", "2606:4700:4700::1111", "2001:200::1", "2001:4860:4860::8888", "3ffe::1", "3fff:1000::",
		// IPv6 forms that carry a public IPv4 (NAT64 networks need them).
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
	} {
		a := netip.MustParseAddr(s)
		if why := Blocked(a); why != "" {
			t.Errorf("%s refused as %s", s, why)
		}
	}
}

// The table in special.go holds every registry entry (so that nothing is
// dropped from it by accident).
func TestTableListsTheRegistries(t *testing.T) {
	listed := map[netip.Prefix]bool{}
	for _, e := range specialPurpose {
		listed[e.prefix] = true
	}
	for _, s := range append(append([]string{"64:ff9b::/96", "2002::/16"}, ianaIPv4Special...), ianaIPv6Special...) {
		if !listed[netip.MustParsePrefix(s)] {
			t.Errorf("%s is missing from specialPurpose", s)
		}
	}
}
