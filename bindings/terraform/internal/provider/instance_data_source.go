// The dcs_instance data source: an instance's details, for configurations that check or
// refer to it around a restore.

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &instanceDataSource{}
	_ datasource.DataSourceWithConfigure = &instanceDataSource{}
)

// instanceDataSource is dcs_instance: what ShowInstance reports about one instance.
type instanceDataSource struct {
	client API
	rules  Rules
}

// NewInstanceDataSource is the data source without libdcs's rules, for tests; the provider
// builds its own with them (DataSources).
func NewInstanceDataSource() datasource.DataSource {
	return &instanceDataSource{}
}

type instanceModel struct {
	InstanceID    types.String `tfsdk:"instance_id"`
	Region        types.String `tfsdk:"region"`
	Name          types.String `tfsdk:"name"`
	Status        types.String `tfsdk:"status"`
	SubStatus     types.String `tfsdk:"sub_status"`
	Engine        types.String `tfsdk:"engine"`
	EngineVersion types.String `tfsdk:"engine_version"`
	CacheMode     types.String `tfsdk:"cache_mode"`
	ProductType   types.String `tfsdk:"product_type"`
	Capacity      types.Int64  `tfsdk:"capacity"`
	LaunchedAt    types.String `tfsdk:"launched_at"`
}

func (d *instanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (d *instanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one DCS instance: its status, cache mode, engine and size.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The instance id.",
				Validators:          []validator.String{dcsIDValidator{rules: d.rules, name: "instance_id"}},
			},
			"region": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{nonEmptyValidator{}},
				MarkdownDescription: "The instance's region, when it is not the provider's; as the `region` of `dcs_instance_restore`. Read back as the region used (null when the provider has only an `endpoint`).",
			},
			"name":           computed("The instance name."),
			"status":         computed("`RUNNING`, `RESTORING`, `CREATING`, ... A restore needs `RUNNING`."),
			"sub_status":     computed("The instance's sub-status, when DCS reports one."),
			"engine":         computed("The engine, e.g. `Redis`."),
			"engine_version": computed("The engine version, e.g. `6.0`."),
			"cache_mode":     computed("`single`, `ha`, `ha_rw_split`, `proxy` or `cluster`. DCS cannot restore a `single` instance."),
			"product_type":   computed("The product type."),
			"capacity":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Capacity in GB; null when DCS reports none."},
			"launched_at":    computed("When the instance was launched."),
		},
	}
}

func (d *instanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := clientFromProviderData(req.ProviderData, &resp.Diagnostics); client != nil {
		d.client = client
	}
}

func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data instanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, region, err := apiFor(d.client, data.Region.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Cannot serve the region", err.Error())
		return
	}
	data.Region = stringOrNull(region)
	instance, err := api.ShowInstance(ctx, data.InstanceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the instance",
			fmt.Sprintf("Reading instance %s failed.\n\n%s", data.InstanceID.ValueString(), describeAPIError(err)))
		return
	}
	data.Name = types.StringValue(instance.Name)
	data.Status = types.StringValue(instance.Status)
	data.SubStatus = types.StringValue(instance.SubStatus)
	data.Engine = types.StringValue(instance.Engine)
	data.EngineVersion = types.StringValue(instance.EngineVersion)
	data.CacheMode = types.StringValue(instance.CacheMode)
	data.ProductType = types.StringValue(instance.ProductType)
	data.Capacity = types.Int64Null()
	if instance.Capacity >= 0 {
		data.Capacity = types.Int64Value(instance.Capacity)
	}
	data.LaunchedAt = types.StringValue(instance.LaunchedAt)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
