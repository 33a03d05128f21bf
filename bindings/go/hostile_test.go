// Tests that hostile ids, remarks and configuration values are refused with
// ErrInvalidArgument before anything is sent.

package dcs

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// hostileIDs are values that must never reach the network as an id: path traversal,
// encoded separators, query and fragment markers, header injection, NUL (which C would
// silently cut at), oversized, ill-formed UTF-8 and empty.
var hostileIDs = map[string]string{
	"dot-dot":        "../" + demoInstanceID,
	"encoded slash":  demoInstanceID + "%2Frestores",
	"query":          demoInstanceID + "?limit=1",
	"fragment":       demoInstanceID + "#x",
	"CR LF":          demoInstanceID + "\r\nX-Injected: 1",
	"NUL":            demoInstanceID + "\x00/../other",
	"1 MB":           strings.Repeat("a", 1<<20),
	"invalid UTF-8":  "\xff\xfe" + demoInstanceID,
	"empty":          "",
	"space":          demoInstanceID + " ",
	"unicode letter": "ínstance",
}

func TestHostileInputsAreRefusedBeforeAnythingIsSent(t *testing.T) {
	client := newTestClient(t, testConfig())
	ctx := context.Background()
	clearRequestLog(t)

	for name, bad := range hostileIDs {
		calls := map[string]func() error{
			"RestoreInstance instance": func() error { _, err := client.RestoreInstance(ctx, bad, demoBackupID); return err },
			"RestoreInstance backup":   func() error { _, err := client.RestoreInstance(ctx, demoInstanceID, bad); return err },
			"WaitForRestore":           func() error { _, err := client.WaitForRestore(ctx, demoInstanceID, bad); return err },
			"GetRestore":               func() error { _, err := client.GetRestore(ctx, demoInstanceID, bad); return err },
			"ListRestores":             func() error { _, err := client.ListRestores(ctx, bad); return err },
			"ListBackups":              func() error { _, err := client.ListBackups(ctx, bad); return err },
			"CreateBackup":             func() error { _, err := client.CreateBackup(ctx, bad); return err },
			"DeleteBackup":             func() error { return client.DeleteBackup(ctx, demoInstanceID, bad) },
			"ShowInstance":             func() error { _, err := client.ShowInstance(ctx, bad); return err },
		}
		for call, run := range calls {
			err := run()
			var e *Error
			if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) || e.RequestSent != SentNo {
				t.Errorf("%s with a %s id: %v, want ErrInvalidArgument with nothing sent", call, name, err)
			}
		}
	}

	hostileRemarks := map[string]string{
		"NUL":           "ok\x00hidden",
		"CR LF":         "line\r\nX-Injected: 1",
		"1 MB":          strings.Repeat("r", 1<<20),
		"invalid UTF-8": "bad \xc3\x28 remark",
	}
	for name, bad := range hostileRemarks {
		if _, err := client.RestoreInstance(ctx, demoInstanceID, demoBackupID, WithRemark(bad)); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("RestoreInstance with a %s remark: %v, want ErrInvalidArgument", name, err)
		}
	}
	if _, err := client.RestoreInstance(ctx, demoInstanceID, demoBackupID, WithMaxAttempts(101)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("RestoreInstance with 101 attempts: %v, want ErrInvalidArgument", err)
	}
	if _, err := client.CreateBackup(ctx, demoInstanceID, WithBackupFormat("zip")); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("CreateBackup with format zip: %v, want ErrInvalidArgument", err)
	}

	if log := requestLog(t); len(log) != 0 {
		t.Fatalf("refused calls still sent %d requests, first %+v", len(log), log[0])
	}
}

func TestHostileConfigurationIsRefused(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"NUL in the secret key":   func(c *Config) { c.SecretKey = "secret\x00" },
		"CR LF in the access key": func(c *Config) { c.AccessKey = "AK\r\nX-Injected: 1" },
		"endpoint with a path":    func(c *Config) { c.Endpoint = emulatorURL + "/v2/../x" },
		"endpoint with user info": func(c *Config) { c.Endpoint = "http://user:pw@127.0.0.1:1" },
		"project with a slash":    func(c *Config) { c.ProjectID = "../" + demoProjectID },
		"NUL in the endpoint":     func(c *Config) { c.Endpoint = emulatorURL + "\x00.evil" },
		"CR LF in the UA suffix":  func(c *Config) { c.UserAgentSuffix = "x\r\nX-Injected: 1" },
		"attempts out of range":   func(c *Config) { c.MaxAttempts = 1000 },
		"negative timeout":        func(c *Config) { c.Timeout = -1 },
	} {
		cfg := testConfig()
		mutate(&cfg)
		client, err := NewClient(cfg)
		if err == nil {
			client.Close()
		}
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: NewClient = %v, want ErrInvalidArgument", name, err)
		}
	}
}
