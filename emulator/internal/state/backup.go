// Backups in the emulated world: CopyInstance's state machine, listing and deletion, and the
// backups that the admin API and the seed create directly.

package state

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// BackupFailureCode is set on a backup whose snapshot could not be taken.
const BackupFailureCode = "dcs.08.0001"

// stateOnlyBackupSize is the nominal size of a backup when there is no real data.
const stateOnlyBackupSize = 1024

func (s *Store) backupFile(instanceID, backupID string) string {
	if s.backupDir == "" {
		return ""
	}
	return filepath.Join(s.backupDir, instanceID, backupID+".rdb")
}

// StartBackup answers CopyInstance: it records a manual backup and starts its state
// machine (waiting → backuping → succeed | failed).
func (s *Store) StartBackup(projectID, instanceID, remark, format string) (string, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, instanceID)
	if err != nil {
		return "", err
	}
	if in.CacheMode == "single" {
		return "", ErrSingleNode
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
	b := &Backup{
		ID: ids.NewUUID(), Name: "backup_" + ids.Compact(now), Remark: remark, Type: "manual",
		Format: format, Status: StatusWaiting, IsSupportRestore: "FALSE",
		CreatedAt: now, UpdatedAt: now, hasTask: true,
	}
	b.File = s.backupFile(in.ID, b.ID)
	in.Backups = append(in.Backups, b)
	in.BackupsStarted++
	s.backupsStarted++
	s.tasks.Add(1)
	go s.runBackup(s.ctx, s.generation, in, b, s.timings)
	return b.ID, nil
}

func (s *Store) runBackup(ctx context.Context, gen int, in *Instance, b *Backup, t Timings) {
	defer s.tasks.Done()
	if !sleep(ctx, ms(t.BackupWaitingMs)) {
		return
	}
	s.mu.Lock()
	if gen != s.generation {
		s.mu.Unlock()
		return
	}
	now := s.now()
	b.Status, b.UpdatedAt, b.ExecutionAt, b.phaseStart, b.phaseLen = StatusBackuping, now, now, now, ms(t.BackupRunningMs)
	data := in.Data
	s.mu.Unlock()

	began := time.Now()
	size, err := snapshot(data, b.File)
	if err != nil {
		log.Printf("backup %s of instance %s failed: %v", b.ID, in.ID, err)
	}
	if !sleep(ctx, ms(t.BackupRunningMs)-time.Since(began)) {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.generation {
		return
	}
	b.UpdatedAt, b.hasTask = s.now(), false
	if err == nil && t.FailBackups != "" {
		b.Status, b.ErrorCode = StatusFailed, t.FailBackups
		return
	}
	if err != nil {
		b.Status, b.ErrorCode = StatusFailed, BackupFailureCode
		return
	}
	b.Status, b.Size, b.IsSupportRestore = StatusSucceed, size, "TRUE"
}

// snapshot copies the data aside, or pretends to in state-only mode.
func snapshot(data DataStore, file string) (int64, error) {
	if data == nil {
		return stateOnlyBackupSize, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return 0, err
	}
	return data.Snapshot(file)
}

// corruptFile writes bytes that are not an RDB file where a snapshot would go.
func corruptFile(data DataStore, file string) (int64, error) {
	if data == nil {
		return stateOnlyBackupSize, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return 0, err
	}
	garbage := []byte("REDIS0011 this backup file was corrupted on purpose by the emulator\n")
	return int64(len(garbage)), os.WriteFile(file, garbage, 0o600)
}

// ListBackups answers ListBackupRecords: newest first, filtered and paged.
func (s *Store) ListBackups(projectID, instanceID string, p Page) ([]BackupView, int, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, instanceID)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	var matched []BackupView
	for i := len(in.Backups) - 1; i >= 0; i-- {
		if b := in.Backups[i]; p.matches(b.CreatedAt) {
			matched = append(matched, b.view(in.ID, now, s.timings.EmptyObjectStrings))
		}
	}
	return page(matched, p), len(matched), nil
}

// DeleteBackup answers DeleteBackupFile. The record vanishes from the listing.
func (s *Store) DeleteBackup(projectID, instanceID, backupID string) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.instance(projectID, instanceID)
	if err != nil {
		return err
	}
	b := in.backup(backupID)
	if b == nil {
		return ErrNoSuchBackup
	}
	if b.hasTask {
		return ErrBackuping
	}
	if r := in.activeRestore(); r != nil && r.BackupID == b.ID {
		return ErrBackupInRestore
	}
	kept := in.Backups[:0]
	for _, other := range in.Backups {
		if other != b {
			kept = append(kept, other)
		}
	}
	in.Backups = kept
	if b.File != "" {
		_ = os.Remove(b.File)
	}
	return nil
}

