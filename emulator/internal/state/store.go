// The Store that holds the whole emulated world under one lock: its life (load, reset,
// close), credentials, timings and counters.

package state

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
)

// Store is the whole emulated world. One mutex guards it; slow work (Redis restarts,
// snapshots) runs outside the lock on the instance's DataStore.
type Store struct {
	mu          sync.Mutex
	seed        Seed
	newData     DataFactory
	backupDir   string
	now         func() time.Time
	credentials map[string]auth.Credential
	instances   map[string]*Instance
	order       []string // instance ids in creation order
	timings     Timings
	metadata    MetadataConfig

	restoresStarted int
	backupsStarted  int

	// ctx is cancelled at reset and close so that task goroutines of the old world
	// stop touching it; generation tells a task that woke up late that it is stale.
	ctx        context.Context
	cancel     context.CancelFunc
	generation int
	tasks      sync.WaitGroup
}

// Config builds a Store.
type Config struct {
	Seed      Seed
	Data      DataFactory // nil = state-only
	BackupDir string      // where backup RDB files are kept
	Now       func() time.Time
}

// New builds a store and applies the seed.
func New(cfg Config) (*Store, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Store{seed: cfg.Seed, newData: cfg.Data, backupDir: cfg.BackupDir, now: cfg.Now}
	if err := s.load(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// StateOnly reports whether instances have no real data.
func (s *Store) StateOnly() bool { return s.newData == nil }

// load installs the seed into an empty world. Called with no lock held: it starts
// redis servers.
func (s *Store) load() error {
	s.mu.Lock()
	s.credentials = map[string]auth.Credential{}
	s.instances = map[string]*Instance{}
	s.order = nil
	s.restoresStarted, s.backupsStarted = 0, 0
	s.timings = s.seed.timings()
	s.metadata = MetadataConfig{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.generation++
	for _, c := range s.seed.Credentials {
		s.credentials[c.AccessKey] = c
	}
	s.mu.Unlock()
	return s.seed.apply(s)
}

// Reset drops everything and reapplies the seed.
func (s *Store) Reset() error {
	s.teardown()
	return s.load()
}

// Close stops every task and every data store; the store must not be used after.
func (s *Store) Close() {
	s.teardown()
}

func (s *Store) teardown() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.generation++
	instances := s.instances
	s.instances = map[string]*Instance{}
	s.order = nil
	s.mu.Unlock()
	// Tasks notice the cancelled context; wait so none touches a stopped Redis.
	s.tasks.Wait()
	for _, in := range instances {
		if in.Data != nil {
			if err := in.Data.Close(); err != nil {
				log.Printf("stopping data store of %s: %v", in.ID, err)
			}
		}
	}
	if s.backupDir != "" {
		entries, _ := os.ReadDir(s.backupDir)
		for _, e := range entries {
			_ = os.RemoveAll(filepath.Join(s.backupDir, e.Name()))
		}
	}
}

// LookupCredential finds a credential by access key.
func (s *Store) LookupCredential(ak string) (auth.Credential, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.credentials[ak]
	return c, ok
}

// AddCredential adds or replaces a credential.
func (s *Store) AddCredential(c auth.Credential) error {
	if c.AccessKey == "" || c.SecretKey == "" || c.ProjectID == "" {
		return fmt.Errorf("ak, sk and project_id are required")
	}
	if _, err := c.Expiry(); err != nil {
		return fmt.Errorf("expires_at must be an RFC 3339 time: %v", err)
	}
	if c.ExpiresAt != "" && c.SecurityToken == "" {
		return fmt.Errorf("expires_at is for temporary credentials: give a security_token too")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credentials[c.AccessKey] = c
	return nil
}

// Timings returns the current timings.
func (s *Store) Timings() Timings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.timings
}

// SetTimings replaces the timings; tasks already running keep theirs.
func (s *Store) SetTimings(t Timings) error {
	if err := t.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timings = t
	return nil
}

// Counters are the global task counters.
func (s *Store) Counters() (restoresStarted, backupsStarted int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restoresStarted, s.backupsStarted
}

// instance finds an instance of a project; caller holds the lock.
func (s *Store) instance(projectID, id string) (*Instance, *Error) {
	in, ok := s.instances[id]
	if !ok || (projectID != "" && in.ProjectID != projectID) {
		return nil, ErrNoSuchInstance
	}
	return in, nil
}

// defaultProject is the project of admin-created instances that name none.
func (s *Store) defaultProject() string {
	for _, c := range s.seed.Credentials {
		return c.ProjectID
	}
	aks := make([]string, 0, len(s.credentials))
	for ak := range s.credentials {
		aks = append(aks, ak)
	}
	sort.Strings(aks)
	if len(aks) > 0 {
		return s.credentials[aks[0]].ProjectID
	}
	return DemoProjectID
}

// sleep waits d unless the world is reset meanwhile; false means stop.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Secrets lists every secret key and security token, for log redaction.
func (s *Store) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.credentials {
		for _, v := range []string{c.SecretKey, c.SecurityToken} {
			if len(v) >= 4 { // a tiny "secret" would redact half the log
				out = append(out, v)
			}
		}
	}
	return out
}
