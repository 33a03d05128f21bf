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
	SignedHeaders []string // lower-case, in the order the client listed them
	Signature     string
}

// ParseAuthorization parses
// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
// It accepts any whitespace after the commas but requires all three parts.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != Algorithm {
		return a, errors.New("the Authorization header does not use the SDK-HMAC-SHA256 algorithm")
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errors.New("the Authorization header is malformed")
		}
		switch k {
		case "Access":
			a.AccessKey = v
		case "SignedHeaders":
			for _, h := range strings.Split(v, ";") {
				if h != "" {
					a.SignedHeaders = append(a.SignedHeaders, strings.ToLower(h))
				}
			}
		case "Signature":
			a.Signature = strings.ToLower(v)
		default:
			return a, errors.New("the Authorization header has an unknown field " + k)
		}
	}
	if a.AccessKey == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return a, errors.New("the Authorization header lacks Access, SignedHeaders or Signature")
	}
	return a, nil
}
