// Tests of the backup listing a selection by time relies on: records dated by the admin
// API are filed by creation time, and the time filters and pages cut a seeded history.

package state

import (
	"net/url"
	"testing"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

func TestDatedBackupsAreListedNewestFirstAndFiltered(t *testing.T) {
	s := newStore(t)
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	// Made out of order: the listing must still be newest first.
	for _, at := range []time.Duration{-time.Hour, time.Hour, 0} {
		if _, err := s.CreateBackup(DemoInstanceID, BackupSpec{CreatedAt: base.Add(at).Format(time.RFC3339), BackupType: "auto"}); err != nil {
			t.Fatal(err)
		}
	}
	p, perr := ParsePage(url.Values{"begin_time": {ids.Compact(base.Add(-time.Hour))}, "end_time": {ids.Compact(base)}})
	if perr != nil {
		t.Fatal(perr)
	}
	list, n, _ := s.ListBackups(DemoProjectID, DemoInstanceID, p)
	if n != 2 || list[0].CreatedAt != ids.Timestamp(base) || list[1].CreatedAt != ids.Timestamp(base.Add(-time.Hour)) ||
		list[0].BackupType != "auto" || list[0].BackupName != "backup_"+ids.Compact(base) {
		t.Fatalf("between 09:00 and 10:00 (inclusive): %d records %+v", n, list)
	}
	for _, bad := range []BackupSpec{{CreatedAt: "yesterday"}, {BackupType: "weekly"}} {
		if _, err := s.CreateBackup(DemoInstanceID, bad); err == nil {
			t.Fatalf("accepted %+v", bad)
		}
	}
}

func TestSeededBackupHistoryIsPaged(t *testing.T) {
	s := newStore(t)
	// Later than the seed's demo backup, so that the seeded history is the newest.
	now := s.now().Add(time.Hour).Truncate(time.Second)
	s.now = func() time.Time { return now }
	before, _, _ := s.ListBackups(DemoProjectID, DemoInstanceID, Page{Limit: 1000})
	total, err := s.SeedBackups(DemoInstanceID, BackupHistory{SeedSpan: SeedSpan{Count: 1500, NewestAgeMs: 60000, SpacingMs: 1000}, Status: StatusFailed, IsSupportRestore: "FALSE"})
	if err != nil || total != 1500+len(before) {
		t.Fatalf("seed: %d %v", total, err)
	}
	list, n, _ := s.ListBackups(DemoProjectID, DemoInstanceID, Page{Limit: 1000})
	if n != total || len(list) != 1000 || list[0].CreatedAt != ids.Timestamp(now.Add(-time.Minute)) ||
		list[0].Status != StatusFailed || list[0].ErrorCode == nil {
		t.Fatalf("first page: total %d, %d records, newest %+v", n, len(list), list[0])
	}
	if list, _, _ = s.ListBackups(DemoProjectID, DemoInstanceID, Page{Offset: 1000, Limit: 1000}); len(list) != total-1000 {
		t.Fatalf("second page: %d records", len(list))
	}
	for _, bad := range []BackupHistory{{SeedSpan: SeedSpan{Count: 0}}, {SeedSpan: SeedSpan{Count: maxSeededBackups + 1}}, {SeedSpan: SeedSpan{Count: 1}, Status: "gone"},
		{SeedSpan: SeedSpan{Count: 1}, IsSupportRestore: "yes"}, {SeedSpan: SeedSpan{Count: 1}, BackupType: "weekly"}, {SeedSpan: SeedSpan{Count: 1, NewestAgeMs: -1}}} {
		if _, err := s.SeedBackups(DemoInstanceID, bad); err == nil {
			t.Fatalf("accepted %+v", bad)
		}
	}
	if _, err := s.SeedBackups("nope", BackupHistory{SeedSpan: SeedSpan{Count: 1}}); err != ErrNotFound {
		t.Fatalf("unknown instance: %v", err)
	}
}
