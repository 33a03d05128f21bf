// The Go column of the TLS reliability suite (scripts/reliability.sh; the C column is
// tests/reliability/test_tls.cpp, the Python one bindings/python/tests/test_reliability_tls.py),
// against HTTPS emulators serving the certificates of tests/reliability/make_certs.sh.

package dcs

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// badCertificates are make_certs.sh's certificates that fail verification, each with what
// the error message must name.
var badCertificates = []struct{ name, defect string }{
	{"self_signed", "self-signed certificate"},
	{"expired", "certificate has expired"},
	{"wrong_host", "host name"},
}

// TestReliabilityTLS: a certificate from the CA in CAFile is trusted. A self-signed, an
// expired and a wrong-host certificate are refused by default (ErrTransport, nothing sent, a
// message naming TLS and the defect, one connection per call: no retry) and accepted only
// with Insecure. A CAFile that cannot be used fails the same way, naming the file. Kept-alive
// TLS connections are reused.
func TestReliabilityTLS(t *testing.T) {
	certs := t.TempDir()
	if out, err := exec.Command(filepath.Join(reliabilityDir, "make_certs.sh"), certs).CombinedOutput(); err != nil {
		t.Fatalf("make_certs.sh: %v\n%s", err, out)
	}
	https := func(name string) relAdmin {
		return startOwnEmulator(t, "--tls-cert", filepath.Join(certs, name+".pem"),
			"--tls-key", filepath.Join(certs, name+".key"))
	}
	caFile := filepath.Join(certs, "ca.pem")
	ctx := context.Background()
	good := https("good")
	trusting := func(emu relAdmin, ca string) *Client {
		cfg := demoConfig(emu.url)
		cfg.CAFile = ca
		return newTestClient(t, cfg)
	}
	// refused checks a call that must fail in the TLS handshake: ErrTransport, nothing sent,
	// a message with TLS and each of want, and one connection, none for a retry.
	refused := func(t *testing.T, emu relAdmin, call func() error, want ...string) {
		t.Helper()
		wire := watchWire(t, emu.url)
		err := call()
		var e *Error
		if !errors.Is(err, ErrTransport) || !errors.As(err, &e) || e.RequestSent != SentNo || e.HTTPStatus != 0 {
			t.Fatalf("%v, want ErrTransport with nothing sent and no HTTP status", err)
		}
		for _, part := range append([]string{"TLS"}, want...) {
			if !strings.Contains(e.Message, part) {
				t.Errorf("the message does not name %q: %q", part, e.Message)
			}
		}
		// The client's default is 4 attempts: a retry would be a second connection.
		if n := wire.since(t).Connections; n != 1 {
			t.Errorf("the call opened %d connections, want 1", n)
		}
	}

	t.Run("a certificate from the CA in CAFile is trusted", func(t *testing.T) {
		before, _ := good.counters(t, demoInstanceID)
		client := trusting(good, caFile)
		if _, err := client.ShowInstance(ctx, demoInstanceID); err != nil {
			t.Fatalf("ShowInstance over trusted TLS: %v", err)
		}
		if _, err := client.RestoreInstance(ctx, demoInstanceID, demoBackupID); err != nil {
			t.Fatalf("RestoreInstance over trusted TLS: %v", err)
		}
		if restores, _ := good.counters(t, demoInstanceID); restores != before+1 {
			t.Errorf("restores started: %d, want %d", restores, before+1)
		}
	})

	t.Run("without CAFile the test CA is unknown", func(t *testing.T) {
		client := trusting(good, "")
		requests := good.requests(t)
		refused(t, good, func() error { _, err := client.ShowInstance(ctx, demoInstanceID); return err }, "certificate")
		if n := good.requests(t); n != requests {
			t.Errorf("the emulator received %d requests, want none", n-requests)
		}
	})

	for _, bad := range badCertificates {
		t.Run(bad.name+" is refused once, sending nothing, unless Insecure", func(t *testing.T) {
			emu := https(bad.name)
			// The CA is trusted, so each certificate fails for its own defect only.
			client := trusting(emu, caFile)
			refused(t, emu, func() error { _, err := client.ShowInstance(ctx, demoInstanceID); return err }, bad.defect)
			refused(t, emu, func() error {
				_, err := client.RestoreInstance(ctx, demoInstanceID, demoBackupID)
				return err
			}, bad.defect)
			if n := emu.requests(t); n != 0 {
				t.Errorf("the emulator received %d requests, want 0", n)
			}
			if restores, _ := emu.counters(t, demoInstanceID); restores != 0 {
				t.Errorf("restores started: %d, want 0", restores)
			}

			insecure := demoConfig(emu.url)
			insecure.Insecure = true
			if _, err := newTestClient(t, insecure).RestoreInstance(ctx, demoInstanceID, demoBackupID); err != nil {
				t.Fatalf("RestoreInstance with Insecure: %v", err)
			}
			if restores, _ := emu.counters(t, demoInstanceID); restores != 1 {
				t.Errorf("restores started: %d, want 1", restores)
			}
		})
	}

	// Running as root (CI does), a file without read permission is still read: these are
	// files that exist and cannot be used, a directory, and a path that does not exist.
	for _, unusable := range []struct{ what, path string }{
		{"text that is not PEM", filepath.Join(certs, "not_pem.pem")},
		{"a corrupt certificate", filepath.Join(certs, "corrupt.pem")},
		{"a directory", certs},
		{"a missing file", filepath.Join(certs, "missing.pem")},
	} {
		ca := unusable.path
		t.Run("a CAFile that is "+unusable.what+" fails clearly, once", func(t *testing.T) {
			client := trusting(good, ca)
			requests := good.requests(t)
			refused(t, good, func() error { _, err := client.ShowInstance(ctx, demoInstanceID); return err },
				"certificate file", ca)
			if n := good.requests(t); n != requests {
				t.Errorf("the emulator received %d requests, want none", n-requests)
			}
		})
	}

	t.Run("keep-alive over TLS: many calls, one connection", func(t *testing.T) {
		const calls = 20
		client := trusting(good, caFile)
		wire := watchWire(t, good.url)
		for i := 0; i < calls; i++ {
			if _, err := client.ShowInstance(ctx, demoInstanceID); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		n := wire.since(t).Connections
		t.Logf("%d calls over TLS used %d connection(s)", calls, n)
		if n != 1 {
			t.Errorf("%d calls used %d connections, want 1", calls, n)
		}
	})
}
