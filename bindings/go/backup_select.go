// Choosing the backup to restore by time, type and name ("the newest restorable backup taken
// before 10:00 UTC"), through libdcs's selector: what is restorable and how each filter reads
// are libdcs's rules, which dcsctl and the Python binding share.

package dcs

import (
	"context"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// Latest, as the backup id of PlanRestore, asks for the backup SelectBackup would choose.
const Latest = "latest"

// SelectOption narrows the backups SelectBackup and PlanRestore choose from.
type SelectOption func(*selectSettings)

type selectSettings struct {
	before      time.Time
	backupType  string
	backupName  string
	beforeGiven bool
}

// WithCreatedBefore keeps only backups created strictly before t (to the millisecond). The
// listing asks the service for that window (end_time), so only its pages are fetched.
func WithCreatedBefore(t time.Time) SelectOption {
	return func(s *selectSettings) { s.before, s.beforeGiven = t, true }
}

// WithBackupType keeps only "manual" or only "auto" backups.
func WithBackupType(backupType string) SelectOption {
	return func(s *selectSettings) { s.backupType = backupType }
}

// WithBackupName keeps only the backup of this name (BackupName, compared exactly).
func WithBackupName(name string) SelectOption {
	return func(s *selectSettings) { s.backupName = name }
}

// SelectBackup returns the newest restorable backup of the instance (status "succeed" and
// IsSupportRestore) that passes the options, reading every page of the listing. When none
// does, the error matches ErrNotFound and its message names the filters.
func (c *Client) SelectBackup(ctx context.Context, instanceID string, opts ...SelectOption) (Backup, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	if args.err != nil {
		return Backup{}, args.err
	}
	var chosen Backup
	err := withSelector("", opts, func(sel *C.dcs_backup_selector) error {
		return c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
			var out *C.dcs_backup_record
			status := C.dcs_select_backup(call.client, cInstance, sel, call.opts, &out, &call.err)
			if status == C.DCS_OK {
				chosen = backupFromC(out)
				C.dcs_backup_record_free(out)
			}
			return status
		})
	})
	return chosen, err
}

// withSelector builds the dcs_backup_selector of backupID ("" or Latest: none) and opts,
// runs use with it and frees it. libdcs judges every value.
func withSelector(backupID string, opts []SelectOption, use func(*C.dcs_backup_selector) error) error {
	var settings selectSettings
	for _, opt := range opts {
		opt(&settings)
	}
	if backupID == Latest {
		backupID = ""
	}
	if backupID != "" && (settings.beforeGiven || settings.backupType != "" || settings.backupName != "") {
		return invalidArgument("WithCreatedBefore, WithBackupType and WithBackupName choose a " +
			"backup: use them with Latest, not with a backup id")
	}
	var sel *C.dcs_backup_selector
	var cerr *C.dcs_error
	if status := C.dcs_backup_selector_new(&sel, &cerr); status != C.DCS_OK {
		return takeError(status, cerr)
	}
	defer C.dcs_backup_selector_free(sel)

	var args cStrings
	defer args.free()
	cBackup := args.optional("backup id", backupID)
	cType := args.optional("backup type", settings.backupType)
	cName := args.optional("backup name", settings.backupName)
	if args.err != nil {
		return args.err
	}
	steps := []struct {
		apply bool
		set   func() C.dcs_status
	}{
		{cBackup != nil, func() C.dcs_status { return C.dcs_backup_selector_set_backup_id(sel, cBackup, &cerr) }},
		{settings.beforeGiven, func() C.dcs_status {
			ms := settings.before.UnixMilli()
			if ms < 0 {
				ms = -2 // before the epoch: refused by libdcs, never read as "no filter" (-1)
			}
			return C.dcs_backup_selector_set_before_ms(sel, C.int64_t(ms), &cerr)
		}},
		{cType != nil, func() C.dcs_status { return C.dcs_backup_selector_set_backup_type(sel, cType, &cerr) }},
		{cName != nil, func() C.dcs_status { return C.dcs_backup_selector_set_backup_name(sel, cName, &cerr) }},
	}
	for _, step := range steps {
		if !step.apply {
			continue
		}
		if status := step.set(); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	return use(sel)
}
