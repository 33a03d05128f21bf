// The dcs_instance_restore resource, the provider's reason to exist: it starts a restore
// once, and starts another only when the last one provably failed.

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.ResourceWithModifyPlan  = &instanceRestoreResource{}
)

// instanceRestoreResource is dcs_instance_restore: one restore of an instance from one of
// its backups. A restore cannot be undone or changed, so every argument that names it
// forces a new restore, and destroying only forgets it.
//
// A restore overwrites the instance's live data with the backup's, so the resource asks
// for another restore only when the last one provably failed: never because a record is
// missing from the listing, a wait timed out, or an answer was lost.
type instanceRestoreResource struct {
	client API
	rules  Rules
}

// NewInstanceRestoreResource is the resource without libdcs's rules, for schema tests; the
// provider builds its own with them (Resources).
func NewInstanceRestoreResource() resource.Resource {
	return &instanceRestoreResource{}
}

// instanceRestoreModel is the resource's state.
type instanceRestoreModel struct {
	ID                     types.String   `tfsdk:"id"`
	Region                 types.String   `tfsdk:"region"`
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
			"A restore cannot be undone: destroying this resource only removes it from the state. " +
			"Only a restore that ended `failed` is ever replaced by a new one; a missing record, a create timeout or a lost " +
			"answer never leads to a second restore.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The restore id (`restore_id`)."),
			// Planned by ModifyPlan, which knows the provider's region and keeps a restore
			// where it was made.
			"region": schema.StringAttribute{
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{nonEmptyValidator{}},
				MarkdownDescription: "The region of the instance, e.g. `cn-south-1`, when it is not the provider's. Defaults to the provider's " +
					"`region` (null when the provider has only an `endpoint`); a restore then stays in the region it was made in " +
					"even if the provider's region changes later. Its endpoint and project are the provider's `regions` entry for it, " +
					"else `https://dcs.{region}.myhuaweicloud.com` and the provider's `project_id`. Changing it starts a new restore.",
			},
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The instance to restore. Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{dcsIDValidator{rules: r.rules, name: "instance_id"}},
			},
			"backup_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The backup of that instance to restore from; it must have succeeded and support restore. Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{dcsIDValidator{rules: r.rules, name: "backup_id"}},
			},
			"remark": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "A remark stored on the restore record (at most 128 bytes). Changing it starts a new restore.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{remarkValidator{rules: r.rules}},
			},
			// Only steers how long Create waits; changing it later changes nothing in DCS,
			// so it is updated in place rather than forcing another restore.
			"wait_for_instance_running": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Also wait, after the restore succeeded, until the instance reports `RUNNING` again (twice in a row), i.e. until it serves clients. Default `false`. Changing it does not start a new restore.",
			},
			"status": computedString("The restore record's status: `waiting`, `restoring`, `succeed` or `failed`. A `failed` status found by a refresh makes the next plan replace the restore."),
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

	api, region, err := apiFor(r.client, data.Region.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Cannot serve the region", err.Error())
		return
	}
	data.Region = stringOrNull(region)
	instanceID, backupID, remark := data.InstanceID.ValueString(), data.BackupID.ValueString(), data.Remark.ValueString()
	// A restore this call starts is created after this instant: what to look for if the
	// outcome stays unknown.
	since := time.Now()
	// libdcs checks the instance and the backup first (nothing starts if one cannot take the
	// restore), waits out a busy instance until the create timeout, and never starts two.
	started, err := api.StartRestore(ctx, StartRequest{
		InstanceID: instanceID, BackupID: backupID, Remark: remark,
		Preflight: true, WaitWhileBusy: true,
	})
	if err != nil {
		addStartError(&resp.Diagnostics, r.regionFlag(region), instanceID, backupID, remark, since, err)
		return
	}
	restoreID := started.RestoreID
	if started.Adopted {
		tflog.Warn(ctx, "the answer to the restore request was lost; adopted the restore it started from the instance's records",
			map[string]any{"instance_id": instanceID, "restore_id": restoreID})
	}
	tflog.Info(ctx, "restore started", map[string]any{"instance_id": instanceID, "restore_id": restoreID, "adopted": started.Adopted})

	// From here on the restore exists: whatever happens, it goes into the state, so that
	// Terraform knows about it and never starts another for the same configuration.
	data.ID = types.StringValue(restoreID)
	data.Status = types.StringValue(RestoreWaiting)
	data.Progress = types.Float64Null()
	data.RestoreName, data.CreatedAt, data.UpdatedAt = types.StringNull(), types.StringNull(), types.StringNull()

	record, err := api.WaitForRestore(ctx, instanceID, restoreID, WaitOptions{
		InstanceRunning: data.WaitForInstanceRunning.ValueBool(),
		Progress: func(p Restore) {
			tflog.Info(ctx, "restore progress", map[string]any{"restore_id": restoreID, "status": p.Status, "progress": p.Progress})
		},
	})
	if record.RestoreID != "" {
		data.applyRecord(record)
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrRestoreFailed):
		// The one outcome that calls for another restore: an error taints the resource.
		resp.Diagnostics.AddError("Restore failed", failedDetail(instanceID, restoreID, err))
	default:
		// Still running (or succeeded, while the instance is not yet serving), or its
		// status could not be read: kept, untainted, with what to do next.
		resp.Diagnostics.AddWarning(unfinishedSummary(err), unfinishedDetail(instanceID, restoreID, data, createTimeout, err))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// regionFlag is the region a restore's follow-up commands must name: "" when it is the
