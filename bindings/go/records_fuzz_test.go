// Fuzz target of the record conversion (scripts/gauntlet/go-fuzz.sh runs it for a bounded
// time; `go test` runs its committed corpus in testdata/fuzz as ordinary tests).
//
// FuzzRecordConversion puts fuzzed strings and numbers into a restore record, a backup record
// and an instance, has the emulator answer ListRestores, ListBackups and ShowInstance with
// them (a status fault with the body), and reads them through the binding: the whole way a
// record comes, libdcs's JSON parsing, its getters, and restoreFromC, backupFromC and
// instanceFromC (records.go). Test files cannot use cgo, so no C record can be made here
// directly: the public calls are the seam. Each call succeeds or fails as a bad response,
// never otherwise and never crashing; on success every string arrives as sent (a NUL, which
// C strings cannot carry, as U+FFFD), progress is -1 or the number 0-100 its text says,
// timestamps are the zero time or in UTC, sizes are what was sent (negative ones: -1).

package dcs

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fuzzInstance is an instance of the fuzzing process's own, made once: an instance is a
// Redis server, too dear to make for each input.
func fuzzInstance(t *testing.T) string {
	fuzzInstanceMu.Lock()
	defer fuzzInstanceMu.Unlock()
	if fuzzInstanceID == "" {
		fuzzInstanceID = newInstance(t, "ha")
	}
	return fuzzInstanceID
}

var (
	fuzzInstanceMu sync.Mutex
	fuzzInstanceID string
)

