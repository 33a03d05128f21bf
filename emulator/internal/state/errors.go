// Package state keeps the emulated DCS world: credentials, instances, their backup and
// restore records, the asynchronous state machines that move those records along, and
// the counters tests assert on.
package state

import (
	"errors"
	"net/http"
)

// Error is a DCS business error: an HTTP status and a v2 error body.
type Error struct {
	Status int
	Code   string
	Msg    string
}

func (e *Error) Error() string { return e.Code + ": " + e.Msg }

func badRequest(code, msg string) *Error { return &Error{http.StatusBadRequest, code, msg} }

// The business errors the emulator answers. The v2 API answers the DCS.xxxx family of
// the DCS error table (the numeric 1114xxxxx twins are the v1 family); emulator/README.md
// has the table, with a source per row.
var (
	ErrRestoring       = badRequest("DCS.4097", "the instance is restoring.")
	ErrBackuping       = badRequest("DCS.4096", "the instance is backuping.")
	ErrNotRunning      = badRequest("DCS.4049", "The instance status is not running.")
	ErrSingleNode      = badRequest("DCS.4086", "only master standby instance is support this action")
	ErrBackupNotOK     = badRequest("DCS.4087", "the backup record status is err when restore this instance")
	ErrRemarkTooLong   = badRequest("DCS.4098", "The value of the remark parameter must be 0 to 128 characters in length.")
	ErrBadInstanceID   = badRequest("DCS.4061", "Invalid instance ID format.")
	ErrBadBackupID     = badRequest("DCS.4063", "Invalid backup_id parameter in the request.")
	ErrNoSuchBackup    = badRequest("DCS.4031", "The backup record does not exist.")
	ErrEmptyBody       = badRequest("DCS.4004", "Empty request body.")
	ErrBodyNotJSON     = badRequest("DCS.4005", "The message body contains invalid characters or is not in JSON format.")
	ErrNoSuchInstance  = &Error{http.StatusNotFound, "DCS.3022", "This DCS instance does not exist."}
	ErrBackupInRestore = badRequest("DCS.4097", "the instance is restoring from this backup.")
	// ErrForeignProject answers a request for a project the credentials do not own.
	ErrForeignProject = &Error{http.StatusForbidden, "DCS.2007", "Policy does not allow this operation to be performed in the project of the request path."}
)

// ErrInvalidParam is DCS.4062 "Invalid {name} parameter in the request."
func ErrInvalidParam(name string) *Error {
	return badRequest("DCS.4062", "Invalid "+name+" parameter in the request.")
}

// ErrStateOnly is returned by data operations when no redis-server backs the instances.
var ErrStateOnly = errors.New("the emulator runs in state-only mode: no redis-server backs the instances, so there is no data")

// ErrDataDown is returned by data operations while a restore holds the instance's
// Redis down (its "restoring" phase).
var ErrDataDown = errors.New("the instance's Redis is unavailable while a restore loads its data")

// ErrNotFound is an admin-API lookup miss.
var ErrNotFound = errors.New("no such instance")
