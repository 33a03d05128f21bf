// The provider itself: its configuration block, completed from the environment, and the
// resource and data sources it serves.

package provider

import (
	"context"
	"os"
	"path/filepath"

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
	// EnvCredentialsFile names the official SDKs' profile file (libdcs reads it too).
	EnvCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
)

// The ECS metadata service libdcs asks for temporary credentials unless told otherwise.
const defaultMetadataEndpoint = "http://169.254.169.254"

// The Huawei Cloud Terraform provider's environment variables, read after the ones above
// (as libdcs does), so that an environment set up for huaweicloud_* resources serves this
// provider too.
const (
	EnvHWAccessKey     = "HW_ACCESS_KEY"
	EnvHWSecretKey     = "HW_SECRET_KEY"
	EnvHWSecurityToken = "HW_SECURITY_TOKEN"
	EnvHWProjectID     = "HW_PROJECT_ID"
	EnvHWRegion        = "HW_REGION_NAME"
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
	CADir         types.String `tfsdk:"ca_dir"`
	Insecure      types.Bool   `tfsdk:"insecure"`
	Proxy         types.String `tfsdk:"proxy"`
	Regions       types.Map    `tfsdk:"regions"`
	// The credentials chain, used only when no keys are set.
	SharedConfigFile types.String `tfsdk:"shared_config_file"`
	Profile          types.String `tfsdk:"profile"`
	UseECSMetadata   types.Bool   `tfsdk:"use_ecs_metadata"`
	MetadataEndpoint types.String `tfsdk:"metadata_endpoint"`
}

// regionModel is one entry of the provider's `regions` map.
type regionModel struct {
	Endpoint  types.String `tfsdk:"endpoint"`
	ProjectID types.String `tfsdk:"project_id"`
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
				MarkdownDescription: "Region, e.g. `cn-north-4`; the endpoint is then `https://dcs.{region}.myhuaweicloud.com`. Defaults to `" + EnvRegion + "`, then `" + EnvHWRegion + "`. One of `region` and `endpoint` is required. A resource or data source may name another region with its own `region` argument.",
			},
			"endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Explicit base URL of the DCS API (`http://` or `https://`, no path); wins over `region`. Defaults to `" + EnvEndpoint + "`.",
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Project the instances belong to. Defaults to `" + EnvProjectID + "`, then `" + EnvHWProjectID + "`.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Access key (AK). Defaults to `" + EnvAccessKey + "`, or, when neither `" + EnvAccessKey + "` nor `" + EnvSecretKey + "` is set, `" + EnvHWAccessKey + "`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK). Defaults to `" + EnvSecretKey + "`, or, when neither `" + EnvAccessKey + "` nor `" + EnvSecretKey + "` is set, `" + EnvHWSecretKey + "`.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary credentials. Defaults to the token of the set of variables the keys come from (`" + EnvSecurityToken + "` or `" + EnvHWSecurityToken + "`), and only when `access_key` is not set in the configuration, so a token never joins keys of another identity.",
			},
			"ca_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM bundle of trusted CAs; the system store is used otherwise.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Turn TLS certificate verification off. For test endpoints only.",
			},
			"ca_dir": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Directory of trusted CA certificates in OpenSSL's hashed form (`openssl rehash`); it must exist.",
			},
			"proxy": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Proxy URL for every request, e.g. `http://user:pass@proxy:3128`; `\"\"` connects directly. Unset, libdcs follows `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (lower case first), as Terraform itself does.",
			},
			"shared_config_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Profile file of the official Huawei Cloud SDKs (an INI file whose sections hold `ak`, `sk`, `security_token` and `project_id`), " +
					"read when no `access_key`/`secret_key` is set in the block or the environment. Defaults to `" + EnvCredentialsFile + "`, then " +
					"`~/.huaweicloud/credentials`, either skipped when absent; a file named here must exist. Its `project_id` fills an unset `project_id`. " +
					"Not the KooCLI `config.json` that `huaweicloud/huaweicloud`'s `shared_config_file` reads.",
			},
			"profile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Section of the profile file to read (default `basic`); a section named here must exist and hold `ak` and `sk`.",
			},
			"use_ecs_metadata": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When no keys are set and no profile file gives any, fetch temporary credentials from the ECS metadata service " +
					"(the agency of the ECS the provider runs on), refreshed before they expire, so that a long restore never signs with expired ones. " +
					"`project_id` must then come from the block or the environment. Default `false`.",
			},
			"metadata_endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of the ECS metadata service for `use_ecs_metadata` (default `" + defaultMetadataEndpoint + "`). " +
					"For tests only, e.g. pointing at `dcs-emulator`.",
			},
			"regions": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "Where regions other than the provider's own are served, by region name, for resources and data sources " +
					"whose `region` names one. A region without an entry uses `https://dcs.{region}.myhuaweicloud.com` (or " +
					"`HUAWEICLOUD_SDK_REGION_DCS_{REGION}`) and the provider's `project_id`; when the provider's `endpoint` is set, " +
					"every other region needs an entry with an `endpoint`. Not for the provider's own region: set `endpoint` and " +
					"`project_id` for that one.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"endpoint": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "Base URL of the DCS API in this region (`http://` or `https://`, no path).",
						},
						"project_id": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "The project in this region. Huawei Cloud projects belong to one region, so a real region other than the provider's needs its own.",
						},
					},
				},
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
	regions, diags := resolveRegions(ctx, data.Regions, cfg.Region)
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
		detail := err.Error()
		if cfg.UseProfile {
			detail += "\n\n" + chainHint(cfg)
		}
		resp.Diagnostics.AddError("Cannot create the DCS client", detail)
		return
	}
	clients := newRegionalClients(client, cfg, regions, p.connect)
	resp.ResourceData = clients
	resp.DataSourceData = clients
}

