// Unit tests of the dcs_backups and dcs_instance data sources against the fake API.

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// readDataSource runs ds.Read with the configuration cfg and returns the response.
func readDataSource(t *testing.T, ds datasource.DataSource, api API, cfg any) datasource.ReadResponse {
	t.Helper()
	ctx := context.Background()
	ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: api}, &datasource.ConfigureResponse{})
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	// The framework has no Config.Set: build the raw value through a State.
	built := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	if diags := built.Set(ctx, cfg); diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: built.Raw}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: built.Raw}}, &resp)
	return resp
}

func backupsFixture() *fakeAPI {
	api := newFakeAPI()
	api.instances[testInstance] = Instance{InstanceID: testInstance}
	at := func(day int) time.Time { return time.Date(2024, 5, day, 0, 0, 0, 0, time.UTC) }
	api.backups[testInstance] = []Backup{
		{BackupID: "b-old-good", Status: "succeed", IsSupportRestore: true, Size: 10, Created: at(1), CreatedAt: "2024-05-01T00:00:00Z"},
		{BackupID: "b-newest-failed", Status: "failed", Size: -1, Created: at(4), CreatedAt: "2024-05-04T00:00:00Z"},
		{BackupID: "b-mid-good", Status: "succeed", IsSupportRestore: true, Size: 20, Created: at(3), CreatedAt: "2024-05-03T00:00:00Z"},
		{BackupID: "b-unsupported", Status: "succeed", IsSupportRestore: false, Created: at(2), CreatedAt: "2024-05-02T00:00:00Z"},
	}
	return api
}

func backupIDs(m backupsModel) string {
	var ids []string
	for _, b := range m.Backups {
		ids = append(ids, b.ID.ValueString())
	}
	return strings.Join(ids, ",")
}

func TestBackupsNewestFirstWithLatestRestorable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     types.String
		restorable types.Bool
		want       string
	}{
		{"no filter", types.StringNull(), types.BoolNull(), "b-newest-failed,b-mid-good,b-unsupported,b-old-good"},
		{"restorable", types.StringNull(), types.BoolValue(true), "b-mid-good,b-old-good"},
		{"not restorable", types.StringNull(), types.BoolValue(false), "b-newest-failed,b-unsupported"},
		{"status succeed", types.StringValue("succeed"), types.BoolNull(), "b-mid-good,b-unsupported,b-old-good"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := backupsModel{InstanceID: types.StringValue(testInstance), Status: tc.status, Restorable: tc.restorable, LatestRestorableID: types.StringUnknown()}
			resp := readDataSource(t, NewBackupsDataSource(), backupsFixture(), &cfg)
			if resp.Diagnostics.HasError() {
				t.Fatalf("read: %s", diagText(resp.Diagnostics))
			}
			var got backupsModel
			resp.State.Get(context.Background(), &got)
			if ids := backupIDs(got); ids != tc.want {
				t.Fatalf("backups %s, want %s", ids, tc.want)
			}
			if got.LatestRestorableID.ValueString() != "b-mid-good" {
				t.Fatalf("latest_restorable_id %s", got.LatestRestorableID)
			}
		})
	}
}

func TestBackupsEmptyListIsNotAnError(t *testing.T) {
	api := newFakeAPI()
	api.instances[testInstance] = Instance{InstanceID: testInstance}
	cfg := backupsModel{InstanceID: types.StringValue(testInstance), Status: types.StringNull(), Restorable: types.BoolNull(), LatestRestorableID: types.StringUnknown()}
	resp := readDataSource(t, NewBackupsDataSource(), api, &cfg)
	if resp.Diagnostics.HasError() {
		t.Fatalf("read: %s", diagText(resp.Diagnostics))
	}
	var got backupsModel
	resp.State.Get(context.Background(), &got)
	if len(got.Backups) != 0 || !got.LatestRestorableID.IsNull() {
		t.Fatalf("got %+v", got)
	}
}

