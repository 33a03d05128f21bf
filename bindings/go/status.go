// libdcs's status codes as a Go type, taken from <dcs/dcs.h> so that they cannot drift
// from the library.

package dcs

// #include <dcs/dcs.h>
import "C"

// Status is a libdcs status code (dcs_status). Values never change meaning between
// releases; a newer library may add new ones.
type Status int

// The status codes of <dcs/dcs.h>, taken from the header so they cannot drift.
const (
	StatusOK              Status = C.DCS_OK                 // success
	StatusInvalidArgument Status = C.DCS_E_INVALID_ARGUMENT // rejected before any network I/O
	StatusAuth            Status = C.DCS_E_AUTH             // 401/403: credentials, signature, project or permission
	StatusNotFound        Status = C.DCS_E_NOT_FOUND        // 404, or no such record
	StatusThrottled       Status = C.DCS_E_THROTTLED        // 429 after the retries the call allowed
	StatusBusy            Status = C.DCS_E_BUSY             // the instance is busy after retries
	StatusServer          Status = C.DCS_E_SERVER           // 5xx from the service
	StatusTransport       Status = C.DCS_E_TRANSPORT        // DNS, connect, TLS or connection failure
	StatusTimeout         Status = C.DCS_E_TIMEOUT          // the call's deadline passed
	StatusCancelled       Status = C.DCS_E_CANCELLED        // the call was cancelled
	StatusBadResponse     Status = C.DCS_E_BAD_RESPONSE     // unparseable, truncated or oversized response
	StatusInternal        Status = C.DCS_E_INTERNAL         // a bug in libdcs
	StatusNoMem           Status = C.DCS_E_NOMEM            // out of memory
	StatusRejected        Status = C.DCS_E_REJECTED         // any other 4xx
	StatusPrecondition    Status = C.DCS_E_PRECONDITION     // the instance or backup cannot take a restore
	StatusRestoreFailed   Status = C.DCS_E_RESTORE_FAILED   // the restore record ended in "failed"
)

// statusMax is the highest status the linked header knows; the tests check that every
// status up to it has a sentinel.
const statusMax = Status(C.DCS_STATUS_MAX)

// String returns libdcs's name for the status, e.g. "not found".
func (s Status) String() string {
	return C.GoString(C.dcs_status_str(C.dcs_status(s)))
}
