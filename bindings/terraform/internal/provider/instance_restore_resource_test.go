// Unit tests of dcs_instance_restore against the fake API: create, read, plan, update,
// delete and import, with the failures each must survive.

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
	r := &instanceRestoreResource{rules: fakeRules{}}
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
	want := StartRequest{InstanceID: testInstance, BackupID: testBackup, Remark: "nightly rollback", Preflight: true, WaitWhileBusy: true}
	if len(f.api.starts) != 1 || f.api.starts[0] != want {
		t.Fatalf("StartRestore requests %+v, want one %+v: libdcs's pre-flight check and busy wait", f.api.starts, want)
	}
	if resp.Diagnostics.WarningsCount() != 0 {
		t.Fatalf("a clean restore warned: %s", diagText(resp.Diagnostics))
	}
}

func TestCreateRecordsAnAdoptedRestore(t *testing.T) {
	f := newRestoreFixture(t)
	f.api.adopt = true
	resp := f.create(t, planned(testInstance, testBackup))
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %s", diagText(resp.Diagnostics))
	}
	if got := modelOf(t, resp.State); got.ID.ValueString() != "restore-1" || got.Status.ValueString() != RestoreSucceeded {
		t.Fatalf("state after an adopted restore: %+v", got)
	}
	if f.api.restoreCalls != 1 {
		t.Fatalf("%d restores started, want 1", f.api.restoreCalls)
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

func TestCreateLeavesTheBusyWaitToLibdcs(t *testing.T) {
	f := newRestoreFixture(t)
	// What libdcs answers when the instance stayed busy until the create timeout.
	f.api.startErrs = []error{&APIError{Kind: KindBusy, HTTPStatus: 400, Code: "DCS.4096", Message: "the instance is backing up"}}
	resp := f.create(t, planned(testInstance, testBackup))
	text := diagText(resp.Diagnostics.Errors())
	if !strings.Contains(text, "Cannot start the restore") || !strings.Contains(text, "DCS.4096") || !strings.Contains(text, "nothing was changed") {
		t.Fatalf("diagnostic:\n%s", text)
	}
	if f.api.restoreCalls != 1 || !f.api.starts[0].WaitWhileBusy {
		t.Fatalf("calls=%d starts=%+v: the provider must not retry a busy instance itself, libdcs waits (WaitWhileBusy)", f.api.restoreCalls, f.api.starts)
	}
	if !resp.State.Raw.IsNull() {
		t.Fatal("a restore that never started is in the state")
	}
}

func TestCreateTimeoutKeepsARunningRestoreUntainted(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		summary string
	}{
		{"libdcs timeout", &APIError{Kind: KindTimeout, Message: "dcs: timeout: the call's deadline passed"}, "still in progress after the create timeout"},
		{"context deadline", context.DeadlineExceeded, "still in progress after the create timeout"},
		{"polling failed", &APIError{Kind: KindAuth, HTTPStatus: 401, Code: "APIGW.0301", Message: "dcs: auth"}, "its end could not be followed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			f.api.waitErr, f.api.waitStatus = tc.err, RestoreRestoring
			m := planned(testInstance, testBackup)
			m.Timeouts = timeouts.Value{Object: types.ObjectValueMust(map[string]attr.Type{"create": types.StringType},
				map[string]attr.Value{"create": types.StringValue("5s")})}
			resp := f.create(t, m)
			// An error would taint the resource, and the next apply would restore again.
			if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
				t.Fatalf("want exactly one warning and no error:\n%s", diagText(resp.Diagnostics))
			}
			w := resp.Diagnostics.Warnings()[0]
			text := w.Summary() + "\n" + w.Detail()
			for _, want := range []string{tc.summary, "restore-1", `status "restoring"`, "42% done", "NOT tainted",
				"dcsctl restores get --instance inst-1 --restore restore-1", "terraform apply -refresh-only", `ends "failed"`} {
				if !strings.Contains(text, want) {
					t.Errorf("warning lacks %q:\n%s", want, text)
				}
			}
			if tc.summary == "still in progress after the create timeout" && !strings.Contains(text, "create timeout (5s)") {
				t.Errorf("warning does not name the timeout:\n%s", text)
			}
			got := modelOf(t, resp.State)
			if got.ID.ValueString() != "restore-1" || got.Status.ValueString() != RestoreRestoring || got.Progress.ValueFloat64() != 42 {
				t.Fatalf("state after the timeout: %+v", got)
			}
		})
	}
}