func TestInstanceDataSource(t *testing.T) {
	api := newFakeAPI()
	api.instances[testInstance] = Instance{InstanceID: testInstance, Name: "cache", Status: "RUNNING", Engine: "Redis", EngineVersion: "6.0", CacheMode: "ha", Capacity: -1}
	cfg := instanceModel{InstanceID: types.StringValue(testInstance)}
	resp := readDataSource(t, NewInstanceDataSource(), api, &cfg)
	if resp.Diagnostics.HasError() {
		t.Fatalf("read: %s", diagText(resp.Diagnostics))
	}
	var got instanceModel
	resp.State.Get(context.Background(), &got)
	if got.Name.ValueString() != "cache" || got.Status.ValueString() != "RUNNING" || got.CacheMode.ValueString() != "ha" ||
		got.EngineVersion.ValueString() != "6.0" || !got.Capacity.IsNull() {
		t.Fatalf("got %+v", got)
	}

	cfg = instanceModel{InstanceID: types.StringValue("inst-missing")}
	resp = readDataSource(t, NewInstanceDataSource(), api, &cfg)
	if text := diagText(resp.Diagnostics.Errors()); !strings.Contains(text, "DCS.3022") {
		t.Fatalf("missing instance: %s", text)
	}
}

func TestBackupsFiltersAndLatestRestorableBefore(t *testing.T) {
	api := backupsFixture()
	api.backups[testInstance][0].BackupType = "auto"
	api.backups[testInstance][0].Name = "backup_20240501000000"
	cfg := backupsModel{
		InstanceID:       types.StringValue(testInstance),
		BeginTime:        types.StringValue("20240501000000"),
		EndTime:          types.StringValue("20240504000000"),
		Type:             types.StringValue("auto"),
		RestorableBefore: types.StringValue("2024-05-03T00:00:00Z"),
	}
	resp := readDataSource(t, NewBackupsDataSource(), api, &cfg)
	if resp.Diagnostics.HasError() {
		t.Fatalf("read: %s", diagText(resp.Diagnostics))
	}
	var got backupsModel
	resp.State.Get(context.Background(), &got)
	if ids := backupIDs(got); ids != "b-old-good" {
		t.Fatalf("backups %s, want only the auto one", ids)
	}
	// b-mid-good (May 3) is not strictly before May 3; the auto one is.
	if got.LatestRestorableBeforeID.ValueString() != "b-old-good" {
		t.Fatalf("latest_restorable_before_id %s", got.LatestRestorableBeforeID)
	}
	wantWindow := BackupWindow{Begin: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC)}
	if len(api.windows) != 1 || api.windows[0] != wantWindow {
		t.Fatalf("windows %+v: begin_time and end_time were not passed on", api.windows)
	}
	if len(api.selections) != 1 || api.selections[0].BackupType != "auto" || !api.selections[0].Before.Equal(time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("selections %+v", api.selections)
	}

	// Nothing restorable before: null, with a warning that names the time.
	cfg = backupsModel{InstanceID: types.StringValue(testInstance), RestorableBefore: types.StringValue("2024-01-01T00:00:00Z")}
	resp = readDataSource(t, NewBackupsDataSource(), backupsFixture(), &cfg)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning: %s", diagText(resp.Diagnostics))
	}
	resp.State.Get(context.Background(), &got)
	if !got.LatestRestorableBeforeID.IsNull() || got.LatestRestorableID.ValueString() != "b-mid-good" {
		t.Fatalf("got %+v", got)
	}

	// Without restorable_before, nothing is chosen.
	cfg = backupsModel{InstanceID: types.StringValue(testInstance)}
	api = backupsFixture()
	resp = readDataSource(t, NewBackupsDataSource(), api, &cfg)
	resp.State.Get(context.Background(), &got)
	if !got.LatestRestorableBeforeID.IsNull() || len(api.selections) != 0 {
		t.Fatalf("chose without restorable_before: %+v", got)
	}
}
