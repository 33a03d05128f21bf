package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// defaultCreateTimeout matches DCS's documented worst case ("1 to 30 minutes").
const defaultCreateTimeout = 30 * time.Minute

var (
	_ resource.Resource                = &instanceRestoreResource{}
	_ resource.ResourceWithConfigure   = &instanceRestoreResource{}
	_ resource.ResourceWithImportState = &instanceRestoreResource{}
)

// instanceRestoreResource is dcs_instance_restore: one restore of an instance from one of
// its backups. A restore cannot be undone or changed, so every argument that names it
// forces a new restore, and destroying only forgets it.
type instanceRestoreResource struct {
	client API
	// busyRetry is the first pause before restarting a restore the service refused because
	// the instance was busy; it doubles up to busyRetryMax. Tests shorten it.
	busyRetry    time.Duration
	busyRetryMax time.Duration
}

// NewInstanceRestoreResource is the resource's constructor for the provider.
func NewInstanceRestoreResource() resource.Resource {
	return &instanceRestoreResource{busyRetry: 10 * time.Second, busyRetryMax: time.Minute}
}

// instanceRestoreModel is the resource's state.
type instanceRestoreModel struct {
	ID                     types.String   `tfsdk:"id"`
	InstanceID             types.String   `tfsdk:"instance_id"`
	BackupID               types.String   `tfsdk:"backup_id"`
	Remark                 types.String   `tfsdk:"remark"`
	WaitForInstanceRunning types.Bool     `tfsdk:"wait_for_instance_running"`
	Status                 types.String   `tfsdk:"status"`
	Progress               types.Float64  `tfsdk:"progress"`
	RestoreName            types.String   `tfsdk:"restore_name"`
	CreatedAt              types.String   `tfsdk:"created_at"`
	UpdatedAt              types.String   `tfsdk:"updated_at"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

func (r *instanceRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_restore"
}

func (r *instanceRestoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: description,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores a DCS instance from one of its backups and waits until the restore has succeeded. " +
			"A restore cannot be undone: destroying this resource only removes it from the state.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The restore id (`restore_id`)."),
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The instance to restore. Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{dcsIDValidator{}},
			},
			"backup_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The backup of that instance to restore from; it must have succeeded and support restore. Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{dcsIDValidator{}},
			},
			"remark": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A remark stored on the restore record (at most 128 bytes). Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{remarkValidator{}},
			},
			// Only steers how long Create waits; changing it later changes nothing in DCS,
			// so it is updated in place rather than forcing another restore.
			"wait_for_instance_running": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Also wait, after the restore succeeded, until the instance reports `RUNNING` again (twice in a row), i.e. until it serves clients. Default `false`. Changing it does not start a new restore.",
			},
			"status": computedString("The restore record's status: `waiting`, `restoring`, `succeed` or `failed`."),
			"progress": schema.Float64Attribute{
				Computed:            true,
				MarkdownDescription: "The restore's progress in percent, as last read.",
				PlanModifiers:       []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
			},
			"restore_name": computedString("The restore record's name."),
			"created_at":   computedString("When the restore was created (RFC 3339 when the service's timestamp is understood)."),
			"updated_at":   computedString("When the restore record last changed."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
}

func (r *instanceRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if client := clientFromProviderData(req.ProviderData, &resp.Diagnostics); client != nil {
		r.client = client
	}
}

func (r *instanceRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var data instanceRestoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	createTimeout, diags := data.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()

	instanceID, backupID := data.InstanceID.ValueString(), data.BackupID.ValueString()
	if !r.checkBackup(ctx, instanceID, backupID, resp) {
		return
	}

	restoreID, err := r.startRestore(ctx, instanceID, backupID, data.Remark.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot start the restore",
			fmt.Sprintf("Restoring instance %s from backup %s did not start; nothing was changed.\n\n%s",
				instanceID, backupID, describeAPIError(err)))
		return
	}
	tflog.Info(ctx, "restore started", map[string]any{"instance_id": instanceID, "restore_id": restoreID})

	// From here on the restore exists: whatever happens, it goes into the state, so that
	// Terraform knows about it (tainted if the wait fails).
	data.ID = types.StringValue(restoreID)
	data.Status = types.StringValue(RestoreWaiting)
	data.Progress = types.Float64Null()
	data.RestoreName, data.CreatedAt, data.UpdatedAt = types.StringNull(), types.StringNull(), types.StringNull()

	record, err := r.client.WaitForRestore(ctx, instanceID, restoreID, WaitOptions{
		InstanceRunning: data.WaitForInstanceRunning.ValueBool(),
		Progress: func(p Restore) {
			tflog.Info(ctx, "restore progress", map[string]any{"restore_id": restoreID, "status": p.Status, "progress": p.Progress})
		},
	})
	if record.RestoreID != "" {
		data.applyRecord(record)
	}
	if err != nil {
		resp.Diagnostics.AddError(waitFailureSummary(err), waitFailureDetail(instanceID, restoreID, err))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// checkBackup refuses, before anything starts, a backup that DCS would refuse: one that is
// not the instance's, has not succeeded, or does not support restore. Busy instances are
// not checked here; startRestore waits for them.
func (r *instanceRestoreResource) checkBackup(ctx context.Context, instanceID, backupID string, resp *resource.CreateResponse) bool {
	backups, err := r.client.ListBackups(ctx, instanceID)
	if err != nil {
		summary := "Cannot list the instance's backups"
		if errors.Is(err, ErrNotFound) {
			summary = "Instance not found"
		}
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), summary,
			fmt.Sprintf("Checking backup %s of instance %s failed; no restore was started.\n\n%s", backupID, instanceID, describeAPIError(err)))
		return false
	}
	for _, b := range backups {
		if b.BackupID != backupID {
			continue
		}
		if !b.Restorable() {
			resp.Diagnostics.AddAttributeError(path.Root("backup_id"), "Backup cannot be restored",
				fmt.Sprintf("Backup %s of instance %s has status %q and is_support_restore=%t; DCS restores only a succeeded backup that supports restore. No restore was started.",
					backupID, instanceID, b.Status, b.IsSupportRestore))
			return false
		}
		return true
	}
	resp.Diagnostics.AddAttributeError(path.Root("backup_id"), "Backup not found",
		fmt.Sprintf("Instance %s has no backup %s (a restore can only use a backup of the same instance). No restore was started.", instanceID, backupID))
	return false
}

// startRestore starts the restore, waiting out a busy instance (another backup or restore
// running) until the create timeout. A busy answer means the service refused the request,
// so trying again can never start a second restore.
func (r *instanceRestoreResource) startRestore(ctx context.Context, instanceID, backupID, remark string) (string, error) {
	pause := r.busyRetry
	for {
		restoreID, err := r.client.RestoreInstance(ctx, instanceID, backupID, remark)
		if err == nil || !errors.Is(err, ErrBusy) {
			return restoreID, err
		}
		tflog.Warn(ctx, "instance busy, retrying the restore", map[string]any{"instance_id": instanceID, "pause": pause.String(), "error": err.Error()})
		select {
		case <-ctx.Done():
			return "", err
		case <-time.After(pause):
		}
		pause = min(2*pause, r.busyRetryMax)
	}
}

func waitFailureSummary(err error) string {
	switch {
	case errors.Is(err, ErrRestoreFailed):
		return "Restore failed"
	case errors.Is(err, context.DeadlineExceeded), asAPIError(err).Kind == KindTimeout:
		return "Timed out waiting for the restore"
	}
	return "Error waiting for the restore"
}

func waitFailureDetail(instanceID, restoreID string, err error) string {
	apiErr := asAPIError(err)
	switch {
	case errors.Is(err, ErrRestoreFailed):
		return fmt.Sprintf("Restore %s of instance %s ended with status \"failed\", error code %s (request id %s). "+
			"DCS returns a master/standby instance to its state before the restore when it cannot load the backup. "+
			"The resource is tainted: the next apply starts a new restore.\n\n%s",
			restoreID, instanceID, orUnknown(apiErr.Code), orUnknown(apiErr.RequestID), apiErr.Message)
	case errors.Is(err, context.DeadlineExceeded), apiErr.Kind == KindTimeout:
		return fmt.Sprintf("Restore %s of instance %s is still running in DCS after the create timeout. "+
			"The resource is tainted, so the next apply would start another restore; to keep this one instead, run "+
			"`terraform untaint` on it once it has finished, or raise `timeouts { create }`.\n\n%s",
			restoreID, instanceID, describeAPIError(err))
	}
	return fmt.Sprintf("Restore %s of instance %s was started but following it failed; it may still be running in DCS.\n\n%s",
		restoreID, instanceID, describeAPIError(err))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (r *instanceRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var data instanceRestoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	record, err := r.client.GetRestore(ctx, data.InstanceID.ValueString(), data.ID.ValueString())
	if errors.Is(err, ErrNotFound) {
		// The record (or its instance) is gone, including an empty or 204 listing.
		tflog.Warn(ctx, "restore record gone, removing it from the state", map[string]any{"restore_id": data.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the restore",
			fmt.Sprintf("Reading restore %s of instance %s failed.\n\n%s", data.ID.ValueString(), data.InstanceID.ValueString(), describeAPIError(err)))
		return
	}
	data.applyRecord(record)
	if data.WaitForInstanceRunning.IsNull() {
		// After an import; the default the configuration gets.
		data.WaitForInstanceRunning = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// Update is reached only for the arguments that change nothing in DCS
// (wait_for_instance_running, timeouts): it records them.
func (r *instanceRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state instanceRestoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.WaitForInstanceRunning = plan.WaitForInstanceRunning
	state.Timeouts = plan.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *instanceRestoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var data instanceRestoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &data)...)
	resp.Diagnostics.AddWarning("A restore cannot be undone",
		fmt.Sprintf("Restore %s of instance %s was only removed from the Terraform state. DCS has no way to delete a restore record "+
			"or to return the instance to its data before the restore; to go back, restore an earlier backup.",
			data.ID.ValueString(), data.InstanceID.ValueString()))
}

func (r *instanceRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	instanceID, restoreID, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), instanceID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), restoreID)...)
}

// applyRecord copies what the restore record says into the model. An empty remark on the
// record keeps the configuration's own empty value (null or ""), so neither forces a new
// restore.
func (m *instanceRestoreModel) applyRecord(r Restore) {
	m.ID = types.StringValue(r.RestoreID)
	if r.BackupID != "" {
		m.BackupID = types.StringValue(r.BackupID)
	}
	if r.Remark != "" || (!m.Remark.IsNull() && m.Remark.ValueString() != "") {
		m.Remark = types.StringValue(r.Remark)
	}
	m.Status = types.StringValue(r.Status)
	if r.Progress >= 0 {
		m.Progress = types.Float64Value(r.Progress)
	} else {
		m.Progress = types.Float64Null()
	}
	m.RestoreName = stringOrNull(r.RestoreName)
	m.CreatedAt = stringOrNull(r.CreatedAt)
	m.UpdatedAt = stringOrNull(r.UpdatedAt)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