// provider's own.
func (r *instanceRestoreResource) regionFlag(region string) string {
	if region == providerRegion(r.client) {
		return ""
	}
	return region
}

// addStartError reports a restore that did not start, or that may have started without
// the provider learning its id. region is "" for the provider's own.
func addStartError(diags *diag.Diagnostics, region, instanceID, backupID, remark string, since time.Time, err error) {
	apiErr := asAPIError(err)
	switch {
	case apiErr.MayHaveStarted:
		diags.AddError("Restore may have started (unresolved)", unresolvedDetail(region, instanceID, backupID, remark, since, err))
	case errors.Is(err, ErrNotFound):
		diags.AddAttributeError(path.Root("instance_id"), "Instance not found",
			fmt.Sprintf("Instance %s does not exist (or belongs to another project); no restore was started.\n\n%s",
				instanceID, describeAPIError(err)))
	case apiErr.Kind == KindPrecondition:
		diags.AddError("The instance or the backup cannot take this restore",
			fmt.Sprintf("Restoring instance %s from backup %s was refused before anything started: DCS restores only a RUNNING "+
				"master/standby or cluster instance, from a succeeded backup of that same instance that supports restore.\n\n%s",
				instanceID, backupID, describeAPIError(err)))
	default:
		diags.AddError("Cannot start the restore",
			fmt.Sprintf("Restoring instance %s from backup %s did not start; nothing was changed.\n\n%s",
				instanceID, backupID, describeAPIError(err)))
	}
}

// unresolvedDetail explains a restore whose start is unknown, and how to settle it: the
// resource cannot be in the state without an id, and applying again blindly could restore
// twice.
func unresolvedDetail(region, instanceID, backupID, remark string, since time.Time, err error) string {
	sinceText := since.UTC().Format(time.RFC3339)
	find := fmt.Sprintf("dcsctl restores find --instance %s --backup %s", instanceID, backupID)
	importID := instanceID
	if region != "" {
		find = fmt.Sprintf("dcsctl restores find --region %s --instance %s --backup %s", region, instanceID, backupID)
		importID = region + "/" + instanceID
	}
	goFind := fmt.Sprintf("client.FindRestore(ctx, %q, %q, since)", instanceID, backupID)
	if remark != "" {
		find += " --remark " + shellQuote(remark)
		goFind = fmt.Sprintf("client.FindRestore(ctx, %q, %q, since, dcs.WithRemark(%q))", instanceID, backupID, remark)
	}
	find += " --since " + sinceText
	return fmt.Sprintf("The request to restore instance %s from backup %s may have reached DCS, but its answer was lost or "+
		"did not say whether it started, and no such restore was listed in the instance's restore records in time. "+
		"The restore may or may not have started. "+
		"It was not requested again, and it is not in the Terraform state.\n\n"+
		"Do not simply apply again: if the restore did start, a second one would overwrite the instance's data again. "+
		"First check whether it started (created since %s):\n\n"+
		"  %s\n\n"+
		"or, with the libdcs Go binding, %s with since = %s. "+
		"If it finds a restore, bring it under this resource instead of restoring again:\n\n"+
		"  terraform import <resource address> %s/<restore_id>\n\n"+
		"If none is found (allow for the delay with which DCS lists a new restore), apply again.\n\n%s",
		instanceID, backupID, sinceText, find, goFind, sinceText, importID, describeAPIError(err))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func failedDetail(instanceID, restoreID string, err error) string {
	apiErr := asAPIError(err)
	return fmt.Sprintf("Restore %s of instance %s ended with status \"failed\", error code %s (request id %s). "+
		"DCS returns a master/standby instance to its state before the restore when it cannot load the backup. "+
		"The resource is tainted: the next apply starts a new restore.\n\n%s",
		restoreID, instanceID, orUnknown(apiErr.Code), orUnknown(apiErr.RequestID), apiErr.Message)
}

// timedOut reports whether err is the create timeout passing.
func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || asAPIError(err).Kind == KindTimeout
}

