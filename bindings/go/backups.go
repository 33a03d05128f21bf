// Backups through libdcs, so that a Go program can take the backup it will restore from,
// see which backups an instance has and remove old ones without leaving the binding.

package dcs

import "context"

// #include <dcs/dcs.h>
import "C"

// BackupOption adjusts one CreateBackup call.
type BackupOption func(*backupSettings)

type backupSettings struct {
	remark, format string
}

// WithBackupRemark sets the backup's remark.
func WithBackupRemark(remark string) BackupOption {
	return func(s *backupSettings) { s.remark = remark }
}

// WithBackupFormat sets the backup's format, "rdb" or "aof" (the service's default: rdb).
func WithBackupFormat(format string) BackupOption {
	return func(s *backupSettings) { s.format = format }
}

// ListBackups returns every backup record of the instance (all pages); none is an empty
// slice.
func (c *Client) ListBackups(ctx context.Context, instanceID string, opts ...ListOption) ([]Backup, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	if args.err != nil {
		return nil, args.err
	}
	backups := []Backup{}
	err := withListOptions(opts, func(filter *C.dcs_list_options) error {
		return c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
			var list *C.dcs_backup_list
			status := C.dcs_list_backups(call.client, cInstance, filter, call.opts, &list, &call.err)
			if status != C.DCS_OK {
				return status
			}
			defer C.dcs_backup_list_free(list)
			count := C.dcs_backup_list_count(list)
			for i := C.size_t(0); i < count; i++ {
				backups = append(backups, backupFromC(C.dcs_backup_list_at(list, i)))
			}
			return status
		})
	})
	if err != nil {
		return nil, err
	}
	return backups, nil
}

// CreateBackup starts a manual backup of the instance and returns its id. The backup runs
// asynchronously: its record in ListBackups shows when it has succeeded. Not idempotent;
// libdcs retries it only when nothing can have started.
func (c *Client) CreateBackup(ctx context.Context, instanceID string, opts ...BackupOption) (string, error) {
	var settings backupSettings
	for _, opt := range opts {
		opt(&settings)
	}
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cRemark := args.optional("remark", settings.remark)
	cFormat := args.optional("backup format", settings.format)
	if args.err != nil {
		return "", args.err
	}
	var backupID string
	err := c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
		var out *C.char
		status := C.dcs_create_backup(call.client, cInstance, cRemark, cFormat, call.opts, &out, &call.err)
		if status == C.DCS_OK {
			backupID = C.GoString(out)
			C.dcs_string_free(out)
		}
		return status
	})
	return backupID, err
}

// DeleteBackup deletes one backup of the instance.
func (c *Client) DeleteBackup(ctx context.Context, instanceID, backupID string) error {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cBackup := args.str("backup id", backupID)
	if args.err != nil {
		return args.err
	}
	return c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
		return C.dcs_delete_backup(call.client, cInstance, cBackup, call.opts, &call.err)
	})
}
