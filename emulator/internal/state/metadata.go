// The ECS metadata service's side of the world: whether it hands out temporary
// credentials, for which project, and for how long they live. Part of the Store so a
// reset turns it off with everything else.

package state

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
)

// MetadataConfig is what PUT /_emulator/metadata sets. An empty ProjectID means the
// "instance" has no agency: the security-key endpoint refuses, as ECS does then.
type MetadataConfig struct {
	ProjectID string `json:"project_id"`
	// TTLMs is the lifetime of each issued credential (default 15 minutes when 0).
	TTLMs int64 `json:"ttl_ms"`
}

// DefaultMetadataTTL is the lifetime of issued credentials when the config names none.
const DefaultMetadataTTL = 15 * time.Minute

// Validate checks a metadata configuration.
func (c MetadataConfig) Validate() error {
	if c.TTLMs < 0 || c.TTLMs > int64(24*time.Hour/time.Millisecond) {
		return fmt.Errorf("ttl_ms must be between 0 and 86400000")
	}
	return nil
}

// SetMetadata replaces the metadata configuration.
func (s *Store) SetMetadata(c MetadataConfig) error {
	if err := c.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metadata = c
	return nil
}

// Metadata returns the metadata configuration.
func (s *Store) Metadata() MetadataConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.metadata
}

// IssueTemporaryCredential makes a fresh temporary AK/SK/token for the configured
// project, valid from now for the TTL, and registers it so the gateway accepts it
// until it expires. ok is false when no agency is configured.
func (s *Store) IssueTemporaryCredential() (auth.Credential, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metadata.ProjectID == "" {
		return auth.Credential{}, false, nil
	}
	ttl := time.Duration(s.metadata.TTLMs) * time.Millisecond
	if ttl == 0 {
		ttl = DefaultMetadataTTL
	}
	ak, err := randomText(10)
	if err != nil {
		return auth.Credential{}, false, err
	}
	sk, err := randomText(20)
	if err != nil {
		return auth.Credential{}, false, err
	}
	token, err := randomText(32)
	if err != nil {
		return auth.Credential{}, false, err
	}
	c := auth.Credential{
		AccessKey:     "TMP" + ak,
		SecretKey:     sk,
		ProjectID:     s.metadata.ProjectID,
		SecurityToken: "tmp-token-" + token,
		// Millisecond precision, so that short test TTLs are exact.
		ExpiresAt: s.now().Add(ttl).UTC().Format("2006-01-02T15:04:05.000000Z"),
	}
	s.credentials[c.AccessKey] = c
	return c, true, nil
}

func randomText(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