// BackupSpec describes a backup record made directly (admin API and seed).
type BackupSpec struct {
	BackupID         string `json:"backup_id"`
	Status           string `json:"status"`
	IsSupportRestore string `json:"is_support_restore"`
	Remark           string `json:"remark"`
	// Corrupt writes a file redis-server cannot load instead of a snapshot, so that a
	// restore from it fails (the redis-server does not come back with it).
	Corrupt bool `json:"corrupt"`
	// CreatedAt (RFC 3339; default now) dates the record, so that a test can arrange backups
	// before and after a point in time; the snapshot is still of the data now.
	CreatedAt string `json:"created_at"`
	// BackupType is "manual" (default) or "auto", as a scheduled backup is listed.
	BackupType string `json:"backup_type"`
}

var backupStatuses = map[string]bool{
	StatusWaiting: true, StatusBackuping: true, StatusSucceed: true, StatusFailed: true, "expired": true, "deleted": true,
}

// CreateBackup adds a backup record directly, snapshotting the data now. It runs no
// state machine: the record keeps the status it was given.
func (s *Store) CreateBackup(instanceID string, spec BackupSpec) (BackupView, error) {
	return s.createBackupAt(instanceID, spec, time.Time{})
}

func (s *Store) createBackupAt(instanceID string, spec BackupSpec, created time.Time) (BackupView, error) {
	if spec.BackupID == "" {
		spec.BackupID = ids.NewUUID()
	}
	if spec.Status == "" {
		spec.Status = StatusSucceed
	}
	if !backupStatuses[spec.Status] {
		return BackupView{}, fmt.Errorf("status must be one of waiting, backuping, succeed, failed, expired, deleted")
	}
	if spec.IsSupportRestore == "" {
		spec.IsSupportRestore = "TRUE"
	}
	if spec.IsSupportRestore != "TRUE" && spec.IsSupportRestore != "FALSE" {
		return BackupView{}, fmt.Errorf(`is_support_restore must be "TRUE" or "FALSE"`)
	}
	if spec.BackupType == "" {
		spec.BackupType = "manual"
	}
	if spec.BackupType != "manual" && spec.BackupType != "auto" {
		return BackupView{}, fmt.Errorf(`backup_type must be "manual" or "auto"`)
	}
	if spec.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, spec.CreatedAt)
		if err != nil {
			return BackupView{}, fmt.Errorf("created_at must be an RFC 3339 time")
		}
		created = t.UTC()
	}
	s.mu.Lock()
	in, ok := s.instances[instanceID]
	if !ok {
		s.mu.Unlock()
		return BackupView{}, ErrNotFound
	}
	for _, other := range s.instances {
		if other.backup(spec.BackupID) != nil {
			s.mu.Unlock()
			return BackupView{}, fmt.Errorf("backup %s already exists", spec.BackupID)
		}
	}
	data, file := in.Data, s.backupFile(in.ID, spec.BackupID)
	s.mu.Unlock()

	var size int64
	var err error
	if spec.Corrupt {
		size, err = corruptFile(data, file)
	} else {
		size, err = snapshot(data, file)
	}
	if err != nil {
		return BackupView{}, fmt.Errorf("snapshotting %s: %w", instanceID, err)
	}
	if created.IsZero() {
		created = s.now()
	}
	b := &Backup{
		ID: spec.BackupID, Name: "backup_" + ids.Compact(created), Remark: spec.Remark, Type: spec.BackupType,
		Format: "rdb", Status: spec.Status, IsSupportRestore: spec.IsSupportRestore, Size: size,
		CreatedAt: created, UpdatedAt: created, ExecutionAt: created, File: file, Corrupt: spec.Corrupt,
	}
	if spec.Status == StatusFailed {
		b.ErrorCode = BackupFailureCode
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.instances[instanceID] != in {
		return BackupView{}, ErrNotFound
	}
	in.addBackups(b)
	return b.view(in.ID, s.now(), false), nil
}

// addBackups files backups by creation time, as the listing (newest first, walked from
// the end) expects, also when a test dates one in the past.
func (in *Instance) addBackups(added ...*Backup) {
	in.Backups = append(in.Backups, added...)
	sort.SliceStable(in.Backups, func(i, j int) bool {
		return in.Backups[i].CreatedAt.Before(in.Backups[j].CreatedAt)
	})
}
