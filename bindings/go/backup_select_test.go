// SelectBackup and PlanRestore against the emulator: the backup chosen is compared with
// backups the test dated itself, and what reached the service is read from its request log
// and counters.

package dcs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// incident is the "before" of these tests; backups are dated around it.
var incident = time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)

// datedBackup makes a backup record created at `at`; fields add to or override the defaults
// (a succeeded, restorable manual backup).
func datedBackup(t *testing.T, instanceID string, at time.Time, fields map[string]string) string {
	t.Helper()
	body := map[string]string{"created_at": at.UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		body[k] = v
	}
	var created struct {
		BackupID string `json:"backup_id"`
	}
	admin(t, "POST", "/instances/"+instanceID+"/backups", body, &created)
	return created.BackupID
}

// backupListings is the query of every ListBackupRecords request the emulator received.
func backupListings(t *testing.T) []string {
	t.Helper()
	var log struct {
		Requests []struct {
			Operation string `json:"operation"`
			Query     string `json:"query"`
		} `json:"requests"`
	}
	admin(t, "GET", "/requests", nil, &log)
	var queries []string
	for _, r := range log.Requests {
		if r.Operation == "ListBackupRecords" {
			queries = append(queries, r.Query)
		}
	}
	return queries
}

// requirePostsNothing fails the test if anything was posted to the service.
func requirePostsNothing(t *testing.T, instanceID string) {
	t.Helper()
	for _, r := range requestLog(t) {
		if r.Method == "POST" {
			t.Errorf("%s was posted", r.Operation)
		}
	}
	if n := restorePosts(t, instanceID); n != 0 {
		t.Errorf("restore_posts = %d, want 0", n)
	}
}

func TestSelectBackupLatestSkipsNewerUnrestorableBackups(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	now := time.Now()
	want := datedBackup(t, instanceID, now.Add(-30*time.Minute), nil)
	datedBackup(t, instanceID, now.Add(-time.Hour), nil)
	datedBackup(t, instanceID, now.Add(-5*time.Minute), map[string]string{"status": "failed", "is_support_restore": "FALSE"})
	datedBackup(t, instanceID, now.Add(-time.Minute), map[string]string{"is_support_restore": "FALSE"})
	clearRequestLog(t)

	got, err := client.SelectBackup(context.Background(), instanceID)
	if err != nil {
		t.Fatal(err)
	}
	if got.BackupID != want || !got.IsSupportRestore || got.Status != "succeed" {
		t.Fatalf("chose %+v, want %s", got, want)
	}
	if q := backupListings(t); len(q) != 1 || strings.Contains(q[0], "end_time") {
		t.Fatalf("listings %v: latest asks for no window", q)
	}
	requirePostsNothing(t, instanceID)
}

func TestSelectBackupBeforeSendsTheWindowAndExcludesLaterBackups(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	early := datedBackup(t, instanceID, incident.Add(-2*time.Hour), map[string]string{"backup_type": "auto"})
	want := datedBackup(t, instanceID, incident.Add(-time.Millisecond), nil)
	datedBackup(t, instanceID, incident, nil)
	datedBackup(t, instanceID, incident.Add(700*time.Millisecond), nil)
	clearRequestLog(t)
	ctx := context.Background()

	got, err := client.SelectBackup(ctx, instanceID, WithCreatedBefore(incident))
	if err != nil || got.BackupID != want {
		t.Fatalf("before the incident: %+v, %v; want %s", got, err, want)
	}
	if q := backupListings(t); len(q) != 1 || !strings.Contains(q[0], "end_time=20200101100000") {
		t.Fatalf("listings %v: the window was not sent", q)
	}
	got, err = client.SelectBackup(ctx, instanceID, WithBackupType("auto"))
	if err != nil || got.BackupID != early {
		t.Fatalf("auto: %+v, %v; want %s", got, err, early)
	}
	got, err = client.SelectBackup(ctx, instanceID, WithBackupName("backup_20200101080000"))
	if err != nil || got.BackupID != early {
		t.Fatalf("by name: %+v, %v; want %s", got, err, early)
	}

	_, err = client.SelectBackup(ctx, instanceID, WithCreatedBefore(incident.Add(-3*time.Hour)), WithBackupType("manual"))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("nothing that old: %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "created before 2020-01-01T07:00:00Z of type manual") {
		t.Fatalf("the error does not name the filters: %v", err)
	}
	requirePostsNothing(t, instanceID)
}

