// Package dcsclient implements provider.API over the libdcs Go binding. It is the only
// package of the provider that needs cgo and libdcs.
package dcsclient

import (
	"context"
	"errors"
	"time"

	dcs "github.com/libdcs/libdcs/bindings/go"

	"github.com/libdcs/libdcs/bindings/terraform/internal/provider"
)

// client adapts *dcs.Client to provider.API: it converts records and errors into the
// provider's own types.
type client struct {
	dcs *dcs.Client
}

var _ provider.API = (*client)(nil)

// Connect creates a libdcs client from the resolved provider configuration. The provider
// has already read the environment, so libdcs is told not to read it again (the profile
// step still finds the SDKs' default file through HUAWEICLOUD_SDK_CREDENTIALS_FILE).
func Connect(cfg provider.ClientConfig) (provider.API, error) {
	var logger func(dcs.LogLevel, string)
	if cfg.Log != nil {
		logger = func(level dcs.LogLevel, msg string) { cfg.Log(level.String(), msg) }
	}
	c, err := dcs.NewClient(dcs.Config{
		Region:            cfg.Region,
		Endpoint:          cfg.Endpoint,
		ProjectID:         cfg.ProjectID,
		AccessKey:         cfg.AccessKey,
		SecretKey:         cfg.SecretKey,
		SecurityToken:     cfg.SecurityToken,
		CAFile:            cfg.CAFile,
		CADir:             cfg.CADir,
		Proxy:             cfg.Proxy,
		NoProxy:           cfg.ProxySet && cfg.Proxy == "",
		Insecure:          cfg.Insecure,
		UserAgentSuffix:   cfg.UserAgent,
		Logger:            logger,
		LogLevel:          dcs.LogDebug,
		IgnoreEnvironment: true,
		UseProfile:        cfg.UseProfile,
		ProfileFile:       cfg.ProfileFile,
		ProfileName:       cfg.ProfileName,
		UseMetadata:       cfg.UseMetadata,
		MetadataEndpoint:  cfg.MetadataEndpoint,
	})
	if err != nil {
		return nil, convertError(err)
	}
	return &client{dcs: c}, nil
}

func (c *client) StartRestore(ctx context.Context, req provider.StartRequest) (provider.StartedRestore, error) {
	var opts []dcs.CallOption
	if req.Remark != "" {
		opts = append(opts, dcs.WithRemark(req.Remark))
	}
	if req.Preflight {
		opts = append(opts, dcs.WithPreflight())
	}
	if req.WaitWhileBusy {
		opts = append(opts, dcs.WithWaitWhileBusy())
	}
	outcome, err := c.dcs.StartRestore(ctx, req.InstanceID, req.BackupID, opts...)
	return provider.StartedRestore{RestoreID: outcome.RestoreID, Adopted: outcome.Adopted}, convertError(err)
}

func (c *client) WaitForRestore(ctx context.Context, instanceID, restoreID string, opts provider.WaitOptions) (provider.Restore, error) {
	var waitOpts []dcs.WaitOption
	if opts.InstanceRunning {
		waitOpts = append(waitOpts, dcs.WithInstanceRunning())
	}
	if opts.Progress != nil {
		waitOpts = append(waitOpts, dcs.WithProgress(func(r dcs.Restore) { opts.Progress(convertRestore(r)) }))
	}
	r, err := c.dcs.WaitForRestore(ctx, instanceID, restoreID, waitOpts...)
	return convertRestore(r), convertError(err)
}

func (c *client) GetRestore(ctx context.Context, instanceID, restoreID string) (provider.Restore, error) {
	r, err := c.dcs.GetRestore(ctx, instanceID, restoreID)
	return convertRestore(r), convertError(err)
}

func (c *client) ListBackups(ctx context.Context, instanceID string, window provider.BackupWindow) ([]provider.Backup, error) {
	var opts []dcs.ListOption
	if !window.Begin.IsZero() {
		opts = append(opts, dcs.WithBeginTime(window.Begin))
	}
	if !window.End.IsZero() {
		opts = append(opts, dcs.WithEndTime(window.End))
	}
	backups, err := c.dcs.ListBackups(ctx, instanceID, opts...)
	if err != nil {
		return nil, convertError(err)
	}
	out := make([]provider.Backup, 0, len(backups))
	for _, b := range backups {
		out = append(out, convertBackup(b))
	}
	return out, nil
}

