package mailparse

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// validUTF8 is utf8.Valid made for German mail text: utf8.Valid checks
// eight bytes at a time only until the first non-ASCII byte and then goes
// byte by byte to the end, which made it 5 % of a first sync's CPU time.
// This goes back to eight at a time after each non-ASCII letter, and takes
// the two-byte letters (ä ö ü ß …) without decoding them.
func validUTF8(p []byte) bool {
	const high = 0x8080808080808080
	i, n := 0, len(p)
	for i < n {
		for i+8 <= n {
			if w := binary.LittleEndian.Uint64(p[i:]) & high; w != 0 {
				i += bits.TrailingZeros64(w) / 8
				break
			}
			i += 8
		}
		if i >= n {
			return true
		}
		c := p[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xC2 && c <= 0xDF: // two bytes, never overlong or a surrogate
			if i+1 >= n || p[i+1]&0xC0 != 0x80 {
				return false
			}
			i += 2
		default:
			r, size := utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
	return true
}
