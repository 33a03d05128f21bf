package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	testInstance = "inst-1"
	testBackup   = "backup-good"
)

// restoreFixture is the resource wired to a fake DCS holding one instance with a good
// backup and a failed one.
type restoreFixture struct {
	api      *fakeAPI
	resource *instanceRestoreResource
	schema   resource.SchemaResponse
}

func newRestoreFixture(t *testing.T) *restoreFixture {
	t.Helper()
	api := newFakeAPI()
	api.instances[testInstance] = Instance{InstanceID: testInstance, Status: "RUNNING", CacheMode: "ha"}
	api.backups[testInstance] = []Backup{
		{BackupID: testBackup, Status: "succeed", IsSupportRestore: true},
		{BackupID: "backup-bad", Status: "failed", IsSupportRestore: false},
	}
	r := &instanceRestoreResource{busyRetry: time.Millisecond, busyRetryMax: 2 * time.Millisecond}
	var configure resource.ConfigureResponse
	r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: API(api)}, &configure)
	if configure.Diagnostics.HasError() {
		t.Fatalf("configure: %v", configure.Diagnostics)
	}
	f := &restoreFixture{api: api, resource: r}
	r.Schema(context.Background(), resource.SchemaRequest{}, &f.schema)
	return f
}

// planned is the model Terraform plans for a new restore.
func planned(instanceID, backupID string) instanceRestoreModel {
	return instanceRestoreModel{
		ID: types.StringUnknown(), InstanceID: types.StringValue(instanceID), BackupID: types.StringValue(backupID),
		Remark: types.StringNull(), WaitForInstanceRunning: types.BoolValue(false),
		Status: types.StringUnknown(), Progress: types.Float64Unknown(), RestoreName: types.StringUnknown(),
		CreatedAt: types.StringUnknown(), UpdatedAt: types.StringUnknown(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
	}
}

func (f *restoreFixture) emptyState() tfsdk.State {
	return tfsdk.State{Schema: f.schema.Schema, Raw: tftypes.NewValue(f.schema.Schema.Type().TerraformType(context.Background()), nil)}
}

func (f *restoreFixture) create(t *testing.T, m instanceRestoreModel) resource.CreateResponse {
	t.Helper()
	ctx := context.Background()
	plan := tfsdk.Plan{Schema: f.schema.Schema}
	if diags := plan.Set(ctx, &m); diags.HasError() {
		t.Fatalf("plan: %v", diags)
	}
	resp := resource.CreateResponse{State: f.emptyState()}
	f.resource.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)
	return resp
}

func (f *restoreFixture) stateOf(t *testing.T, m instanceRestoreModel) tfsdk.State {
	t.Helper()
	state := f.emptyState()
	if diags := state.Set(context.Background(), &m); diags.HasError() {
		t.Fatalf("state: %v", diags)
	}
	return state
}

func modelOf(t *testing.T, state tfsdk.State) instanceRestoreModel {
	t.Helper()
	var m instanceRestoreModel
	if diags := state.Get(context.Background(), &m); diags.HasError() {
		t.Fatalf("state get: %v", diags)
	}
	return m
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestCreateRestoresAndRecordsTheResult(t *testing.T) {
	f := newRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Remark = types.StringValue("nightly rollback")
	m.WaitForInstanceRunning = types.BoolValue(true)
	resp := f.create(t, m)
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %s", diagText(resp.Diagnostics))
	}
	got := modelOf(t, resp.State)
	if got.ID.ValueString() != "restore-1" || got.Status.ValueString() != RestoreSucceeded || got.Progress.ValueFloat64() != 100 {
		t.Fatalf("state after create: %+v", got)
	}
	if got.Remark.ValueString() != "nightly rollback" || got.RestoreName.ValueString() != "restore-"+testBackup ||
		got.CreatedAt.ValueString() != "2024-05-01T10:00:00Z" || got.UpdatedAt.ValueString() != "2024-05-01T10:00:05Z" {
		t.Fatalf("record fields not copied: %+v", got)
	}
	if f.api.restoreCalls != 1 {
		t.Fatalf("%d restores started, want 1", f.api.restoreCalls)
	}
	if len(f.api.waitOpts) != 1 || !f.api.waitOpts[0].InstanceRunning {
		t.Fatalf("wait_for_instance_running not passed to the wait: %+v", f.api.waitOpts)
	}
}