func unfinishedSummary(err error) string {
	if timedOut(err) {
		return "Restore still in progress after the create timeout"
	}
	return "Restore started; its end could not be followed"
}

// unfinishedDetail says where a restore whose wait ended early stands, and how to follow it.
func unfinishedDetail(instanceID, restoreID string, data instanceRestoreModel, createTimeout time.Duration, err error) string {
	status := fmt.Sprintf("status %q", data.Status.ValueString())
	if !data.Progress.IsNull() && !data.Progress.IsUnknown() {
		status += fmt.Sprintf(", %.0f%% done", data.Progress.ValueFloat64())
	}
	running := " It keeps running in DCS."
	if data.Status.ValueString() == RestoreSucceeded {
		status += "; the instance was not yet serving again"
		running = ""
	}
	why := fmt.Sprintf("was still in progress when the create timeout (%s) passed", createTimeout)
	if !timedOut(err) {
		why = "could not be followed to its end"
	}
	return fmt.Sprintf("Restore %s of instance %s %s (last read: %s).%s\n\n"+
		"The resource is in the state and NOT tainted: a restore that is running or has succeeded is never a reason to "+
		"restore again, which would overwrite the instance's data a second time. Every refresh reads its status: follow it "+
		"with `terraform plan` or `terraform apply -refresh-only`, or with `dcsctl restores get --instance %s --restore %s`. "+
		"Only if it ends \"failed\" does the next plan replace it with a new restore. To wait longer during apply, raise "+
		"`timeouts { create }`.\n\n%s",
		restoreID, instanceID, why, status, running, instanceID, restoreID, describeAPIError(err))
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
	// A state without a region (imported, or written before `region` existed) is read in
	// the provider's region, which then goes into the state.
	api, region, err := apiFor(r.client, data.Region.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Cannot serve the region", err.Error())
		return
	}
	data.Region = stringOrNull(region)
	instanceID, restoreID := data.InstanceID.ValueString(), data.ID.ValueString()
	record, err := api.GetRestore(ctx, instanceID, restoreID)
	if errors.Is(err, ErrNotFound) {
		r.readMissing(ctx, api, data, err, resp)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the restore",
			fmt.Sprintf("Reading restore %s of instance %s failed.\n\n%s", restoreID, instanceID, describeAPIError(err)))
		return
	}
	data.applyRecord(record)
	if data.WaitForInstanceRunning.IsNull() {
		// After an import; the default the configuration gets.
		data.WaitForInstanceRunning = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// readMissing handles a restore record that the instance's listing lacks (an empty
// listing, a 204, or the instance's own 404). Only a gone instance removes the resource:
// a record missing from the listing says nothing about the instance's data, and planning
// a new restore for it would overwrite live data with the backup's old data.
func (r *instanceRestoreResource) readMissing(ctx context.Context, api API, data instanceRestoreModel, recordErr error, resp *resource.ReadResponse) {
	instanceID, restoreID := data.InstanceID.ValueString(), data.ID.ValueString()
	_, err := api.ShowInstance(ctx, instanceID)
	switch {
	case errors.Is(err, ErrNotFound):
		tflog.Warn(ctx, "instance gone, removing its restore from the state", map[string]any{"instance_id": instanceID, "restore_id": restoreID})
		resp.Diagnostics.AddWarning("Instance no longer exists",
			fmt.Sprintf("Instance %s does not exist any more (ShowInstance answers not found), so restore %s was removed from the state.\n\n%s",
				instanceID, restoreID, describeAPIError(err)))
		resp.State.RemoveResource(ctx)
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the restore",
			fmt.Sprintf("Instance %s does not list restore %s, and checking whether the instance still exists failed.\n\n%s",
				instanceID, restoreID, describeAPIError(err)))
	case data.Status.IsNull():
		// Never read: an import of an id the instance does not have.
		resp.Diagnostics.AddError("Restore not found",
			fmt.Sprintf("Instance %s has no restore record %s.\n\n%s", instanceID, restoreID, describeAPIError(recordErr)))
	default:
		// Kept as last read; the state is not set again.
		tflog.Warn(ctx, "restore record not listed, keeping it in the state", map[string]any{"instance_id": instanceID, "restore_id": restoreID})
		resp.Diagnostics.AddWarning("Restore record not listed; kept in the state",
			fmt.Sprintf("Instance %s exists, but DCS does not list its restore record %s (an empty listing or HTTP 204 included). "+
				"The restore is kept in the state as last read (status %q), and no new restore is planned: a record missing from "+
				"the listing says nothing about the instance's data, and restoring again would overwrite live data with the "+
				"backup's old data.\n\n"+
				"To restore again on purpose, run `terraform apply -replace=<resource address>`; to stop managing this restore, "+
				"`terraform state rm <resource address>`.",
				instanceID, restoreID, data.Status.ValueString()))
	}
}

