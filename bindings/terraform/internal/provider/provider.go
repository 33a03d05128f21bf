// The provider itself: its configuration block, completed from the environment, and the
// resource and data sources it serves.

package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/libdcs/dcs"

// The environment variables the official Huawei Cloud SDKs (and libdcs) read.
const (
	EnvAccessKey     = "HUAWEICLOUD_SDK_AK"
	EnvSecretKey     = "HUAWEICLOUD_SDK_SK"
	EnvSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	EnvProjectID     = "HUAWEICLOUD_SDK_PROJECT_ID"
	EnvRegion        = "DCS_REGION"
	EnvEndpoint      = "DCS_ENDPOINT"
)

var _ provider.Provider = &dcsProvider{}

// dcsProvider is the "dcs" provider: it configures one API client that its resources and
// data sources share.
type dcsProvider struct {
	version string
	connect Connector
	rules   Rules
}

// New returns the provider factory; connect builds the API client at configuration time,
// and rules are libdcs's argument checks for plan-time validation.
func New(version string, connect Connector, rules Rules) func() provider.Provider {
	return func() provider.Provider {
		return &dcsProvider{version: version, connect: connect, rules: rules}
	}
}

// providerModel is the provider block.
type providerModel struct {
	Region        types.String `tfsdk:"region"`
	Endpoint      types.String `tfsdk:"endpoint"`
	ProjectID     types.String `tfsdk:"project_id"`
	AccessKey     types.String `tfsdk:"access_key"`
	SecretKey     types.String `tfsdk:"secret_key"`
	SecurityToken types.String `tfsdk:"security_token"`
	CAFile        types.String `tfsdk:"ca_file"`
	Insecure      types.Bool   `tfsdk:"insecure"`
}

func (p *dcsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dcs"
	resp.Version = p.version
}

func (p *dcsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores Huawei Cloud DCS (managed Redis) instances from their backups, through libdcs.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region, e.g. `cn-north-4`; the endpoint is then `https://dcs.{region}.myhuaweicloud.com`. Defaults to `" + EnvRegion + "`. One of `region` and `endpoint` is required.",
			},
			"endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Explicit base URL of the DCS API (`http://` or `https://`, no path); wins over `region`. Defaults to `" + EnvEndpoint + "`.",
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Project the instances belong to. Defaults to `" + EnvProjectID + "`.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Access key (AK). Defaults to `" + EnvAccessKey + "`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK). Defaults to `" + EnvSecretKey + "`.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary credentials. Defaults to `" + EnvSecurityToken + "` only when `access_key` is not set in the configuration, so a token never joins keys of another identity.",
			},
			"ca_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM bundle of trusted CAs; the system store is used otherwise.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Turn TLS certificate verification off. For test endpoints only.",
			},
		},
	}
}

func (p *dcsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var data providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := resolveConfig(data, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = "terraform-provider-dcs/" + p.version
	// libdcs logs from inside calls; the lines go to Terraform's provider log (TF_LOG).
	logCtx := ctx
	cfg.Log = func(level, msg string) {
		tflog.Debug(logCtx, msg, map[string]any{"libdcs_level": level})
	}

	client, err := p.connect(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the DCS client", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
}

// resolveConfig fills what the configuration leaves unset from the environment and checks
// that the result is complete. Unknown values (a provider block that depends on resources
// not yet created) are an error: the client cannot be built from them.
func resolveConfig(data providerModel, getenv func(string) string) (ClientConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	pick := func(attr string, v types.String, env string) string {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown provider setting",
				"`"+attr+"` depends on a value not known until apply; the DCS client needs it to plan. Set it from known values or from the environment.")
			return ""
		}
		if !v.IsNull() && v.ValueString() != "" {
			return v.ValueString()
		}
		if env == "" {
			return ""
		}
		return getenv(env)
	}

	cfg := ClientConfig{
		Region:    pick("region", data.Region, EnvRegion),
		Endpoint:  pick("endpoint", data.Endpoint, EnvEndpoint),
		ProjectID: pick("project_id", data.ProjectID, EnvProjectID),
		AccessKey: pick("access_key", data.AccessKey, EnvAccessKey),
		SecretKey: pick("secret_key", data.SecretKey, EnvSecretKey),
		CAFile:    pick("ca_file", data.CAFile, ""),
		Insecure:  data.Insecure.ValueBool(),
	}
	// Credentials go as a unit: a token from the environment belongs to the environment's
	// keys, never to keys written in the configuration.
	tokenEnv := EnvSecurityToken
	if !data.AccessKey.IsNull() && data.AccessKey.ValueString() != "" {
		tokenEnv = ""
	}
	cfg.SecurityToken = pick("security_token", data.SecurityToken, tokenEnv)
	if data.Insecure.IsUnknown() {
		diags.AddAttributeError(path.Root("insecure"), "Unknown provider setting", "`insecure` must be known at plan time.")
	}
	if diags.HasError() {
		return cfg, diags
	}

	if cfg.Region == "" && cfg.Endpoint == "" {
		diags.AddError("Missing DCS region or endpoint",
			"Set `region` or `endpoint` in the provider block, or "+EnvRegion+" or "+EnvEndpoint+" in the environment.")
	}
	missing := []struct{ attr, env, value string }{
		{"project_id", EnvProjectID, cfg.ProjectID},
		{"access_key", EnvAccessKey, cfg.AccessKey},
		{"secret_key", EnvSecretKey, cfg.SecretKey},
	}
	for _, m := range missing {
		if m.value == "" {
			diags.AddAttributeError(path.Root(m.attr), "Missing DCS "+m.attr,
				"Set `"+m.attr+"` in the provider block or "+m.env+" in the environment.")
		}
	}
	return cfg, diags
}

func (p *dcsProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &instanceRestoreResource{rules: p.rules} },
	}
}

func (p *dcsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		func() datasource.DataSource { return &backupsDataSource{rules: p.rules} },
		func() datasource.DataSource { return &instanceDataSource{rules: p.rules} },
	}
}
