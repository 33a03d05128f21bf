// Checks the verifier against the shared signing vectors, the ones libdcs's own signer is
// tested with (tests/core/test_signer.cpp), so that the two cannot disagree.

package auth

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// vectorFile is the project's copy of shared/spec/signing-vectors.json.
var vectorFile = filepath.Join("..", "..", "..", "tests", "data", "signing-vectors.json")

type vector struct {
	Name     string            `json:"name"`
	AK       string            `json:"ak"`
	SK       string            `json:"sk"`
	Method   string            `json:"method"`
	Host     string            `json:"host"`
	Path     string            `json:"path"`
	Query    [][2]string       `json:"query"`
	Headers  map[string]string `json:"headers"`
	Body     *string           `json:"body"`
	Expected struct {
		CanonicalRequest string `json:"canonical_request"`
		StringToSign     string `json:"string_to_sign"`
		SignedHeaders    string `json:"signed_headers"`
		Authorization    string `json:"authorization"`
		URLPathAndQuery  string `json:"url_path_and_query"`
	} `json:"expected"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	raw, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatalf("reading vectors: %v", err)
	}
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) < 10 {
		t.Fatalf("only %d vectors in %s", len(file.Vectors), vectorFile)
	}
	return file.Vectors
}

// wireQuery renders the vector's pairs the way a client sends them: sorted, strictly
// encoded. Written independently of the verifier's encoder.
func wireQuery(pairs [][2]string) string {
	sorted := append([][2]string(nil), pairs...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i][0] != sorted[j][0] {
			return sorted[i][0] < sorted[j][0]
		}
		return sorted[i][1] < sorted[j][1]
	})
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	items := make([]string, len(sorted))
	for i, p := range sorted {
		items[i] = esc(p[0]) + "=" + esc(p[1])
	}
	return strings.Join(items, "&")
}

// requestFor builds the request as the server would receive it.
func requestFor(t *testing.T, v vector) (*http.Request, []byte) {
	t.Helper()
	target := v.Path
	if q := wireQuery(v.Query); q != "" {
		target += "?" + q
	}
	if target != v.Expected.URLPathAndQuery {
		t.Fatalf("wire target %q, vector says %q", target, v.Expected.URLPathAndQuery)
	}
	var body []byte
	if v.Body != nil {
		body = []byte(*v.Body)
	}
	r, err := http.NewRequest(v.Method, "http://"+v.Host+target, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	r.RequestURI = target
	r.Host = v.Host
	for k, val := range v.Headers {
		r.Header.Set(k, val)
	}
	r.Header.Set("Authorization", v.Expected.Authorization)
	return r, body
}

func verifierFor(v vector, sk string) *Verifier {
	date, _ := time.Parse(DateLayout, v.Headers["X-Sdk-Date"])
	return &Verifier{
		Lookup: func(ak string) (Credential, bool) {
			if ak != v.AK {
				return Credential{}, false
			}
			c := Credential{AccessKey: v.AK, SecretKey: sk, ProjectID: "p"}
			if tok, ok := v.Headers["X-Security-Token"]; ok {
				c.SecurityToken = tok
			}
			return c, true
		},
		Now: func() time.Time { return date.Add(3 * time.Minute) },
	}
}

func TestVectorsCanonicalRequest(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r, body := requestFor(t, v)
			signed := strings.Split(v.Expected.SignedHeaders, ";")
			got, err := CanonicalRequest(r, body, signed)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Expected.CanonicalRequest {
				t.Fatalf("canonical request\n got: %q\nwant: %q", got, v.Expected.CanonicalRequest)
			}
			if sts := StringToSign(v.Headers["X-Sdk-Date"], got); sts != v.Expected.StringToSign {
				t.Fatalf("string to sign\n got: %q\nwant: %q", sts, v.Expected.StringToSign)
			}
		})
	}
}

func TestVectorsVerify(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r, body := requestFor(t, v)
			res, err := verifierFor(v, v.SK).Verify(r, body)
			if err != nil {
				t.Fatalf("verification with the right SK failed: %s", err.Message)
			}
			if strings.Join(res.SignedHeaders, ";") != v.Expected.SignedHeaders {
				t.Fatalf("signed headers %v", res.SignedHeaders)
			}
			r, body = requestFor(t, v)
			if _, err := verifierFor(v, v.SK+"x").Verify(r, body); err == nil {
				t.Fatal("verification with a wrong SK succeeded")
			}
		})
	}
}

// A body changed after signing must not verify.
func TestVectorsTamperedBody(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.Body == nil || *v.Body == "" {
			continue
		}
		r, body := requestFor(t, v)
		body = append(body, ' ')
		if _, err := verifierFor(v, v.SK).Verify(r, body); err == nil {
			t.Fatalf("%s: tampered body verified", v.Name)
		}
	}
}
