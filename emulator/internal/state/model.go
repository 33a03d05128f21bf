// The records of the emulated world, and their views as the DCS API answers them, progress
// and unset strings included.

package state

import (
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// Record statuses, as the DCS API spells them.
const (
	StatusWaiting   = "waiting"
	StatusRestoring = "restoring"
	StatusBackuping = "backuping"
	StatusSucceed   = "succeed"
	StatusFailed    = "failed"

	InstanceRunning   = "RUNNING"
	InstanceRestoring = "RESTORING"
	InstanceError     = "ERROR"
)

// Instance is one emulated DCS instance.
type Instance struct {
	ID        string
	Name      string
	ProjectID string
	CacheMode string
	Status    string
	CreatedAt time.Time

	Data     DataStore // nil in state-only mode
	Backups  []*Backup // oldest first
	Restores []*Restore

	RestoresStarted int
	BackupsStarted  int
	// RestorePosts and BackupPosts count every RestoreInstance and CopyInstance
	// request for this instance, whatever its outcome.
	RestorePosts int
	BackupPosts  int

	// restoreTimings, when set, overrides the global timings for this instance's
	// restores (admin API), so restores of different lengths can run side by side.
	restoreTimings *RestoreTimings
}

// Backup is one backup record. File is where its RDB snapshot lives ("" if none).
type Backup struct {
	ID               string
	Name             string
	Remark           string
	Type             string
	Format           string
	Status           string
	IsSupportRestore string
	ErrorCode        string
	Size             int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ExecutionAt      time.Time
	phaseStart       time.Time
	phaseLen         time.Duration
	File             string
	Corrupt          bool // File cannot be loaded (admin "corrupt"): a restore from it fails
	hasTask          bool // a CopyInstance state machine still owns the record
}

// Restore is one restore record.
type Restore struct {
	ID           string
	BackupID     string
	BackupName   string
	BackupRemark string
	Remark       string
	Status       string
	ErrorCode    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	phaseStart   time.Time
	phaseLen     time.Duration
	// listedFrom is when the record starts to show in ListRestoreRecords: its
	// created_at plus the restore_listing_delay_ms in force when it was created.
	listedFrom time.Time
}

// listed reports whether ListRestoreRecords shows the record at now.
func (r *Restore) listed(now time.Time) bool { return !now.Before(r.listedFrom) }

func optionalTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ids.Timestamp(t)
	return &s
}

// RestoreView is InstanceRestoreInfo of ListRestoreRecords.
type RestoreView struct {
	BackupID      string `json:"backup_id"`
	RestoreID     string `json:"restore_id"`
	BackupName    string `json:"backup_name"`
	UpdatedAt     string `json:"updated_at"`
	RestoreRemark string `json:"restore_remark"`
	CreatedAt     string `json:"created_at"`
	Progress      string `json:"progress"`
	ErrorCode     any    `json:"error_code"` // *string, or {} with EmptyObjectStrings
	RestoreName   string `json:"restore_name"`
	BackupRemark  any    `json:"backup_remark"` // string, or {} with EmptyObjectStrings
	Status        string `json:"status"`
}

// emptyObject is how the API reference's examples show an unset string: {}.
type emptyObject struct{}

// unsetAs returns v, or {} when v is empty and braces is on; null stands for empty
// when nullIfEmpty.
func unsetAs(v string, braces, nullIfEmpty bool) any {
	switch {
	case v != "":
		return v
	case braces:
		return emptyObject{}
	case nullIfEmpty:
		return nil
	}
	return ""
}

func (r *Restore) view(now time.Time, braces bool) RestoreView {
	return RestoreView{
		BackupID:      r.BackupID,
		RestoreID:     r.ID,
		BackupName:    r.BackupName,
		UpdatedAt:     ids.Timestamp(r.UpdatedAt),
		RestoreRemark: r.Remark,
		CreatedAt:     ids.Timestamp(r.CreatedAt),
		Progress:      progress(r.Status, r.phaseStart, r.phaseLen, now, r.ID),
		ErrorCode:     unsetAs(r.ErrorCode, braces, true),
		RestoreName:   "restore_" + ids.Compact(r.CreatedAt),
		BackupRemark:  unsetAs(r.BackupRemark, braces, false),
		Status:        r.Status,
	}
}

// BackupView is BackupRecordResponse of ListBackupRecords.
type BackupView struct {
	BackupID         string  `json:"backup_id"`
	Period           any     `json:"period"` // string, or {} with EmptyObjectStrings
	BackupName       string  `json:"backup_name"`
	InstanceID       string  `json:"instance_id"`
	Size             int64   `json:"size"`
	BackupType       string  `json:"backup_type"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
	Progress         string  `json:"progress"`
	ErrorCode        any     `json:"error_code"` // *string, or {} with EmptyObjectStrings
	Remark           string  `json:"remark"`
	Status           string  `json:"status"`
	IsSupportRestore string  `json:"is_support_restore"`
	BackupFormat     string  `json:"backup_format"`
	ExecutionAt      *string `json:"execution_at"`
}

func (b *Backup) view(instanceID string, now time.Time, braces bool) BackupView {
	return BackupView{
		BackupID:         b.ID,
		Period:           unsetAs("", braces, false),
		BackupName:       b.Name,
		InstanceID:       instanceID,
		Size:             b.Size,
		BackupType:       b.Type,
		CreatedAt:        ids.Timestamp(b.CreatedAt),
		UpdatedAt:        ids.Timestamp(b.UpdatedAt),
		Progress:         progress(b.Status, b.phaseStart, b.phaseLen, now, b.ID),
		ErrorCode:        unsetAs(b.ErrorCode, braces, true),
		Remark:           b.Remark,
		Status:           b.Status,
		IsSupportRestore: b.IsSupportRestore,
		BackupFormat:     b.Format,
		ExecutionAt:      optionalTime(b.ExecutionAt),
	}
}

// activeRestore is the restore in flight, if any.
func (in *Instance) activeRestore() *Restore {
	for _, r := range in.Restores {
		if r.Status == StatusWaiting || r.Status == StatusRestoring {
			return r
		}
	}
	return nil
}

// activeBackup is the backup in flight, if any.
func (in *Instance) activeBackup() *Backup {
	for _, b := range in.Backups {
		if b.Status == StatusWaiting || b.Status == StatusBackuping {
			return b
		}
	}
	return nil
}

func (in *Instance) backup(id string) *Backup {
	for _, b := range in.Backups {
		if b.ID == id {
			return b
		}
	}
	return nil
}
