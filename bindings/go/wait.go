// Waiting for a restore to end: libdcs polls, and this file carries the wait options and the
// progress callback, panics included, between Go and that C loop.

package dcs

import (
	"context"
	"runtime/cgo"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// WaitOption adjusts one WaitForRestore call.
type WaitOption func(*waitSettings)

type waitSettings struct {
	progress        func(Restore)
	pollInterval    time.Duration
	maxPollInterval time.Duration
	instanceRunning bool
}

// WithProgress calls fn after every poll with the record as it stands, on the goroutine
// that called WaitForRestore. fn may call the Client (not Close, and not WaitForRestore).
// If fn panics, the wait is cancelled and the panic resumes in
// that goroutine once libdcs has returned.
func WithProgress(fn func(Restore)) WaitOption {
	return func(s *waitSettings) { s.progress = fn }
}

// WithPollInterval sets when the first poll comes (default 5 s): this long after the
// Client started (or adopted) the restore, and at once for a restore it did not start,
// which may have ended long ago. Later polls aim just after the end that the service's
// progress predicts; without progress, intervals grow by half up to the maximum.
func WithPollInterval(d time.Duration) WaitOption {
	return func(s *waitSettings) { s.pollInterval = d }
}

// WithMaxPollInterval sets the longest poll interval (default 30 s).
func WithMaxPollInterval(d time.Duration) WaitOption {
	return func(s *waitSettings) { s.maxPollInterval = d }
}

// WithInstanceRunning also waits, after "succeed", until the instance reports RUNNING
// twice in a row, i.e. until it serves again.
func WithInstanceRunning() WaitOption {
	return func(s *waitSettings) { s.instanceRunning = true }
}

// WaitForRestore polls the restore until it succeeds, and returns the final record.
//
// A restore that ends in "failed" gives an error matching ErrRestoreFailed whose ErrorCode
// is the record's error_code, together with the last record seen. The deadline is the
// context's, or 30 minutes without one; transient polling errors are retried until then.
func (c *Client) WaitForRestore(ctx context.Context, instanceID, restoreID string, opts ...WaitOption) (Restore, error) {
	var settings waitSettings
	for _, opt := range opts {
		opt(&settings)
	}
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cRestore := args.str("restore id", restoreID)
	if args.err != nil {
		return Restore{}, args.err
	}

	var wait *C.dcs_wait_options
	var cerr *C.dcs_error
	if status := C.dcs_wait_options_new(&wait, &cerr); status != C.DCS_OK {
		return Restore{}, takeError(status, cerr)
	}
	defer C.dcs_wait_options_free(wait)
	if err := configureWait(wait, settings); err != nil {
		return Restore{}, err
	}

	progress := &waitProgress{report: settings.progress}
	handle := cgo.NewHandle(progress)
	defer handle.Delete()
	if status, cerr := setProgressCallback(wait, handle); status != C.DCS_OK {
		return Restore{}, takeError(status, cerr)
	}

	var final Restore
	err := c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
		progress.token = call.token
		var record *C.dcs_restore_record
		status := C.dcs_wait_for_restore(call.client, cInstance, cRestore, wait, call.opts, &record, &call.err)
		progress.token = nil
		if status == C.DCS_OK {
			final = restoreFromC(record)
			C.dcs_restore_record_free(record)
		}
		return status
	})
	if progress.panicked {
		panic(progress.panicValue)
	}
	if err != nil {
		return progress.last, err
	}
	return final, nil
}

func configureWait(wait *C.dcs_wait_options, s waitSettings) error {
	var cerr *C.dcs_error
	// The maximum first: libdcs lowers the first interval to it, and raises the maximum
	// to the first interval, so this order keeps both as given.
	if s.maxPollInterval != 0 {
		if status := C.dcs_wait_options_set_max_poll_interval_ms(wait, C.int64_t(milliseconds(s.maxPollInterval)), &cerr); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	if s.pollInterval != 0 {
		if status := C.dcs_wait_options_set_poll_interval_ms(wait, C.int64_t(milliseconds(s.pollInterval)), &cerr); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	if s.instanceRunning {
		if status := C.dcs_wait_options_set_wait_for_instance(wait, 1, &cerr); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	return nil
}

// waitProgress is what the progress trampoline reaches through its cgo.Handle. It is only
// touched on the goroutine running WaitForRestore (libdcs calls back on the calling thread).
type waitProgress struct {
	report     func(Restore)
	last       Restore
	token      *C.dcs_cancel_token
	panicked   bool
	panicValue any
}

func (p *waitProgress) observe(r Restore) {
	p.last = r
	if p.report == nil || p.panicked {
		return
	}
	defer func() {
		if v := recover(); v != nil {
			// Stop the wait promptly; WaitForRestore re-raises the panic after libdcs returns.
			p.panicked, p.panicValue = true, v
			C.dcs_cancel_token_cancel(p.token)
		}
	}()
	p.report(r)
}
