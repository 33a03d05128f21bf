// Tests the edges of every numeric option, to show that the package hands numbers to
// libdcs unchanged and that libdcs alone decides what is in range.

package dcs

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// The limits of the options live in libdcs, and this package neither restates nor clamps
// them. Every number that fits its C type (int64_t milliseconds, int, size_t) is handed to
// libdcs as it is, and libdcs's verdict is the one returned: at each edge the last value in is
// accepted and the first value out is ErrInvalidArgument from the C layer. A number C cannot
// hold (1<<40 + 4 attempts would wrap around to 4) is refused the same way without calling
// libdcs. Nothing is sent either way. The Python binding's test_limits.py holds the same edges.

const week = 7 * 24 * time.Hour // libdcs's longest timeout

// notACValue is this package's wording for a number outside its C type; libdcs never says it.
const notACValue = "does not fit"

// Who is expected to refuse a value.
type refuser int

const (
	accepted refuser = iota
	byLibdcs
	byBinding
)

// checkVerdict checks err against what is expected of the value.
func checkVerdict(t *testing.T, what string, err error, want refuser) {
	t.Helper()
	if want == accepted {
		if err != nil {
			t.Errorf("%s: %v, want it accepted", what, err)
		}
		return
	}
	var e *Error
	if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) {
		t.Errorf("%s: %v, want ErrInvalidArgument", what, err)
		return
	}
	if e.RequestSent != SentNo {
		t.Errorf("%s: RequestSent %v, want SentNo", what, e.RequestSent)
	}
	if fromBinding := strings.Contains(e.Message, notACValue); fromBinding != (want == byBinding) {
		t.Errorf("%s: %q, want it refused by %s", what, e.Message, map[refuser]string{byLibdcs: "libdcs", byBinding: "the binding"}[want])
	}
}

func TestConfigLimitEdges(t *testing.T) {
	clearRequestLog(t)
	cases := []struct {
		name string
		set  func(*Config)
		want refuser
	}{
		{"timeout 1 ms", func(c *Config) { c.Timeout = time.Millisecond }, accepted},
		{"timeout 1 ns", func(c *Config) { c.Timeout = time.Nanosecond }, accepted}, // 1 ms, never 0
		{"timeout 7 days", func(c *Config) { c.Timeout = week }, accepted},
		{"timeout 7 days + 1 ms", func(c *Config) { c.Timeout = week + time.Millisecond }, byLibdcs},
		{"timeout 7 days + 1 ns", func(c *Config) { c.Timeout = week + time.Nanosecond }, byLibdcs},
		{"timeout -1 ns", func(c *Config) { c.Timeout = -time.Nanosecond }, byLibdcs},
		{"timeout max", func(c *Config) { c.Timeout = math.MaxInt64 }, byLibdcs},
		{"connect timeout 7 days", func(c *Config) { c.ConnectTimeout = week }, accepted},
		{"connect timeout 7 days + 1 ms", func(c *Config) { c.ConnectTimeout = week + time.Millisecond }, byLibdcs},
		{"connect timeout -1 ms", func(c *Config) { c.ConnectTimeout = -time.Millisecond }, byLibdcs},
		{"attempt timeout 7 days", func(c *Config) { c.AttemptTimeout = week }, accepted},
		{"attempt timeout 7 days + 1 ms", func(c *Config) { c.AttemptTimeout = week + time.Millisecond }, byLibdcs},
		{"attempt timeout -1 ns", func(c *Config) { c.AttemptTimeout = -time.Nanosecond }, byLibdcs},
		{"reconcile window 1 h", func(c *Config) { c.ReconcileWindow = time.Hour }, accepted},
		{"reconcile window 1 h + 1 ms", func(c *Config) { c.ReconcileWindow = time.Hour + time.Millisecond }, byLibdcs},
		{"reconcile window -1 ns", func(c *Config) { c.ReconcileWindow = -time.Nanosecond }, byLibdcs},
		{"attempts 1", func(c *Config) { c.MaxAttempts = 1 }, accepted},
		{"attempts 100", func(c *Config) { c.MaxAttempts = 100 }, accepted},
		{"attempts 101", func(c *Config) { c.MaxAttempts = 101 }, byLibdcs},
		{"attempts -1", func(c *Config) { c.MaxAttempts = -1 }, byLibdcs},
		{"attempts MaxInt32", func(c *Config) { c.MaxAttempts = math.MaxInt32 }, byLibdcs},
		{"attempts MinInt32", func(c *Config) { c.MaxAttempts = math.MinInt32 }, byLibdcs},
		{"attempts MaxInt32 + 1", func(c *Config) { c.MaxAttempts = math.MaxInt32 + 1 }, byBinding},
		{"attempts MinInt32 - 1", func(c *Config) { c.MaxAttempts = math.MinInt32 - 1 }, byBinding},
		{"attempts 1<<40 + 4", func(c *Config) { c.MaxAttempts = 1<<40 + 4 }, byBinding},
		{"response cap 1 KiB", func(c *Config) { c.MaxResponseBytes = 1024 }, accepted},
		{"response cap 1 GiB", func(c *Config) { c.MaxResponseBytes = 1 << 30 }, accepted},
		{"response cap 1 KiB - 1", func(c *Config) { c.MaxResponseBytes = 1023 }, byLibdcs},
		{"response cap 1 GiB + 1", func(c *Config) { c.MaxResponseBytes = 1<<30 + 1 }, byLibdcs},
		{"response cap MaxInt64", func(c *Config) { c.MaxResponseBytes = math.MaxInt64 }, byLibdcs},
		{"response cap -1", func(c *Config) { c.MaxResponseBytes = -1 }, byBinding},
		{"response cap MinInt64", func(c *Config) { c.MaxResponseBytes = math.MinInt64 }, byBinding},
	}
	for _, tc := range cases {
		cfg := testConfig()
		tc.set(&cfg)
		client, err := NewClient(cfg)
		if err == nil {
			client.Close()
		}
		checkVerdict(t, tc.name, err, tc.want)
	}
	if log := requestLog(t); len(log) != 0 {
		t.Fatalf("creating clients sent %d requests", len(log))
	}
}

