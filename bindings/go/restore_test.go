// End-to-end tests of the main flows against the emulator: a restore that brings the data
// back, the life of a backup, logging, the environment and Close.

package dcs

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRestoreBringsBackTheBackedUpData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := newTestClient(t, testConfig())

	instanceID := newInstance(t, "ha")
	putData(t, instanceID, map[string]string{"greeting": "hello", "counter": "1"})
	backupID := newBackup(t, instanceID)
	putData(t, instanceID, map[string]string{"greeting": "overwritten", "scratch": "after-backup"})

	restoreID, err := client.RestoreInstance(ctx, instanceID, backupID, WithRemark("from the Go binding"), WithPreflight())
	if err != nil {
		t.Fatalf("RestoreInstance: %v", err)
	}
	if restoreID == "" {
		t.Fatal("RestoreInstance returned an empty restore id")
	}

	var mu sync.Mutex
	var seen []Restore
	final, err := client.WaitForRestore(ctx, instanceID, restoreID,
		WithPollInterval(20*time.Millisecond), WithMaxPollInterval(50*time.Millisecond),
		WithInstanceRunning(),
		WithProgress(func(r Restore) { mu.Lock(); seen = append(seen, r); mu.Unlock() }))
	if err != nil {
		t.Fatalf("WaitForRestore: %v", err)
	}
	if final.Status != RestoreSucceeded || final.RestoreID != restoreID || final.BackupID != backupID {
		t.Fatalf("final record %+v, want %s succeeded from %s", final, restoreID, backupID)
	}
	if final.Progress != 100 || final.ProgressRaw == "" {
		t.Errorf("final progress %v (%q), want 100", final.Progress, final.ProgressRaw)
	}
	if final.Remark != "from the Go binding" {
		t.Errorf("remark %q", final.Remark)
	}
	if final.CreatedAt.IsZero() || final.CreatedAtRaw == "" {
		t.Errorf("created_at %q was not parsed", final.CreatedAtRaw)
	}
	if len(seen) == 0 || seen[len(seen)-1].RestoreID != restoreID {
		t.Errorf("progress callback saw %d records", len(seen))
	}

	data := getData(t, instanceID)
	if data["greeting"] != "hello" || data["counter"] != "1" {
		t.Errorf("restored data %v, want greeting=hello counter=1", data)
	}
	if _, ok := data["scratch"]; ok {
		t.Errorf("a key written after the backup survived the restore: %v", data)
	}
	if got := restoresStarted(t, instanceID); got != 1 {
		t.Errorf("the emulator started %d restores, want exactly 1", got)
	}

	got, err := client.GetRestore(ctx, instanceID, restoreID)
	if err != nil || got.RestoreID != restoreID || got.Status != RestoreSucceeded {
		t.Errorf("GetRestore = %+v, %v", got, err)
	}
	list, err := client.ListRestores(ctx, instanceID)
	if err != nil || len(list) != 1 || list[0].RestoreID != restoreID {
		t.Errorf("ListRestores = %+v, %v", list, err)
	}
	instance, err := client.ShowInstance(ctx, instanceID)
	if err != nil || instance.InstanceID != instanceID || instance.Status != "RUNNING" || instance.CacheMode != "ha" {
		t.Errorf("ShowInstance = %+v, %v", instance, err)
	}
}

func TestBackupsCanBeCreatedListedAndDeleted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")

	empty, err := client.ListBackups(ctx, instanceID)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("ListBackups on a new instance = %#v, %v; want an empty slice", empty, err)
	}

	backupID, err := client.CreateBackup(ctx, instanceID, WithBackupRemark("nightly"), WithBackupFormat("rdb"))
	if err != nil || backupID == "" {
		t.Fatalf("CreateBackup = %q, %v", backupID, err)
	}
	var backup Backup
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		backups, err := client.ListBackups(ctx, instanceID)
		if err != nil || len(backups) != 1 {
			t.Fatalf("ListBackups = %+v, %v", backups, err)
		}
		backup = backups[0]
		if backup.Status == "succeed" || time.Now().After(deadline) {
			break
		}
	}
	if backup.BackupID != backupID || backup.Status != "succeed" || !backup.IsSupportRestore ||
		backup.Remark != "nightly" || backup.BackupFormat != "rdb" || backup.InstanceID != instanceID {
		t.Fatalf("backup record %+v", backup)
	}
	if backup.CreatedAt.IsZero() {
		t.Errorf("created_at %q was not parsed", backup.CreatedAtRaw)
	}

	inWindow, err := client.ListBackups(ctx, instanceID,
		WithBeginTime(time.Now().Add(-time.Hour)), WithEndTime(time.Now().Add(time.Hour)))
	if err != nil || len(inWindow) != 1 {
		t.Errorf("ListBackups in the last hour = %+v, %v", inWindow, err)
	}

	if err := client.DeleteBackup(ctx, instanceID, backupID); err != nil {
		t.Fatalf("DeleteBackup: %v", err)
	}
	after, err := client.ListBackups(ctx, instanceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range after {
		if b.BackupID == backupID && b.Status != "deleted" {
			t.Errorf("the deleted backup is still listed as %q", b.Status)
		}
	}
}

func TestLoggerReceivesLines(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	cfg := testConfig()
	cfg.LogLevel = LogDebug
	cfg.Logger = func(level LogLevel, msg string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, level.String()+": "+msg)
	}
	client := newTestClient(t, cfg)
	if _, err := client.ShowInstance(context.Background(), "no-such-instance"); err == nil {
		t.Fatal("ShowInstance of an unknown instance succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) == 0 {
		t.Fatal("the logger received nothing at debug level")
	}
	for _, line := range lines {
		if strings.Contains(line, demoSecretKey) {
			t.Fatalf("a log line holds the secret key: %s", line)
		}
	}
}

func TestEnvironmentFillsUnsetFields(t *testing.T) {
	// TestMain exported the demo credentials and DCS_ENDPOINT.
	client := newTestClient(t, Config{})
	instance, err := client.ShowInstance(context.Background(), demoInstanceID)
	if err != nil || instance.Name != "demo-redis" {
		t.Fatalf("ShowInstance through the environment = %+v, %v", instance, err)
	}

	_, err = NewClient(Config{IgnoreEnvironment: true})
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("NewClient without configuration or environment = %v, want ErrInvalidArgument", err)
	}
}

func TestCloseIsIdempotentAndLaterCallsFail(t *testing.T) {
	client, err := NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ShowInstance(context.Background(), demoInstanceID); err != ErrClosed {
		t.Fatalf("a call after Close = %v, want ErrClosed", err)
	}
}