func TestCreateUnresolvedSaysHowToCheckAndImport(t *testing.T) {
	f := newRestoreFixture(t)
	f.api.startErrs = []error{&APIError{Kind: KindOther, HTTPStatus: 500, Code: "DCS.5000", RequestID: "req-5xx", MayHaveStarted: true,
		Message: "dcs: unresolved: the restore may have started: injected"}}
	m := planned(testInstance, testBackup)
	m.Remark = types.StringValue("it's nightly")
	before := time.Now().UTC().Truncate(time.Second)
	resp := f.create(t, m)
	text := diagText(resp.Diagnostics.Errors())
	for _, want := range []string{
		"Restore may have started (unresolved)",
		"dcsctl restores find --instance inst-1 --backup backup-good --remark 'it'\\''s nightly' --since " + before.Format("2006-01-02T15:04"),
		`FindRestore(ctx, "inst-1", "backup-good", since, dcs.WithRemark("it's nightly"))`,
		"terraform import <resource address> inst-1/<restore_id>",
		"Do not simply apply again",
		"req-5xx",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, text)
		}
	}
	if !resp.State.Raw.IsNull() || f.api.restoreCalls != 1 {
		t.Fatalf("calls=%d state=%v: an unresolved restore has no id to keep, and must not be posted again", f.api.restoreCalls, resp.State.Raw)
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

func TestCreateReportsThePreflightCheck(t *testing.T) {
	for _, tc := range []struct{ name, instance, backup, want string }{
		{"failed backup", testInstance, "backup-bad", "cannot take this restore"},
		{"unknown backup", testInstance, "backup-other", "is not a backup of instance"},
		{"unknown instance", "inst-gone", testBackup, "Instance not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			resp := f.create(t, planned(tc.instance, tc.backup))
			if text := diagText(resp.Diagnostics.Errors()); !strings.Contains(text, tc.want) {
				t.Fatalf("want %q in:\n%s", tc.want, text)
			}
			if f.api.restoreCalls != 0 || !resp.State.Raw.IsNull() {
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

func TestReadKeepsARestoreWhoseRecordIsNotListed(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	delete(f.api.restores[testInstance], "restore-1") // as after a 204 / empty listing

	resp := f.read(t, f.stateOf(t, created))
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning and no error:\n%s", diagText(resp.Diagnostics))
	}
	if w := resp.Diagnostics.Warnings()[0]; !strings.Contains(w.Summary(), "not listed") || !strings.Contains(w.Detail(), "restore-1") ||
		!strings.Contains(w.Detail(), "-replace=") {
		t.Fatalf("warning: %s / %s", w.Summary(), w.Detail())
	}
	if got := modelOf(t, resp.State); got.ID != created.ID || got.Status != created.Status || got.BackupID != created.BackupID {
		t.Fatalf("the state changed: %+v, was %+v", got, created)
	}
	if f.api.showCalls != 1 {
		t.Fatalf("ShowInstance called %d times; Read must check whether the instance itself is gone", f.api.showCalls)
	}
	// Kept as it was, nothing asks for another restore.
	if plan := f.modifyPlan(t, created, created); len(plan.RequiresReplace) != 0 {
		t.Fatalf("a kept restore is replaced: %v", plan.RequiresReplace)
	}
}

func TestReadRemovesTheRestoreOfAGoneInstance(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	delete(f.api.instances, testInstance)
	delete(f.api.restores, testInstance)

	resp := f.read(t, f.stateOf(t, created))
	if resp.Diagnostics.HasError() {
		t.Fatalf("a gone instance is an error: %s", diagText(resp.Diagnostics))
	}
	if !resp.State.Raw.IsNull() {
		t.Fatal("the restore of a gone instance is still in the state")
	}
	if text := diagText(resp.Diagnostics.Warnings()); !strings.Contains(text, "Instance no longer exists") {
		t.Fatalf("no warning says why it left the state:\n%s", text)
	}
}

func TestReadReportsAFailedInstanceCheck(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	delete(f.api.restores[testInstance], "restore-1")
	f.api.showErr = &APIError{Kind: KindOther, HTTPStatus: 500, Code: "DCS.5000", RequestID: "req-show", Message: "server error"}

	resp := f.read(t, f.stateOf(t, created))
	if text := diagText(resp.Diagnostics.Errors()); !strings.Contains(text, "req-show") {
		t.Fatalf("want the instance check's error in:\n%s", text)
	}
	if resp.State.Raw.IsNull() {
		t.Fatal("a failed instance check removed the restore from the state")
	}
}

func TestImportOfAnUnknownRestoreFails(t *testing.T) {
	f := newRestoreFixture(t)
	resp := resource.ImportStateResponse{State: f.emptyState()}
	f.resource.ImportState(context.Background(), resource.ImportStateRequest{ID: testInstance + "/restore-9"}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("import: %s", diagText(resp.Diagnostics))
	}
	read := f.read(t, resp.State)
	if text := diagText(read.Diagnostics.Errors()); !strings.Contains(text, "Restore not found") || !strings.Contains(text, "restore-9") {
		t.Fatalf("want a not-found error:\n%s", text)
	}
}

// modifyPlan runs ModifyPlan for a resource in state `state` planned as `plan`.
func (f *restoreFixture) modifyPlan(t *testing.T, state, plan instanceRestoreModel) resource.ModifyPlanResponse {
	t.Helper()
	p := tfsdk.Plan{Schema: f.schema.Schema}
	if diags := p.Set(context.Background(), &plan); diags.HasError() {
		t.Fatalf("plan: %v", diags)
	}
	resp := resource.ModifyPlanResponse{Plan: p}
	// The configuration is the plan: what the tests plan is what a configuration would say.
	config := tfsdk.Config{Schema: f.schema.Schema, Raw: p.Raw}
	f.resource.ModifyPlan(context.Background(), resource.ModifyPlanRequest{State: f.stateOf(t, state), Plan: p, Config: config}, &resp)
	return resp
}

func TestAFailedRestoreFoundByReadIsReplaced(t *testing.T) {
	f := newRestoreFixture(t)
	// Create timed out while the restore ran: kept, untainted.
	f.api.waitErr, f.api.waitStatus = &APIError{Kind: KindTimeout, Message: "timeout"}, RestoreRestoring
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	if plan := f.modifyPlan(t, created, created); len(plan.RequiresReplace) != 0 || plan.Diagnostics.WarningsCount() != 0 {
		t.Fatalf("a running restore is replaced: %v %s", plan.RequiresReplace, diagText(plan.Diagnostics))
	}
	// Later it failed in DCS.
	r := f.api.restores[testInstance]["restore-1"]
	r.Status, r.ErrorCode = RestoreFailed, "dcs.08.0007"
	f.api.restores[testInstance]["restore-1"] = r
	refreshed := modelOf(t, f.read(t, f.stateOf(t, created)).State)
	if refreshed.Status.ValueString() != RestoreFailed {
		t.Fatalf("read did not see the failure: %+v", refreshed)
	}

	plan := f.modifyPlan(t, refreshed, refreshed)
	if plan.Diagnostics.HasError() || len(plan.RequiresReplace) != 1 || !plan.RequiresReplace[0].Equal(path.Root("status")) {
		t.Fatalf("RequiresReplace %v, diagnostics %s", plan.RequiresReplace, diagText(plan.Diagnostics))
	}
	var status types.String
	plan.Plan.GetAttribute(context.Background(), path.Root("status"), &status)
	if !status.IsUnknown() {
		t.Fatalf("planned status %v: Terraform replaces only for an attribute that changes", status)
	}
	if text := diagText(plan.Diagnostics.Warnings()); !strings.Contains(text, "Failed restore will be replaced") || !strings.Contains(text, "restore-1") {
		t.Fatalf("warning:\n%s", text)
	}
}

func TestModifyPlanLeavesCreateDestroyAndHealthyRestoresAlone(t *testing.T) {
	f := newRestoreFixture(t)
	created := modelOf(t, f.create(t, planned(testInstance, testBackup)).State)
	if plan := f.modifyPlan(t, created, created); len(plan.RequiresReplace) != 0 || len(plan.Diagnostics) != 0 {
		t.Fatalf("a succeeded restore: %v %s", plan.RequiresReplace, diagText(plan.Diagnostics))
	}

	// Create: no state.
	p := tfsdk.Plan{Schema: f.schema.Schema}
	m := planned(testInstance, testBackup)
	p.Set(context.Background(), &m)
	resp := resource.ModifyPlanResponse{Plan: p}
	f.resource.ModifyPlan(context.Background(), resource.ModifyPlanRequest{State: f.emptyState(), Plan: p, Config: tfsdk.Config{Schema: f.schema.Schema, Raw: p.Raw}}, &resp)
	if len(resp.RequiresReplace) != 0 || len(resp.Diagnostics) != 0 {
		t.Fatalf("create: %v %s", resp.RequiresReplace, diagText(resp.Diagnostics))
	}

	// Destroy of a failed restore: no plan.
	failed := created
	failed.Status = types.StringValue(RestoreFailed)
	nullPlan := tfsdk.Plan{Schema: f.schema.Schema, Raw: f.emptyState().Raw}
	resp = resource.ModifyPlanResponse{Plan: nullPlan}
	f.resource.ModifyPlan(context.Background(), resource.ModifyPlanRequest{State: f.stateOf(t, failed), Plan: nullPlan}, &resp)
	if len(resp.RequiresReplace) != 0 || len(resp.Diagnostics) != 0 {
		t.Fatalf("destroy: %v %s", resp.RequiresReplace, diagText(resp.Diagnostics))
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
	for _, id := range []string{"", "restore-1", "/restore-1", "inst-1/", "cn-north-4/inst-1/restore-1/x", "/inst-1/restore-1", "inst 1/restore-1", "inst-1/rest!ore"} {
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
	got, err := parseImportID("6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/a1b2_c3", fakeRules{})
	if err != nil || got != (importID{InstanceID: "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", RestoreID: "a1b2_c3"}) {
		t.Fatalf("got %+v %v", got, err)
	}
	// The verdict is the rules': their message reaches the caller.
	_, err = parseImportID("inst 1/r", fakeRules{})
	if err == nil || !strings.Contains(err.Error(), "fake rules refuse instance_id") {
		t.Fatalf("a refused instance id gave %v", err)
	}
}

func TestValidatorsApplyTheRulesTheyAreGiven(t *testing.T) {
	ctx := context.Background()
	check := func(v validator.String, value string) diag.Diagnostics {
		var resp validator.StringResponse
		v.ValidateString(ctx, validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(value)}, &resp)
		return resp.Diagnostics
	}
	id := dcsIDValidator{rules: fakeRules{}, name: "backup_id"}
	if d := check(id, "backup-1"); d.HasError() {
		t.Errorf("a good id was refused: %v", d)
	}
	if d := check(id, "bad id"); !d.HasError() || !strings.Contains(d.Errors()[0].Detail(), "fake rules refuse backup_id") {
		t.Errorf("a refused id gave %v", d)
	}
	remark := remarkValidator{rules: fakeRules{}}
	if d := check(remark, "ok"); d.HasError() {
		t.Errorf("a good remark was refused: %v", d)
	}
	if d := check(remark, "bad\tremark"); !d.HasError() {
		t.Error("a refused remark was accepted")
	}
	// Without rules (schema-only use) nothing is refused.
	if d := check(dcsIDValidator{}, "bad id"); d.HasError() {
		t.Errorf("nil rules refused: %v", d)
	}
}