func FuzzRecordConversion(f *testing.F) {
	// One input to show the shape; the seed corpus is testdata/fuzz/FuzzRecordConversion.
	f.Add("r-1", "2017-07-18T21:41:35.182Z", "42.00", int64(1024))
	f.Fuzz(func(t *testing.T, text, timestamp, progress string, size int64) {
		instanceID := fuzzInstance(t)
		// Every fault below is used up by its call; none may outlive the input if one is not.
		t.Cleanup(func() { admin(t, "DELETE", "/faults", nil, nil) })
		client := newTestClient(t, testConfig())
		ctx := context.Background()
		// What the binding must hand back for each string: the string as JSON carries it
		// (encoding/json turns invalid UTF-8 into U+FFFD), whole: the C ABI's getters return
		// C strings, which would end at a NUL, so libdcs turns a "\u0000" into U+FFFD too.
		sent := func(s string) string {
			data, _ := json.Marshal(s)
			var back string
			_ = json.Unmarshal(data, &back)
			return strings.ReplaceAll(back, "\x00", "\uFFFD")
		}
		// libdcs reads sizes and capacities as non-negative integers, -1 for anything else.
		wantSize := size
		if size < 0 {
			wantSize = -1
		}
		wantText, wantTime, wantProgress := sent(text), sent(timestamp), sent(progress)
		answerOnce := func(operation string, body any) {
			data, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			admin(t, "POST", "/faults", map[string]any{
				"operation": operation, "instance_id": instanceID, "kind": "status", "status": 200,
				"count": 1, "body": string(data),
			}, nil)
		}
		// read checks a call's outcome: a record, or a bad response (say, for a NUL that a C
		// string cannot carry); false when there is no record to look at.
		read := func(call string, err error) bool {
			t.Helper()
			if err == nil {
				return true
			}
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("%s: %v, want a record or ErrBadResponse", call, err)
			}
			return false
		}
		same := func(call, field, got, want string) {
			t.Helper()
			if got != want {
				t.Errorf("%s: %s is %q, sent %q", call, field, got, want)
			}
		}
		inUTC := func(call string, at time.Time) {
			t.Helper()
			if !at.IsZero() && at.Location() != time.UTC {
				t.Errorf("%s: %v is not in UTC", call, at)
			}
		}
		// percent checks libdcs's reading of a progress text: -1, or the number the text
		// says, which dcs.h promises is 0-100.
		percent := func(call string, p float64, raw string) {
			t.Helper()
			if p == -1 {
				return
			}
			said, err := strconv.ParseFloat(strings.Trim(raw, " "), 64)
			if p < 0 || p > 100 || math.IsNaN(p) || math.IsInf(p, 0) || err != nil || said != p {
				t.Errorf("%s: progress %q read as %v", call, raw, p)
			}
		}

		answerOnce("ListRestoreRecords", map[string]any{"total_num": 1, "restore_record_response": []map[string]string{{
			"restore_id": text, "backup_id": text, "status": text, "progress": progress,
			"error_code": text, "restore_remark": text, "restore_name": text, "backup_name": text,
			"backup_remark": text, "created_at": timestamp, "updated_at": timestamp,
		}}})
		restores, err := client.ListRestores(ctx, instanceID)
		if read("ListRestores", err) {
			if len(restores) != 1 {
				t.Fatalf("ListRestores: %d records, want 1", len(restores))
			}
			r := restores[0]
			for field, got := range map[string]string{
				"RestoreID": r.RestoreID, "BackupID": r.BackupID, "Status": string(r.Status),
				"ErrorCode": r.ErrorCode, "Remark": r.Remark, "RestoreName": r.RestoreName,
				"BackupName": r.BackupName, "BackupRemark": r.BackupRemark,
			} {
				same("ListRestores", field, got, wantText)
			}
			same("ListRestores", "ProgressRaw", r.ProgressRaw, wantProgress)
			same("ListRestores", "CreatedAtRaw", r.CreatedAtRaw, wantTime)
			same("ListRestores", "UpdatedAtRaw", r.UpdatedAtRaw, wantTime)
			percent("ListRestores", r.Progress, r.ProgressRaw)
			inUTC("ListRestores", r.CreatedAt)
			inUTC("ListRestores", r.UpdatedAt)
			if !r.CreatedAt.Equal(r.UpdatedAt) {
				t.Errorf("ListRestores: one text read as two times, %v and %v", r.CreatedAt, r.UpdatedAt)
			}
		}

		answerOnce("ListBackupRecords", map[string]any{"total_num": 1, "backup_record_response": []map[string]any{{
			"backup_id": text, "backup_name": text, "instance_id": text, "size": size,
			"backup_type": text, "status": text, "progress": progress, "error_code": text,
			"remark": text, "is_support_restore": text, "backup_format": text, "period": text,
			"created_at": timestamp, "updated_at": timestamp, "execution_at": timestamp,
		}}})
		backups, err := client.ListBackups(ctx, instanceID)
		if read("ListBackups", err) {
			if len(backups) != 1 {
				t.Fatalf("ListBackups: %d records, want 1", len(backups))
			}
			b := backups[0]
			for field, got := range map[string]string{
				"BackupID": b.BackupID, "BackupName": b.BackupName, "InstanceID": b.InstanceID,
				"BackupType": b.BackupType, "Status": b.Status, "ErrorCode": b.ErrorCode,
				"Remark": b.Remark, "BackupFormat": b.BackupFormat, "Period": b.Period,
			} {
				same("ListBackups", field, got, wantText)
			}
			same("ListBackups", "ProgressRaw", b.ProgressRaw, wantProgress)
			same("ListBackups", "ExecutionAtRaw", b.ExecutionAtRaw, wantTime)
			if b.Size != wantSize {
				t.Errorf("ListBackups: size %d, sent %d", b.Size, size)
			}
			if b.IsSupportRestore != strings.EqualFold(wantText, "TRUE") {
				t.Errorf("ListBackups: is_support_restore %q read as %v", wantText, b.IsSupportRestore)
			}
			percent("ListBackups", b.Progress, b.ProgressRaw)
			for _, at := range []time.Time{b.CreatedAt, b.UpdatedAt, b.ExecutionAt} {
				inUTC("ListBackups", at)
			}
		}

		answerOnce("ShowInstance", map[string]any{
			"instance_id": text, "name": text, "status": text, "sub_status": text, "engine": text,
			"engine_version": text, "cache_mode": text, "product_type": text, "capacity": size,
			"launched_at": timestamp,
		})
		instance, err := client.ShowInstance(ctx, instanceID)
		if read("ShowInstance", err) {
			for field, got := range map[string]string{
				"InstanceID": instance.InstanceID, "Name": instance.Name, "Status": instance.Status,
				"SubStatus": instance.SubStatus, "Engine": instance.Engine,
				"EngineVersion": instance.EngineVersion, "CacheMode": instance.CacheMode,
				"ProductType": instance.ProductType,
			} {
				same("ShowInstance", field, got, wantText)
			}
			same("ShowInstance", "LaunchedAtRaw", instance.LaunchedAtRaw, wantTime)
			if instance.Capacity != wantSize {
				t.Errorf("ShowInstance: capacity %d, sent %d", instance.Capacity, size)
			}
			inUTC("ShowInstance", instance.LaunchedAt)
		}
	})
}
