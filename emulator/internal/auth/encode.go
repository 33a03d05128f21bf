// Package auth verifies SDK-HMAC-SHA256 signed requests the way the Huawei Cloud API
// gateway does: it rebuilds the canonical request from the raw request as received,
// never from the client's claims about it.
package auth

import (
	"errors"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// isUnreserved reports whether b is in the RFC 3986 unreserved set, the only bytes the
// signer leaves unescaped.
func isUnreserved(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' ||
		b == '-' || b == '.' || b == '_' || b == '~'
}

// Escape percent-encodes every byte outside the unreserved set with upper-case hex,
// as the SDK signers do for path segments, query keys and query values.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0x0f])
	}
	return b.String()
}

var errBadEscape = errors.New("malformed percent-encoding")

// Unescape decodes %XX sequences. Unlike url.QueryUnescape it leaves '+' alone: the
// SDKs encode a space as %20, so a literal '+' on the wire is a plus sign.
func Unescape(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(s) {
			return "", errBadEscape
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", errBadEscape
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
