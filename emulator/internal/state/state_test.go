// Tests of the emulated world in state-only mode: the restore and backup state machines,
// business errors, paging, reset, the listing delay and the counters.

package state

import (
	"encoding/json"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// quick timings keep the state-machine tests short but observable.
var quick = json.RawMessage(`{"restore_waiting_ms":40,"restore_running_ms":120,"backup_waiting_ms":40,"backup_running_ms":120}`)

func newStore(t *testing.T) *Store {
	t.Helper()
	seed := DemoSeed()
	seed.Timings = quick
	s, err := New(Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func restoreRecord(t *testing.T, s *Store, id string) RestoreView {
	t.Helper()
	list, _, err := s.ListRestores(DemoProjectID, DemoInstanceID, Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.RestoreID == id {
			return r
		}
	}
	t.Fatalf("restore %s not listed", id)
	return RestoreView{}
}

func instanceStatus(t *testing.T, s *Store) string {
	v, err := s.ShowInstance(DemoProjectID, DemoInstanceID)
	if err != nil {
		t.Fatal(err)
	}
	return v.Status
}

func TestRestoreStateMachine(t *testing.T) {
	s := newStore(t)
	id, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	r := restoreRecord(t, s, id)
	if r.Status != StatusWaiting || r.Progress != "0.00" || r.RestoreRemark != "nightly" || r.BackupID != DemoBackupID {
		t.Fatalf("fresh record %+v", r)
	}
	if r.RestoreName != "restore_"+r.CreatedAt[0:4]+r.CreatedAt[5:7]+r.CreatedAt[8:10]+r.CreatedAt[11:13]+r.CreatedAt[14:16]+r.CreatedAt[17:19] {
		t.Fatalf("restore_name %s vs created_at %s", r.RestoreName, r.CreatedAt)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, ""); err != ErrRestoring {
		t.Fatalf("second restore: %v", err)
	}
	if _, err := s.StartBackup(DemoProjectID, DemoInstanceID, "", "rdb"); err != ErrRestoring {
		t.Fatalf("backup during restore: %v", err)
	}
	waitFor(t, "restoring", func() bool { return restoreRecord(t, s, id).Status == StatusRestoring })
	if st := instanceStatus(t, s); st != InstanceRestoring {
		t.Fatalf("instance status during restore %s", st)
	}
	if p := restoreRecord(t, s, id).Progress; p == "0.00" || p == "100.00" {
		t.Fatalf("progress while restoring %s", p)
	}
	waitFor(t, "succeed", func() bool { return restoreRecord(t, s, id).Status == StatusSucceed })
	r = restoreRecord(t, s, id)
	if r.Progress != "100.00" || r.ErrorCode != nil {
		t.Fatalf("finished record %+v", r)
	}
	if st := instanceStatus(t, s); st != InstanceRunning {
		t.Fatalf("instance after restore %s", st)
	}
	if restores, _ := s.Counters(); restores != 1 {
		t.Fatalf("restores_started %d", restores)
	}
}

func TestRestoreFailsWhenAsked(t *testing.T) {
	s := newStore(t)
	tm := s.Timings()
	tm.FailRestores = "dcs.08.0007"
	if err := s.SetTimings(tm); err != nil {
		t.Fatal(err)
	}
	id, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "failed", func() bool { return restoreRecord(t, s, id).Status == StatusFailed })
	if r := restoreRecord(t, s, id); r.ErrorCode != "dcs.08.0007" {
		t.Fatalf("error_code %v", r.ErrorCode)
	}
	if st := instanceStatus(t, s); st != InstanceRunning {
		t.Fatalf("instance after failed restore %s", st)
	}
}

func TestBackupStateMachineAndDelete(t *testing.T) {
	s := newStore(t)
	id, err := s.StartBackup(DemoProjectID, DemoInstanceID, "manual one", "rdb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, ""); err != ErrBackuping {
		t.Fatalf("restore during backup: %v", err)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, id, ""); err != ErrBackupNotOK {
		t.Fatalf("restore from unfinished backup: %v", err)
	}
	if err := s.DeleteBackup(DemoProjectID, DemoInstanceID, id); err != ErrBackuping {
		t.Fatalf("delete of running backup: %v", err)
	}
	get := func() BackupView {
		list, total, err := s.ListBackups(DemoProjectID, DemoInstanceID, Page{Limit: 10})
		if err != nil || total != 2 || list[0].BackupID != id {
			t.Fatalf("list %v %d %v", list, total, err)
		}
		return list[0]
	}
	waitFor(t, "backuping", func() bool { return get().Status == StatusBackuping })
	waitFor(t, "succeed", func() bool { return get().Status == StatusSucceed })
	b := get()
	if b.Size <= 0 || b.IsSupportRestore != "TRUE" || b.BackupFormat != "rdb" || b.Progress != "100.00" || b.Remark != "manual one" {
		t.Fatalf("finished backup %+v", b)
	}
	if err := s.DeleteBackup(DemoProjectID, DemoInstanceID, id); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBackup(DemoProjectID, DemoInstanceID, id); err != ErrNoSuchBackup {
		t.Fatalf("second delete: %v", err)
	}
	if _, total, _ := s.ListBackups(DemoProjectID, DemoInstanceID, Page{Limit: 10}); total != 1 {
		t.Fatalf("deleted backup still listed (%d)", total)
	}
}

func TestBusinessErrors(t *testing.T) {
	s := newStore(t)
	if _, err := s.StartRestore(DemoProjectID, "nope", DemoBackupID, ""); err != ErrNoSuchInstance {
		t.Fatalf("unknown instance: %v", err)
	}
	if _, err := s.StartRestore("other-project", DemoInstanceID, DemoBackupID, ""); err != ErrNoSuchInstance {
		t.Fatalf("instance of another project: %v", err)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, "not-a-backup", ""); err != ErrBadBackupID {
		t.Fatalf("foreign backup: %v", err)
	}
	failed, cerr := s.CreateBackup(DemoInstanceID, BackupSpec{Status: StatusFailed})
	if cerr != nil {
		t.Fatal(cerr)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, failed.BackupID, ""); err != ErrBackupNotOK {
		t.Fatalf("failed backup: %v", err)
	}
	down := "FROZEN"
	if _, err := s.PatchInstance(DemoInstanceID, &down, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, ""); err != ErrNotRunning {
		t.Fatalf("frozen instance: %v", err)
	}
	single := "single"
	if _, err := s.PatchInstance(DemoInstanceID, nil, &single); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, ""); err != ErrSingleNode {
		t.Fatalf("single restore: %v", err)
	}
	if _, err := s.StartBackup(DemoProjectID, DemoInstanceID, "", "rdb"); err != ErrSingleNode {
		t.Fatalf("single backup: %v", err)
	}
	if restores, backups := s.Counters(); restores != 0 || backups != 0 {
		t.Fatalf("rejected calls were counted: %d %d", restores, backups)
	}
}

func TestPagingAndFilters(t *testing.T) {
	s := newStore(t)
	base := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	clock := base
	s.now = func() time.Time { return clock }
	tm := s.Timings()
	tm.RestoreWaitingMs, tm.RestoreRunningMs = 0, 0
	_ = s.SetTimings(tm)
	var ids []string
	for i := 0; i < 5; i++ {
		clock = base.Add(time.Duration(i) * time.Minute)
		id, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		waitFor(t, "restore done", func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.instances[DemoInstanceID].activeRestore() == nil
		})
	}
	list, total, _ := s.ListRestores(DemoProjectID, DemoInstanceID, Page{Limit: 2, Offset: 1})
	if total != 5 || len(list) != 2 || list[0].RestoreID != ids[3] || list[1].RestoreID != ids[2] {
		t.Fatalf("page: total %d %v", total, list)
	}
	p, perr := ParsePage(url.Values{"begin_time": {"20240501100100"}, "end_time": {"20240501100300"}})
	if perr != nil {
		t.Fatal(perr)
	}
	list, total, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p)
	if total != 3 || list[0].RestoreID != ids[3] || list[2].RestoreID != ids[1] {
		t.Fatalf("window: total %d", total)
	}
	p, _ = ParsePage(url.Values{"begin_time": {"20300101000000"}})
	if _, total, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p); total != 0 {
		t.Fatalf("future window matched %d", total)
	}
	p, _ = ParsePage(url.Values{"offset": {"10"}})
	if list, total, _ = s.ListRestores(DemoProjectID, DemoInstanceID, p); total != 5 || len(list) != 0 {
		t.Fatalf("offset past the end: %d %d", total, len(list))
	}
}

