// What the admin API arranges about one instance's restores: how long its next restores
// take (so that one emulator runs restores of different lengths side by side), and a
// history of finished restore records (so that a listing has more than a page to page).

package state

import (
	"fmt"
	"sort"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// RestoreTimings overrides the global timings for the restores an instance starts
// from now on; a field left out (null) keeps the global value.
type RestoreTimings struct {
	WaitingMs *int64 `json:"restore_waiting_ms"`
	RunningMs *int64 `json:"restore_running_ms"`
}

// over returns t with the instance's overrides applied.
func (rt *RestoreTimings) over(t Timings) Timings {
	if rt == nil {
		return t
	}
	if rt.WaitingMs != nil {
		t.RestoreWaitingMs = *rt.WaitingMs
	}
	if rt.RunningMs != nil {
		t.RestoreRunningMs = *rt.RunningMs
	}
	return t
}

// SetRestoreTimings sets (or, with both fields null, clears) an instance's restore
// durations. Restores already started keep theirs.
func (s *Store) SetRestoreTimings(id string, rt RestoreTimings) (RestoreTimings, error) {
	for _, v := range []*int64{rt.WaitingMs, rt.RunningMs} {
		if v != nil && *v < 0 {
			return RestoreTimings{}, fmt.Errorf("restore timings must not be negative")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return RestoreTimings{}, ErrNotFound
	}
	in.restoreTimings = nil
	if rt.WaitingMs != nil || rt.RunningMs != nil {
		in.restoreTimings = &rt
	}
	return rt, nil
}

// RestoreHistory describes finished restore records to add to an instance's history,
// created before anything a test starts and placed in time by its SeedSpan.
type RestoreHistory struct {
	SeedSpan
	BackupID string `json:"backup_id"` // default: the instance's newest backup
	Status   string `json:"status"`    // succeed (default) or failed
}

// maxSeededRestores bounds one request: enough for any listing test, not a memory bomb.
const maxSeededRestores = 100000

func (h *RestoreHistory) defaults() error {
	if err := h.SeedSpan.defaults(maxSeededRestores); err != nil {
		return err
	}
	if h.Status == "" {
		h.Status = StatusSucceed
	}
	if h.Status != StatusSucceed && h.Status != StatusFailed {
		return fmt.Errorf("status must be succeed or failed")
	}
	return nil
}

// SeedRestores adds finished restore records to an instance's history. They are listed
// at once and count in the instance's "restores", not in restores_started (no restore
// ran). Returns how many records the instance has now.
func (s *Store) SeedRestores(id string, h RestoreHistory) (int, error) {
	if err := h.defaults(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return 0, ErrNotFound
	}
	var b *Backup
	if h.BackupID != "" {
		if b = in.backup(h.BackupID); b == nil {
			return 0, fmt.Errorf("instance %s has no backup %s", id, h.BackupID)
		}
	} else if len(in.Backups) > 0 {
		b = in.Backups[len(in.Backups)-1]
	}
	seeded := make([]*Restore, 0, h.Count)
	for _, created := range h.times(s.now()) {
		r := &Restore{
			ID: ids.NewUUID(), Remark: "seeded history", Status: h.Status,
			CreatedAt: created, UpdatedAt: created.Add(ms(h.SpacingMs) / 2),
		}
		if b != nil {
			r.BackupID, r.BackupName, r.BackupRemark = b.ID, b.Name, b.Remark
		}
		if h.Status == StatusFailed {
			r.ErrorCode = RestoreFailureCode
		}
		seeded = append(seeded, r)
	}
	// The listing walks the records newest first from the end: keep them in creation order.
	in.Restores = append(seeded, in.Restores...)
	sort.SliceStable(in.Restores, func(i, j int) bool {
		return in.Restores[i].CreatedAt.Before(in.Restores[j].CreatedAt)
	})
	return len(in.Restores), nil
}
