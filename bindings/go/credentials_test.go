// Credentials that outlive a long wait, from Go: a CredentialsProvider and the (emulated)
// metadata service are asked again before their credentials expire; a provider's error or
// panic is ErrAuth with nothing sent; the profile file supplies keys and project. Counted on
// the emulator: credentials issued, requests refused as expired.

package dcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func emulatorStat(t *testing.T, name string) int64 {
	t.Helper()
	stats := map[string]int64{}
	admin(t, "GET", "/stats", nil, &stats)
	value, ok := stats[name]
	if !ok {
		t.Fatalf("the emulator has no %s counter: rebuild it, or set DCS_EMULATOR", name)
	}
	return value
}

// keylessConfig talks to the emulator with a project and no keys.
func keylessConfig() Config {
	return Config{Endpoint: emulatorURL, ProjectID: demoProjectID, IgnoreEnvironment: true, MaxAttempts: 1}
}

func restoreAndWait(t *testing.T, client *Client, running time.Duration) {
	t.Helper()
	instance := newInstance(t, "ha")
	backup := newBackup(t, instance)
	admin(t, "PUT", "/instances/"+instance+"/restore_timings",
		map[string]int64{"restore_waiting_ms": 50, "restore_running_ms": running.Milliseconds()}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), running+20*time.Second)
	defer cancel()
	started, err := client.StartRestore(ctx, instance, backup)
	if err != nil {
		t.Fatalf("StartRestore: %v", err)
	}
	record, err := client.WaitForRestore(ctx, instance, started.RestoreID,
		WithPollInterval(100*time.Millisecond), WithMaxPollInterval(100*time.Millisecond))
	if err != nil {
		t.Fatalf("WaitForRestore: %v", err)
	}
	if record.Status != "succeed" {
		t.Fatalf("status %q", record.Status)
	}
}

func TestMetadataCredentialsRefreshThroughAWait(t *testing.T) {
	admin(t, "PUT", "/metadata", map[string]any{"project_id": demoProjectID, "ttl_ms": 1500}, nil)
	t.Cleanup(func() { admin(t, "PUT", "/metadata", map[string]any{"project_id": ""}, nil) })
	cfg := keylessConfig()
	cfg.UseMetadata, cfg.MetadataEndpoint = true, emulatorURL
	client := newTestClient(t, cfg)
	issued, refused := emulatorStat(t, "credentials_issued"), emulatorStat(t, "expired_refused")
	restoreAndWait(t, client, 3500*time.Millisecond)
	if n := emulatorStat(t, "credentials_issued") - issued; n < 3 {
		t.Errorf("%d credentials issued during a wait of 2.3 lifetimes, want at least 3", n)
	}
	// A request stalled past the refresh margin on a loaded machine is retried once.
	if n := emulatorStat(t, "expired_refused") - refused; n > 1 {
		t.Errorf("%d requests refused as expired", n)
	}
}

func TestProviderIsCalledAgainBeforeExpiry(t *testing.T) {
	var mu sync.Mutex
	type call struct{ at, expires time.Time }
	var calls []call
	provider := func() (Credentials, error) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		ak := fmt.Sprintf("GOVAULT%dX%d", len(calls)+1, now.UnixMilli()%100000)
		creds := Credentials{AccessKey: ak, SecretKey: "secret-" + ak, SecurityToken: "token-" + ak,
			ExpiresAt: time.Unix(now.Unix()+2, 0)}
		admin(t, "POST", "/credentials", map[string]string{"ak": ak, "sk": creds.SecretKey,
			"project_id": demoProjectID, "security_token": creds.SecurityToken}, nil)
		calls = append(calls, call{now, creds.ExpiresAt})
		return creds, nil
	}
	cfg := keylessConfig()
	cfg.CredentialsProvider = provider
	client := newTestClient(t, cfg)
	restoreAndWait(t, client, 4*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) < 3 {
		t.Fatalf("provider called %d times during a wait of 2 lifetimes", len(calls))
	}
	for i := 1; i < len(calls); i++ {
		if !calls[i].at.Before(calls[i-1].expires) {
			t.Errorf("call %d at %v, after the previous credentials expired at %v", i, calls[i].at, calls[i-1].expires)
		}
	}
}

func TestProviderFailureIsErrAuthAndSendsNothing(t *testing.T) {
	instance := newInstance(t, "ha")
	for name, provider := range map[string]CredentialsProvider{
		"error": func() (Credentials, error) { return Credentials{}, errors.New("the vault is sealed") },
		"panic": func() (Credentials, error) { panic("the vault is sealed") },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := keylessConfig()
			cfg.CredentialsProvider = provider
			client := newTestClient(t, cfg)
			before := emulatorStat(t, "requests")
			_, err := client.ListRestores(context.Background(), instance)
			if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "the vault is sealed") {
				t.Fatalf("err = %v, want ErrAuth with the provider's message", err)
			}
			if n := emulatorStat(t, "requests") - before; n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}

func TestProfileFileGivesKeysAndProject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	text := fmt.Sprintf("[basic]\nak = %s\nsk = %s\nproject_id = %s\n", demoAccessKey, demoSecretKey, demoProjectID)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	client := newTestClient(t, Config{Endpoint: emulatorURL, IgnoreEnvironment: true, UseProfile: true, ProfileFile: path})
	if _, err := client.ListRestores(context.Background(), newInstance(t, "ha")); err != nil {
		t.Fatalf("ListRestores: %v", err)
	}
	_, err := NewClient(Config{Endpoint: emulatorURL, IgnoreEnvironment: true, UseProfile: true, ProfileFile: path, ProfileName: "missing"})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "[missing]") {
		t.Fatalf("err = %v, want ErrInvalidArgument naming the section", err)
	}
}
