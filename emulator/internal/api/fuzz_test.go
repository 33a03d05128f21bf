// Fuzz target of the signed API's request handling (scripts/gauntlet/go-fuzz.sh runs it for
// a bounded time; `go test` runs its committed corpus in testdata/fuzz as ordinary tests).
//
// FuzzHandleRequest: whatever request Go's HTTP parser lets through - any method, path,
// query and body, signed (so that it reaches routing, validation and the operations) or not -
// the handler answers without panicking, never with a 5xx (client garbage is the client's
// fault: 4xx), and every error answer carries the service's JSON error body.

package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

func FuzzHandleRequest(f *testing.F) {
	instance := "/v2/" + state.DemoProjectID + "/instances/" + state.DemoInstanceID
	// One input to show the shape; the seed corpus is testdata/fuzz/FuzzHandleRequest.
	f.Add("GET", instance, "", true)
	f.Fuzz(func(t *testing.T, method, target, body string, sign bool) {
		date := time.Now().UTC().Format(auth.DateLayout)
		head := method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: application/json\r\n" +
			"X-Sdk-Date: " + date + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + body)))
		if err != nil {
			return // Go's server answers 400 itself: the handler never sees this request
		}
		if sign {
			signed := []string{"content-type", "host", "x-sdk-date"}
			if canonical, err := auth.CanonicalRequest(r, []byte(body), signed); err == nil {
				signature := auth.Sign(state.DemoSecretKey, auth.StringToSign(date, canonical))
				r.Header.Set("Authorization", auth.Algorithm+" Access="+state.DemoAccessKey+
					", SignedHeaders="+strings.Join(signed, ";")+", Signature="+signature)
			}
		}
		store, err := state.New(state.Config{Seed: state.DemoSeed()}) // state-only
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		h := &Handler{Store: store, Faults: &faults.Registry{}, Log: &reqlog.Log{}, Stats: &stats.Counters{}}
		answer := httptest.NewRecorder()
		h.ServeHTTP(answer, r)

		if answer.Code < 200 || answer.Code >= 500 {
			t.Fatalf("%s %q with %q: HTTP %d %s", method, target, body, answer.Code, answer.Body.Bytes())
		}
		if answer.Code >= 400 {
			var e struct {
				ErrorCode string `json:"error_code"`
			}
			if err := json.Unmarshal(answer.Body.Bytes(), &e); err != nil || e.ErrorCode == "" {
				t.Fatalf("%s %q: HTTP %d without an error_code: %q", method, target, answer.Code, answer.Body.Bytes())
			}
		} else if answer.Code != http.StatusNoContent && !json.Valid(bytes.TrimSpace(answer.Body.Bytes())) {
			t.Fatalf("%s %q: HTTP %d with a body that is not JSON: %q", method, target, answer.Code, answer.Body.Bytes())
		}
	})
}