func TestCreateFailedRestoreNamesCodeAndRequestID(t *testing.T) {
	f := newRestoreFixture(t)
	f.api.failWith = &APIError{Kind: KindRestoreFailed, Code: "dcs.08.0007", RequestID: "req-0042", Message: "restore failed"}
	resp := f.create(t, planned(testInstance, testBackup))
	if !resp.Diagnostics.HasError() {
		t.Fatal("a failed restore gave no error")
	}
	text := diagText(resp.Diagnostics.Errors())
	for _, want := range []string{"Restore failed", "dcs.08.0007", "req-0042", "restore-1"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, text)
		}
	}
	// The restore exists in DCS, so it is in the state (Terraform marks it tainted).
	got := modelOf(t, resp.State)
	if got.ID.ValueString() != "restore-1" || got.Status.ValueString() != RestoreFailed {
		t.Fatalf("failed restore not kept in state: %+v", got)
	}
}

func TestCreateWaitsOutABusyInstanceWithoutASecondRestore(t *testing.T) {
	f := newRestoreFixture(t)
	busy := &APIError{Kind: KindBusy, HTTPStatus: 400, Code: "DCS.4097", Message: "the instance is restoring"}
	f.api.startErrs = []error{busy, busy}
	resp := f.create(t, planned(testInstance, testBackup))
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %s", diagText(resp.Diagnostics))
	}
	if f.api.restoreCalls != 3 || len(f.api.restores[testInstance]) != 1 {
		t.Fatalf("calls=%d restores=%d, want 3 calls and exactly 1 restore", f.api.restoreCalls, len(f.api.restores[testInstance]))
	}
}

func TestCreateDoesNotRetryOtherErrors(t *testing.T) {
	f := newRestoreFixture(t)
	f.api.startErrs = []error{&APIError{Kind: KindAuth, HTTPStatus: 401, Code: "DCS.1001", RequestID: "req-auth", Message: "token invalid"}}
	resp := f.create(t, planned(testInstance, testBackup))
	text := diagText(resp.Diagnostics.Errors())
	if !strings.Contains(text, "DCS.1001") || !strings.Contains(text, "req-auth") {
		t.Fatalf("diagnostic lacks code or request id:\n%s", text)
	}
	if f.api.restoreCalls != 1 {
		t.Fatalf("%d calls; an auth error must not be retried", f.api.restoreCalls)
	}
	if !resp.State.Raw.IsNull() {
		t.Fatal("a restore that never started is in the state")
	}
}

func TestCreateRefusesBackupsDCSWouldRefuse(t *testing.T) {
	for _, tc := range []struct{ name, instance, backup, want string }{
		{"failed backup", testInstance, "backup-bad", "Backup cannot be restored"},
		{"unknown backup", testInstance, "backup-other", "Backup not found"},
		{"unknown instance", "inst-gone", testBackup, "Instance not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			resp := f.create(t, planned(tc.instance, tc.backup))
			if text := diagText(resp.Diagnostics.Errors()); !strings.Contains(text, tc.want) {
				t.Fatalf("want %q in:\n%s", tc.want, text)
			}
			if f.api.restoreCalls != 0 {
				t.Fatalf("%d restores started", f.api.restoreCalls)
			}
		})
	}
}

func (f *restoreFixture) read(t *testing.T, state tfsdk.State) resource.ReadResponse {
	t.Helper()
	resp := resource.ReadResponse{State: state}
	f.resource.Read(context.Background(), resource.ReadRequest{State: state}, &resp)
	return resp
}

func TestReadRefreshesFromTheRecord(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	r := f.api.restores[testInstance]["restore-1"]
	r.UpdatedAt = "2024-05-01T11:00:00Z"
	f.api.restores[testInstance]["restore-1"] = r

	resp := f.read(t, f.stateOf(t, created))
	if resp.Diagnostics.HasError() {
		t.Fatalf("read: %s", diagText(resp.Diagnostics))
	}
	if got := modelOf(t, resp.State); got.UpdatedAt.ValueString() != "2024-05-01T11:00:00Z" || !got.Remark.IsNull() {
		t.Fatalf("state after read: %+v", got)
	}
}

func TestReadRemovesARestoreThatIsGone(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	delete(f.api.restores[testInstance], "restore-1") // as after a 204 / empty listing

	resp := f.read(t, f.stateOf(t, created))
	if resp.Diagnostics.HasError() {
		t.Fatalf("a gone record is an error: %s", diagText(resp.Diagnostics))
	}
	if !resp.State.Raw.IsNull() {
		t.Fatal("the gone restore is still in the state")
	}
}

