// The dcs_backups data source, so that a configuration can restore the newest restorable
// backup instead of naming one by id.

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &backupsDataSource{}
	_ datasource.DataSourceWithConfigure = &backupsDataSource{}
)

// backupsDataSource is dcs_backups: an instance's backup records, newest first, and the
// newest one a restore can use.
type backupsDataSource struct {
	client API
	rules  Rules
}

// NewBackupsDataSource is the data source without libdcs's rules, for tests; the provider
// builds its own with them (DataSources).
func NewBackupsDataSource() datasource.DataSource {
	return &backupsDataSource{}
}

type backupsModel struct {
	InstanceID               types.String  `tfsdk:"instance_id"`
	BeginTime                types.String  `tfsdk:"begin_time"`
	EndTime                  types.String  `tfsdk:"end_time"`
	Type                     types.String  `tfsdk:"type"`
	Name                     types.String  `tfsdk:"name"`
	Status                   types.String  `tfsdk:"status"`
	Restorable               types.Bool    `tfsdk:"restorable"`
	RestorableBefore         types.String  `tfsdk:"restorable_before"`
	Backups                  []backupModel `tfsdk:"backups"`
	LatestRestorableID       types.String  `tfsdk:"latest_restorable_id"`
	LatestRestorableBeforeID types.String  `tfsdk:"latest_restorable_before_id"`
}

// The layouts of the time arguments: DCS's filter format (as huaweicloud_dcs_backups takes
// begin_time and end_time), and RFC 3339 for restorable_before.
const (
	compactLayout  = "20060102150405"
	compactExample = "20261127100000"
	rfc3339Example = "2026-11-27T10:00:00Z"
)

type backupModel struct {
	ID               types.String `tfsdk:"id"`
	Name             types.String `tfsdk:"name"`
	Status           types.String `tfsdk:"status"`
	IsSupportRestore types.Bool   `tfsdk:"is_support_restore"`
	Size             types.Int64  `tfsdk:"size"`
	CreatedAt        types.String `tfsdk:"created_at"`
	UpdatedAt        types.String `tfsdk:"updated_at"`
	BackupType       types.String `tfsdk:"backup_type"`
	BackupFormat     types.String `tfsdk:"backup_format"`
	Remark           types.String `tfsdk:"remark"`
}

func (d *backupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backups"
}

func (d *backupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the backups of a DCS instance, newest first, and names the newest one a restore can use.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The instance whose backups to list.",
				Validators:          []validator.String{dcsIDValidator{rules: d.rules, name: "instance_id"}},
			},
			"begin_time": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only backups created at or after this UTC time, `yyyymmddhhmmss` (e.g. `" + compactExample + "`); DCS applies it, as for `huaweicloud_dcs_backups`.",
				Validators:          []validator.String{timeValidator{compactLayout, compactExample}},
			},
			"end_time": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only backups created at or before this UTC time, `yyyymmddhhmmss`; DCS applies it.",
				Validators:          []validator.String{timeValidator{compactLayout, compactExample}},
			},
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only `manual` or only `auto` backups (also for `latest_restorable_before_id`).",
			},
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only the backup of this name (also for `latest_restorable_before_id`).",
			},
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only backups with this status (`waiting`, `backuping`, `succeed`, `failed`, `expired`, `deleted`).",
			},
			"restorable_before": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "An RFC 3339 time (e.g. `" + rfc3339Example + "`, the start of an incident): sets `latest_restorable_before_id`.",
				Validators:          []validator.String{timeValidator{time.RFC3339, rfc3339Example}},
			},
			"restorable": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "`true` keeps only backups a restore can use (status `succeed` and `is_support_restore`); `false` only the others.",
			},
			"backups": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The backups that pass the filters, newest first.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":                 computed("The backup id."),
						"name":               computed("The backup name."),
						"status":             computed("The backup status."),
						"is_support_restore": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether DCS supports restoring this backup."},
						"size":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Size in bytes; null when DCS reports none."},
						"created_at":         computed("When the backup started."),
						"updated_at":         computed("When the backup record last changed."),
						"backup_type":        computed("`manual` or `auto`."),
						"backup_format":      computed("`rdb` or `aof`."),
						"remark":             computed("The backup's remark."),
					},
				},
			},
			"latest_restorable_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The id of the newest backup a restore can use (status `succeed` and `is_support_restore`) created within `begin_time` and `end_time`, whatever the other filters; null when there is none.",
			},
			"latest_restorable_before_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "With `restorable_before`: the id of the newest backup a restore can use created strictly before that time, of `type` and `name` when they are set, as libdcs chooses it (every page read, the time sent to DCS). Null, with a warning that names the filters, when there is none; null without `restorable_before`.",
			},
		},
	}
}

