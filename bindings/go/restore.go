package dcs

import "context"

// #include <dcs/dcs.h>
import "C"

// RestoreOption adjusts one RestoreInstance call.
type RestoreOption func(*restoreSettings)

type restoreSettings struct {
	remark string
	call   callSettings
}

// WithRemark sets the restore's remark: at most 128 bytes of UTF-8 without control
// characters.
func WithRemark(remark string) RestoreOption {
	return func(s *restoreSettings) { s.remark = remark }
}

// WithPreflight checks before starting that the instance exists, is RUNNING and is not
// single-node, and that the backup belongs to it, succeeded and supports restore. A failed
// check returns an error matching ErrPrecondition, and no restore starts.
func WithPreflight() RestoreOption {
	return func(s *restoreSettings) { s.call.preflight = true }
}

// WithMaxAttempts sets the attempts for this call (1-100), overriding Config.MaxAttempts.
func WithMaxAttempts(attempts int) RestoreOption {
	return func(s *restoreSettings) { s.call.maxAttempts = attempts }
}

// RestoreInstance starts restoring instanceID from its backup backupID and returns the new
// restore record's id. The restore runs asynchronously; follow it with WaitForRestore.
//
// IDs are 1-64 characters of [A-Za-z0-9_-]; anything else is refused with
// ErrInvalidArgument before a request is sent. A restore is never started twice by one
// call: libdcs retries only when the request provably did not reach the service, and
// after an ambiguous failure it adopts the restore it finds in the instance's records.
func (c *Client) RestoreInstance(ctx context.Context, instanceID, backupID string, opts ...RestoreOption) (string, error) {
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
		return "", args.err
	}

	var restoreID string
	err := c.invoke(ctx, settings.call, func(call *cCall) C.dcs_status {
		var out *C.char
		status := C.dcs_restore_instance(call.client, cInstance, cBackup, cRemark, call.opts, &out, &call.err)
		if status == C.DCS_OK {
			restoreID = C.GoString(out)
			C.dcs_string_free(out)
		}
		return status
	})
	return restoreID, err
}
