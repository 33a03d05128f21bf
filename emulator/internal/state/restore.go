// Restores in the emulated world: RestoreInstance's checks, the state machine that really
// replaces the instance's data, and the listing with its optional delay.

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
	// backup in any status and get DCS.4087 for it.
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
	t := in.restoreTimings.over(s.timings)
	r := &Restore{
		ID: ids.NewUUID(), BackupID: b.ID, BackupName: b.Name, BackupRemark: b.Remark,
		Remark: remark, Status: StatusWaiting, CreatedAt: now, UpdatedAt: now,
		listedFrom: now.Add(ms(t.RestoreListingDelayMs)),
	}
	in.Restores = append(in.Restores, r)
	// Counted here, when the emulator commits to the restore, so a restore started by
	// a request whose answer is then lost (close_after) is counted too.
	in.RestoresStarted++
	s.restoresStarted++
	s.tasks.Add(1)
	go s.runRestore(s.ctx, s.generation, in, r, b.File, b.Corrupt, t)
	return r.ID, nil
}

func (s *Store) runRestore(ctx context.Context, gen int, in *Instance, r *Restore, file string, corrupt bool, t Timings) {
	defer s.tasks.Done()
	if !sleep(ctx, ms(t.RestoreWaitingMs)) {
		return
	}
	// As on DCS, read/write to the instance is suspended for the whole restoring phase
	// (clients are refused: it is stopped before the record says "restoring"), the data
	// is replaced at its end and served again.
	s.mu.Lock()
	data := in.Data
	s.mu.Unlock()
	began := time.Now()
	failure := t.FailRestores
	if data == nil && corrupt && failure == "" {
		failure = RestoreFailureCode // state-only: no redis-server to fail loading it
	}
	suspended := false
	if data != nil {
		if err := data.Suspend(); err != nil {
			log.Printf("restore %s of instance %s: suspending its redis-server: %v", r.ID, in.ID, err)
			if failure == "" {
				failure = RestoreFailureCode
			}
		} else {
			suspended = true
		}
	}
	s.mu.Lock()
	if gen != s.generation {
		s.mu.Unlock()
		return
	}
	now := s.now()
	r.Status, r.UpdatedAt, r.phaseStart, r.phaseLen = StatusRestoring, now, now, ms(t.RestoreRunningMs)
	in.Status = InstanceRestoring
	s.mu.Unlock()

	if !sleep(ctx, ms(t.RestoreRunningMs)-time.Since(began)) {
		return // reset or shutdown: the data stores are stopped anyway
	}
	broken := false
	if suspended {
		src := file
		if failure != "" {
			src = "" // a failing restore keeps the data
		} else if file == "" {
			log.Printf("restore %s: backup %s holds no data file", r.ID, r.BackupID)
			failure, src = RestoreFailureCode, ""
		}
		if err := data.Resume(src); err != nil {
			log.Printf("restore %s of instance %s failed: %v", r.ID, in.ID, err)
			if failure == "" {
				failure = RestoreFailureCode
			}
			broken = data.Down()
		}
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
	if broken {
		// Not even the old data came back: the instance is not RUNNING without data.
		in.Status = InstanceError
	}
}

// ListRestores answers ListRestoreRecords: newest first, filtered and paged. A record
// still inside its listing delay is left out, of the page and of the total alike.
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
		if r := in.Restores[i]; r.listed(now) && p.matches(r.CreatedAt) {
			matched = append(matched, r.view(now, s.timings.EmptyObjectStrings))
		}
	}
	return page(matched, p), len(matched), nil
}
