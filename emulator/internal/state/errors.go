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

// The business errors the emulator answers, with the wording of the DCS error table.
var (
	ErrRestoring       = badRequest("DCS.4097", "the instance is restoring.")
	ErrBackuping       = badRequest("DCS.4096", "the instance is backuping.")
	ErrNotRunning      = badRequest("DCS.4049", "The instance status is not running.")
	ErrSingleNode      = badRequest("111400086", "only master standby instance is support this action")
	ErrBackupNotOK     = badRequest("111400087", "the backup record status is err when restore this instance")
	ErrRemarkTooLong   = badRequest("111400098", "The value of the remark parameter must be 0 to 128 characters in length.")
	ErrBadInstanceID   = badRequest("111400061", "Invalid instance ID format.")
	ErrBadBackupID     = badRequest("111400063", "Invalid backup_id parameter in the request.")
	ErrEmptyBody       = badRequest("111400004", "The request body is empty.")
	ErrBodyNotJSON     = badRequest("111400005", "The request body is not in JSON format.")
	ErrNoSuchInstance  = &Error{http.StatusNotFound, "111404022", "This DCS instance does not exist."}
	ErrBackupInRestore = badRequest("DCS.4097", "the instance is restoring from this backup.")
)

// ErrInvalidParam is 111400062 "Invalid {name} parameter in the request."
func ErrInvalidParam(name string) *Error {
	return badRequest("111400062", "Invalid "+name+" parameter in the request.")
}

// ErrStateOnly is returned by data operations when no redis-server backs the instances.
var ErrStateOnly = errors.New("the emulator runs in state-only mode: no redis-server backs the instances, so there is no data")

// ErrNotFound is an admin-API lookup miss.
var ErrNotFound = errors.New("no such instance")