func TestSelectBackupReadsEveryPage(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	want := datedBackup(t, instanceID, time.Now().Add(-2*time.Hour), nil)
	admin(t, "POST", "/instances/"+instanceID+"/backup_history", map[string]any{
		"count": 1100, "status": "failed", "is_support_restore": "FALSE",
		"newest_age_ms": 60000, "spacing_ms": 1000,
	}, nil)
	clearRequestLog(t)

	got, err := client.SelectBackup(context.Background(), instanceID, WithCreatedBefore(time.Now()))
	if err != nil || got.BackupID != want {
		t.Fatalf("%+v, %v; want %s", got, err, want)
	}
	q := backupListings(t)
	if len(q) != 2 || !strings.Contains(q[1], "offset=1000") || !strings.Contains(q[1], "end_time=") {
		t.Fatalf("listings %v: want two pages, both with the window", q)
	}
}

func TestPlanRestoreWouldStartAndPostsNothing(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	want := datedBackup(t, instanceID, time.Now().Add(-time.Hour), nil)
	clearRequestLog(t)

	plan, err := client.PlanRestore(context.Background(), instanceID, Latest)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.WouldStart || len(plan.FailedChecks()) != 0 || len(plan.Checks) != 5 {
		t.Fatalf("plan %+v: want every check passed", plan)
	}
	if plan.Instance.Status != "RUNNING" || plan.Instance.CacheMode != "ha" {
		t.Fatalf("instance %+v", plan.Instance)
	}
	if plan.Backup == nil || plan.Backup.BackupID != want {
		t.Fatalf("backup %+v, want %s", plan.Backup, want)
	}
	if plan.BackupAge < 59*time.Minute || plan.BackupAge > 61*time.Minute {
		t.Fatalf("age %v, want about an hour", plan.BackupAge)
	}
	requirePostsNothing(t, instanceID)
	if n := restoresStarted(t, instanceID); n != 0 {
		t.Fatalf("restores started: %d", n)
	}
}

func TestPlanRestoreReportsFailingChecks(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	failed := datedBackup(t, instanceID, time.Now(), map[string]string{"status": "failed", "is_support_restore": "FALSE"})
	admin(t, "PATCH", "/instances/"+instanceID, map[string]string{"status": "RESTARTING"}, nil)
	clearRequestLog(t)
	ctx := context.Background()

	plan, err := client.PlanRestore(ctx, instanceID, failed)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range plan.FailedChecks() {
		names = append(names, c.Name)
	}
	if plan.WouldStart || strings.Join(names, ",") != "instance_running,backup_succeeded,backup_restorable" {
		t.Fatalf("failed checks %v of %+v", names, plan)
	}
	plan, err = client.PlanRestore(ctx, instanceID, Latest, WithCreatedBefore(incident))
	if err != nil || plan.Backup != nil || plan.BackupAge != -1 {
		t.Fatalf("nothing before the incident: %+v, %v", plan, err)
	}
	if _, err := client.PlanRestore(ctx, "no-such-instance", Latest); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown instance: %v", err)
	}
	if _, err := client.PlanRestore(ctx, instanceID, failed, WithBackupType("auto")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("a filter with a backup id: %v", err)
	}
	for _, opt := range []SelectOption{WithCreatedBefore(time.Unix(-1, 0)), WithBackupType("weekly"), WithBackupName("a\x00b")} {
		if _, err := client.SelectBackup(ctx, instanceID, opt); !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("a bad filter: %v", err)
		}
	}
	requirePostsNothing(t, instanceID)
}
