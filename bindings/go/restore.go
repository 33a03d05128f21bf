// Starting a restore, the package's central job, and finding out afterwards whether an
// ambiguous attempt started one; the per-call options that tune both live here too.

package dcs

import (
	"context"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// CallOption adjusts one call that starts a restore or looks for one: RestoreInstance,
// StartRestore and FindRestore. Each option says which of them it applies to; the others
// ignore it.
type CallOption func(*restoreSettings)

// RestoreOption is the name CallOption had when RestoreInstance was its only user; the two
// are the same type.
type RestoreOption = CallOption

type restoreSettings struct {
	remark string
	call   callSettings
}

// WithRemark sets the restore's remark: at most 128 bytes of UTF-8 without control
// characters. For FindRestore it is the remark to match (without it, FindRestore matches
// only restores that have none, as StartRestore without it starts one).
func WithRemark(remark string) CallOption {
	return func(s *restoreSettings) { s.remark = remark }
}

// WithPreflight checks before starting that the instance exists, is RUNNING and is not
// single-node, and that the backup belongs to it, succeeded and supports restore. A failed
// check returns an error matching ErrPrecondition, and no restore starts.
// RestoreInstance and StartRestore only.
func WithPreflight() CallOption {
	return func(s *restoreSettings) { s.call.preflight = true }
}

// WithMaxAttempts sets the attempts for this call (1-100), overriding Config.MaxAttempts.
func WithMaxAttempts(attempts int) CallOption {
	return func(s *restoreSettings) { s.call.maxAttempts = attempts }
}

// WithAttemptTimeout limits each request of this call (0-7 days), overriding
// Config.AttemptTimeout; 0 keeps the client's. Out of range is ErrInvalidArgument.
func WithAttemptTimeout(d time.Duration) CallOption {
	return func(s *restoreSettings) { s.call.attemptTimeout = d }
}

// WithReconcileWindow sets how long this call looks for the restore an ambiguous attempt may
// have started before it gives up "unresolved" (0-1 hour), overriding
// Config.ReconcileWindow; 0 keeps the client's. Out of range is ErrInvalidArgument.
// RestoreInstance and StartRestore only.
func WithReconcileWindow(d time.Duration) CallOption {
	return func(s *restoreSettings) { s.call.reconcileWindow = d }
}

// WithWaitWhileBusy waits out "the instance is busy" answers, which start nothing (DCS.4096
// a backup is running, DCS.4049 the instance is not running, DCS.4097 someone else's
// restore is running, ...), retrying with backoff until the context's deadline instead of
// giving up after the call's attempts. RestoreInstance and StartRestore only.
func WithWaitWhileBusy() CallOption {
	return func(s *restoreSettings) { s.call.waitWhileBusy = true }
}

// RestoreOutcome is what StartRestore started.
type RestoreOutcome struct {
	// RestoreID is the new restore record's id.
	RestoreID string
	// Adopted is true when the id came from the instance's restore records rather than
	// from the answer to the request: that answer was lost or unreadable, and the call
	// found the restore its request had started instead of posting it again.
	Adopted bool
}

// RestoreInstance starts restoring instanceID from its backup backupID and returns the new
// restore record's id. It is StartRestore without the outcome's Adopted flag.
func (c *Client) RestoreInstance(ctx context.Context, instanceID, backupID string, opts ...RestoreOption) (string, error) {
	outcome, err := c.StartRestore(ctx, instanceID, backupID, opts...)
	return outcome.RestoreID, err
}

// StartRestore starts restoring instanceID from its backup backupID. The restore runs
// asynchronously; follow it with WaitForRestore.
//
// IDs are 1-64 characters of [A-Za-z0-9_-]; anything else is refused with
// ErrInvalidArgument before a request is sent.
//
// One call starts at most one restore. RestoreInstance is not idempotent, so libdcs posts
// the request again only after an answer that proves nothing started (a busy code such as
// DCS.4096, a 429, or a failure before any byte left). After an ambiguous failure (no
// answer within the attempt's time, a reset or closed connection, a 5xx, a 2xx whose body
// cannot be read) it never posts again: it looks in the instance's restore records for a
// restore of the same backup and remark created since the call began, for up to the
// reconcile window, and adopts it (Adopted is then true). When none is listed in time the
// call fails with RequestSent == SentMaybe and a Message that begins "unresolved": the
// restore may or may not have started. Do not simply call again: check with FindRestore,
// giving it the time you took just before this call, and restore again only if it answers
// ErrNotFound once the service has had time to list the record.
func (c *Client) StartRestore(ctx context.Context, instanceID, backupID string, opts ...CallOption) (RestoreOutcome, error) {
	var settings restoreSettings
	for _, opt := range opts {
		opt(&settings)
	}
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cBackup := args.str("backup id", backupID)
	cRemark := args.optional("remark", settings.remark)
	if args.err != nil {
		return RestoreOutcome{}, args.err
	}

	var outcome RestoreOutcome
	err := c.invoke(ctx, settings.call, func(call *cCall) C.dcs_status {
		var out *C.dcs_restore_outcome
		status := C.dcs_restore_instance_ext(call.client, cInstance, cBackup, cRemark, call.opts, &out, &call.err)
		if status == C.DCS_OK {
			outcome.RestoreID = C.GoString(C.dcs_restore_outcome_restore_id(out))
			outcome.Adopted = C.dcs_restore_outcome_adopted(out) != 0
			C.dcs_restore_outcome_free(out)
		}
		return status
	})
	return outcome, err
}

// FindRestore answers "did my restore start?", typically after StartRestore or
// RestoreInstance failed "unresolved". It returns the earliest restore record of instanceID
// for backupID with the remark given by WithRemark (none without it) created at or after
// since, and an error matching ErrNotFound when there is none.
//
// since is by your clock: take it (time.Now()) just before the restore call. libdcs allows
// for the service's clock as learnt from its Date headers, or for a minute of skew when it
// has seen none. A zero since is refused with ErrInvalidArgument: it would match restores
// started long before yours.
//
// A restore record can take a while to be listed; the service's delay bounds how soon a
// NotFound is final.
func (c *Client) FindRestore(ctx context.Context, instanceID, backupID string, since time.Time, opts ...CallOption) (Restore, error) {
	var settings restoreSettings
	for _, opt := range opts {
		opt(&settings)
	}
	if since.IsZero() {
		return Restore{}, invalidArgument("since must be set: the time just before the restore call")
	}
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cBackup := args.str("backup id", backupID)
	cRemark := args.optional("remark", settings.remark)
	if args.err != nil {
		return Restore{}, args.err
	}

	var restore Restore
	err := c.invoke(ctx, settings.call, func(call *cCall) C.dcs_status {
		var record *C.dcs_restore_record
		status := C.dcs_find_restore(call.client, cInstance, cBackup, cRemark, C.int64_t(since.UnixMilli()), call.opts, &record, &call.err)
		if status == C.DCS_OK {
			restore = restoreFromC(record)
			C.dcs_restore_record_free(record)
		}
		return status
	})
	return restore, err
}