func (c *client) SelectBackup(ctx context.Context, instanceID string, sel provider.BackupSelection) (provider.Backup, error) {
	var opts []dcs.SelectOption
	if !sel.Before.IsZero() {
		opts = append(opts, dcs.WithCreatedBefore(sel.Before))
	}
	if sel.BackupType != "" {
		opts = append(opts, dcs.WithBackupType(sel.BackupType))
	}
	if sel.Name != "" {
		opts = append(opts, dcs.WithBackupName(sel.Name))
	}
	b, err := c.dcs.SelectBackup(ctx, instanceID, opts...)
	if err != nil {
		return provider.Backup{}, convertError(err)
	}
	return convertBackup(b), nil
}

func convertBackup(b dcs.Backup) provider.Backup {
	return provider.Backup{
		BackupID:         b.BackupID,
		Name:             b.BackupName,
		Status:           b.Status,
		IsSupportRestore: b.IsSupportRestore,
		Size:             b.Size,
		BackupType:       b.BackupType,
		BackupFormat:     b.BackupFormat,
		Remark:           b.Remark,
		CreatedAt:        timestamp(b.CreatedAt, b.CreatedAtRaw),
		UpdatedAt:        timestamp(b.UpdatedAt, b.UpdatedAtRaw),
		Created:          b.CreatedAt,
	}
}

func (c *client) ShowInstance(ctx context.Context, instanceID string) (provider.Instance, error) {
	i, err := c.dcs.ShowInstance(ctx, instanceID)
	if err != nil {
		return provider.Instance{}, convertError(err)
	}
	return provider.Instance{
		InstanceID:    i.InstanceID,
		Name:          i.Name,
		Status:        i.Status,
		SubStatus:     i.SubStatus,
		Engine:        i.Engine,
		EngineVersion: i.EngineVersion,
		CacheMode:     i.CacheMode,
		ProductType:   i.ProductType,
		Capacity:      i.Capacity,
		LaunchedAt:    timestamp(i.LaunchedAt, i.LaunchedAtRaw),
	}, nil
}

func convertRestore(r dcs.Restore) provider.Restore {
	return provider.Restore{
		RestoreID:   r.RestoreID,
		BackupID:    r.BackupID,
		Status:      string(r.Status),
		Progress:    r.Progress,
		ErrorCode:   r.ErrorCode,
		Remark:      r.Remark,
		RestoreName: r.RestoreName,
		CreatedAt:   timestamp(r.CreatedAt, r.CreatedAtRaw),
		UpdatedAt:   timestamp(r.UpdatedAt, r.UpdatedAtRaw),
	}
}

// timestamp is RFC 3339 in UTC when the binding understood the service's text, so that the
// same instant always reads the same in the state; the service's text otherwise.
func timestamp(t time.Time, raw string) string {
	if t.IsZero() {
		return raw
	}
	return t.UTC().Format(time.RFC3339)
}

// kinds maps the binding's sentinels to what the provider does about them.
var kinds = []struct {
	sentinel error
	kind     provider.ErrorKind
}{
	{dcs.ErrNotFound, provider.KindNotFound},
	{dcs.ErrBusy, provider.KindBusy},
	{dcs.ErrRestoreFailed, provider.KindRestoreFailed},
	{dcs.ErrAuth, provider.KindAuth},
	{dcs.ErrPrecondition, provider.KindPrecondition},
	{dcs.ErrTimeout, provider.KindTimeout},
}

// convertError turns a binding error into a *provider.APIError; nil stays nil.
func convertError(err error) error {
	if err == nil {
		return nil
	}
	out := &provider.APIError{Kind: provider.KindOther, Message: err.Error()}
	for _, k := range kinds {
		if errors.Is(err, k.sentinel) {
			out.Kind = k.kind
			break
		}
	}
	var dcsErr *dcs.Error
	if errors.As(err, &dcsErr) {
		out.HTTPStatus = dcsErr.HTTPStatus
		out.Code = dcsErr.ErrorCode
		out.RequestID = dcsErr.RequestID
		out.MayHaveStarted = dcsErr.RequestSent == dcs.SentMaybe
	}
	return out
}

// Rules are libdcs's argument checks, through the Go binding, for the provider's plan-time
// validators (provider.Rules).
type Rules struct{}

// ValidateID is dcs.ValidateID.
func (Rules) ValidateID(name, value string) error { return dcs.ValidateID(name, value) }

// ValidateRemark is dcs.ValidateRemark.
func (Rules) ValidateRemark(remark string) error { return dcs.ValidateRemark(remark) }