// resolveConfig fills what the configuration leaves unset from the environment and checks
// that the result is complete. Unknown values (a provider block that depends on resources
// not yet created) are an error: the client cannot be built from them.
func resolveConfig(data providerModel, getenv func(string) string) (ClientConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	// pick is the attribute's value, else the first of the variables that is set.
	pick := func(attr string, v types.String, envs ...string) string {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown provider setting",
				"`"+attr+"` depends on a value not known until apply; the DCS client needs it to plan. Set it from known values or from the environment.")
			return ""
		}
		if !v.IsNull() && v.ValueString() != "" {
			return v.ValueString()
		}
		for _, env := range envs {
			if value := getenv(env); value != "" {
				return value
			}
		}
		return ""
	}

	// The keys and the token come from one set of variables, as in libdcs: the official
	// SDKs' when either of their keys is set (a half-set pair is then reported missing rather
	// than completed from another identity's variables), else the HW_* set.
	keyEnv := credentialEnv{EnvAccessKey, EnvSecretKey, EnvSecurityToken}
	if getenv(EnvAccessKey) == "" && getenv(EnvSecretKey) == "" {
		keyEnv = credentialEnv{EnvHWAccessKey, EnvHWSecretKey, EnvHWSecurityToken}
	}
	cfg := ClientConfig{
		Region:    pick("region", data.Region, EnvRegion, EnvHWRegion),
		Endpoint:  pick("endpoint", data.Endpoint, EnvEndpoint),
		ProjectID: pick("project_id", data.ProjectID, EnvProjectID, EnvHWProjectID),
		AccessKey: pick("access_key", data.AccessKey, keyEnv.accessKey),
		SecretKey: pick("secret_key", data.SecretKey, keyEnv.secretKey),
		CAFile:    pick("ca_file", data.CAFile),
		CADir:     pick("ca_dir", data.CADir),
		Insecure:  data.Insecure.ValueBool(),
	}
	// null: the environment's proxy variables (libdcs reads them); "" or a URL: as given.
	if data.Proxy.IsUnknown() {
		pick("proxy", data.Proxy)
	} else if !data.Proxy.IsNull() {
		cfg.Proxy, cfg.ProxySet = data.Proxy.ValueString(), true
	}
	// Credentials go as a unit: a token from the environment belongs to the environment's
	// keys, never to keys written in the configuration.
	if !data.AccessKey.IsNull() && data.AccessKey.ValueString() != "" {
		cfg.SecurityToken = pick("security_token", data.SecurityToken)
	} else {
		cfg.SecurityToken = pick("security_token", data.SecurityToken, keyEnv.securityToken)
	}
	if data.Insecure.IsUnknown() {
		diags.AddAttributeError(path.Root("insecure"), "Unknown provider setting", "`insecure` must be known at plan time.")
	}
	if data.UseECSMetadata.IsUnknown() {
		diags.AddAttributeError(path.Root("use_ecs_metadata"), "Unknown provider setting", "`use_ecs_metadata` must be known at plan time.")
	}
	// Keys in the block or the environment win; without any, libdcs looks in the profile
	// file and then, when asked, the metadata service (the official SDKs' chain).
	profileFile := pick("shared_config_file", data.SharedConfigFile)
	profileName := pick("profile", data.Profile)
	metadataEndpoint := pick("metadata_endpoint", data.MetadataEndpoint)
	if cfg.AccessKey == "" && cfg.SecretKey == "" {
		cfg.UseProfile, cfg.ProfileFile, cfg.ProfileName = true, profileFile, profileName
		cfg.UseMetadata, cfg.MetadataEndpoint = data.UseECSMetadata.ValueBool(), metadataEndpoint
		// A token without keys belongs to no one: the chain's source brings its own.
		cfg.SecurityToken = ""
	}
	if diags.HasError() {
		return cfg, diags
	}

	if cfg.Region == "" && cfg.Endpoint == "" {
		diags.AddError("Missing DCS region or endpoint",
			"Set `region` or `endpoint` in the provider block, or "+EnvRegion+", "+EnvHWRegion+" or "+EnvEndpoint+" in the environment.")
	}
	type setting struct{ attr, env, value string }
	missing := []setting{
		{"project_id", EnvProjectID + " (or " + EnvHWProjectID + ")", cfg.ProjectID},
	}
	switch {
	case !cfg.UseProfile:
		// Keys given: both halves must be, from the same place.
		missing = append(missing,
			setting{"access_key", EnvAccessKey + " (or " + EnvHWAccessKey + ")", cfg.AccessKey},
			setting{"secret_key", EnvSecretKey + " (or " + EnvHWSecretKey + ")", cfg.SecretKey})
	case cfg.ProfileFile != "" || cfg.ProfileName != "" || defaultProfileExists(getenv):
		// The profile's project_id may fill the project; libdcs judges the file when the
		// client is created.
		missing = missing[:0]
	case !cfg.UseMetadata:
		diags.AddError("Missing DCS credentials",
			"Nothing supplies the credentials. Set `access_key` and `secret_key` in the provider block, or "+
				EnvAccessKey+" and "+EnvSecretKey+" (or "+EnvHWAccessKey+" and "+EnvHWSecretKey+") in the environment; "+
				"or write them (ak, sk) to a profile file: `shared_config_file` and `profile`, "+EnvCredentialsFile+
				" or ~/.huaweicloud/credentials (none of them exists here); or set `use_ecs_metadata = true` on an ECS "+
				"whose agency grants DCS access.")
	}
	for _, m := range missing {
		if m.value == "" {
			diags.AddAttributeError(path.Root(m.attr), "Missing DCS "+m.attr,
				"Set `"+m.attr+"` in the provider block or "+m.env+" in the environment.")
		}
	}
	return cfg, diags
}

