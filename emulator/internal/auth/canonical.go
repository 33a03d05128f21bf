// The canonical request, rebuilt from the raw request line, headers and body as received:
// what the signature is checked against.

package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// EmptyPayloadHash is the SHA-256 of an empty body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// SplitRequestURI returns the raw path and raw query exactly as they appeared on the
// request line. Go's r.URL.Path is already decoded, which would hide encoding
// differences the gateway sees, so the request line is used instead.
func SplitRequestURI(requestURI string) (rawPath, rawQuery string) {
	uri := requestURI
	// Absolute-form request targets ("http://host/path") are legal on the wire.
	if i := strings.Index(uri, "://"); i >= 0 && !strings.HasPrefix(uri, "/") {
		rest := uri[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			uri = rest[j:]
		} else if j := strings.IndexByte(rest, '?'); j >= 0 {
			uri = "/" + rest[j:]
		} else {
			uri = "/"
		}
	}
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri = uri[:i]
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		return uri[:i], uri[i+1:]
	}
	return uri, ""
}

// CanonicalURI decodes the raw path, re-encodes each segment strictly and ends the
// result with '/', which exists only in the canonical form.
func CanonicalURI(rawPath string) (string, error) {
	decoded, err := Unescape(rawPath)
	if err != nil {
		return "", fmt.Errorf("path: %w", err)
	}
	segments := strings.Split(decoded, "/")
	for i, seg := range segments {
		segments[i] = Escape(seg)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	if !strings.HasPrefix(uri, "/") {
		uri = "/" + uri
	}
	return uri, nil
}

// QueryPair is one decoded key=value item of a query string.
type QueryPair struct{ Key, Value string }

// ParseRawQuery decodes a raw query string into pairs in wire order. An item without
// '=' has an empty value, as the signers treat it.
func ParseRawQuery(rawQuery string) ([]QueryPair, error) {
	var pairs []QueryPair
	for _, item := range strings.Split(rawQuery, "&") {
		if item == "" {
			continue
		}
		k, v, _ := strings.Cut(item, "=")
		dk, err := Unescape(k)
		if err != nil {
			return nil, fmt.Errorf("query key %q: %w", k, err)
		}
		dv, err := Unescape(v)
		if err != nil {
			return nil, fmt.Errorf("query value of %q: %w", dk, err)
		}
		pairs = append(pairs, QueryPair{dk, dv})
	}
	return pairs, nil
}

// CanonicalQuery sorts decoded pairs by key then value (byte order) and re-encodes
// them; an empty value keeps its '='.
func CanonicalQuery(pairs []QueryPair) string {
	sorted := append([]QueryPair(nil), pairs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Key != sorted[j].Key {
			return sorted[i].Key < sorted[j].Key
		}
		return sorted[i].Value < sorted[j].Value
	})
	items := make([]string, len(sorted))
	for i, p := range sorted {
		items[i] = Escape(p.Key) + "=" + Escape(p.Value)
	}
	return strings.Join(items, "&")
}

// headerValue returns the value of a signed header as received. Go's server moves
// Host out of the header map into r.Host, so it is read from there.
func headerValue(r *http.Request, name string) (string, bool) {
	if name == "host" {
		return r.Host, r.Host != ""
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		return "", false
	}
	return strings.Join(values, ","), true
}

// PayloadHash is the hash the signer used for the body: the empty hash for no body,
// else the X-Sdk-Content-Sha256 value if present (e.g. UNSIGNED-PAYLOAD), else the
// SHA-256 of the exact bytes received.
func PayloadHash(r *http.Request, body []byte) string {
	if len(body) == 0 {
		return EmptyPayloadHash
	}
	if v := r.Header.Get("X-Sdk-Content-Sha256"); v != "" {
		return v
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest rebuilds the canonical request string of r from the raw request
// line, the named signed headers and the received body.
func CanonicalRequest(r *http.Request, body []byte, signedHeaders []string) (string, error) {
	rawPath, rawQuery := SplitRequestURI(r.RequestURI)
	if rawPath == "" && r.URL != nil {
		// Requests built in-process (tests) have no RequestURI.
		rawPath, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
	}
	uri, err := CanonicalURI(rawPath)
	if err != nil {
		return "", err
	}
	pairs, err := ParseRawQuery(rawQuery)
	if err != nil {
		return "", err
	}
	var headers strings.Builder
	for _, name := range signedHeaders {
		v, ok := headerValue(r, name)
		if !ok {
			return "", fmt.Errorf("signed header %q is not in the request", name)
		}
		headers.WriteString(name)
		headers.WriteByte(':')
		headers.WriteString(strings.TrimSpace(v))
		headers.WriteByte('\n')
	}
	return strings.Join([]string{
		strings.ToUpper(r.Method),
		uri,
		CanonicalQuery(pairs),
		headers.String(),
		strings.Join(signedHeaders, ";"),
		PayloadHash(r, body),
	}, "\n"), nil
}
