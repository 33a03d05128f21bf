// The seed: the world the emulator starts in and returns to on reset, from --demo or a seed
// file.

package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
)

// Seed is the world the emulator starts in and returns to on reset.
type Seed struct {
	Credentials []auth.Credential `json:"credentials"`
	Instances   []SeedInstance    `json:"instances"`
	// Timings overrides fields of the preset; fields it leaves out keep the preset's.
	Timings json.RawMessage `json:"timings,omitempty"`
	// Preset names the base timings that Timings overrides: fast or realistic.
	Preset string `json:"-"`
}

// SeedInstance is an instance with data and backups. Backups snapshot Data;
// DataAfterBackups is written after them, so a restore visibly removes it.
type SeedInstance struct {
	InstanceSpec
	Data             map[string]string `json:"data"`
	Backups          []BackupSpec      `json:"backups"`
	DataAfterBackups map[string]string `json:"data_after_backups"`
}

// The demo project (see README "Demo seed").
const (
	DemoAccessKey  = "DEMOACCESSKEY0000001"
	DemoSecretKey  = "demo-secret-key-0123456789abcdefghijklmnop"
	DemoProjectID  = "0123456789abcdef0123456789abcdef"
	DemoInstanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	DemoBackupID   = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
)

// DemoSeed is what --demo loads.
func DemoSeed() Seed {
	return Seed{
		Credentials: []auth.Credential{{AccessKey: DemoAccessKey, SecretKey: DemoSecretKey, ProjectID: DemoProjectID}},
		Instances: []SeedInstance{{
			InstanceSpec:     InstanceSpec{InstanceID: DemoInstanceID, Name: "demo-redis", CacheMode: "ha", Status: InstanceRunning},
			Data:             map[string]string{"greeting": "hello", "counter": "1"},
			Backups:          []BackupSpec{{BackupID: DemoBackupID, Status: StatusSucceed, IsSupportRestore: "TRUE", Remark: "demo backup"}},
			DataAfterBackups: map[string]string{"scratch": "written-after-backup"},
		}},
	}
}

// LoadSeed reads a seed file. Unknown fields are errors, so a typo does not silently
// seed nothing.
func LoadSeed(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

// Merge adds another seed's credentials and instances (used for --demo with --seed).
func (s Seed) Merge(o Seed) Seed {
	s.Credentials = append(append([]auth.Credential(nil), s.Credentials...), o.Credentials...)
	s.Instances = append(append([]SeedInstance(nil), s.Instances...), o.Instances...)
	if o.Timings != nil {
		s.Timings = o.Timings
	}
	return s
}

// timings are the preset with the seed's own timings applied over it.
func (s Seed) timings() Timings {
	t, err := TimingsPreset(s.Preset)
	if err != nil {
		t = FastTimings
	}
	if len(s.Timings) > 0 {
		_ = json.Unmarshal(s.Timings, &t) // checked by Validate
	}
	return t
}

// Validate checks what can be checked before starting anything.
func (s Seed) Validate() error {
	for _, c := range s.Credentials {
		if c.AccessKey == "" || c.SecretKey == "" || c.ProjectID == "" {
			return fmt.Errorf("seed credential needs ak, sk and project_id")
		}
		if _, err := c.Expiry(); err != nil {
			return fmt.Errorf("seed credential %s: expires_at must be an RFC 3339 time", c.AccessKey)
		}
	}
	if _, err := TimingsPreset(s.Preset); err != nil {
		return err
	}
	if len(s.Timings) > 0 {
		t := FastTimings
		dec := json.NewDecoder(bytes.NewReader(s.Timings))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			return fmt.Errorf("seed timings: %w", err)
		}
		return t.Validate()
	}
	return nil
}

// apply creates the seed's instances: data first, then backups of that data (dated in
// the past so they precede anything a test creates), then the after-backup data.
func (s Seed) apply(st *Store) error {
	for _, si := range s.Instances {
		view, err := st.CreateInstance(si.InstanceSpec)
		if err != nil {
			return err
		}
		id := view.InstanceID
		if len(si.Data) > 0 && !st.StateOnly() {
			if err := st.SetData(id, si.Data); err != nil {
				return fmt.Errorf("seeding data of %s: %w", id, err)
			}
		}
		for i, b := range si.Backups {
			created := st.now().Add(-time.Duration(len(si.Backups)-i) * time.Hour)
			if _, err := st.createBackupAt(id, b, created); err != nil {
				return fmt.Errorf("seeding backup of %s: %w", id, err)
			}
		}
		if len(si.DataAfterBackups) > 0 && !st.StateOnly() {
			if err := st.SetData(id, si.DataAfterBackups); err != nil {
				return fmt.Errorf("seeding data of %s: %w", id, err)
			}
		}
	}
	return nil
}