// ModifyPlan plans the region, and replaces a restore that has ended "failed" (as a
// refresh found it): the only state in which starting another restore is what the
// configuration asks for.
func (r *instanceRestoreResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var state *instanceRestoreModel
	if !req.State.Raw.IsNull() {
		state = &instanceRestoreModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.planRegion(ctx, configured, state, resp)
	if state == nil || resp.Diagnostics.HasError() || state.Status.ValueString() != RestoreFailed {
		return
	}
	// Terraform replaces a resource only for an attribute that changes: the new restore's
	// status is not known yet.
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	resp.Diagnostics.AddWarning("Failed restore will be replaced",
		fmt.Sprintf("Restore %s of instance %s ended with status \"failed\" in DCS (DCS returns the instance to its data before "+
			"the restore when it cannot load the backup). This plan replaces it with a new restore from backup %s. "+
			"A restore that is running or has succeeded is never replaced this way.",
			state.ID.ValueString(), state.InstanceID.ValueString(), state.BackupID.ValueString()))
}

// planRegion plans `region`: the configured one, else the one the restore was made in, else
// (a new restore, or a state from before `region` existed) the provider's. Only a configured
// region that differs from the one in the state replaces the restore: a restore is never
// replaced because the provider's region changed or a state lacked the attribute. The
// region's client is made here, so that a region the provider cannot serve fails the plan.
func (r *instanceRestoreResource) planRegion(ctx context.Context, configured types.String, state *instanceRestoreModel, resp *resource.ModifyPlanResponse) {
	if configured.IsUnknown() {
		if state != nil {
			// Whether it names another region, and so another restore, must be known now:
			// replacing on an unknown would restore again even if it turns out the same.
			resp.Diagnostics.AddAttributeError(path.Root("region"), "Region not known at plan time",
				"The `region` of an existing restore must be known when planning. Set it from known values.")
		}
		return // a new restore: known at apply, where Create checks it
	}
	stateRegion := types.StringNull()
	if state != nil {
		stateRegion = state.Region
	}
	region := configured.ValueString()
	switch {
	case !configured.IsNull():
		if !stateRegion.IsNull() && stateRegion.ValueString() != region {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("region"))
		}
	case !stateRegion.IsNull():
		region = stateRegion.ValueString()
	}
	if r.client == nil {
		return // the provider is not configured yet (validation)
	}
	_, effective, err := apiFor(r.client, region)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Cannot serve the region", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), stringOrNull(effective))...)
}

// Update is reached only for the arguments that change nothing in DCS
// (wait_for_instance_running, timeouts, a region the state lacked): it records them.
func (r *instanceRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state instanceRestoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.WaitForInstanceRunning = plan.WaitForInstanceRunning
	state.Timeouts = plan.Timeouts
	// As planned: the region the restore was read in, also for a state that lacked it.
	state.Region = plan.Region
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
	id, err := parseImportID(req.ID, r.rules)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), id.InstanceID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.RestoreID)...)
	if id.Region != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), id.Region)...)
	}
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