func (d *backupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := clientFromProviderData(req.ProviderData, &resp.Diagnostics); client != nil {
		d.client = client
	}
}

func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data backupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	instanceID := data.InstanceID.ValueString()
	backups, err := d.client.ListBackups(ctx, instanceID, BackupWindow{
		Begin: compactTime(data.BeginTime),
		End:   compactTime(data.EndTime),
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot list backups",
			fmt.Sprintf("Listing the backups of instance %s failed.\n\n%s", instanceID, describeAPIError(err)))
		return
	}
	sortNewestFirst(backups)
	d.selectBefore(ctx, &data, resp)
	if resp.Diagnostics.HasError() {
		return
	}

	data.LatestRestorableID = types.StringNull()
	for _, b := range backups {
		if b.Restorable() {
			data.LatestRestorableID = types.StringValue(b.BackupID)
			break
		}
	}
	data.Backups = []backupModel{}
	for _, b := range backups {
		if !data.Status.IsNull() && b.Status != data.Status.ValueString() {
			continue
		}
		if !data.Restorable.IsNull() && b.Restorable() != data.Restorable.ValueBool() {
			continue
		}
		if !data.Type.IsNull() && b.BackupType != data.Type.ValueString() {
			continue
		}
		if !data.Name.IsNull() && b.Name != data.Name.ValueString() {
			continue
		}
		data.Backups = append(data.Backups, newBackupModel(b))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// selectBefore sets latest_restorable_before_id through libdcs's selector when
// restorable_before is set: "none" is a warning that names the filters, not an error, so that
// a configuration can test the attribute for null.
func (d *backupsDataSource) selectBefore(ctx context.Context, data *backupsModel, resp *datasource.ReadResponse) {
	data.LatestRestorableBeforeID = types.StringNull()
	if data.RestorableBefore.IsNull() {
		return
	}
	before, err := time.Parse(time.RFC3339, data.RestorableBefore.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("restorable_before"), "Invalid time", err.Error())
		return
	}
	chosen, err := d.client.SelectBackup(ctx, data.InstanceID.ValueString(), BackupSelection{
		Before:     before,
		BackupType: data.Type.ValueString(),
		Name:       data.Name.ValueString(),
	})
	if errors.Is(err, ErrNotFound) {
		resp.Diagnostics.AddWarning("No restorable backup before "+data.RestorableBefore.ValueString(),
			"latest_restorable_before_id is null: "+asAPIError(err).Message)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot choose a backup",
			fmt.Sprintf("Choosing the backup of instance %s to restore failed.\n\n%s", data.InstanceID.ValueString(), describeAPIError(err)))
		return
	}
	data.LatestRestorableBeforeID = types.StringValue(chosen.BackupID)
}

// compactTime is a begin_time or end_time as a time; zero when unset (the validator has
// checked the layout).
func compactTime(value types.String) time.Time {
	if value.IsNull() || value.IsUnknown() {
		return time.Time{}
	}
	t, _ := time.ParseInLocation(compactLayout, value.ValueString(), time.UTC)
	return t
}

// sortNewestFirst orders backups by creation time, newest first. Backups whose time is
// unknown go last; ties keep the service's order.
func sortNewestFirst(backups []Backup) {
	sort.SliceStable(backups, func(i, j int) bool {
		a, b := backups[i].Created, backups[j].Created
		if a.IsZero() != b.IsZero() {
			return !a.IsZero()
		}
		return a.After(b)
	})
}

func newBackupModel(b Backup) backupModel {
	size := types.Int64Null()
	if b.Size >= 0 {
		size = types.Int64Value(b.Size)
	}
	return backupModel{
		ID:               types.StringValue(b.BackupID),
		Name:             types.StringValue(b.Name),
		Status:           types.StringValue(b.Status),
		IsSupportRestore: types.BoolValue(b.IsSupportRestore),
		Size:             size,
		CreatedAt:        types.StringValue(b.CreatedAt),
		UpdatedAt:        types.StringValue(b.UpdatedAt),
		BackupType:       types.StringValue(b.BackupType),
		BackupFormat:     types.StringValue(b.BackupFormat),
		Remark:           types.StringValue(b.Remark),
	}
}
