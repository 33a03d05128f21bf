// Unit tests of per-resource regions: which endpoint and project serve a region, the
// clients made per region, and the resource and data source choosing theirs.

package provider

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	ownRegion   = "cn-north-4"
	otherRegion = "cn-south-1"
)

var baseConfig = ClientConfig{Region: ownRegion, ProjectID: "own-project", AccessKey: "AK", SecretKey: "SK"}

func TestRegionConfig(t *testing.T) {
	regions := map[string]RegionSettings{
		otherRegion:  {Endpoint: "http://127.0.0.1:2", ProjectID: "south-project"},
		"cn-east-3":  {ProjectID: "east-project"},
		"ap-south-1": {},
	}
	t.Run("an entry's endpoint and project", func(t *testing.T) {
		cfg, err := regionConfig(baseConfig, regions, otherRegion)
		if err != nil || cfg.Region != otherRegion || cfg.Endpoint != "http://127.0.0.1:2" || cfg.ProjectID != "south-project" || cfg.AccessKey != "AK" {
			t.Fatalf("got %+v %v", cfg, err)
		}
	})
	t.Run("the public endpoint and the provider's project by default", func(t *testing.T) {
		cfg, err := regionConfig(baseConfig, regions, "eu-west-0")
		if err != nil || cfg.Region != "eu-west-0" || cfg.Endpoint != "" || cfg.ProjectID != "own-project" {
			t.Fatalf("got %+v %v", cfg, err)
		}
		cfg, err = regionConfig(baseConfig, regions, "cn-east-3")
		if err != nil || cfg.Endpoint != "" || cfg.ProjectID != "east-project" {
			t.Fatalf("got %+v %v", cfg, err)
		}
	})
	t.Run("an explicit provider endpoint serves no other region by itself", func(t *testing.T) {
		base := baseConfig
		base.Endpoint = "http://127.0.0.1:1"
		if cfg, err := regionConfig(base, regions, otherRegion); err != nil || cfg.Endpoint != "http://127.0.0.1:2" {
			t.Fatalf("a listed endpoint: %+v %v", cfg, err)
		}
		for region, want := range map[string]string{"eu-west-0": "no entry in `regions`", "cn-east-3": "sets no `endpoint`"} {
			_, err := regionConfig(base, regions, region)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "http://127.0.0.1:1") {
				t.Errorf("%s: %v", region, err)
			}
		}
	})
}

// regionFakes connects each region to its own fake API, counting connections.
type regionFakes struct {
	mu       sync.Mutex
	apis     map[string]*fakeAPI
	connects map[string]int
	configs  []ClientConfig
}

func newRegionFakes(regions ...string) *regionFakes {
	f := &regionFakes{apis: map[string]*fakeAPI{}, connects: map[string]int{}}
	for _, region := range regions {
		api := newFakeAPI()
		api.instances[testInstance] = Instance{InstanceID: testInstance, Status: "RUNNING", CacheMode: "ha"}
		api.backups[testInstance] = []Backup{{BackupID: testBackup, Status: "succeed", IsSupportRestore: true}}
		f.apis[region] = api
	}
	return f
}

func (f *regionFakes) connect(cfg ClientConfig) (API, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.connects[cfg.Region]++
	f.configs = append(f.configs, cfg)
	api, ok := f.apis[cfg.Region]
	if !ok {
		return nil, errors.New("libdcs refuses region " + cfg.Region)
	}
	return api, nil
}

// clients is the provider data of a provider in ownRegion with an entry for otherRegion.
func (f *regionFakes) clients(t *testing.T) *regionalClients {
	t.Helper()
	own, err := f.connect(baseConfig)
	if err != nil {
		t.Fatal(err)
	}
	return newRegionalClients(own, baseConfig, map[string]RegionSettings{otherRegion: {Endpoint: "http://127.0.0.1:2", ProjectID: "south-project"}}, f.connect)
}

