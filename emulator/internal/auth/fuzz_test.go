// Fuzz targets of the signature verifier (scripts/gauntlet/go-fuzz.sh runs them for a bounded
// time; `go test` runs their committed corpora in testdata/fuzz as ordinary tests).
//
// FuzzVerifyAnyRequest: whatever a client sends - method, path, query, headers, body - the
// verifier answers; it never panics and never accepts a request it has no signature for.
// FuzzSignedRequestVerifies: a request built from fuzzed parts and signed the way the
// official signers sign (by this file's own signer, not the verifier's canonical code) always
// verifies after Go's HTTP parser has read it off the wire, and no single changed character of
// its signature does.

package auth

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var fuzzNow = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

const (
	fuzzAK   = "FUZZACCESSKEY0000001"
	fuzzHost = "127.0.0.1:9"
)

func fuzzVerifier(sk string) *Verifier {
	return &Verifier{
		Lookup: func(ak string) (Credential, bool) {
			return Credential{AccessKey: fuzzAK, SecretKey: sk, ProjectID: "p"}, ak == fuzzAK
		},
		Now: func() time.Time { return fuzzNow },
	}
}

func FuzzVerifyAnyRequest(f *testing.F) {
	date := fuzzNow.Format(DateLayout)
	sig := strings.Repeat("0a", 32)
	// One input to show the shape; the seed corpus is testdata/fuzz/FuzzVerifyAnyRequest.
	f.Add("GET", "/v2/p/instances/i", "limit=1", "SDK-HMAC-SHA256 Access="+fuzzAK+", SignedHeaders=host;x-sdk-date, Signature="+sig, date, "x-custom", "v", "")
	f.Fuzz(func(t *testing.T, method, path, query, authorization, sdkDate, headerName, headerValue, body string) {
		r := &http.Request{
			Method:     method,
			RequestURI: path + "?" + query,
			Host:       fuzzHost,
			Header:     http.Header{},
		}
		r.Header["Authorization"] = []string{authorization}
		r.Header["X-Sdk-Date"] = []string{sdkDate}
		r.Header[http.CanonicalHeaderKey(headerName)] = append(r.Header[http.CanonicalHeaderKey(headerName)], headerValue)
		_, _ = ParseAuthorization(authorization)
		_, _ = CanonicalRequest(r, []byte(body), strings.Split(headerName, ";"))
		res, err := fuzzVerifier("SK").Verify(r, []byte(body))
		if err == nil {
			// Only a signature made with the SK verifies; the fuzzer cannot forge HMAC-SHA256.
			t.Fatalf("an unsigned request verified: %+v", res)
		}
		if err.Code != CodeIAMAuth || err.Message == "" {
			t.Fatalf("refusal without its code or message: %+v", err)
		}
	})
}

// fuzzEscape is the signers' strict percent-encoding, written here again so that the test
// does not check the verifier against itself.
func fuzzEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

// printable keeps the bytes a header value can carry on the wire and the signers send as
// they are: printable ASCII and inner spaces (leading and trailing ones are trimmed by both
// the HTTP parser and the canonical form).
func printable(s string) string {
	kept := strings.Map(func(r rune) rune {
		if r >= 0x20 && r < 0x7f {
			return r
		}
		return -1
	}, s)
	return strings.Trim(kept, " ")
}

func authorizationWith(signedHeaders, signature string) string {
	return Algorithm + " Access=" + fuzzAK + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

func FuzzSignedRequestVerifies(f *testing.F) {
	// One input to show the shape; the seed corpus is testdata/fuzz/FuzzSignedRequestVerifies.
	f.Add("GET", "v2/p/instances/i", "limit=1&offset=2", "", "value", "SK")
	f.Fuzz(func(t *testing.T, method, path, query, body, headerValue, sk string) {
		method = strings.ToUpper(strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, method))
		if method == "" {
			method = "GET"
		}
		headerValue = printable(headerValue)

		// The wire: every path segment and query item strictly encoded, as the signers send.
		segments := strings.Split(path, "/")
		for i, s := range segments {
			segments[i] = fuzzEscape(s)
		}
		wirePath := "/" + strings.Join(segments, "/")
		canonicalURI := wirePath
		if !strings.HasSuffix(canonicalURI, "/") {
			canonicalURI += "/"
		}
		type pair struct{ k, v string }
		var pairs []pair
		for _, item := range strings.Split(query, "&") {
			if item != "" {
				k, v, _ := strings.Cut(item, "=")
				pairs = append(pairs, pair{k, v})
			}
		}
		wireItems := make([]string, len(pairs))
		for i, p := range pairs {
			wireItems[i] = fuzzEscape(p.k) + "=" + fuzzEscape(p.v)
		}
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].k != pairs[j].k {
				return pairs[i].k < pairs[j].k
			}
			return pairs[i].v < pairs[j].v
		})
		canonicalItems := make([]string, len(pairs))
		for i, p := range pairs {
			canonicalItems[i] = fuzzEscape(p.k) + "=" + fuzzEscape(p.v)
		}
		target := wirePath
		if len(wireItems) > 0 {
			target += "?" + strings.Join(wireItems, "&")
		}

		// The canonical request and signature, by the signing guide.
		date := fuzzNow.Format(DateLayout)
		signed := "host;x-custom;x-sdk-date"
		payload := sha256.Sum256([]byte(body))
		canonical := strings.Join([]string{
			method, canonicalURI, strings.Join(canonicalItems, "&"),
			"host:" + fuzzHost + "\nx-custom:" + headerValue + "\nx-sdk-date:" + date + "\n",
			signed, hex.EncodeToString(payload[:]),
		}, "\n")
		digest := sha256.Sum256([]byte(canonical))
		mac := hmac.New(sha256.New, []byte(sk))
		mac.Write([]byte(Algorithm + "\n" + date + "\n" + hex.EncodeToString(digest[:])))
		signature := hex.EncodeToString(mac.Sum(nil))

		var raw bytes.Buffer
		raw.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + fuzzHost + "\r\n")
		raw.WriteString("X-Custom: " + headerValue + "\r\nX-Sdk-Date: " + date + "\r\n")
		raw.WriteString("Authorization: " + authorizationWith(signed, signature) + "\r\n")
		raw.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
		wire := raw.String()
		r, err := http.ReadRequest(bufio.NewReader(&raw))
		if err != nil {
			t.Fatalf("Go's HTTP parser refused a request as the signers send it: %v\n%q", err, wire)
		}
		received, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fuzzVerifier(sk).Verify(r, received); err != nil {
			t.Fatalf("a correctly signed request was refused: %s\nwire: %q\ncanonical request:\n%s", err.Message, wire, canonical)
		}
		// Any one character of the signature changed (to another lower-case hex digit, so
		// that the format check passes and the comparison decides) must fail.
		const digits = "0123456789abcdef"
		for i := 0; i < len(signature); i++ {
			changed := []byte(signature)
			changed[i] = digits[(strings.IndexByte(digits, changed[i])+1)%len(digits)]
			r.Header.Set("Authorization", authorizationWith(signed, string(changed)))
			if _, err := fuzzVerifier(sk).Verify(r, received); err == nil {
				t.Fatalf("the signature with character %d changed verified", i)
			}
		}
	})
}