// defaultProfileExists says whether the profile file libdcs reads by default is there:
// $HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials. libdcs skips an absent
// default file; looking here first lets the provider report missing credentials at plan
// time, naming every source, instead of libdcs's bare "credentials are missing".
func defaultProfileExists(getenv func(string) string) bool {
	file := getenv(EnvCredentialsFile)
	if file == "" {
		home := getenv("HOME")
		if home == "" {
			return false
		}
		file = filepath.Join(home, ".huaweicloud", "credentials")
	}
	info, err := os.Stat(file)
	return err == nil && !info.IsDir()
}

// chainHint explains, after libdcs refused a configuration without keys, where the
// credentials were looked for.
func chainHint(cfg ClientConfig) string {
	profile := "the default profile file (" + EnvCredentialsFile + ", else ~/.huaweicloud/credentials)"
	if cfg.ProfileFile != "" {
		profile = "the profile file " + cfg.ProfileFile
	}
	section := cfg.ProfileName
	if section == "" {
		section = "basic"
	}
	hint := "No `access_key`/`secret_key` is set in the provider block or the environment, so the credentials were looked up in " +
		profile + ", section [" + section + "]"
	if cfg.UseMetadata {
		endpoint := cfg.MetadataEndpoint
		if endpoint == "" {
			endpoint = defaultMetadataEndpoint
		}
		hint += ", then the ECS metadata service at " + endpoint
	}
	return hint + "."
}

// credentialEnv names one set of credential variables.
type credentialEnv struct{ accessKey, secretKey, securityToken string }

// resolveRegions reads the provider's `regions` map. An entry for the provider's own region
// is refused: that region's endpoint and project are the provider block's own.
func resolveRegions(ctx context.Context, value types.Map, ownRegion string) (map[string]RegionSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	if value.IsUnknown() {
		diags.AddAttributeError(path.Root("regions"), "Unknown provider setting",
			"`regions` depends on a value not known until apply; the DCS clients need it to plan.")
		return nil, diags
	}
	if value.IsNull() {
		return nil, diags
	}
	entries := map[string]regionModel{}
	diags.Append(value.ElementsAs(ctx, &entries, false)...)
	if diags.HasError() {
		return nil, diags
	}
	regions := make(map[string]RegionSettings, len(entries))
	for name, entry := range entries {
		at := path.Root("regions").AtMapKey(name)
		if entry.Endpoint.IsUnknown() || entry.ProjectID.IsUnknown() {
			diags.AddAttributeError(at, "Unknown provider setting", "The entry of region "+name+" must be known at plan time.")
			continue
		}
		if ownRegion != "" && name == ownRegion {
			diags.AddAttributeError(at, "Entry for the provider's own region",
				"Region "+name+" is the provider's own region; set its endpoint and project with the provider's `endpoint` and `project_id` instead.")
			continue
		}
		regions[name] = RegionSettings{Endpoint: entry.Endpoint.ValueString(), ProjectID: entry.ProjectID.ValueString()}
	}
	return regions, diags
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
