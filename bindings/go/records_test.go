// Tests that records reach Go with libdcs's reading of their timestamps and progress, on
// the emulator's edge-case answers.

package dcs

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// What a record's strings mean is libdcs's reading, passed on as it is: timestamps, progress
// and is_support_restore are parsed once, in libdcs, and read through its getters; this
// package only turns epoch milliseconds into time.Time and -1 into the zero time. The
// emulator answers with records on the rules' edges, the same ones the Python binding's
// test_records.py reads to the same values.

// moment is 2017-07-18T21:41:35.182Z, as libdcs reads each of the forms below.
var moment = time.Date(2017, 7, 18, 21, 41, 35, 182_000_000, time.UTC)

// answerWith makes the emulator answer the instance's next calls of operation with body.
func answerWith(t *testing.T, instanceID, operation string, body any) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	addFault(t, map[string]any{
		"operation": operation, "instance_id": instanceID, "kind": "status", "status": 200,
		"body": string(data),
	})
}

func TestBackupRecordsCarryLibdcsReading(t *testing.T) {
	backups := []map[string]string{
		{
			"backup_id": "b-upper", "is_support_restore": "TRUE", "progress": "100.00",
			"created_at":   "2017-07-18T21:41:35.182Z",
			"updated_at":   "2017-07-18T21:41:35.1829Z",
			"execution_at": "2017-07-19T05:41:35.182+08:00",
		},
		{
			"backup_id": "b-lower", "is_support_restore": "true", "progress": "42.5",
			"created_at": "2017-07-18T16:41:35.182-05:00",
		},
		{"backup_id": "b-mixed", "is_support_restore": "True", "progress": "7"},
		{
			"backup_id": "b-false", "is_support_restore": "FALSE", "progress": "",
			"created_at": "2017-07-18T21:41:35", // without a zone: ambiguous
		},
		{
			"backup_id": "b-odd", "is_support_restore": "yes", "progress": "abc",
			"created_at": "yesterday", "updated_at": "2017-02-30T00:00:00Z",
			"execution_at": "2017-07-18 21:41:35Z",
		},
		{"backup_id": "b-none"},
	}
	type reading struct {
		restorable                   bool
		progress                     float64
		created, updated, executedAt time.Time
	}
	var never time.Time
	want := map[string]reading{
		"b-upper": {true, 100, moment, moment, moment},
		"b-lower": {true, 42.5, moment, never, never},
		"b-mixed": {true, 7, never, never, never},
		"b-false": {false, -1, never, never, never},
		"b-odd":   {false, -1, never, never, never},
		"b-none":  {false, -1, never, never, never},
	}

	instanceID := newInstance(t, "ha")
	answerWith(t, instanceID, "ListBackupRecords",
		map[string]any{"total_num": len(backups), "backup_record_response": backups})
	client := newTestClient(t, testConfig())
	got, err := client.ListBackups(context.Background(), instanceID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(backups) {
		t.Fatalf("%d backups, want %d", len(got), len(backups))
	}
	for i, b := range got {
		sent := backups[i]
		w := want[b.BackupID]
		if b.BackupID != sent["backup_id"] || b.IsSupportRestore != w.restorable || b.Progress != w.progress ||
			!b.CreatedAt.Equal(w.created) || !b.UpdatedAt.Equal(w.updated) || !b.ExecutionAt.Equal(w.executedAt) {
			t.Errorf("%s: read %+v, want %+v", sent["backup_id"], b, w)
		}
		if b.ProgressRaw != sent["progress"] || b.CreatedAtRaw != sent["created_at"] ||
			b.UpdatedAtRaw != sent["updated_at"] || b.ExecutionAtRaw != sent["execution_at"] {
			t.Errorf("%s: the service's strings were not kept: %+v", sent["backup_id"], b)
		}
		for _, at := range []time.Time{b.CreatedAt, b.UpdatedAt, b.ExecutionAt} {
			if !at.IsZero() && at.Location() != time.UTC {
				t.Errorf("%s: %v is not in UTC", sent["backup_id"], at)
			}
		}
	}
}

func TestRestoreRecordsCarryLibdcsReading(t *testing.T) {
	instanceID := newInstance(t, "ha")
	answerWith(t, instanceID, "ListRestoreRecords", map[string]any{
		"total_num": 2,
		"restore_record_response": []map[string]string{
			{
				"restore_id": "r-1", "status": "restoring", "progress": "42.00",
				"created_at": "2017-07-18T21:41:35.182Z", "updated_at": "2017-07-18T21:41:35.182",
			},
			{"restore_id": "r-2", "status": "waiting", "progress": "-3"},
		},
	})
	client := newTestClient(t, testConfig())
	got, err := client.ListRestores(context.Background(), instanceID)
	if err != nil || len(got) != 2 {
		t.Fatalf("ListRestores = %+v, %v", got, err)
	}
	first, second := got[0], got[1]
	if first.Progress != 42 || first.ProgressRaw != "42.00" || !first.CreatedAt.Equal(moment) ||
		!first.UpdatedAt.IsZero() || first.UpdatedAtRaw != "2017-07-18T21:41:35.182" {
		t.Errorf("r-1 read as %+v", first)
	}
	if second.Progress != -1 || second.ProgressRaw != "-3" || !second.CreatedAt.IsZero() || second.CreatedAtRaw != "" {
		t.Errorf("r-2 read as %+v", second)
	}
}

func TestInstanceLaunchedAtIsLibdcsReading(t *testing.T) {
	client := newTestClient(t, testConfig())
	for raw, want := range map[string]time.Time{
		"2017-07-18T21:41:35.182Z":      moment,
		"2017-07-18T21:41:35.182+00:00": moment,
		"2017-07-18 21:41:35":           {},
		"":                              {},
		// Year 10000 in UTC: time.Time holds it, unlike Python's datetime.
		"9999-12-31T23:59:59.999-05:00": time.Date(10000, 1, 1, 4, 59, 59, 999_000_000, time.UTC),
	} {
		instanceID := newInstance(t, "ha")
		answerWith(t, instanceID, "ShowInstance",
			map[string]string{"instance_id": instanceID, "status": "RUNNING", "launched_at": raw})
		got, err := client.ShowInstance(context.Background(), instanceID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.LaunchedAt.Equal(want) || got.LaunchedAtRaw != raw {
			t.Errorf("launched_at %q read as %v (%q), want %v", raw, got.LaunchedAt, got.LaunchedAtRaw, want)
		}
	}
}
