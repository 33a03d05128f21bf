// The dcs_backups data source, so that a configuration can restore the newest restorable
// backup instead of naming one by id.

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	InstanceID         types.String  `tfsdk:"instance_id"`
	Status             types.String  `tfsdk:"status"`
	Restorable         types.Bool    `tfsdk:"restorable"`
	Backups            []backupModel `tfsdk:"backups"`
	LatestRestorableID types.String  `tfsdk:"latest_restorable_id"`
}

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
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only backups with this status (`waiting`, `backuping`, `succeed`, `failed`, `expired`, `deleted`).",
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
				MarkdownDescription: "The id of the newest backup a restore can use (status `succeed` and `is_support_restore`), whatever the filters; null when there is none.",
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
	backups, err := d.client.ListBackups(ctx, data.InstanceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot list backups",
			fmt.Sprintf("Listing the backups of instance %s failed.\n\n%s", data.InstanceID.ValueString(), describeAPIError(err)))
		return
	}
	sortNewestFirst(backups)

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
		data.Backups = append(data.Backups, newBackupModel(b))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
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
