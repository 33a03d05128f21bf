// Tests that the emulator binds loopback only, reports a usable URL, routes the admin and
// DCS paths apart and counts connections.

package server

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/libdcs/libdcs/emulator/internal/stats"
)

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "example.com:0", "[::]:0", "127.0.0.1", "127.0.0.1:99999"} {
		if l, err := Listen(addr, "", ""); err == nil {
			l.Close()
			t.Errorf("%s accepted", addr)
		}
	}
}

func TestListenURLKeepsHost(t *testing.T) {
	for addr, pattern := range map[string]string{
		"127.0.0.1:0": `^http://127\.0\.0\.1:\d+$`,
		"localhost:0": `^http://localhost:\d+$`,
	} {
		l, err := Listen(addr, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(pattern).MatchString(l.URL) || strings.HasSuffix(l.URL, ":0") {
			t.Errorf("%s → %s", addr, l.URL)
		}
		l.Close()
	}
	if _, err := Listen("127.0.0.1:0", "/nonexistent/cert.pem", "/nonexistent/key.pem"); err == nil {
		t.Error("missing TLS files accepted")
	}
}

func TestRoutingAndConnectionCount(t *testing.T) {
	l, err := Listen("127.0.0.1:0", "", "")
	if err != nil {
		t.Fatal(err)
	}
	counters := &stats.Counters{}
	var mu sync.Mutex
	var hits []string
	mark := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			hits = append(hits, name)
		})
	}
	srv := New(l, mark("dcs"), mark("admin"), counters)
	go srv.Serve()
	defer srv.Shutdown(0)
	client := &http.Client{}
	for _, p := range []string{"/_emulator/stats", "/v2/p/instances/i", "/_emulatorx", "/_emulator"} {
		resp, err := client.Get(l.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(hits, ",") != "admin,dcs,dcs,admin" {
		t.Fatalf("routing %v", hits)
	}
	if n := counters.ConnectionsAccepted.Load(); n != 1 {
		t.Fatalf("%d connections for 4 keep-alive requests", n)
	}
}
