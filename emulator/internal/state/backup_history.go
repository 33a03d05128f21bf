// A history of backup records the admin API adds to an instance, so that a backup listing
// has more than a page to page and a selection by time has old backups to choose from.

package state

import (
	"fmt"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// BackupHistory describes backup records to add to an instance's history, placed in time
// by its SeedSpan. They are records only: no snapshot is taken, so in data mode a restore
// from one fails (no data file).
type BackupHistory struct {
	SeedSpan
	Status           string `json:"status"`             // succeed (default), failed, ...
	IsSupportRestore string `json:"is_support_restore"` // TRUE (default) or FALSE
	BackupType       string `json:"backup_type"`        // manual (default) or auto
}

// maxSeededBackups bounds one request: enough for any paging test, not a memory bomb.
const maxSeededBackups = 100000

func (h *BackupHistory) defaults() error {
	if err := h.SeedSpan.defaults(maxSeededBackups); err != nil {
		return err
	}
	if h.Status == "" {
		h.Status = StatusSucceed
	}
	if !backupStatuses[h.Status] {
		return fmt.Errorf("status must be one of waiting, backuping, succeed, failed, expired, deleted")
	}
	if h.IsSupportRestore == "" {
		h.IsSupportRestore = "TRUE"
	}
	if h.IsSupportRestore != "TRUE" && h.IsSupportRestore != "FALSE" {
		return fmt.Errorf(`is_support_restore must be "TRUE" or "FALSE"`)
	}
	if h.BackupType == "" {
		h.BackupType = "manual"
	}
	if h.BackupType != "manual" && h.BackupType != "auto" {
		return fmt.Errorf(`backup_type must be "manual" or "auto"`)
	}
	return nil
}

// SeedBackups adds backup records to an instance's history; they are listed at once and
// do not count in backups_started (no backup ran). Returns how many backups the instance
// has now.
func (s *Store) SeedBackups(id string, h BackupHistory) (int, error) {
	if err := h.defaults(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[id]
	if !ok {
		return 0, ErrNotFound
	}
	seeded := make([]*Backup, 0, h.Count)
	for _, created := range h.times(s.now()) {
		b := &Backup{
			ID: ids.NewUUID(), Name: "backup_" + ids.Compact(created), Remark: "seeded history",
			Type: h.BackupType, Format: "rdb", Status: h.Status, IsSupportRestore: h.IsSupportRestore,
			Size: stateOnlyBackupSize, CreatedAt: created, UpdatedAt: created, ExecutionAt: created,
		}
		if h.Status == StatusFailed {
			b.ErrorCode = BackupFailureCode
		}
		seeded = append(seeded, b)
	}
	in.addBackups(seeded...)
	return len(in.Backups), nil
}
