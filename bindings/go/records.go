package dcs

import "time"

// #include <dcs/dcs.h>
import "C"

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
	// Progress is the progress in percent (0-100), -1 if the service sent none.
	Progress float64
	// ProgressRaw is the progress as the service sent it, e.g. "42.00".
	ProgressRaw string
	// ErrorCode is the failure code of a failed restore, e.g. "dcs.08.0002".
	ErrorCode    string
	Remark       string
	RestoreName  string
	BackupName   string
	BackupRemark string
	// CreatedAt and UpdatedAt are zero when the service's text (kept in the Raw fields)
	// is absent or not a timestamp this package knows.
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CreatedAtRaw string
	UpdatedAtRaw string
}

func restoreFromC(r *C.dcs_restore_record) Restore {
	out := Restore{
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
		CreatedAtRaw: C.GoString(C.dcs_restore_record_created_at(r)),
		UpdatedAtRaw: C.GoString(C.dcs_restore_record_updated_at(r)),
	}
	out.CreatedAt = parseTimestamp(out.CreatedAtRaw)
	out.UpdatedAt = parseTimestamp(out.UpdatedAtRaw)
	return out
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
	// IsSupportRestore is true when the service says "TRUE".
	IsSupportRestore bool
	// BackupFormat is "rdb" or "aof".
	BackupFormat string
	Period       string
	// The timestamps are zero when the Raw text is absent or not understood.
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ExecutionAt    time.Time
	CreatedAtRaw   string
	UpdatedAtRaw   string
	ExecutionAtRaw string
}

func backupFromC(b *C.dcs_backup_record) Backup {
	out := Backup{
		BackupID:         C.GoString(C.dcs_backup_record_backup_id(b)),
		BackupName:       C.GoString(C.dcs_backup_record_backup_name(b)),
		InstanceID:       C.GoString(C.dcs_backup_record_instance_id(b)),
		Size:             int64(C.dcs_backup_record_size(b)),
		BackupType:       C.GoString(C.dcs_backup_record_backup_type(b)),
		Status:           C.GoString(C.dcs_backup_record_status(b)),
		ProgressRaw:      C.GoString(C.dcs_backup_record_progress(b)),
		ErrorCode:        C.GoString(C.dcs_backup_record_error_code(b)),
		Remark:           C.GoString(C.dcs_backup_record_remark(b)),
		IsSupportRestore: C.GoString(C.dcs_backup_record_is_support_restore(b)) == "TRUE",
		BackupFormat:     C.GoString(C.dcs_backup_record_backup_format(b)),
		Period:           C.GoString(C.dcs_backup_record_period(b)),
		CreatedAtRaw:     C.GoString(C.dcs_backup_record_created_at(b)),
		UpdatedAtRaw:     C.GoString(C.dcs_backup_record_updated_at(b)),
		ExecutionAtRaw:   C.GoString(C.dcs_backup_record_execution_at(b)),
	}
	out.Progress = parseProgress(out.ProgressRaw)
	out.CreatedAt = parseTimestamp(out.CreatedAtRaw)
	out.UpdatedAt = parseTimestamp(out.UpdatedAtRaw)
	out.ExecutionAt = parseTimestamp(out.ExecutionAtRaw)
	return out
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
	// LaunchedAt is zero when LaunchedAtRaw is absent or not understood.
	LaunchedAt    time.Time
	LaunchedAtRaw string
}

func instanceFromC(i *C.dcs_instance) Instance {
	out := Instance{
		InstanceID:    C.GoString(C.dcs_instance_instance_id(i)),
		Name:          C.GoString(C.dcs_instance_name(i)),
		Status:        C.GoString(C.dcs_instance_status(i)),
		SubStatus:     C.GoString(C.dcs_instance_sub_status(i)),
		Engine:        C.GoString(C.dcs_instance_engine(i)),
		EngineVersion: C.GoString(C.dcs_instance_engine_version(i)),
		CacheMode:     C.GoString(C.dcs_instance_cache_mode(i)),
		ProductType:   C.GoString(C.dcs_instance_product_type(i)),
		Capacity:      int64(C.dcs_instance_capacity(i)),
		LaunchedAtRaw: C.GoString(C.dcs_instance_launched_at(i)),
	}
	out.LaunchedAt = parseTimestamp(out.LaunchedAtRaw)
	return out
}
