// Tests of the metadata endpoint: refusal without an agency, credentials that the store
// accepts until their TTL, and the issue counter.

package metadata

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

func TestSecurityKey(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	store, err := state.New(state.Config{Seed: state.DemoSeed(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	counters := &stats.Counters{}
	srv := httptest.NewServer(&Handler{Store: store, Stats: counters})
	defer srv.Close()

	resp, err := http.Get(srv.URL + SecurityKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || counters.CredentialsIssued.Load() != 0 {
		t.Fatalf("without an agency: status %d, issued %d", resp.StatusCode, counters.CredentialsIssued.Load())
	}

	if err := store.SetMetadata(state.MetadataConfig{ProjectID: state.DemoProjectID, TTLMs: 1500}); err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(srv.URL + SecurityKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Credential struct {
			Access, Secret, Securitytoken string
			ExpiresAt                     string `json:"expires_at"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	c := body.Credential
	if c.Access == "" || c.Secret == "" || c.Securitytoken == "" {
		t.Fatalf("incomplete credential %+v", c)
	}
	expiry, err := time.Parse(time.RFC3339, c.ExpiresAt)
	if err != nil || !expiry.Equal(now.Add(1500*time.Millisecond)) {
		t.Fatalf("expires_at %q (%v), want now + 1.5 s", c.ExpiresAt, err)
	}
	stored, ok := store.LookupCredential(c.Access)
	if !ok || stored.SecretKey != c.Secret || stored.ProjectID != state.DemoProjectID {
		t.Fatalf("issued credential not registered: %+v", stored)
	}
	if counters.CredentialsIssued.Load() != 1 {
		t.Fatalf("issued %d, want 1", counters.CredentialsIssued.Load())
	}
	if err := store.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, ok := store.LookupCredential(c.Access); ok || store.Metadata().ProjectID != "" {
		t.Fatal("reset kept the metadata agency or its credential")
	}
}