func TestRegionalClientsMakeOneClientPerRegion(t *testing.T) {
	fakes := newRegionFakes(ownRegion, otherRegion)
	clients := fakes.clients(t)
	for _, region := range []string{"", ownRegion} {
		if api, err := clients.ForRegion(region); err != nil || api != API(fakes.apis[ownRegion]) {
			t.Fatalf("region %q: %v %v", region, api, err)
		}
	}
	for range 3 {
		if api, err := clients.ForRegion(otherRegion); err != nil || api != API(fakes.apis[otherRegion]) {
			t.Fatalf("other region: %v", err)
		}
	}
	if fakes.connects[ownRegion] != 1 || fakes.connects[otherRegion] != 1 {
		t.Fatalf("connections per region: %v", fakes.connects)
	}
	if last := fakes.configs[len(fakes.configs)-1]; last.ProjectID != "south-project" || last.Endpoint != "http://127.0.0.1:2" {
		t.Fatalf("the other region's client was made with %+v", last)
	}
	if _, err := clients.ForRegion("xx-bad-1"); err == nil || !strings.Contains(err.Error(), "libdcs refuses region xx-bad-1") {
		t.Fatalf("a refused region: %v", err)
	}
}

func TestResolveRegions(t *testing.T) {
	ctx := context.Background()
	entryType := types.ObjectType{AttrTypes: map[string]attr.Type{"endpoint": types.StringType, "project_id": types.StringType}}
	entry := func(endpoint, project string) attr.Value {
		return types.ObjectValueMust(entryType.AttrTypes, map[string]attr.Value{"endpoint": types.StringValue(endpoint), "project_id": types.StringValue(project)})
	}
	value := types.MapValueMust(entryType, map[string]attr.Value{otherRegion: entry("http://127.0.0.1:2", "p2")})
	regions, diags := resolveRegions(ctx, value, ownRegion)
	if diags.HasError() || regions[otherRegion] != (RegionSettings{Endpoint: "http://127.0.0.1:2", ProjectID: "p2"}) {
		t.Fatalf("got %v %v", regions, diags)
	}
	own := types.MapValueMust(entryType, map[string]attr.Value{ownRegion: entry("http://127.0.0.1:2", "p2")})
	if _, diags := resolveRegions(ctx, own, ownRegion); !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "provider's own region") {
		t.Fatalf("an entry for the provider's own region: %v", diags)
	}
	if _, diags := resolveRegions(ctx, types.MapUnknown(entryType), ownRegion); !diags.HasError() {
		t.Fatal("unknown regions accepted")
	}
	if regions, diags := resolveRegions(ctx, types.MapNull(entryType), ownRegion); diags.HasError() || regions != nil {
		t.Fatalf("null regions: %v %v", regions, diags)
	}
}

// regionalRestoreFixture is the resource on a provider in ownRegion that can also serve
// otherRegion.
func regionalRestoreFixture(t *testing.T) (*restoreFixture, *regionFakes) {
	t.Helper()
	fakes := newRegionFakes(ownRegion, otherRegion)
	r := &instanceRestoreResource{rules: fakeRules{}}
	var configure resource.ConfigureResponse
	r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: fakes.clients(t)}, &configure)
	if configure.Diagnostics.HasError() {
		t.Fatalf("configure: %v", configure.Diagnostics)
	}
	f := &restoreFixture{api: fakes.apis[ownRegion], resource: r}
	r.Schema(context.Background(), resource.SchemaRequest{}, &f.schema)
	return f, fakes
}

