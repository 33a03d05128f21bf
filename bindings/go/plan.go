// A restore's dry run through libdcs: the instance, the backup a restore would use and the
// verdict of every pre-flight check, with nothing started.

package dcs

import (
	"context"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// RestoreCheck is one pre-flight check of a restore's dry run.
type RestoreCheck struct {
	// Name is stable: "instance_mode", "instance_running", "backup_found",
	// "backup_succeeded" or "backup_restorable" (more may come).
	Name   string
	Passed bool
	// Detail is one line saying what the check found.
	Detail string
}

// RestorePlan is what a restore would do; PlanRestore started nothing.
type RestorePlan struct {
	// WouldStart is true when every check passed: the restore would be posted.
	WouldStart bool
	Instance   Instance
	// Backup is the backup the restore would use; when none that passes the filters is
	// restorable, the newest that passes them (its checks say why); nil when none does.
	Backup *Backup
	// BackupAge is how old Backup is by the service's clock; -1 when unknown.
	BackupAge time.Duration
	Checks    []RestoreCheck
}

// FailedChecks returns the checks that stand in the way of the restore.
func (p RestorePlan) FailedChecks() []RestoreCheck {
	var failed []RestoreCheck
	for _, check := range p.Checks {
		if !check.Passed {
			failed = append(failed, check)
		}
	}
	return failed
}

// PlanRestore is a dry run of a restore of the instance from backupID, or, with Latest, from
// the backup SelectBackup would choose with opts: it reads the instance and its backups and
// runs the pre-flight checks (those of WithPreflight), sending nothing that starts work. A
// plan is returned whether or not the checks pass (see WouldStart); an instance that does not
// exist gives an error matching ErrNotFound.
func (c *Client) PlanRestore(ctx context.Context, instanceID, backupID string, opts ...SelectOption) (RestorePlan, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	if args.err != nil {
		return RestorePlan{}, args.err
	}
	var plan RestorePlan
	err := withSelector(backupID, opts, func(sel *C.dcs_backup_selector) error {
		return c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
			var out *C.dcs_restore_plan
			status := C.dcs_plan_restore(call.client, cInstance, sel, call.opts, &out, &call.err)
			if status == C.DCS_OK {
				plan = planFromC(out)
				C.dcs_restore_plan_free(out)
			}
			return status
		})
	})
	return plan, err
}

func planFromC(p *C.dcs_restore_plan) RestorePlan {
	plan := RestorePlan{
		WouldStart: C.dcs_restore_plan_would_start(p) != 0,
		Instance:   instanceFromC(C.dcs_restore_plan_instance(p)),
		BackupAge:  -1,
	}
	if b := C.dcs_restore_plan_backup(p); b != nil {
		backup := backupFromC(b)
		plan.Backup = &backup
	}
	if ms := int64(C.dcs_restore_plan_backup_age_ms(p)); ms >= 0 {
		plan.BackupAge = time.Duration(ms) * time.Millisecond
	}
	count := C.dcs_restore_plan_check_count(p)
	for i := C.size_t(0); i < count; i++ {
		plan.Checks = append(plan.Checks, RestoreCheck{
			Name:   C.GoString(C.dcs_restore_plan_check_name(p, i)),
			Passed: C.dcs_restore_plan_check_passed(p, i) != 0,
			Detail: C.GoString(C.dcs_restore_plan_check_detail(p, i)),
		})
	}
	return plan
}
