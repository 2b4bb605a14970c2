package remoteimg

import (
	"net/netip"
)

// specialPurpose is every entry of IANA's IPv4 and IPv6 Special-Purpose
// Address Registries (iana-ipv4-special-registry, iana-ipv6-special-registry,
// as of 2025), plus the blocks outside them that are not unicast on the
// Internet either (multicast, site-local). Entries IANA marks "globally
// reachable" (the anycast services, AS112, AMT, ORCHIDv2, ...) are refused
// too: no mail image is served from them, and a short complete list is
// easier to trust than a long selective one.
//
// Three IPv6 forms carry an IPv4 address inside and are judged by that
// address instead (embeddedIPv4): IPv4-mapped ::ffff:0:0/96, the NAT64
// well-known prefix 64:ff9b::/96 (how IPv6-only networks reach IPv4 sites)
// and 6to4 2002::/16. They are listed here so that the table stays complete;
// Blocked never reaches them.
var specialPurpose = []struct {
	prefix netip.Prefix
	name   string
}{
	// IPv4 Special-Purpose Address Registry.
	{p("0.0.0.0/8"), `"this network" (RFC 791)`},
	{p("0.0.0.0/32"), `"this host on this network" (RFC 1122)`},
	{p("10.0.0.0/8"), "private use (RFC 1918)"},
	{p("100.64.0.0/10"), "shared address space, carrier-grade NAT and cloud metadata such as 100.100.100.200 (RFC 6598)"},
	{p("127.0.0.0/8"), "loopback (RFC 1122)"},
	{p("169.254.0.0/16"), "link local, cloud metadata 169.254.169.254 (RFC 3927)"},
	{p("172.16.0.0/12"), "private use (RFC 1918)"},
	{p("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"},
	{p("192.0.0.0/29"), "IPv4 service continuity prefix, DS-Lite (RFC 7335)"},
	{p("192.0.0.8/32"), "IPv4 dummy address (RFC 7600)"},
	{p("192.0.0.9/32"), "Port Control Protocol anycast (RFC 7723)"},
	{p("192.0.0.10/32"), "TURN anycast (RFC 8155)"},
	{p("192.0.0.170/32"), "NAT64/DNS64 discovery (RFC 7050)"},
	{p("192.0.0.171/32"), "NAT64/DNS64 discovery (RFC 7050)"},
	{p("192.0.2.0/24"), "documentation TEST-NET-1 (RFC 5737)"},
	{p("192.31.196.0/24"), "AS112-v4 (RFC 7535)"},
	{p("192.52.193.0/24"), "AMT (RFC 7450)"},
	{p("192.88.99.0/24"), "deprecated 6to4 relay anycast (RFC 7526)"},
	{p("192.88.99.2/32"), "6a44 relay anycast (RFC 6751)"},
	{p("192.168.0.0/16"), "private use (RFC 1918)"},
	{p("192.175.48.0/24"), "direct delegation AS112 service (RFC 7534)"},
	{p("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{p("198.51.100.0/24"), "documentation TEST-NET-2 (RFC 5737)"},
	{p("203.0.113.0/24"), "documentation TEST-NET-3 (RFC 5737)"},
	{p("240.0.0.0/4"), "reserved (RFC 1112)"},
	{p("255.255.255.255/32"), "limited broadcast (RFC 919)"},
	// Not in that registry, not unicast either.
	{p("224.0.0.0/4"), "multicast (RFC 5771)"},

	// IPv6 Special-Purpose Address Registry.
	{p("::1/128"), "loopback (RFC 4291)"},
	{p("::/128"), "unspecified (RFC 4291)"},
	{p("::ffff:0:0/96"), "IPv4-mapped (RFC 4291): judged by the IPv4 address inside"},
	{p("64:ff9b::/96"), "IPv4-IPv6 translation, NAT64 (RFC 6052): judged by the IPv4 address inside"},
	{p("64:ff9b:1::/48"), "local-use IPv4-IPv6 translation (RFC 8215)"},
	{p("100::/64"), "discard-only (RFC 6666)"},
	{p("100:0:0:1::/64"), "dummy IPv6 prefix (RFC 9780)"},
	{p("2001::/23"), "IETF protocol assignments (RFC 2928)"},
	{p("2001::/32"), "Teredo (RFC 4380)"},
	{p("2001:1::1/128"), "Port Control Protocol anycast (RFC 7723)"},
	{p("2001:1::2/128"), "TURN anycast (RFC 8155)"},
	{p("2001:1::3/128"), "DNS-SD service registration protocol anycast (RFC 9665)"},
	{p("2001:2::/48"), "benchmarking (RFC 5180)"},
	{p("2001:3::/32"), "AMT (RFC 7450)"},
	{p("2001:4:112::/48"), "AS112-v6 (RFC 7535)"},
	{p("2001:10::/28"), "deprecated ORCHID (RFC 4843)"},
	{p("2001:20::/28"), "ORCHIDv2 (RFC 7343)"},
	{p("2001:30::/28"), "drone remote ID entity tags (RFC 9374)"},
	{p("2001:db8::/32"), "documentation (RFC 3849)"},
	{p("2002::/16"), "6to4 (RFC 3056): judged by the IPv4 address inside"},
	{p("2620:4f:8000::/48"), "direct delegation AS112 service (RFC 7534)"},
	{p("3fff::/20"), "documentation (RFC 9637)"},
	{p("5f00::/16"), "segment routing SIDs (RFC 9602)"},
	{p("fc00::/7"), "unique local (RFC 4193)"},
	{p("fe80::/10"), "link-local unicast (RFC 4291)"},
	// Not in that registry, not Internet unicast either.
	{p("::/96"), "deprecated IPv4-compatible (RFC 4291)"},
	{p("fec0::/10"), "deprecated site-local (RFC 3879)"},
	{p("ff00::/8"), "multicast (RFC 4291)"},
}

var (
	ipv4Mapped = p("::ffff:0:0/96")
	nat64      = p("64:ff9b::/96")
	sixToFour  = p("2002::/16")
	// globalUnicast is the only IPv6 block IANA allocates for Internet
	// unicast; everything outside it is reserved or special.
	globalUnicast = p("2000::/3")
)

func p(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// Blocked returns why a remote image may not be loaded from addr (a
// registry entry's name), or "" for a public unicast address.
func Blocked(addr netip.Addr) string {
	if !addr.IsValid() {
		return "not an IP address"
	}
	if addr.Zone() != "" {
		return "an address scoped to a local interface"
	}
	if addr.Is6() {
		if v4, ok := embeddedIPv4(addr); ok {
			if why := Blocked(v4); why != "" {
				return why + ", inside an IPv6 address"
			}
			return ""
		}
	}
	for _, e := range specialPurpose {
		if e.prefix.Contains(addr) {
			return e.name
		}
	}
	if addr.Is6() && !globalUnicast.Contains(addr) {
		return "reserved IPv6 space outside 2000::/3"
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address an IPv4-mapped, NAT64 or 6to4
// address stands for.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case ipv4Mapped.Contains(a), nat64.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// Public reports whether a is a globally routable unicast address that is
// in no special-purpose block.
func Public(a netip.Addr) bool { return Blocked(a) == "" }