func TestReadReportsOtherErrors(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	f.api.getErr = &APIError{Kind: KindOther, HTTPStatus: 500, Code: "DCS.5079", RequestID: "req-500", Message: "server error"}

	resp := f.read(t, f.stateOf(t, created))
	if text := diagText(resp.Diagnostics.Errors()); !strings.Contains(text, "DCS.5079") || !strings.Contains(text, "req-500") {
		t.Fatalf("want the code and request id in:\n%s", text)
	}
	if resp.State.Raw.IsNull() {
		t.Fatal("a server error removed the restore from the state")
	}
}

func TestUpdateOnlyRecordsWaitForInstanceRunning(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	want := created
	want.WaitForInstanceRunning = types.BoolValue(true)
	plan := tfsdk.Plan{Schema: f.schema.Schema}
	plan.Set(context.Background(), &want)

	resp := resource.UpdateResponse{State: f.stateOf(t, created)}
	f.resource.Update(context.Background(), resource.UpdateRequest{Plan: plan, State: f.stateOf(t, created)}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("update: %s", diagText(resp.Diagnostics))
	}
	if got := modelOf(t, resp.State); !got.WaitForInstanceRunning.ValueBool() || got.ID != created.ID {
		t.Fatalf("state after update: %+v", got)
	}
	if f.api.restoreCalls != 1 {
		t.Fatalf("update started a restore (%d calls)", f.api.restoreCalls)
	}
}

func TestDeleteWarnsThatARestoreCannotBeUndone(t *testing.T) {
	f := newRestoreFixture(t)
	state := f.create(t, planned(testInstance, testBackup)).State
	resp := resource.DeleteResponse{State: state}
	f.resource.Delete(context.Background(), resource.DeleteRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning: %s", diagText(resp.Diagnostics))
	}
	if w := resp.Diagnostics.Warnings()[0]; !strings.Contains(w.Summary(), "cannot be undone") || !strings.Contains(w.Detail(), "restore-1") {
		t.Fatalf("warning: %s / %s", w.Summary(), w.Detail())
	}
}

func TestImportThenReadFillsTheState(t *testing.T) {
	f := newRestoreFixture(t)
	m := planned(testInstance, testBackup)
	m.Remark = types.StringValue("imported later")
	f.create(t, m)

	resp := resource.ImportStateResponse{State: f.emptyState()}
	f.resource.ImportState(context.Background(), resource.ImportStateRequest{ID: testInstance + "/restore-1"}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("import: %s", diagText(resp.Diagnostics))
	}
	read := f.read(t, resp.State)
	got := modelOf(t, read.State)
	if got.InstanceID.ValueString() != testInstance || got.ID.ValueString() != "restore-1" || got.BackupID.ValueString() != testBackup ||
		got.Remark.ValueString() != "imported later" || got.Status.ValueString() != RestoreSucceeded || got.WaitForInstanceRunning.ValueBool() {
		t.Fatalf("imported state: %+v", got)
	}
}

func TestImportRejectsBadIDs(t *testing.T) {
	f := newRestoreFixture(t)
	for _, id := range []string{"", "restore-1", "/restore-1", "inst-1/", "inst-1/restore-1/x", "inst 1/restore-1", "inst-1/rest!ore"} {
		resp := resource.ImportStateResponse{State: f.emptyState()}
		f.resource.ImportState(context.Background(), resource.ImportStateRequest{ID: id}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Errorf("import ID %q accepted", id)
		} else if d := resp.Diagnostics.Errors()[0]; !strings.Contains(d.Detail(), "<instance_id>/<restore_id>") {
			t.Errorf("import ID %q: the diagnostic does not show the expected form: %s", id, d.Detail())
		}
	}
}

func TestParseImportID(t *testing.T) {
	instanceID, restoreID, err := parseImportID("6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/a1b2_c3")
	if err != nil || instanceID != "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b" || restoreID != "a1b2_c3" {
		t.Fatalf("got %q %q %v", instanceID, restoreID, err)
	}
	if _, _, err := parseImportID(strings.Repeat("a", 65) + "/r"); err == nil {
		t.Fatal("a 65-character instance id was accepted")
	}
}

func TestRemarkProblem(t *testing.T) {
	if p := remarkProblem("ok remark ✓"); p != "" {
		t.Errorf("good remark refused: %s", p)
	}
	for _, bad := range []string{strings.Repeat("x", 129), "tab\there", "\xff"} {
		if remarkProblem(bad) == "" {
			t.Errorf("bad remark %q accepted", bad)
		}
	}
}
