// The records libdcs returns (restores, backups, instances) as plain Go structs, copied out
// of C so that no C memory outlives a call.

package dcs

import "time"

// #include <dcs/dcs.h>
import "C"

// What a record's strings mean (timestamps, progress, is_support_restore) is libdcs's reading,
// parsed once there and read here through its getters; the strings stay in the Raw fields.

// timeFromMillis is a timestamp libdcs parsed, in milliseconds since the Unix epoch, as a UTC
// time; the zero time.Time for libdcs's -1 (absent, or a form libdcs does not read).
func timeFromMillis(ms C.int64_t) time.Time {
	if ms == -1 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}

// RestoreStatus is the status of a restore record. The set is open: values other than the
// constants are passed on as the service sent them.
type RestoreStatus string

// The restore statuses the service documents.
const (
	RestoreWaiting   RestoreStatus = "waiting"
	RestoreRestoring RestoreStatus = "restoring"
	RestoreSucceeded RestoreStatus = "succeed"
	RestoreFailed    RestoreStatus = "failed"
)

// Restore is a restore record, copied out of libdcs.
type Restore struct {
	RestoreID string
	BackupID  string
	Status    RestoreStatus
	// Progress is the progress in percent (0-100), -1 if the service sent none or an
	// unparseable value.
	Progress float64
	// ProgressRaw is the progress as the service sent it, e.g. "42.00".
	ProgressRaw string
	// ErrorCode is the failure code of a failed restore, e.g. "dcs.08.0002".
	ErrorCode    string
	Remark       string
	RestoreName  string
	BackupName   string
	BackupRemark string
	// CreatedAt and UpdatedAt are in UTC; zero when the service's text (kept in the Raw
	// fields) is absent or not a timestamp libdcs reads.
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CreatedAtRaw string
	UpdatedAtRaw string
}

func restoreFromC(r *C.dcs_restore_record) Restore {
	return Restore{
		RestoreID:    C.GoString(C.dcs_restore_record_restore_id(r)),
		BackupID:     C.GoString(C.dcs_restore_record_backup_id(r)),
		Status:       RestoreStatus(C.GoString(C.dcs_restore_record_status(r))),
		Progress:     float64(C.dcs_restore_record_progress_percent(r)),
		ProgressRaw:  C.GoString(C.dcs_restore_record_progress(r)),
		ErrorCode:    C.GoString(C.dcs_restore_record_error_code(r)),
		Remark:       C.GoString(C.dcs_restore_record_restore_remark(r)),
		RestoreName:  C.GoString(C.dcs_restore_record_restore_name(r)),
		BackupName:   C.GoString(C.dcs_restore_record_backup_name(r)),
		BackupRemark: C.GoString(C.dcs_restore_record_backup_remark(r)),
		CreatedAt:    timeFromMillis(C.dcs_restore_record_created_at_ms(r)),
		UpdatedAt:    timeFromMillis(C.dcs_restore_record_updated_at_ms(r)),
		CreatedAtRaw: C.GoString(C.dcs_restore_record_created_at(r)),
		UpdatedAtRaw: C.GoString(C.dcs_restore_record_updated_at(r)),
	}
}

// Backup is a backup record, copied out of libdcs.
type Backup struct {
	BackupID   string
	BackupName string
	InstanceID string
	// Size is in bytes, -1 if the service sent none.
	Size int64
	// BackupType is "manual" or "auto".
	BackupType string
	// Status is "waiting", "backuping", "succeed", "failed", "expired" or "deleted".
	Status string
	// Progress is the progress in percent (0-100), -1 if absent or unparseable.
	Progress    float64
	ProgressRaw string
	ErrorCode   string
	Remark      string
	// IsSupportRestore is true when the service's is_support_restore says "TRUE", in any
	// case (libdcs's rule, dcs_backup_record_restorable).
	IsSupportRestore bool
	// BackupFormat is "rdb" or "aof".
	BackupFormat string
	Period       string
	// The timestamps are in UTC; zero when the Raw text is absent or not a timestamp libdcs
	// reads.
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ExecutionAt    time.Time
	CreatedAtRaw   string
	UpdatedAtRaw   string
	ExecutionAtRaw string
}

func backupFromC(b *C.dcs_backup_record) Backup {
	return Backup{
		BackupID:         C.GoString(C.dcs_backup_record_backup_id(b)),
		BackupName:       C.GoString(C.dcs_backup_record_backup_name(b)),
		InstanceID:       C.GoString(C.dcs_backup_record_instance_id(b)),
		Size:             int64(C.dcs_backup_record_size(b)),
		BackupType:       C.GoString(C.dcs_backup_record_backup_type(b)),
		Status:           C.GoString(C.dcs_backup_record_status(b)),
		Progress:         float64(C.dcs_backup_record_progress_percent(b)),
		ProgressRaw:      C.GoString(C.dcs_backup_record_progress(b)),
		ErrorCode:        C.GoString(C.dcs_backup_record_error_code(b)),
		Remark:           C.GoString(C.dcs_backup_record_remark(b)),
		IsSupportRestore: C.dcs_backup_record_restorable(b) != 0,
		BackupFormat:     C.GoString(C.dcs_backup_record_backup_format(b)),
		Period:           C.GoString(C.dcs_backup_record_period(b)),
		CreatedAt:        timeFromMillis(C.dcs_backup_record_created_at_ms(b)),
		UpdatedAt:        timeFromMillis(C.dcs_backup_record_updated_at_ms(b)),
		ExecutionAt:      timeFromMillis(C.dcs_backup_record_execution_at_ms(b)),
		CreatedAtRaw:     C.GoString(C.dcs_backup_record_created_at(b)),
		UpdatedAtRaw:     C.GoString(C.dcs_backup_record_updated_at(b)),
		ExecutionAtRaw:   C.GoString(C.dcs_backup_record_execution_at(b)),
	}
}

// Instance is a DCS instance as ShowInstance reports it.
type Instance struct {
	InstanceID string
	Name       string
	// Status is "RUNNING", "RESTORING", "CREATING", ... (an open set).
	Status    string
	SubStatus string
	Engine    string
	// EngineVersion is e.g. "6.0".
	EngineVersion string
	// CacheMode is "single", "ha", "ha_rw_split", "proxy" or "cluster".
	CacheMode   string
	ProductType string
	// Capacity is in GB, -1 if absent.
	Capacity int64
	// LaunchedAt is in UTC; zero when LaunchedAtRaw is absent or not a timestamp libdcs
	// reads.
	LaunchedAt    time.Time
	LaunchedAtRaw string
}

func instanceFromC(i *C.dcs_instance) Instance {
	return Instance{
		InstanceID:    C.GoString(C.dcs_instance_instance_id(i)),
		Name:          C.GoString(C.dcs_instance_name(i)),
		Status:        C.GoString(C.dcs_instance_status(i)),
		SubStatus:     C.GoString(C.dcs_instance_sub_status(i)),
		Engine:        C.GoString(C.dcs_instance_engine(i)),
		EngineVersion: C.GoString(C.dcs_instance_engine_version(i)),
		CacheMode:     C.GoString(C.dcs_instance_cache_mode(i)),
		ProductType:   C.GoString(C.dcs_instance_product_type(i)),
		Capacity:      int64(C.dcs_instance_capacity(i)),
		LaunchedAt:    timeFromMillis(C.dcs_instance_launched_at_ms(i)),
		LaunchedAtRaw: C.GoString(C.dcs_instance_launched_at(i)),
	}
}
