// Tests that the emulator binds loopback only, reports a usable URL, routes the admin and
// DCS paths apart and counts connections and the bytes received on them.

package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

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
	srv := New(l, mark("dcs"), mark("meta"), mark("admin"), counters)
	go srv.Serve()
	defer srv.Shutdown(0)
	client := &http.Client{}
	for _, p := range []string{"/_emulator/stats", "/v2/p/instances/i", "/_emulatorx", "/_emulator", "/openstack/latest/securitykey"} {
		resp, err := client.Get(l.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(hits, ",") != "admin,dcs,dcs,admin,meta" {
		t.Fatalf("routing %v", hits)
	}
	if n := counters.ConnectionsAccepted.Load(); n != 1 {
		t.Fatalf("%d connections for 5 keep-alive requests", n)
	}
}

// serveCounting starts a server whose handler records, for each request it ran for,
// whether the request came over TLS; it returns the listener, the counters and a reader of
// that record.
func serveCounting(t *testing.T, certFile, keyFile string) (*Listener, *stats.Counters, func() []bool) {
	t.Helper()
	l, err := Listen("127.0.0.1:0", certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	counters := &stats.Counters{}
	var mu sync.Mutex
	var overTLS []bool
	dcs := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		overTLS = append(overTLS, r.TLS != nil)
	})
	srv := New(l, dcs, dcs, dcs, counters)
	go srv.Serve()
	t.Cleanup(func() { srv.Shutdown(0) })
	return l, counters, func() []bool {
		mu.Lock()
		defer mu.Unlock()
		return append([]bool(nil), overTLS...)
	}
}

// exchange writes raw bytes on a new connection and reads until the server closes it.
func exchange(t *testing.T, conn net.Conn, raw string) string {
	t.Helper()
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	answer, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", raw, err)
	}
	return string(answer)
}

func TestBytesReceivedCountsWhatTheParserRefuses(t *testing.T) {
	l, counters, handled := serveCounting(t, "", "")
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return conn
	}
	good := "GET /v2/p/instances/i HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	if answer := exchange(t, dial(), good); !strings.HasPrefix(answer, "HTTP/1.1 200") {
		t.Fatalf("answer %q", answer)
	}
	if n := counters.BytesReceived.Load(); n != int64(len(good)) {
		t.Fatalf("bytes received %d, want %d", n, len(good))
	}
	// A header line without a colon: Go's parser answers 400 itself, so no handler, request
	// log or request counter ever sees it. Only the connection and its bytes show.
	refused := "GET /v2/p/instances/i HTTP/1.1\r\nHost: h\r\nX-Injected\r\n\r\n"
	if answer := exchange(t, dial(), refused); !strings.HasPrefix(answer, "HTTP/1.1 400") {
		t.Fatalf("answer %q", answer)
	}
	if n := len(handled()); n != 1 {
		t.Fatalf("the handler ran %d times, want once", n)
	}
	if n := counters.ConnectionsAccepted.Load(); n != 2 {
		t.Fatalf("%d connections accepted, want 2", n)
	}
	if n := counters.BytesReceived.Load(); n != int64(len(good)+len(refused)) {
		t.Fatalf("bytes received %d, want %d", n, len(good)+len(refused))
	}
	counters.Reset()
	if counters.BytesReceived.Load() != 0 || counters.ConnectionsAccepted.Load() != 0 {
		t.Fatal("Reset left a counter")
	}
}

func TestBytesReceivedUnderTLSCountTheWire(t *testing.T) {
	certFile, keyFile := selfSignedFiles(t)
	l, counters, overTLS := serveCounting(t, certFile, keyFile)
	conn, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	request := "GET /v2/p/instances/i HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	if answer := exchange(t, conn, request); !strings.HasPrefix(answer, "HTTP/1.1 200") {
		t.Fatalf("answer %q", answer)
	}
	if seen := overTLS(); len(seen) != 1 || !seen[0] {
		t.Fatalf("the handler saw %v, want one request over TLS", seen)
	}
	// The handshake and the record framing come on top of the request's own bytes.
	if n := counters.BytesReceived.Load(); n <= int64(len(request)) {
		t.Fatalf("bytes received %d, want more than the %d plain-text bytes", n, len(request))
	}
	if n := counters.ConnectionsAccepted.Load(); n != 1 {
		t.Fatalf("%d connections accepted, want 1", n)
	}
}

// selfSignedFiles writes a throw-away certificate for 127.0.0.1 and its key.
func selfSignedFiles(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for file, block := range map[string]*pem.Block{
		certFile: {Type: "CERTIFICATE", Bytes: der},
		keyFile:  {Type: "PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}
