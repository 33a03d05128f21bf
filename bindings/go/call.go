// The one path every call takes into libdcs: the context's deadline and cancellation become
// the C call's options and cancel token, and a failure becomes an *Error that wraps ctx.Err().

package dcs

import (
	"context"
	"errors"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// callSettings are the per-call options beyond the context.
type callSettings struct {
	maxAttempts     int
	preflight       bool
	attemptTimeout  time.Duration
	reconcileWindow time.Duration
	waitWhileBusy   bool
}

// apply sets the settings that differ from the defaults on the call's dcs_call_options.
// attempts is s.maxAttempts as cInt converted it.
func (s callSettings) apply(call *cCall, attempts C.int) error {
	steps := []struct {
		apply bool
		set   func() C.dcs_status
	}{
		{s.maxAttempts != 0, func() C.dcs_status {
			return C.dcs_call_options_set_max_attempts(call.opts, attempts, &call.err)
		}},
		{s.preflight, func() C.dcs_status { return C.dcs_call_options_set_preflight(call.opts, 1, &call.err) }},
		{s.attemptTimeout != 0, func() C.dcs_status {
			return C.dcs_call_options_set_attempt_timeout_ms(call.opts, C.int64_t(milliseconds(s.attemptTimeout)), &call.err)
		}},
		{s.reconcileWindow != 0, func() C.dcs_status {
			return C.dcs_call_options_set_reconcile_window_ms(call.opts, C.int64_t(milliseconds(s.reconcileWindow)), &call.err)
		}},
		{s.waitWhileBusy, func() C.dcs_status { return C.dcs_call_options_set_wait_while_busy(call.opts, 1, &call.err) }},
	}
	for _, step := range steps {
		if !step.apply {
			continue
		}
		if status := step.set(); status != C.DCS_OK {
			return takeError(status, call.err)
		}
	}
	return nil
}

// cCall is one C call in progress: its dcs_call_options, with the context's deadline and a
// cancel token, and the C error out-parameter.
type cCall struct {
	client *C.dcs_client
	opts   *C.dcs_call_options
	token  *C.dcs_cancel_token
	err    *C.dcs_error
}

// invoke runs op, one libdcs call, on behalf of ctx:
//   - ctx's deadline becomes the call's timeout, as it is: libdcs refuses one further off
//     than it allows (7 days) with ErrInvalidArgument rather than this package cutting it;
//   - the call's token is cancelled when ctx is done or the client closes, and no cancel
//     is still running when invoke returns, so the token is never used after it is freed;
//   - a failure is copied into an *Error that wraps ctx.Err() when the context ended it.
func (c *Client) invoke(ctx context.Context, settings callSettings, op func(*cCall) C.dcs_status) error {
	if err := ctx.Err(); err != nil {
		return contextError(err)
	}
	attempts, err := cInt("attempts", settings.maxAttempts)
	if err != nil {
		return err
	}
	handle := c.acquire()
	if handle == nil {
		return ErrClosed
	}
	defer c.release()

	call := &cCall{client: handle}
	if status := C.dcs_call_options_new(&call.opts, &call.err); status != C.DCS_OK {
		return takeError(status, call.err)
	}
	defer C.dcs_call_options_free(call.opts)
	if status := C.dcs_cancel_token_new(&call.token, &call.err); status != C.DCS_OK {
		return takeError(status, call.err)
	}
	defer C.dcs_cancel_token_free(call.token)

	// When the context has a deadline, libdcs's deadline is the context's, so that its
	// timeout is the context's too.
	deadline, deadlineFromContext := ctx.Deadline()
	if deadlineFromContext {
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return contextError(context.DeadlineExceeded)
		}
		if status := C.dcs_call_options_set_timeout_ms(call.opts, C.int64_t(milliseconds(remaining)), &call.err); status != C.DCS_OK {
			return takeError(status, call.err)
		}
	}
	if err := settings.apply(call, attempts); err != nil {
		return err
	}
	if status := C.dcs_call_options_set_cancel_token(call.opts, call.token, &call.err); status != C.DCS_OK {
		return takeError(status, call.err)
	}

	// Cancel the token when the context is done or the client closes. context.AfterFunc
	// registers a callback instead of starting a goroutine per call, which matters for
	// callers that make many short calls.
	stopOnContext := cancelWhenDone(ctx, call.token)
	stopOnClose := cancelWhenDone(c.closing, call.token)
	status := op(call)
	stopOnContext()
	stopOnClose()

	if status == C.DCS_OK {
		return nil
	}
	e := takeError(status, call.err)
	if e.Status == StatusCancelled || e.Status == StatusTimeout {
		attachCause(ctx, e, deadlineFromContext, c.closing.Done())
	}
	return e
}

// cancelWhenDone cancels token when ctx is done. The returned stop undoes that and, if
// the cancel already began, waits for it to finish. A context that can never be done
// (context.Background) costs nothing.
func cancelWhenDone(ctx context.Context, token *C.dcs_cancel_token) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	ran := make(chan struct{})
	stopCallback := context.AfterFunc(ctx, func() {
		defer close(ran)
		C.dcs_cancel_token_cancel(token)
	})
	return func() {
		if !stopCallback() {
			<-ran
		}
	}
}

// attachCause names what ended a cancelled or timed-out call, and makes Status agree with
// it: a passed context deadline is a timeout even when it arrived through the token.
func attachCause(ctx context.Context, e *Error, deadlineFromContext bool, closing <-chan struct{}) {
	cause := ctx.Err()
	// libdcs's deadline was set from the context's, but its clock and the context's timer
	// are not the same one: it can give up a moment before ctx reports being done.
	if cause == nil && deadlineFromContext && e.Status == StatusTimeout {
		cause = context.DeadlineExceeded
	}
	if cause == nil {
		select {
		case <-closing:
			cause = ErrClosed
		default:
		}
	}
	if cause == nil {
		return
	}
	e.cause = cause
	if errors.Is(cause, context.DeadlineExceeded) {
		e.Status = StatusTimeout
	} else {
		e.Status = StatusCancelled
	}
}
