package state

import (
	"context"
	"log"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// RestoreFailureCode is set on a restore whose data could not be put back.
const RestoreFailureCode = "dcs.08.0007"

// StartRestore answers RestoreInstance: it validates like DCS, records the restore and
// starts its state machine (waiting → restoring → succeed | failed).
func (s *Store) StartRestore(projectID, instanceID, backupID, remark string) (string, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, instanceID)
	if err != nil {
		return "", err
	}
	if in.CacheMode == "single" {
		return "", ErrSingleNode
	}
	// The backup is checked before the instance's business, so a test can put a
	// backup in any status and get 111400087 for it.
	b := in.backup(backupID)
	if b == nil {
		return "", ErrBadBackupID
	}
	if b.Status != StatusSucceed || b.IsSupportRestore != "TRUE" {
		return "", ErrBackupNotOK
	}
	if in.activeRestore() != nil {
		return "", ErrRestoring
	}
	if in.activeBackup() != nil {
		return "", ErrBackuping
	}
	if in.Status != InstanceRunning {
		return "", ErrNotRunning
	}
	now := s.now()
	r := &Restore{
		ID: ids.NewUUID(), BackupID: b.ID, BackupName: b.Name, BackupRemark: b.Remark,
		Remark: remark, Status: StatusWaiting, CreatedAt: now, UpdatedAt: now,
	}
	in.Restores = append(in.Restores, r)
	// Counted here, when the emulator commits to the restore, so a restore started by
	// a request whose answer is then lost (close_after) is counted too.
	in.RestoresStarted++
	s.restoresStarted++
	s.tasks.Add(1)
	go s.runRestore(s.ctx, s.generation, in, r, b.File, s.timings)
	return r.ID, nil
}

func (s *Store) runRestore(ctx context.Context, gen int, in *Instance, r *Restore, file string, t Timings) {
	defer s.tasks.Done()
	if !sleep(ctx, ms(t.RestoreWaitingMs)) {
		return
	}
	s.mu.Lock()
	if gen != s.generation {
		s.mu.Unlock()
		return
	}
	now := s.now()
	r.Status, r.UpdatedAt, r.phaseStart, r.phaseLen = StatusRestoring, now, now, ms(t.RestoreRunningMs)
	in.Status = InstanceRestoring
	data := in.Data
	s.mu.Unlock()

	began := time.Now()
	failure := t.FailRestores
	if failure == "" && data != nil {
		if file == "" {
			log.Printf("restore %s: backup %s holds no data file", r.ID, r.BackupID)
			failure = RestoreFailureCode
		} else if err := data.Restore(file); err != nil {
			log.Printf("restore %s of instance %s failed: %v", r.ID, in.ID, err)
			failure = RestoreFailureCode
		}
	}
	if !sleep(ctx, ms(t.RestoreRunningMs)-time.Since(began)) {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.generation {
		return
	}
	r.UpdatedAt = s.now()
	if failure != "" {
		r.Status, r.ErrorCode = StatusFailed, failure
	} else {
		r.Status = StatusSucceed
	}
	in.Status = InstanceRunning
}

// ListRestores answers ListRestoreRecords: newest first, filtered and paged.
func (s *Store) ListRestores(projectID, instanceID string, p Page) ([]RestoreView, int, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, instanceID)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	var matched []RestoreView
	for i := len(in.Restores) - 1; i >= 0; i-- {
		if r := in.Restores[i]; p.matches(r.CreatedAt) {
			matched = append(matched, r.view(now))
		}
	}
	return page(matched, p), len(matched), nil
}
