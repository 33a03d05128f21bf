// Tests of the signed API over HTTP, on a state-only store: authentication before faults,
// validation codes, the gateway's 404s, the project check and log redaction.

package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

type fixture struct {
	srv    *httptest.Server
	store  *state.Store
	faults *faults.Registry
	log    *reqlog.Log
	stats  *stats.Counters
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store, err := state.New(state.Config{Seed: state.DemoSeed()}) // state-only
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: store, faults: &faults.Registry{}, log: &reqlog.Log{}, stats: &stats.Counters{}}
	f.srv = httptest.NewServer(&Handler{Store: store, Faults: f.faults, Log: f.log, Stats: f.stats})
	// Release first, as the emulator does on shutdown: srv.Close waits for held requests.
	t.Cleanup(func() { f.faults.Release(); f.srv.Close(); store.Close() })
	return f
}

// do signs with the demo credential (or sk) and sends the request.
func (f *fixture) do(t *testing.T, method, path, body, sk string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := http.DefaultClient.Do(f.request(t, method, path, body, sk))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// request builds a request signed with the demo access key and sk.
func (f *fixture) request(t *testing.T, method, path, body, sk string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	date := time.Now().UTC().Format(auth.DateLayout)
	req.Header.Set("X-Sdk-Date", date)
	signed := []string{"content-type", "host", "x-sdk-date"}
	probe := req.Clone(req.Context())
	probe.RequestURI = req.URL.RequestURI()
	probe.Host = req.URL.Host
	cr, err := auth.CanonicalRequest(probe, []byte(body), signed)
	if err != nil {
		t.Fatal(err)
	}
	sig := auth.Sign(sk, auth.StringToSign(date, cr))
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+state.DemoAccessKey+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
	return req
}

const base = "/v2/" + state.DemoProjectID + "/instances/" + state.DemoInstanceID

func errorCode(t *testing.T, data []byte) string {
	var e struct {
		ErrorCode string `json:"error_code"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("error body %q: %v", data, err)
	}
	return e.ErrorCode
}

func TestBadSignatureBeatsFaults(t *testing.T) {
	f := newFixture(t)
	if _, err := f.faults.Add(faults.Fault{Operation: "*", Kind: faults.Status, Status: 503, Body: "{}"}); err != nil {
		t.Fatal(err)
	}
	resp, data, err := f.do(t, "GET", base, "", "wrong-sk")
	if err != nil || resp.StatusCode != 401 || errorCode(t, data) != "APIGW.0301" {
		t.Fatalf("bad signature: %v %v %s", err, resp, data)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id on 401")
	}
	resp, _, _ = f.do(t, "GET", base, "", state.DemoSecretKey)
	if resp.StatusCode != 503 {
		t.Fatalf("fault after auth: %d", resp.StatusCode)
	}
}

func TestCloseAfterStillStartsRestore(t *testing.T) {
	f := newFixture(t)
	one := 1
	_, _ = f.faults.Add(faults.Fault{Operation: "RestoreInstance", Kind: faults.CloseAfter, Count: &one})
	_, _, err := f.do(t, "POST", base+"/restores", `{"backup_id":"`+state.DemoBackupID+`"}`, state.DemoSecretKey)
	if err == nil {
		t.Fatal("close_after answered")
	}
	if restores, _ := f.store.Counters(); restores != 1 {
		t.Fatalf("restores_started %d after close_after", restores)
	}
	entries := f.log.List()
	if last := entries[len(entries)-1]; last.Fault != faults.CloseAfter || last.Status != 0 || last.Operation != "RestoreInstance" {
		t.Fatalf("log entry %+v", last)
	}
}

func TestCloseBeforeDoesNotStart(t *testing.T) {
	f := newFixture(t)
	_, _ = f.faults.Add(faults.Fault{Operation: "RestoreInstance", Kind: faults.CloseBefore})
	if _, _, err := f.do(t, "POST", base+"/restores", `{"backup_id":"`+state.DemoBackupID+`"}`, state.DemoSecretKey); err == nil {
		t.Fatal("close_before answered")
	}
	if restores, _ := f.store.Counters(); restores != 0 {
		t.Fatalf("restores_started %d after close_before", restores)
	}
}

func TestTruncatedCutsBody(t *testing.T) {
	f := newFixture(t)
	_, _ = f.faults.Add(faults.Fault{Operation: "ShowInstance", Kind: faults.Truncated})
	resp, data, err := f.do(t, "GET", base, "", state.DemoSecretKey)
	if err == nil {
		t.Fatalf("truncated body read fully: %d %q", resp.StatusCode, data)
	}
}

func TestValidationCodes(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/v2/" + state.DemoProjectID + "/instances/bad%20id", "", 400, "DCS.4061"},
		{"GET", "/v2/" + state.DemoProjectID + "/instances/" + strings.Repeat("a", 65), "", 400, "DCS.4061"},
		{"GET", "/v2/" + state.DemoProjectID + "/instances/missing", "", 404, "DCS.3022"},
		{"GET", "/v2/ffffffffffffffffffffffffffffffff/instances/" + state.DemoInstanceID, "", 403, "DCS.2007"},
		{"POST", base + "/restores", "", 400, "DCS.4004"},
		{"POST", base + "/restores", "not json", 400, "DCS.4005"},
		{"POST", base + "/restores", "[1]", 400, "DCS.4005"},
		{"POST", base + "/restores", `{"remark":"x"}`, 400, "DCS.4062"},
		{"POST", base + "/restores", `{"backup_id":5}`, 400, "DCS.4062"},
		{"POST", base + "/restores", `{"backup_id":"nope"}`, 400, "DCS.4063"},
		{"POST", base + "/restores", `{"backup_id":"` + state.DemoBackupID + `","remark":"` + strings.Repeat("é", 65) + `"}`, 400, "DCS.4098"},
		{"POST", base + "/backups", `{"remark":"` + strings.Repeat("r", 129) + `"}`, 400, "DCS.4098"},
		{"POST", base + "/backups", `{"backup_format":"zip"}`, 400, "DCS.4062"},
		{"GET", base + "/backups?limit=0", "", 400, "DCS.4062"},
		{"GET", base + "/restores?offset=-3", "", 400, "DCS.4062"},
		{"DELETE", base + "/backups/nope", "", 400, "DCS.4031"},
		{"GET", "/v2/" + state.DemoProjectID + "/flavors", "", 404, "APIGW.0101"},
	}
	for _, c := range cases {
		resp, data, err := f.do(t, c.method, c.path, c.body, state.DemoSecretKey)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		if resp.StatusCode != c.status || errorCode(t, data) != c.code {
			t.Errorf("%s %s %q: got %d %s, want %d %s", c.method, c.path, c.body, resp.StatusCode, data, c.status, c.code)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: content type %q", c.method, c.path, resp.Header.Get("Content-Type"))
		}
	}
}

func TestEmptyListIs204AndLogRedacts(t *testing.T) {
	f := newFixture(t)
	resp, data, _ := f.do(t, "GET", base+"/restores", "", state.DemoSecretKey)
	if resp.StatusCode != 204 || len(data) != 0 {
		t.Fatalf("empty restores: %d %q", resp.StatusCode, data)
	}
	// A careless client puts the SK in a remark: the log must not keep it.
	_, _, _ = f.do(t, "POST", base+"/backups", `{"remark":"`+state.DemoSecretKey+`"}`, state.DemoSecretKey)
	raw, _ := json.Marshal(f.log.List())
	if bytes.Contains(raw, []byte(state.DemoSecretKey)) || bytes.Contains(raw, []byte("Signature=")) {
		t.Fatalf("secret in log: %s", raw)
	}
}

// The gateway finds the API first: an unknown path is 404 signed or not; the body of a
// gateway error carries the request id of the header.
func TestUnknownAPIIs404EvenUnsigned(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/v2/" + state.DemoProjectID + "/flavors")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		ErrorCode string `json:"error_code"`
		RequestID string `json:"request_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 404 || body.ErrorCode != "APIGW.0101" || body.RequestID != resp.Header.Get("X-Request-Id") || body.RequestID == "" {
		t.Fatalf("unsigned unknown path: %d %+v", resp.StatusCode, body)
	}
}

func TestProjectHeaderMustMatchThePath(t *testing.T) {
	f := newFixture(t)
	req := f.request(t, "GET", base, "", state.DemoSecretKey)
	req.Header.Set("X-Project-Id", "ffffffffffffffffffffffffffffffff") // unsigned, and another project
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("X-Project-Id of another project: %d", resp.StatusCode)
	}
}
