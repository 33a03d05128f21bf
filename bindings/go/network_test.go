// Network settings through the Go binding: a proxy from the environment (read by NewClient),
// NoProxy, the CA directory's checks, and a misspelt region refused at once. What went
// through the proxy is counted by the proxy.

package dcs

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// forwardProxy is a loopback HTTP forward proxy that counts the requests it relays.
func forwardProxy(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var relayed atomic.Int64
	relay := &httputil.ReverseProxy{
		// A proxied request already holds its absolute URL: forward it as it is, directly.
		Director:  func(*http.Request) {},
		Transport: &http.Transport{Proxy: nil},
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		relayed.Add(1)
		relay.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	return server.URL, &relayed
}

// noProxyEnvironment clears every proxy variable libdcs reads, for the test's duration.
func noProxyEnvironment(t *testing.T) {
	t.Helper()
	for _, name := range []string{"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
}

func deadURL(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + listener.Addr().String()
	listener.Close()
	return url
}

func TestProxyFromTheEnvironment(t *testing.T) {
	noProxyEnvironment(t)
	url, relayed := forwardProxy(t)
	instanceID := newInstance(t, "ha")
	t.Setenv("HTTP_PROXY", url)
	// IgnoreEnvironment concerns the service's settings: the network's proxy still applies.
	client := newTestClient(t, testConfig())
	if _, err := client.ShowInstance(context.Background(), instanceID); err != nil {
		t.Fatalf("ShowInstance through the proxy: %v", err)
	}
	if got := relayed.Load(); got != 1 {
		t.Fatalf("the proxy relayed %d requests, want 1", got)
	}
}

func TestNoProxyConnectsDirectly(t *testing.T) {
	noProxyEnvironment(t)
	url, relayed := forwardProxy(t)
	instanceID := newInstance(t, "ha")
	t.Setenv("HTTP_PROXY", deadURL(t))
	noProxy := testConfig()
	noProxy.NoProxy = true
	if _, err := newTestClient(t, noProxy).ShowInstance(context.Background(), instanceID); err != nil {
		t.Fatalf("ShowInstance, direct: %v", err)
	}
	explicit := testConfig()
	explicit.Proxy = url
	client := newTestClient(t, explicit)
	if _, err := client.ShowInstance(context.Background(), instanceID); err != nil {
		t.Fatalf("ShowInstance through the explicit proxy: %v", err)
	}
	if got := relayed.Load(); got != 1 {
		t.Fatalf("the proxy relayed %d requests, want 1 (the explicit one)", got)
	}
	both := testConfig()
	both.Proxy, both.NoProxy = url, true
	if _, err := NewClient(both); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("Proxy with NoProxy: got %v, want ErrInvalidArgument", err)
	}
}

func TestCADirMustBeAnExistingDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.CADir = dir
	newTestClient(t, cfg)

	file := filepath.Join(dir, "bundle.pem")
	if err := os.WriteFile(file, []byte("not a directory\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{filepath.Join(dir, "missing"): "does not exist", file: "not a directory"} {
		cfg.CADir = path
		_, err := NewClient(cfg)
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), want) {
			t.Fatalf("CADir %q: got %v, want ErrInvalidArgument saying %q", path, err, want)
		}
	}
}

func TestMisspeltRegionFailsAtOnce(t *testing.T) {
	t.Setenv("HUAWEICLOUD_SDK_REGION_DCS_CN_NORT_4", "")
	os.Unsetenv("HUAWEICLOUD_SDK_REGION_DCS_CN_NORT_4")
	cfg := Config{Region: "cn-nort-4", AccessKey: demoAccessKey, SecretKey: demoSecretKey,
		ProjectID: demoProjectID, IgnoreEnvironment: true}
	started := time.Now()
	_, err := NewClient(cfg)
	if elapsed := time.Since(started); elapsed > 500*time.Millisecond {
		t.Fatalf("NewClient took %v to refuse a misspelt region", elapsed)
	}
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), `"cn-nort-4"`) ||
		!strings.Contains(err.Error(), "did you mean cn-north-4?") {
		t.Fatalf("got %v, want ErrInvalidArgument naming cn-nort-4 and cn-north-4", err)
	}
}