func TestCreateRestoresInTheResourcesRegion(t *testing.T) {
	f, fakes := regionalRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Region = types.StringValue(otherRegion)
	resp := f.create(t, m)
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %s", diagText(resp.Diagnostics))
	}
	if fakes.apis[otherRegion].restoreCalls != 1 || fakes.apis[ownRegion].restoreCalls != 0 {
		t.Fatalf("restores started: own region %d, other region %d", fakes.apis[ownRegion].restoreCalls, fakes.apis[otherRegion].restoreCalls)
	}
	if got := modelOf(t, resp.State); got.Region.ValueString() != otherRegion || got.Status.ValueString() != RestoreSucceeded {
		t.Fatalf("state: %+v", got)
	}

	// Without a region: the provider's, recorded in the state.
	resp = f.create(t, planned(testInstance, testBackup))
	if got := modelOf(t, resp.State); resp.Diagnostics.HasError() || got.Region.ValueString() != ownRegion || fakes.apis[ownRegion].restoreCalls != 1 {
		t.Fatalf("state %+v: %s", got, diagText(resp.Diagnostics))
	}
}

func TestReadUsesTheStatesRegionAndFillsAMissingOne(t *testing.T) {
	f, fakes := regionalRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Region = types.StringValue(otherRegion)
	created := modelOf(t, f.create(t, m).State)
	if got := modelOf(t, f.read(t, f.stateOf(t, created)).State); got.Region.ValueString() != otherRegion || got.Status.ValueString() != RestoreSucceeded {
		t.Fatalf("read: %+v", got)
	}
	// The own region's fake has no such restore: a read there would have found none.
	if _, ok := fakes.apis[ownRegion].restores[testInstance]["restore-1"]; ok {
		t.Fatal("the restore reached the provider's region")
	}

	// A state from before `region` existed is read in the provider's region.
	own := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	own.Region = types.StringNull()
	if got := modelOf(t, f.read(t, f.stateOf(t, own)).State); got.Region.ValueString() != ownRegion || got.ID.ValueString() != "restore-1" {
		t.Fatalf("read of an old state: %+v", got)
	}
}

func TestPlanKeepsARestoreInItsRegion(t *testing.T) {
	f, _ := regionalRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Region = types.StringValue(otherRegion)
	created := modelOf(t, f.create(t, m).State)
	plannedRegion := func(resp resource.ModifyPlanResponse) string {
		var region types.String
		resp.Plan.GetAttribute(context.Background(), path.Root("region"), &region)
		return region.ValueString()
	}

	// Left out of the configuration: the state's region, whatever the provider's is.
	config := created
	config.Region = types.StringNull()
	resp := f.modifyPlanWithConfig(t, created, config)
	if len(resp.RequiresReplace) != 0 || resp.Diagnostics.HasError() || plannedRegion(resp) != otherRegion {
		t.Fatalf("region left out: replace %v, region %q, %s", resp.RequiresReplace, plannedRegion(resp), diagText(resp.Diagnostics))
	}
	// Another region: a new restore.
	config.Region = types.StringValue(ownRegion)
	resp = f.modifyPlanWithConfig(t, created, config)
	if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(path.Root("region")) || plannedRegion(resp) != ownRegion {
		t.Fatalf("region changed: replace %v, region %q", resp.RequiresReplace, plannedRegion(resp))
	}
	// A state without a region (written before the attribute existed) is never replaced for it.
	old := created
	old.Region = types.StringNull()
	config.Region = types.StringValue(otherRegion)
	resp = f.modifyPlanWithConfig(t, old, config)
	if len(resp.RequiresReplace) != 0 || plannedRegion(resp) != otherRegion {
		t.Fatalf("old state: replace %v, region %q", resp.RequiresReplace, plannedRegion(resp))
	}
	// A region the provider cannot serve fails the plan, on the attribute.
	config.Region = types.StringValue("xx-bad-1")
	resp = f.modifyPlanWithConfig(t, created, config)
	if !resp.Diagnostics.HasError() || !strings.Contains(diagText(resp.Diagnostics), "libdcs refuses region xx-bad-1") {
		t.Fatalf("an unservable region: %s", diagText(resp.Diagnostics))
	}
}

