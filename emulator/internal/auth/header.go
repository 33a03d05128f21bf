// Parses the SDK-HMAC-SHA256 Authorization header, refusing every form that no official
// signer produces.

package auth

import (
	"errors"
	"strings"
)

// Algorithm is the only signing algorithm DCS clients use.
const Algorithm = "SDK-HMAC-SHA256"

// Authorization is the parsed Authorization header.
type Authorization struct {
	AccessKey     string
	SignedHeaders []string // lower-case, sorted, distinct
	Signature     string   // 64 lower-case hex digits
}

// ParseAuthorization parses
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
// It accepts any whitespace after the commas but requires all three parts, and it
// refuses what no official signer produces: SignedHeaders that are not lower-case, not
// sorted or repeated, and a signature that is not 64 lower-case hex digits.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != Algorithm {
		return a, errors.New("the Authorization header does not use the SDK-HMAC-SHA256 algorithm")
	}
	var rawSigned string
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errors.New("the Authorization header is malformed")
		}
		switch k {
		case "Access":
			a.AccessKey = v
		case "SignedHeaders":
			rawSigned = v
		case "Signature":
			a.Signature = v
		default:
			return a, errors.New("the Authorization header has an unknown field " + k)
		}
	}
	for _, h := range strings.Split(rawSigned, ";") {
		if h != "" {
			a.SignedHeaders = append(a.SignedHeaders, h)
		}
	}
	if a.AccessKey == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return a, errors.New("the Authorization header lacks Access, SignedHeaders or Signature")
	}
	for i, h := range a.SignedHeaders {
		if h != strings.ToLower(h) {
			return a, errors.New("SignedHeaders must be lower-case: " + h)
		}
		if i > 0 && h == a.SignedHeaders[i-1] {
			return a, errors.New("SignedHeaders names " + h + " twice")
		}
		if i > 0 && h < a.SignedHeaders[i-1] {
			return a, errors.New("SignedHeaders must be sorted: " + h + " after " + a.SignedHeaders[i-1])
		}
	}
	if !isLowerHex64(a.Signature) {
		return a, errors.New("the Signature must be 64 lower-case hex digits")
	}
	return a, nil
}

func isLowerHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