func TestTheAcceptedEdgesWork(t *testing.T) {
	cfg := testConfig()
	cfg.Timeout, cfg.ConnectTimeout, cfg.AttemptTimeout = week, week, week
	cfg.ReconcileWindow, cfg.MaxAttempts, cfg.MaxResponseBytes = time.Hour, 100, 1<<30
	client := newTestClient(t, cfg)
	if inst, err := client.ShowInstance(context.Background(), demoInstanceID); err != nil || inst.InstanceID != demoInstanceID {
		t.Fatalf("ShowInstance = %+v, %v", inst, err)
	}
}

func TestAResponseCapAtTheLowerEdgeIsApplied(t *testing.T) {
	// Passed as it is, not raised to a default: an answer over 1 KiB is refused.
	instanceID := newInstance(t, "ha")
	addFault(t, map[string]any{
		"operation": "ShowInstance", "instance_id": instanceID, "kind": "status", "status": 200,
		"body": `{"instance_id": "` + instanceID + `", "name": "` + strings.Repeat("x", 2000) + `"}`,
	})
	cfg := testConfig()
	cfg.MaxResponseBytes = 1024
	client := newTestClient(t, cfg)
	_, err := client.ShowInstance(context.Background(), instanceID)
	asError(t, err, ErrBadResponse)
}

func TestContextDeadlineEdges(t *testing.T) {
	// The context's deadline is the call's, unchanged: one further off than libdcs allows is
	// refused by libdcs, not cut to 7 days here.
	client := newTestClient(t, testConfig())
	clearRequestLog(t)
	list := func(timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_, err := client.ListRestores(ctx, demoInstanceID)
		return err
	}
	checkVerdict(t, "a deadline in 7 days + 1 s", list(week+time.Second), byLibdcs)
	checkVerdict(t, "a deadline in 30 days", list(30*24*time.Hour), byLibdcs)
	if log := requestLog(t); len(log) != 0 {
		t.Fatalf("refused calls sent %d requests", len(log))
	}
	checkVerdict(t, "a deadline in 7 days", list(week), accepted)
	checkVerdict(t, "a deadline in 1 s", list(time.Second), accepted)
}

