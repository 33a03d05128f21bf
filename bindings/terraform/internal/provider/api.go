// The part of DCS the provider needs, as an interface kept free of cgo, so that the
// provider's unit tests run against a fake without libdcs.

package provider

import (
	"context"
	"errors"
	"time"
)

// API is the part of DCS the provider uses. The real implementation (package
// internal/dcsclient) sits on the cgo binding; keeping this package free of cgo lets its
// unit tests run against a fake without libdcs.
type API interface {
	// StartRestore starts one restore. It never starts two: it posts the request again only
	// after an answer that proves nothing started, and after an ambiguous failure it adopts
	// the restore it finds in the instance's records (Adopted). When it finds none in time
	// it gives an *APIError with MayHaveStarted set ("unresolved").
	StartRestore(ctx context.Context, req StartRequest) (StartedRestore, error)
	// WaitForRestore polls until the restore succeeds (and, when asked, until the instance
	// is RUNNING again). A restore that ends "failed" gives an *APIError of KindRestoreFailed
	// carrying the record's error code, together with the last record seen.
	WaitForRestore(ctx context.Context, instanceID, restoreID string, opts WaitOptions) (Restore, error)
	// GetRestore returns one restore record, or an *APIError of KindNotFound.
	GetRestore(ctx context.Context, instanceID, restoreID string) (Restore, error)
	// ListBackups returns every backup record of the instance created within window (DCS
	// applies it); none is an empty slice.
	ListBackups(ctx context.Context, instanceID string, window BackupWindow) ([]Backup, error)
	// SelectBackup returns the newest restorable backup that sel accepts, as libdcs chooses
	// it (every page read, the time sent to DCS), or an *APIError of KindNotFound whose
	// message names the filters.
	SelectBackup(ctx context.Context, instanceID string, sel BackupSelection) (Backup, error)
	// ShowInstance returns the instance, or an *APIError of KindNotFound.
	ShowInstance(ctx context.Context, instanceID string) (Instance, error)
}

// StartRequest is one restore to start.
type StartRequest struct {
	InstanceID string
	BackupID   string
	// Remark is the restore's remark; "" for none.
	Remark string
	// Preflight checks before anything starts that the instance exists (KindNotFound),
	// is RUNNING and not single-node, and that the backup is the instance's, has
	// succeeded and supports restore (KindPrecondition).
	Preflight bool
	// WaitWhileBusy waits out "the instance is busy" answers, which start nothing, until
	// the context's deadline instead of giving up after a few attempts.
	WaitWhileBusy bool
}

// StartedRestore is what StartRestore started.
type StartedRestore struct {
	RestoreID string
	// Adopted is true when the answer to the request was lost and the id was found in the
	// instance's restore records instead.
	Adopted bool
}

// WaitOptions adjusts WaitForRestore.
type WaitOptions struct {
	// InstanceRunning also waits, after "succeed", until the instance serves again.
	InstanceRunning bool
	// Progress, when set, is called after every poll with the record as it stands.
	Progress func(Restore)
}

// ClientConfig is the provider configuration, resolved against the environment.
type ClientConfig struct {
	Region        string
	Endpoint      string
	ProjectID     string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	CAFile        string
	CADir         string
	// Proxy is used when ProxySet ("" = none); otherwise the environment's proxy variables.
	Proxy    string
	ProxySet bool
	Insecure bool
	// The credentials chain, when no keys are set: the profile file (ProfileFile, "" for the
	// SDKs' default; section ProfileName, "" for "basic"), then, with UseMetadata, the ECS
	// metadata service (MetadataEndpoint, "" for 169.254.169.254).
	UseProfile       bool
	ProfileFile      string
	ProfileName      string
	UseMetadata      bool
	MetadataEndpoint string
	// UserAgent is appended to libdcs's User-Agent.
	UserAgent string
	// Log receives libdcs's log lines (never secrets).
	Log func(level, msg string)
}

// Connector builds an API client from the provider configuration.
type Connector func(ClientConfig) (API, error)

// Restore status values as the service sends them.
const (
	RestoreWaiting   = "waiting"
	RestoreRestoring = "restoring"
	RestoreSucceeded = "succeed"
	RestoreFailed    = "failed"
)

// Restore is a restore record.
type Restore struct {
	RestoreID   string
	BackupID    string
	Status      string
	Progress    float64 // percent, -1 when the service sent none
	ErrorCode   string  // e.g. "dcs.08.0002" on a failed restore
	Remark      string
	RestoreName string
	CreatedAt   string
	UpdatedAt   string
}

// Backup is a backup record.
type Backup struct {
	BackupID         string
	Name             string
	Status           string
	IsSupportRestore bool
	Size             int64 // bytes, -1 when the service sent none
	BackupType       string
	BackupFormat     string
	Remark           string
	CreatedAt        string
	UpdatedAt        string
	// Created orders backups; zero when CreatedAt is absent or not understood.
	Created time.Time
}

// BackupWindow narrows a backup listing to creation times from Begin to End, both
// inclusive and to the second (DCS's begin_time and end_time); a zero time is unbounded.
type BackupWindow struct {
	Begin, End time.Time
}

// BackupSelection is what libdcs's backup selector chooses by: the newest restorable backup
// created strictly before Before (zero: any time), of BackupType and named Name when set.
type BackupSelection struct {
	Before     time.Time
	BackupType string
	Name       string
}

// Restorable reports whether DCS accepts a restore from this backup.
func (b Backup) Restorable() bool {
	return b.Status == "succeed" && b.IsSupportRestore
}

// Instance is a DCS instance.
type Instance struct {
	InstanceID    string
	Name          string
	Status        string
	SubStatus     string
	Engine        string
	EngineVersion string
	CacheMode     string
	ProductType   string
	Capacity      int64 // GB, -1 when the service sent none
	LaunchedAt    string
}

// ErrorKind classifies an API failure by what the provider does about it.
type ErrorKind int

const (
	KindOther         ErrorKind = iota
	KindNotFound                // the instance or record does not exist
	KindBusy                    // the instance is busy with another operation; nothing started
	KindRestoreFailed           // the restore record ended "failed"
	KindAuth                    // credentials, signature, project or permission
	KindPrecondition            // the instance or backup cannot take a restore
	KindTimeout                 // the call's deadline passed
)

// APIError is the error every API method returns.
type APIError struct {
	Kind       ErrorKind
	HTTPStatus int
	// Code is the service's error_code, or a failed restore record's ("dcs.08.0002").
	Code      string
	RequestID string
	Message   string
	// MayHaveStarted is set when the request may have reached DCS although the call
	// failed (libdcs's request sent MAYBE): for StartRestore, a restore may be running.
	MayHaveStarted bool
}

func (e *APIError) Error() string { return e.Message }

// Is matches the kind sentinels below, so errors.Is(err, ErrNotFound) works.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.Kind == e.Kind
}

// Sentinels for errors.Is; they compare by Kind only.
var (
	ErrNotFound      error = &APIError{Kind: KindNotFound}
	ErrBusy          error = &APIError{Kind: KindBusy}
	ErrRestoreFailed error = &APIError{Kind: KindRestoreFailed}
)

// asAPIError returns err's *APIError, or one of KindOther wrapping its text.
func asAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return &APIError{Kind: KindOther, Message: err.Error()}
}