func TestImportWithARegion(t *testing.T) {
	f, _ := regionalRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Region = types.StringValue(otherRegion)
	f.create(t, m)

	resp := resource.ImportStateResponse{State: f.emptyState()}
	f.resource.ImportState(context.Background(), resource.ImportStateRequest{ID: otherRegion + "/" + testInstance + "/restore-1"}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("import: %s", diagText(resp.Diagnostics))
	}
	got := modelOf(t, f.read(t, resp.State).State)
	if got.Region.ValueString() != otherRegion || got.ID.ValueString() != "restore-1" || got.BackupID.ValueString() != testBackup {
		t.Fatalf("imported: %+v", got)
	}
	// Without the region the provider's is searched, which has no such restore.
	resp = resource.ImportStateResponse{State: f.emptyState()}
	f.resource.ImportState(context.Background(), resource.ImportStateRequest{ID: testInstance + "/restore-1"}, &resp)
	if read := f.read(t, resp.State); !strings.Contains(diagText(read.Diagnostics), "Restore not found") {
		t.Fatalf("import from the provider's region: %s", diagText(read.Diagnostics))
	}
}

func TestInstanceDataSourceReadsInItsRegion(t *testing.T) {
	fakes := newRegionFakes(ownRegion, otherRegion)
	fakes.apis[otherRegion].instances[testInstance] = Instance{InstanceID: testInstance, Name: "south", Status: "RUNNING", Capacity: -1}
	fakes.apis[ownRegion].instances[testInstance] = Instance{InstanceID: testInstance, Name: "north", Status: "RUNNING", Capacity: -1}
	clients := fakes.clients(t)
	for region, want := range map[string]string{otherRegion: "south", "": "north"} {
		cfg := instanceModel{InstanceID: types.StringValue(testInstance), Region: stringOrNull(region)}
		resp := readDataSource(t, NewInstanceDataSource(), clients, &cfg)
		if resp.Diagnostics.HasError() {
			t.Fatalf("read: %v", resp.Diagnostics)
		}
		var got instanceModel
		resp.State.Get(context.Background(), &got)
		wantRegion := region
		if wantRegion == "" {
			wantRegion = ownRegion
		}
		if got.Name.ValueString() != want || got.Region.ValueString() != wantRegion {
			t.Errorf("region %q: name %q region %q", region, got.Name.ValueString(), got.Region.ValueString())
		}
	}
}

func TestEmptyRegionIsRefused(t *testing.T) {
	check := func(value types.String) bool {
		var resp validator.StringResponse
		nonEmptyValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("region"), ConfigValue: value}, &resp)
		return resp.Diagnostics.HasError()
	}
	if !check(types.StringValue("")) {
		t.Error("an empty region was accepted")
	}
	for _, ok := range []types.String{types.StringValue(otherRegion), types.StringNull(), types.StringUnknown()} {
		if check(ok) {
			t.Errorf("%v was refused", ok)
		}
	}
}

// modifyPlanWithConfig runs ModifyPlan for a resource in state `state` whose configuration
// is `config` (the framework's plan: the configuration, computed values from the state).
func (f *restoreFixture) modifyPlanWithConfig(t *testing.T, state, config instanceRestoreModel) resource.ModifyPlanResponse {
	t.Helper()
	ctx := context.Background()
	c := tfsdk.Plan{Schema: f.schema.Schema}
	if diags := c.Set(ctx, &config); diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	plan := config
	if plan.Region.IsNull() {
		plan.Region = types.StringUnknown()
	}
	p := tfsdk.Plan{Schema: f.schema.Schema}
	if diags := p.Set(ctx, &plan); diags.HasError() {
		t.Fatalf("plan: %v", diags)
	}
	resp := resource.ModifyPlanResponse{Plan: p}
	f.resource.ModifyPlan(ctx, resource.ModifyPlanRequest{State: f.stateOf(t, state), Plan: p, Config: tfsdk.Config{Schema: f.schema.Schema, Raw: c.Raw}}, &resp)
	return resp
}