func TestParsePageRejects(t *testing.T) {
	for _, q := range []url.Values{
		{"limit": {"0"}}, {"limit": {"1001"}}, {"limit": {"x"}}, {"offset": {"-1"}},
		{"offset": {"1.5"}}, {"begin_time": {"2024-01-01"}}, {"end_time": {"20241301000000"}},
	} {
		if _, err := ParsePage(q); err == nil || err.Code != "DCS.4062" {
			t.Errorf("%v accepted (%v)", q, err)
		}
	}
	p, err := ParsePage(url.Values{})
	if err != nil || p.Limit != 10 || p.Offset != 0 {
		t.Fatalf("defaults %+v %v", p, err)
	}
	if p, err = ParsePage(url.Values{"limit": {"1000"}}); err != nil || p.Limit != 1000 {
		t.Fatal("limit 1000 rejected")
	}
}

func TestResetRestoresSeed(t *testing.T) {
	s := newStore(t)
	if _, err := s.StartBackup(DemoProjectID, DemoInstanceID, "", "rdb"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInstance(InstanceSpec{InstanceID: "extra"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if n := len(s.AdminInstances()); n != 1 {
		t.Fatalf("%d instances after reset", n)
	}
	if _, total, _ := s.ListBackups(DemoProjectID, DemoInstanceID, Page{Limit: 10}); total != 1 {
		t.Fatalf("%d backups after reset", total)
	}
	if r, b := s.Counters(); r != 0 || b != 0 {
		t.Fatal("counters survived reset")
	}
}

// TestRestoreListingDelay: a new record is hidden from the listing (and its total)
// for the delay in force when it was created; a later change affects later records
// only; the restore runs meanwhile.
func TestRestoreListingDelay(t *testing.T) {
	s := newStore(t)
	base := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	at := func(d time.Duration) { clock.Store(base.Add(d).UnixNano()) }
	at(0)
	s.mu.Lock()
	s.now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s.mu.Unlock()
	tm := s.Timings()
	tm.RestoreWaitingMs, tm.RestoreRunningMs, tm.RestoreListingDelayMs = 0, 0, 1000
	if err := s.SetTimings(tm); err != nil {
		t.Fatal(err)
	}
	list := func() ([]RestoreView, int) {
		t.Helper()
		l, total, err := s.ListRestores(DemoProjectID, DemoInstanceID, Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(l) != total {
			t.Fatalf("page of %d, total_num %d", len(l), total)
		}
		return l, total
	}
	first, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, total := list(); total != 0 {
		t.Fatalf("new record listed (%d)", total)
	}
	// It runs while hidden, and may finish.
	waitFor(t, "the hidden restore to finish", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.instances[DemoInstanceID].activeRestore() == nil
	})
	at(999 * time.Millisecond)
	if _, total := list(); total != 0 {
		t.Fatalf("listed before the delay passed (%d)", total)
	}
	at(1000 * time.Millisecond)
	if l, total := list(); total != 1 || l[0].RestoreID != first || l[0].Status != StatusSucceed {
		t.Fatalf("after the delay: %d %+v", total, l)
	}
	// A longer delay set now does not hide the record already created...
	tm.RestoreListingDelayMs = 60000
	if err := s.SetTimings(tm); err != nil {
		t.Fatal(err)
	}
	if _, total := list(); total != 1 {
		t.Fatalf("new timings hid an existing record (%d)", total)
	}
	// ...but hides the next one, from the page and from total_num alike.
	at(2 * time.Second)
	second, err := s.StartRestore(DemoProjectID, DemoInstanceID, DemoBackupID, "")
	if err != nil {
		t.Fatal(err)
	}
	at(30 * time.Second)
	if l, total := list(); total != 1 || l[0].RestoreID != first {
		t.Fatalf("second record listed early: %d %+v", total, l)
	}
	if v, _ := s.AdminInstance(DemoInstanceID); v.Restores != 2 || v.RestoresStarted != 2 {
		t.Fatalf("admin view %+v", v)
	}
	at(62 * time.Second)
	if l, total := list(); total != 2 || l[0].RestoreID != second {
		t.Fatalf("second record after its delay: %d %+v", total, l)
	}
	if err := s.SetTimings(Timings{RestoreListingDelayMs: -1}); err == nil {
		t.Fatal("negative listing delay accepted")
	}
}

func TestPostCountersPerInstance(t *testing.T) {
	s := newStore(t)
	s.CountRestorePost(DemoProjectID, DemoInstanceID)
	s.CountRestorePost(DemoProjectID, DemoInstanceID)
	s.CountBackupPost(DemoProjectID, DemoInstanceID)
	s.CountRestorePost("other-project", DemoInstanceID) // not this project's instance
	s.CountRestorePost(DemoProjectID, "missing")
	v, _ := s.AdminInstance(DemoInstanceID)
	if v.RestorePosts != 2 || v.BackupPosts != 1 {
		t.Fatalf("counters %+v", v)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if v, _ = s.AdminInstance(DemoInstanceID); v.RestorePosts != 0 || v.BackupPosts != 0 {
		t.Fatalf("counters survived reset: %+v", v)
	}
}

func TestSeedSetsListingDelay(t *testing.T) {
	seed := DemoSeed()
	seed.Timings = json.RawMessage(`{"restore_listing_delay_ms":250}`)
	if err := seed.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if tm := s.Timings(); tm.RestoreListingDelayMs != 250 || tm.RestoreRunningMs != FastTimings.RestoreRunningMs {
		t.Fatalf("timings %+v", tm)
	}
	seed.Timings = json.RawMessage(`{"restore_listing_delay_ms":-1}`)
	if err := seed.Validate(); err == nil {
		t.Fatal("negative listing delay accepted in a seed")
	}
}
