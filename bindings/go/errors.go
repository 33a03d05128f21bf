// The package's error type: libdcs's error copied into Go, with sentinels for errors.Is and
// the context error (or ErrClosed) that ended a call.

package dcs

import (
	"context"
	"errors"
)

// #include <dcs/dcs.h>
import "C"

// RequestSent says whether a failed request may have reached the service.
type RequestSent int

const (
	SentNo    RequestSent = C.DCS_SENT_NO    // provably not: validation, DNS or connect failure
	SentYes   RequestSent = C.DCS_SENT_YES   // the service answered
	SentMaybe RequestSent = C.DCS_SENT_MAYBE // unknown: a timeout after sending, a reset, ...
)

// Error is the error every call of this package returns, apart from ErrClosed.
//
// Compare it with the sentinels (errors.Is(err, dcs.ErrNotFound)); read its fields with
// errors.As. When a call ended because its context was cancelled or its deadline
// passed, the error also wraps ctx.Err().
type Error struct {
	// Status classifies the failure.
	Status Status
	// HTTPStatus is the HTTP status of the last response, 0 if there was none.
	HTTPStatus int
	// ErrorCode is the service's error_code ("DCS.4097", "111400087") or, for a failed
	// restore, the record's error_code ("dcs.08.0002").
	ErrorCode string
	// ErrorMsg is the service's error_msg.
	ErrorMsg string
	// ErrorExtMsg is the service's error_ext_msg.
	ErrorExtMsg string
	// RequestID is the X-Request-Id of the last response, for support tickets.
	RequestID string
	// RequestSent says whether the request may have reached the service.
	RequestSent RequestSent
	// Message is a single-line description; it never contains a secret.
	Message string

	cause error
}

// Error implements the error interface.
func (e *Error) Error() string {
	return "dcs: " + e.Message
}

// Is reports whether target is an *Error of the same Status, which makes the sentinels
// work with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// Unwrap returns the context error (or ErrClosed) that ended the call, if one did.
func (e *Error) Unwrap() error {
	return e.cause
}

// Sentinels, one per status, for errors.Is. They are compared by Status only.
var (
	ErrInvalidArgument = sentinel(StatusInvalidArgument)
	ErrAuth            = sentinel(StatusAuth)
	ErrNotFound        = sentinel(StatusNotFound)
	ErrThrottled       = sentinel(StatusThrottled)
	ErrBusy            = sentinel(StatusBusy)
	ErrServer          = sentinel(StatusServer)
	ErrTransport       = sentinel(StatusTransport)
	ErrTimeout         = sentinel(StatusTimeout)
	ErrCancelled       = sentinel(StatusCancelled)
	ErrBadResponse     = sentinel(StatusBadResponse)
	ErrInternal        = sentinel(StatusInternal)
	ErrNoMem           = sentinel(StatusNoMem)
	ErrRejected        = sentinel(StatusRejected)
	ErrPrecondition    = sentinel(StatusPrecondition)
	ErrRestoreFailed   = sentinel(StatusRestoreFailed)
)

// ErrClosed is returned by calls on a Client after Close, and wrapped by the ErrCancelled
// error of a call that Close cancelled.
var ErrClosed = errors.New("dcs: client is closed")

// sentinels maps every status libdcs can return to its sentinel: the single table the
// tests hold against 1..DCS_STATUS_MAX.
var sentinels = map[Status]*Error{
	StatusInvalidArgument: ErrInvalidArgument,
	StatusAuth:            ErrAuth,
	StatusNotFound:        ErrNotFound,
	StatusThrottled:       ErrThrottled,
	StatusBusy:            ErrBusy,
	StatusServer:          ErrServer,
	StatusTransport:       ErrTransport,
	StatusTimeout:         ErrTimeout,
	StatusCancelled:       ErrCancelled,
	StatusBadResponse:     ErrBadResponse,
	StatusInternal:        ErrInternal,
	StatusNoMem:           ErrNoMem,
	StatusRejected:        ErrRejected,
	StatusPrecondition:    ErrPrecondition,
	StatusRestoreFailed:   ErrRestoreFailed,
}

func sentinel(s Status) *Error {
	return &Error{Status: s, Message: s.String()}
}

// takeError copies a C error into an *Error and frees the C object at once, so no C
// memory outlives the call. err may be NULL (the caller passed none, or allocation failed).
func takeError(status C.dcs_status, err *C.dcs_error) *Error {
	defer C.dcs_error_free(err)
	e := &Error{Status: Status(status)}
	if err == nil {
		e.Message = e.Status.String()
		return e
	}
	e.HTTPStatus = int(C.dcs_error_http_status(err))
	e.ErrorCode = C.GoString(C.dcs_error_service_code(err))
	e.ErrorMsg = C.GoString(C.dcs_error_service_message(err))
	e.ErrorExtMsg = C.GoString(C.dcs_error_service_ext_message(err))
	e.RequestID = C.GoString(C.dcs_error_request_id(err))
	e.RequestSent = RequestSent(C.dcs_error_request_sent(err))
	e.Message = C.GoString(C.dcs_error_message(err))
	if e.Message == "" {
		e.Message = e.Status.String()
	}
	return e
}

// invalidArgument is an error found in Go before anything reached C or the network.
func invalidArgument(message string) *Error {
	return &Error{Status: StatusInvalidArgument, RequestSent: SentNo, Message: message}
}

// contextError is the error of a call whose context was done before it started.
func contextError(cause error) *Error {
	e := &Error{Status: StatusCancelled, RequestSent: SentNo, cause: cause}
	if errors.Is(cause, context.DeadlineExceeded) {
		e.Status = StatusTimeout
	}
	e.Message = e.Status.String() + ": " + cause.Error()
	return e
}
