// Unit tests of how faults are validated and chosen: instance filters, counts, order,
// seeded probability and release.

package faults

import (
	"testing"
)

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }

func TestValidate(t *testing.T) {
	bad := []Fault{
		{Operation: "", Kind: Status, Status: 500},
		{Operation: "Nope", Kind: Status, Status: 500},
		{Operation: "*", Kind: "explode"},
		{Operation: "*", Kind: Status},
		{Operation: "*", Kind: Delay},
		{Operation: "*", Kind: Status, Status: 500, Count: intp(0)},
		{Operation: "*", Kind: Status, Status: 500, Count: intp(1), Probability: floatp(0.5)},
		{Operation: "*", Kind: Status, Status: 500, Probability: floatp(1.5)},
		{Operation: "*", Kind: LateAfterWork},
		{Operation: "*", Kind: LateAfterWork, DelayMs: -5},
		{Operation: "*", Kind: HangAfterWork, DelayMs: -1},
		{Operation: "*", Kind: Trickle},
		{Operation: "*", Kind: Stall, DelayMs: -1},
	}
	for _, f := range bad {
		if err := f.Validate(); err == nil {
			t.Errorf("accepted %+v", f)
		}
	}
	f := Fault{Operation: "RestoreInstance", Kind: Throttle}
	if err := f.Validate(); err != nil || f.RetryAfter != 1 {
		t.Fatalf("throttle default: %v %d", err, f.RetryAfter)
	}
	for _, good := range []Fault{
		{Operation: "RestoreInstance", Kind: HangAfterWork},
		{Operation: "RestoreInstance", Kind: HangAfterWork, DelayMs: 200},
		{Operation: "*", Kind: LateAfterWork, DelayMs: 200, InstanceID: "abc"},
		{Operation: "ShowInstance", Kind: Trickle, DelayMs: 1},
		{Operation: "ShowInstance", Kind: Stall},
	} {
		if err := good.Validate(); err != nil {
			t.Errorf("rejected %+v: %v", good, err)
		}
	}
}

func TestInstanceFilter(t *testing.T) {
	var r Registry
	_, _ = r.Add(Fault{Operation: "*", InstanceID: "inst-a", Kind: Status, Status: 503, Count: intp(1)})
	_, _ = r.Add(Fault{Operation: "RestoreInstance", InstanceID: "inst-b", Kind: CloseAfter})
	if _, hit := r.Select("ShowInstance", "inst-c"); hit {
		t.Fatal("fault hit an instance it does not name")
	}
	if f, hit := r.Select("RestoreInstance", "inst-b"); !hit || f.Kind != CloseAfter {
		t.Fatal("instance fault missed its instance")
	}
	if _, hit := r.Select("ShowInstance", "inst-b"); hit {
		t.Fatal("instance fault hit another operation")
	}
	// Requests for other instances do not use up inst-a's counted fault.
	for i := 0; i < 3; i++ {
		_, _ = r.Select("ListRestoreRecords", "inst-z")
	}
	if f, hit := r.Select("ListRestoreRecords", "inst-a"); !hit || f.Status != 503 {
		t.Fatal("wildcard instance fault missed")
	}
	if _, hit := r.Select("ListRestoreRecords", "inst-a"); hit {
		t.Fatal("count 1 fault hit twice")
	}
	list := r.List()
	if list[0].Fired != 1 || list[1].Fired != 1 || list[0].InstanceID != "inst-a" {
		t.Fatalf("listing %+v", list)
	}
}

func TestRelease(t *testing.T) {
	var r Registry
	held := r.Released()
	select {
	case <-held:
		t.Fatal("released before Release")
	default:
	}
	r.Release()
	select {
	case <-held:
	default:
		t.Fatal("Release did not let go")
	}
	select {
	case <-r.Released():
		t.Fatal("a request held after Release is let go at once")
	default:
	}
}

func TestCountedFaultHitsExactlyN(t *testing.T) {
	var r Registry
	if _, err := r.Add(Fault{Operation: "RestoreInstance", Kind: Status, Status: 500, Count: intp(2)}); err != nil {
		t.Fatal(err)
	}
	if _, hit := r.Select("ShowInstance", ""); hit {
		t.Fatal("fault hit another operation")
	}
	for i := 0; i < 2; i++ {
		if _, hit := r.Select("RestoreInstance", ""); !hit {
			t.Fatalf("request %d missed", i)
		}
	}
	if _, hit := r.Select("RestoreInstance", ""); hit {
		t.Fatal("third request hit a count-2 fault")
	}
	list := r.List()
	if len(list) != 1 || list[0].Fired != 2 || *list[0].Remaining != 0 {
		t.Fatalf("listing %+v", list)
	}
}

func TestWildcardAndOrder(t *testing.T) {
	var r Registry
	_, _ = r.Add(Fault{Operation: "ShowInstance", Kind: HTML502, Count: intp(1)})
	_, _ = r.Add(Fault{Operation: "*", Kind: Throttle})
	if f, _ := r.Select("ShowInstance", ""); f.Kind != HTML502 {
		t.Fatalf("first added fault should win, got %s", f.Kind)
	}
	for _, op := range []string{"ShowInstance", "CopyInstance", "DeleteBackupFile"} {
		if f, hit := r.Select(op, ""); !hit || f.Kind != Throttle {
			t.Fatalf("%s: wildcard missed", op)
		}
	}
	r.Clear()
	if _, hit := r.Select("ShowInstance", ""); hit {
		t.Fatal("cleared fault still hits")
	}
}

// pattern records which of n requests a probabilistic fault hits.
func pattern(seed int64, p float64, n int) []bool {
	var r Registry
	_, _ = r.Add(Fault{Operation: "*", Kind: CloseBefore, Probability: floatp(p), Seed: seed})
	out := make([]bool, n)
	for i := range out {
		_, out[i] = r.Select("ListBackupRecords", "")
	}
	return out
}

func TestProbabilityIsSeeded(t *testing.T) {
	a, b, c := pattern(42, 0.3, 400), pattern(42, 0.3, 400), pattern(7, 0.3, 400)
	hits, differs := 0, false
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed gave different patterns")
		}
		if a[i] != c[i] {
			differs = true
		}
		if a[i] {
			hits++
		}
	}
	if !differs {
		t.Fatal("different seeds gave the same pattern")
	}
	if hits < 80 || hits > 160 {
		t.Fatalf("p=0.3 hit %d of 400", hits)
	}
	for _, hit := range pattern(1, 0, 50) {
		if hit {
			t.Fatal("p=0 hit")
		}
	}
	for _, hit := range pattern(1, 1, 50) {
		if !hit {
			t.Fatal("p=1 missed")
		}
	}
}

func TestCarriesOut(t *testing.T) {
	for kind, want := range map[string]bool{
		Status: false, Delay: true, CloseBefore: false, CloseAfter: true, Truncated: true,
		NonJSON: true, Oversized: true, HTML502: false, Throttle: false,
		HangAfterWork: true, LateAfterWork: true, Trickle: true, Stall: true,
	} {
		if CarriesOut(kind) != want {
			t.Errorf("CarriesOut(%s) != %v", kind, want)
		}
	}
	if len(oversizedBody()) != OversizedBytes {
		t.Fatal("oversized body size")
	}
}