func TestCallOptionEdges(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	since := time.Now()
	for _, tc := range []struct {
		name string
		opt  CallOption
		want refuser
	}{
		{"attempts 101", WithMaxAttempts(101), byLibdcs},
		{"attempts -1", WithMaxAttempts(-1), byLibdcs},
		{"attempts MaxInt32 + 1", WithMaxAttempts(math.MaxInt32 + 1), byBinding},
		{"attempts 1<<40 + 4", WithMaxAttempts(1<<40 + 4), byBinding},
		{"attempt timeout 7 days + 1 ms", WithAttemptTimeout(week + time.Millisecond), byLibdcs},
		{"attempt timeout -1 ns", WithAttemptTimeout(-time.Nanosecond), byLibdcs},
		{"reconcile window 1 h + 1 ms", WithReconcileWindow(time.Hour + time.Millisecond), byLibdcs},
		{"reconcile window -1 ns", WithReconcileWindow(-time.Nanosecond), byLibdcs},
	} {
		_, err := client.StartRestore(ctx, inst, backup, tc.opt)
		checkVerdict(t, "StartRestore with "+tc.name, err, tc.want)
		_, err = client.FindRestore(ctx, inst, backup, since, tc.opt)
		checkVerdict(t, "FindRestore with "+tc.name, err, tc.want)
	}
	checkCounters(t, inst, 0, 0)

	for _, tc := range []struct {
		name string
		opt  CallOption
	}{
		{"attempts 100", WithMaxAttempts(100)},
		{"attempts 1", WithMaxAttempts(1)},
		{"attempt timeout 7 days", WithAttemptTimeout(week)},
		{"reconcile window 1 h", WithReconcileWindow(time.Hour)},
	} {
		if _, err := client.FindRestore(ctx, inst, backup, since, tc.opt); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindRestore with %s: %v, want ErrNotFound (accepted, nothing found)", tc.name, err)
		}
	}
}

func TestPollIntervalEdges(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	restoreID, err := client.RestoreInstance(ctx, inst, backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.WaitForRestore(ctx, inst, restoreID, WithPollInterval(50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	for name, opt := range map[string]func(time.Duration) WaitOption{
		"poll interval": WithPollInterval, "max poll interval": WithMaxPollInterval,
	} {
		clearRequestLog(t)
		for _, d := range []time.Duration{-time.Nanosecond, -time.Millisecond, week + time.Millisecond, math.MaxInt64} {
			_, err := client.WaitForRestore(ctx, inst, restoreID, opt(d))
			checkVerdict(t, name+" "+d.String(), err, byLibdcs)
		}
		if log := requestLog(t); len(log) != 0 {
			t.Errorf("refused waits (%s) polled %d times", name, len(log))
		}
		// The restore has succeeded: an accepted wait returns after its first poll, however
		// long its intervals.
		for _, d := range []time.Duration{time.Nanosecond, time.Millisecond, week} {
			record, err := client.WaitForRestore(ctx, inst, restoreID, opt(d))
			if err != nil || record.Status != RestoreSucceeded {
				t.Errorf("%s %v: %+v, %v; want the succeeded record", name, d, record, err)
			}
		}
	}
}

func TestPollIntervalsKeepTheOrderPythonUses(t *testing.T) {
	// The maximum is set first, then the first interval (as in Python), so a first interval
	// larger than the maximum raises the maximum rather than being lowered to it.
	ctx, inst, backup := restoreWorld(t)
	saved := map[string]any{}
	admin(t, "GET", "/timings", nil, &saved)
	admin(t, "PUT", "/timings", map[string]int{"restore_running_ms": 1500}, nil)
	t.Cleanup(func() { admin(t, "PUT", "/timings", saved, nil) })
	client := newTestClient(t, testConfig())
	restoreID, err := client.RestoreInstance(ctx, inst, backup)
	if err != nil {
		t.Fatal(err)
	}
	polls := 0
	started := time.Now()
	_, err = client.WaitForRestore(ctx, inst, restoreID, WithProgress(func(Restore) { polls++ }),
		WithPollInterval(50*time.Millisecond), WithMaxPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	// Intervals of 50 ms (never the 10 ms maximum given) over the restore's ~1.5 s.
	if elapsed := time.Since(started); float64(polls) > elapsed.Seconds()/0.05+3 {
		t.Errorf("%d polls in %v: the intervals were shorter than 50 ms", polls, elapsed)
	}
}
