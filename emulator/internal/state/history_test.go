// Tests of what a waiter sees of one restore: the progress curve, per-instance restore
// durations, and a seeded history that the listing's time filters and pages cut.

package state

import (
	"math"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

func TestProgressCurveIsMonotoneJitteredAndBounded(t *testing.T) {
	offLine := 0.0
	for _, id := range []string{"a", "b", ids.NewUUID(), ids.NewUUID()} {
		prev := 0.0
		for i := 0; i <= 1000; i++ {
			x := float64(i) / 1000
			p := progressCurve(id, x)
			if p < prev {
				t.Fatalf("%s: progress went back at x=%.3f: %.4f < %.4f", id, x, p, prev)
			}
			if math.Abs(p-x) > progressJitter+1e-9 {
				t.Fatalf("%s: progress %.4f at x=%.3f strays more than the jitter", id, p, x)
			}
			offLine = math.Max(offLine, math.Abs(p-x))
			prev = p
		}
		if progressCurve(id, 0) != 0 || progressCurve(id, 1) != 1 {
			t.Fatalf("%s: the curve must run from 0 to 1", id)
		}
	}
	if offLine < progressJitter/10 {
		t.Fatalf("no jitter at all (%.4f): a waiter would be tested on a straight line", offLine)
	}
	start := time.Unix(1000, 0)
	for _, tc := range []struct {
		status string
		at     time.Duration
		want   string
	}{
		{StatusWaiting, time.Second, "0.00"},
		{StatusRestoring, 0, "0.01"},                 // running: never 0.00
		{StatusRestoring, 20 * time.Second, "99.00"}, // overdue: never 100 before succeed
		{StatusSucceed, 0, "100.00"},
	} {
		if got := progress(tc.status, start, 10*time.Second, start.Add(tc.at), "r"); got != tc.want {
			t.Fatalf("%s at %v: %s, want %s", tc.status, tc.at, got, tc.want)
		}
	}
	mid, _ := strconv.ParseFloat(progress(StatusRestoring, start, 10*time.Second, start.Add(5*time.Second), "r"), 64)
	if math.Abs(mid-50) > progressJitter*100 {
		t.Fatalf("half way through: %.2f%%", mid)
	}
}

// restoreLength is created_at to updated_at of a finished restore.
func restoreLength(t *testing.T, s *Store, instanceID, backupID string) time.Duration {
	t.Helper()
	id, err := s.StartRestore(DemoProjectID, instanceID, backupID, "")
	if err != nil {
		t.Fatal(err)
	}
	var r *Restore
	waitFor(t, "restore done", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, rec := range s.instances[instanceID].Restores {
			if rec.ID == id && rec.Status == StatusSucceed {
				r = rec
			}
		}
		return r != nil
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	return r.UpdatedAt.Sub(r.CreatedAt)
}

func TestRestoreTimingsPerInstance(t *testing.T) {
	s := newStore(t) // global restores: 40 + 120 ms
	other, err := s.CreateInstance(InstanceSpec{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateBackup(other.InstanceID, BackupSpec{Status: StatusSucceed, IsSupportRestore: "TRUE"})
	if err != nil {
		t.Fatal(err)
	}
	long := int64(900)
	if _, err := s.SetRestoreTimings(DemoInstanceID, RestoreTimings{RunningMs: &long}); err != nil {
		t.Fatal(err)
	}
	if d := restoreLength(t, s, DemoInstanceID, DemoBackupID); d < 900*time.Millisecond {
		t.Fatalf("the instance's own running time was not used: %v", d)
	}
	if d := restoreLength(t, s, other.InstanceID, b.BackupID); d >= 900*time.Millisecond {
		t.Fatalf("another instance took the override: %v", d)
	}
	if _, err := s.SetRestoreTimings(DemoInstanceID, RestoreTimings{}); err != nil {
		t.Fatal(err)
	}
	if d := restoreLength(t, s, DemoInstanceID, DemoBackupID); d >= 900*time.Millisecond {
		t.Fatalf("clearing the override kept it: %v", d)
	}
	negative := int64(-1)
	if _, err := s.SetRestoreTimings(DemoInstanceID, RestoreTimings{WaitingMs: &negative}); err == nil {
		t.Fatal("a negative duration was accepted")
	}
	if _, err := s.SetRestoreTimings("nope", RestoreTimings{}); err != ErrNotFound {
		t.Fatalf("unknown instance: %v", err)
	}
}

func TestSeededHistoryIsFilteredAndPaged(t *testing.T) {
	s := newStore(t)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	total, err := s.SeedRestores(DemoInstanceID, RestoreHistory{SeedSpan: SeedSpan{Count: 2500}})
	if err != nil || total != 2500 {
		t.Fatalf("seed: %d %v", total, err)
	}
	list, n, _ := s.ListRestores(DemoProjectID, DemoInstanceID, Page{Limit: 1000})
	newest := now.Add(-time.Hour)
	if n != 2500 || len(list) != 1000 || list[0].CreatedAt != ids.Timestamp(newest) || list[0].Status != StatusSucceed {
		t.Fatalf("first page: total %d, %d records, newest %+v", n, len(list), list[0])
	}
	if list, _, _ = s.ListRestores(DemoProjectID, DemoInstanceID, Page{Offset: 2000, Limit: 1000}); len(list) != 500 ||
		list[499].CreatedAt != ids.Timestamp(newest.Add(-2499*time.Minute)) {
		t.Fatalf("last page: %d records", len(list))
	}
	// begin_time cuts the history to what was created since (both ends inclusive).
	p, perr := ParsePage(url.Values{"begin_time": {ids.Compact(newest.Add(-10 * time.Minute))}, "limit": {"1000"}})
	if perr != nil {
		t.Fatal(perr)
	}
	if list, n, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p); n != 11 || len(list) != 11 {
		t.Fatalf("begin_time: %d records", n)
	}
	// A restore started now is alone after the history; end_time leaves it out.
	tm := s.Timings()
	tm.RestoreWaitingMs, tm.RestoreRunningMs = 0, 0
	_ = s.SetTimings(tm)
	id, serr := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "")
	if serr != nil {
		t.Fatal(serr)
	}
	p, _ = ParsePage(url.Values{"begin_time": {ids.Compact(now.Add(-time.Minute))}})
	if list, n, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p); n != 1 || list[0].RestoreID != id {
		t.Fatalf("since a minute ago: %d records", n)
	}
	p, _ = ParsePage(url.Values{"end_time": {ids.Compact(newest)}, "limit": {"1"}})
	if list, n, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p); n != 2500 || list[0].RestoreID == id {
		t.Fatalf("until the newest seeded: %d records", n)
	}
	for _, bad := range []RestoreHistory{{SeedSpan: SeedSpan{Count: 0}}, {SeedSpan: SeedSpan{Count: maxSeededRestores + 1}}, {SeedSpan: SeedSpan{Count: 1}, Status: "restoring"}, {SeedSpan: SeedSpan{Count: 1, SpacingMs: -1}}} {
		if _, err := s.SeedRestores(DemoInstanceID, bad); err == nil {
			t.Fatalf("accepted %+v", bad)
		}
	}
	if _, err := s.SeedRestores(DemoInstanceID, RestoreHistory{SeedSpan: SeedSpan{Count: 1}, BackupID: "nope"}); err == nil {
		t.Fatal("accepted an unknown backup")
	}
}
