// Tests of the signing pieces against the official tables (escaping, canonical query and
// URI, the Authorization header) and of each reason Verify refuses a request.

package auth

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEscapeMatchesOfficialTable(t *testing.T) {
	var all []byte
	for b := 0; b < 0x80; b++ {
		all = append(all, byte(b))
	}
	want := "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F" +
		"%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ" +
		"%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F"
	if got := Escape(string(all)); got != want {
		t.Fatalf("Escape(0x00..0x7f)\n got %s\nwant %s", got, want)
	}
}

func TestCanonicalQueryOfficial(t *testing.T) {
	pairs := []QueryPair{{"limit", "1"}, {"enable", "true"}, {"test", "一 (&=?!#%.*)"}, {"path", "/tmp/123"},
		{"multi", "2"}, {"multi", "1"}, {"multi", "3"}}
	want := "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	if got := CanonicalQuery(pairs); got != want {
		t.Fatalf("got %s", got)
	}
}

func TestCanonicalURI(t *testing.T) {
	cases := map[string]string{
		"":                         "/",
		"/":                        "/",
		"/v2/abc/instances":        "/v2/abc/instances/",
		"/v2/abc/instances/":       "/v2/abc/instances/",
		"/v1/x:y":                  "/v1/x%3Ay/",
		"/b/backup%2001%3Aa/":      "/b/backup%2001%3Aa/",
		"/b/backup%2001%3aa":       "/b/backup%2001%3Aa/", // lower-case hex on the wire is normalised
		"/a/%7Etilde/~x":           "/a/~tilde/~x/",       // over-encoded unreserved bytes are decoded
		"/a/b+c":                   "/a/b%2Bc/",           // '+' is a plus sign, not a space
		"/a/%E7%94%9F":             "/a/%E7%94%9F/",
		"/a/sp%20ace/(paren)*star": "/a/sp%20ace/%28paren%29%2Astar/",
	}
	for in, want := range cases {
		got, err := CanonicalURI(in)
		if err != nil || got != want {
			t.Errorf("CanonicalURI(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := CanonicalURI("/a/%zz"); err == nil {
		t.Error("a malformed escape was accepted")
	}
}

func TestParseRawQuery(t *testing.T) {
	pairs, err := ParseRawQuery("b=2&a&c=x%20y&&d=1+1&a=%41")
	if err != nil {
		t.Fatal(err)
	}
	if got := CanonicalQuery(pairs); got != "a=&a=A&b=2&c=x%20y&d=1%2B1" {
		t.Fatalf("got %s", got)
	}
	if _, err := ParseRawQuery("a=%g1"); err == nil {
		t.Fatal("malformed escape accepted")
	}
}

func TestSplitRequestURI(t *testing.T) {
	cases := [][3]string{
		{"/v2/p/instances?limit=1", "/v2/p/instances", "limit=1"},
		{"/v2/p/instances", "/v2/p/instances", ""},
		{"http://h:1/v2/x?y=1", "/v2/x", "y=1"},
		{"http://h:1", "/", ""},
	}
	for _, c := range cases {
		p, q := SplitRequestURI(c[0])
		if p != c[1] || q != c[2] {
			t.Errorf("SplitRequestURI(%q) = %q, %q", c[0], p, q)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	a, err := ParseAuthorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + sig)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessKey != "AK" || strings.Join(a.SignedHeaders, ";") != "host;x-sdk-date" || a.Signature != sig {
		t.Fatalf("%+v", a)
	}
	for _, bad := range []string{
		"", "Bearer x", "SDK-HMAC-SHA256", "SDK-HMAC-SHA256 Access=AK, Signature=x",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date", "V11-HMAC-SHA256 Credential=a/b, SignedHeaders=h, Signature=s",
		"SDK-HMAC-SHA256 Access=AK SignedHeaders=x-sdk-date Signature=s",
		// What no official signer produces.
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, Signature=" + sig,
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date;host, Signature=" + sig,
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;host;x-sdk-date, Signature=" + sig,
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + strings.ToUpper(sig),
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + sig[:62],
	} {
		if _, err := ParseAuthorization(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// signedRequest makes a request signed with this package's own primitives, for the
// failure cases below (the vectors prove the primitives themselves).
func signedRequest(t *testing.T, sk, date string, extra map[string]string, signed []string) *http.Request {
	t.Helper()
	r, _ := http.NewRequest("GET", "http://127.0.0.1:9/v2/p/instances/i", nil)
	r.RequestURI = "/v2/p/instances/i?limit=5"
	r.Host = "127.0.0.1:9"
	if date != "" {
		r.Header.Set("X-Sdk-Date", date)
	}
	for k, v := range extra {
		r.Header.Set(k, v)
	}
	cr, err := CanonicalRequest(r, nil, signed)
	if err != nil {
		t.Fatal(err)
	}
	sig := Sign(sk, StringToSign(date, cr))
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
	return r
}

func TestVerifyFailures(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	date := now.Format(DateLayout)
	creds := map[string]Credential{
		"AK":  {AccessKey: "AK", SecretKey: "SK", ProjectID: "p"},
		"TMP": {AccessKey: "TMP", SecretKey: "SK", ProjectID: "p", SecurityToken: "TOKEN"},
	}
	v := &Verifier{
		Lookup: func(ak string) (Credential, bool) { c, ok := creds[ak]; return c, ok },
		Now:    func() time.Time { return now },
	}
	std := []string{"host", "x-sdk-date"}

	if _, err := v.Verify(signedRequest(t, "SK", date, nil, std), nil); err != nil {
		t.Fatalf("good request rejected: %s", err.Message)
	}
	cases := []struct {
		name, wantMsg string
		r             *http.Request
	}{
		{"wrong sk", "signature", signedRequest(t, "other", date, nil, std)},
		{"skewed +16m", "15 minutes", signedRequest(t, "SK", now.Add(16*time.Minute).Format(DateLayout), nil, std)},
		{"skewed -16m", "15 minutes", signedRequest(t, "SK", now.Add(-16*time.Minute).Format(DateLayout), nil, std)},
		{"date unsigned", "x-sdk-date is not among", signedRequest(t, "SK", date, nil, []string{"host"})},
		{"malformed date", "malformed", signedRequest(t, "SK", "2024-01-02T03:04:05Z", nil, std)},
	}
	noAuth := signedRequest(t, "SK", date, nil, std)
	noAuth.Header.Del("Authorization")
	cases = append(cases, struct {
		name, wantMsg string
		r             *http.Request
	}{"no authorization", "missing", noAuth})
	noDate := signedRequest(t, "SK", date, nil, std)
	noDate.Header.Del("X-Sdk-Date")
	cases = append(cases, struct {
		name, wantMsg string
		r             *http.Request
	}{"no date", "X-Sdk-Date header is missing", noDate})
	unknown := signedRequest(t, "SK", date, nil, std)
	unknown.Header.Set("Authorization", strings.Replace(unknown.Header.Get("Authorization"), "Access=AK", "Access=NOPE", 1))
	cases = append(cases, struct {
		name, wantMsg string
		r             *http.Request
	}{"unknown ak", "unknown", unknown})
	hostChanged := signedRequest(t, "SK", date, nil, std)
	hostChanged.Host = "localhost:9"
	cases = append(cases, struct {
		name, wantMsg string
		r             *http.Request
	}{"host changed", "signature", hostChanged})
	queryChanged := signedRequest(t, "SK", date, nil, std)
	queryChanged.RequestURI = "/v2/p/instances/i?limit=6"
	cases = append(cases, struct {
		name, wantMsg string
		r             *http.Request
	}{"query changed", "signature", queryChanged})

	for _, c := range cases {
		_, err := v.Verify(c.r, nil)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Message, c.wantMsg) {
			t.Errorf("%s: message %q lacks %q", c.name, err.Message, c.wantMsg)
		}
	}
}

func TestVerifySecurityToken(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	date := now.Format(DateLayout)
	cred := Credential{AccessKey: "AK", SecretKey: "SK", ProjectID: "p", SecurityToken: "TOKEN"}
	v := &Verifier{Lookup: func(string) (Credential, bool) { return cred, true }, Now: func() time.Time { return now }}

	ok := signedRequest(t, "SK", date, map[string]string{"X-Security-Token": "TOKEN"}, []string{"host", "x-sdk-date", "x-security-token"})
	if _, err := v.Verify(ok, nil); err != nil {
		t.Fatalf("good temporary request rejected: %s", err.Message)
	}
	unsigned := signedRequest(t, "SK", date, map[string]string{"X-Security-Token": "TOKEN"}, []string{"host", "x-sdk-date"})
	if _, err := v.Verify(unsigned, nil); err == nil {
		t.Fatal("unsigned token accepted")
	}
	missing := signedRequest(t, "SK", date, nil, []string{"host", "x-sdk-date"})
	if _, err := v.Verify(missing, nil); err == nil {
		t.Fatal("missing token accepted")
	}
	wrong := signedRequest(t, "SK", date, map[string]string{"X-Security-Token": "OTHER"}, []string{"host", "x-sdk-date", "x-security-token"})
	if _, err := v.Verify(wrong, nil); err == nil || !strings.Contains(err.Message, "security token") {
		t.Fatalf("wrong token: %v", err)
	}
}

func TestPayloadHash(t *testing.T) {
	r, _ := http.NewRequest("PUT", "http://h/x", nil)
	if got := PayloadHash(r, nil); got != EmptyPayloadHash {
		t.Fatal(got)
	}
	r.Header.Set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")
	if got := PayloadHash(r, []byte("\x00\x01binary")); got != "UNSIGNED-PAYLOAD" {
		t.Fatal(got)
	}
	if got := PayloadHash(r, nil); got != EmptyPayloadHash {
		t.Fatal("empty body must hash as empty even with UNSIGNED-PAYLOAD (Python SDK rule)")
	}
}
