// Tests of the promise never to restore twice: adoption after a lost answer, "unresolved"
// after an ambiguous failure, busy waits, attempt timeouts and FindRestore.

package dcs

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// The body of an injected 5xx, and of the "a backup is running" refusal.
const (
	injected500  = `{"error_code":"DCS.5000","error_msg":"injected","error_ext_msg":null}`
	backingUp400 = `{"error_code":"DCS.4096","error_msg":"the instance is backing up.","error_ext_msg":null}`
)

// restoreWorld is a fresh instance with a restorable backup, and a context for the test.
func restoreWorld(t *testing.T) (ctx context.Context, instanceID, backupID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	instanceID = newInstance(t, "ha")
	return ctx, instanceID, newBackup(t, instanceID)
}

// checkCounters compares the emulator's own counts for the instance with what a test expects.
func checkCounters(t *testing.T, instanceID string, restores, posts int) {
	t.Helper()
	if got := restoresStarted(t, instanceID); got != restores {
		t.Errorf("the emulator started %d restores, want %d", got, restores)
	}
	if got := restorePosts(t, instanceID); got != posts {
		t.Errorf("the emulator received %d RestoreInstance requests, want %d", got, posts)
	}
}

// onlyRestore returns the id of the instance's one restore record.
func onlyRestore(t *testing.T, client *Client, instanceID string) string {
	t.Helper()
	list, err := client.ListRestores(context.Background(), instanceID)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListRestores = %+v, %v; want exactly one record", list, err)
	}
	return list[0].RestoreID
}

func TestStartRestoreOnACleanCallIsNotAdopted(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	outcome, err := client.StartRestore(ctx, inst, backup, WithRemark("clean"))
	if err != nil {
		t.Fatalf("StartRestore: %v", err)
	}
	if outcome.RestoreID == "" || outcome.Adopted {
		t.Fatalf("outcome %+v, want an id the service answered (Adopted false)", outcome)
	}
	if id := onlyRestore(t, client, inst); id != outcome.RestoreID {
		t.Errorf("StartRestore returned %s, the instance's restore is %s", outcome.RestoreID, id)
	}
	checkCounters(t, inst, 1, 1)
}

func TestStartRestoreAdoptsTheRestoreWhoseAnswerWasLost(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	// The restore starts, then the connection closes without a byte of answer.
	addFault(t, map[string]any{"operation": "RestoreInstance", "kind": "close_after", "count": 1, "instance_id": inst})
	outcome, err := client.StartRestore(ctx, inst, backup, WithRemark("lost answer"))
	if err != nil {
		t.Fatalf("StartRestore: %v", err)
	}
	if !outcome.Adopted {
		t.Errorf("outcome %+v, want Adopted: the answer never arrived", outcome)
	}
	if id := onlyRestore(t, client, inst); id != outcome.RestoreID {
		t.Errorf("StartRestore returned %s, the instance's restore is %s", outcome.RestoreID, id)
	}
	checkCounters(t, inst, 1, 1)
}

func TestRestoreInstanceKeepsItsSignatureAndAdoptsToo(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	addFault(t, map[string]any{"operation": "RestoreInstance", "kind": "close_after", "count": 1, "instance_id": inst})
	var opts []RestoreOption = []CallOption{WithRemark("old API")}
	restoreID, err := client.RestoreInstance(ctx, inst, backup, opts...)
	if err != nil {
		t.Fatalf("RestoreInstance: %v", err)
	}
	if id := onlyRestore(t, client, inst); id != restoreID {
		t.Errorf("RestoreInstance returned %s, the instance's restore is %s", restoreID, id)
	}
	checkCounters(t, inst, 1, 1)
}

func TestStartRestoreUnresolvedAfterA5xxIsNeverPostedAgain(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	addFault(t, map[string]any{"operation": "RestoreInstance", "kind": "status", "status": 500,
		"body": injected500, "instance_id": inst})
	started := time.Now()
	outcome, err := client.StartRestore(ctx, inst, backup, WithReconcileWindow(300*time.Millisecond))
	elapsed := time.Since(started)
	e := asError(t, err, ErrServer)
	if e.RequestSent != SentMaybe || !strings.HasPrefix(e.Message, "unresolved") {
		t.Errorf("error %+v, want request sent MAYBE and a message starting \"unresolved\"", e)
	}
	if !strings.Contains(e.Message, backup) {
		t.Errorf("the message does not say what to look for: %q", e.Message)
	}
	if outcome != (RestoreOutcome{}) {
		t.Errorf("a failed call returned %+v", outcome)
	}
	// The client's window is 30 s: only the call's own 300 ms window ends it this soon.
	if elapsed > 10*time.Second {
		t.Errorf("the call took %v: WithReconcileWindow was not applied", elapsed)
	}
	checkCounters(t, inst, 0, 1)
}

func TestWaitWhileBusyWaitsOutABusyInstance(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	busy := map[string]any{"operation": "RestoreInstance", "kind": "status", "status": 400,
		"body": backingUp400, "instance_id": inst}

	busy["count"] = 1
	addFault(t, busy)
	_, err := client.StartRestore(ctx, inst, backup, WithMaxAttempts(1))
	asError(t, err, ErrBusy)
	checkCounters(t, inst, 0, 1)

	busy["count"] = 2
	addFault(t, busy)
	outcome, err := client.StartRestore(ctx, inst, backup, WithMaxAttempts(1), WithWaitWhileBusy())
	if err != nil || outcome.Adopted {
		t.Fatalf("StartRestore waiting while busy = %+v, %v", outcome, err)
	}
	checkCounters(t, inst, 1, 4)
}

func TestAttemptTimeoutEndsAnUnansweredAttempt(t *testing.T) {
	for _, viaConfig := range []bool{false, true} {
		ctx, inst, backup := restoreWorld(t)
		cfg := testConfig()
		var opts []CallOption
		if viaConfig {
			cfg.AttemptTimeout = 300 * time.Millisecond
		} else {
			opts = append(opts, WithAttemptTimeout(300*time.Millisecond))
		}
		client := newTestClient(t, cfg)
		// The restore starts, and the answer never comes.
		addFault(t, map[string]any{"operation": "RestoreInstance", "kind": "hang_after_work", "count": 1, "instance_id": inst})
		started := time.Now()
		outcome, err := client.StartRestore(ctx, inst, backup, opts...)
		elapsed := time.Since(started)
		if err != nil || !outcome.Adopted {
			t.Fatalf("config %v: StartRestore = %+v, %v; want the restore adopted", viaConfig, outcome, err)
		}
		// Automatic, the attempt would have waited a quarter of the minute the context has.
		if elapsed > 5*time.Second {
			t.Errorf("config %v: the call took %v: the attempt timeout was not applied", viaConfig, elapsed)
		}
		checkCounters(t, inst, 1, 1)
	}
}

func TestFindRestore(t *testing.T) {
	ctx, inst, backup := restoreWorld(t)
	otherBackup := newBackup(t, inst)
	client := newTestClient(t, testConfig())
	before := time.Now()
	outcome, err := client.StartRestore(ctx, inst, backup, WithRemark("find me"))
	if err != nil {
		t.Fatal(err)
	}

	found, err := client.FindRestore(ctx, inst, backup, before, WithRemark("find me"))
	if err != nil || found.RestoreID != outcome.RestoreID || found.BackupID != backup || found.Remark != "find me" {
		t.Fatalf("FindRestore = %+v, %v; want %s", found, err, outcome.RestoreID)
	}
	// A fresh client has not learnt the service's clock and allows a minute of skew.
	fresh := newTestClient(t, testConfig())
	if found, err := fresh.FindRestore(ctx, inst, backup, before, WithRemark("find me")); err != nil || found.RestoreID != outcome.RestoreID {
		t.Fatalf("FindRestore on a fresh client = %+v, %v", found, err)
	}

	for name, find := range map[string]func() (Restore, error){
		"since later": func() (Restore, error) {
			return client.FindRestore(ctx, inst, backup, time.Now().Add(2*time.Minute), WithRemark("find me"))
		},
		"other backup": func() (Restore, error) {
			return client.FindRestore(ctx, inst, otherBackup, before, WithRemark("find me"))
		},
		"other remark": func() (Restore, error) {
			return client.FindRestore(ctx, inst, backup, before, WithRemark("someone else"))
		},
		"no remark": func() (Restore, error) {
			return client.FindRestore(ctx, inst, backup, before)
		},
	} {
		got, err := find()
		if !errors.Is(err, ErrNotFound) || got.RestoreID != "" {
			t.Errorf("%s: FindRestore = %+v, %v; want ErrNotFound", name, got, err)
		}
	}

	_, err = client.FindRestore(ctx, inst, backup, time.Time{})
	if e := asError(t, err, ErrInvalidArgument); e.RequestSent != SentNo {
		t.Errorf("a zero since: %+v", e)
	}
	_, err = client.FindRestore(ctx, "bad id!", backup, before)
	asError(t, err, ErrInvalidArgument)
}

func TestInvalidRestoreSettingsAreRefused(t *testing.T) {
	for name, cfg := range map[string]func(*Config){
		"negative attempt timeout":  func(c *Config) { c.AttemptTimeout = -time.Second },
		"attempt timeout > 7 days":  func(c *Config) { c.AttemptTimeout = 7*24*time.Hour + time.Millisecond },
		"negative reconcile window": func(c *Config) { c.ReconcileWindow = -time.Nanosecond },
		"reconcile window > 1 hour": func(c *Config) { c.ReconcileWindow = time.Hour + time.Nanosecond },
	} {
		c := testConfig()
		cfg(&c)
		if client, err := NewClient(c); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: NewClient = %v, want ErrInvalidArgument", name, err)
			if client != nil {
				client.Close()
			}
		}
	}
	good := testConfig()
	good.AttemptTimeout, good.ReconcileWindow = 7*24*time.Hour, time.Hour
	newTestClient(t, good)

	ctx, inst, backup := restoreWorld(t)
	client := newTestClient(t, testConfig())
	for name, opt := range map[string]CallOption{
		"negative attempt timeout":  WithAttemptTimeout(-time.Nanosecond),
		"attempt timeout > 7 days":  WithAttemptTimeout(8 * 24 * time.Hour),
		"negative reconcile window": WithReconcileWindow(-time.Second),
		"reconcile window > 1 hour": WithReconcileWindow(time.Hour + time.Millisecond),
	} {
		_, err := client.StartRestore(ctx, inst, backup, opt)
		if e := asError(t, err, ErrInvalidArgument); e.RequestSent != SentNo {
			t.Errorf("%s: %+v, want nothing sent", name, e)
		}
	}
	checkCounters(t, inst, 0, 0)
}

func TestMillisecondsRoundsAwayFromZero(t *testing.T) {
	for d, want := range map[time.Duration]int64{
		0: 0, time.Nanosecond: 1, time.Millisecond: 1, 1500 * time.Microsecond: 2,
		-time.Nanosecond: -1, -time.Millisecond: -1, -1500 * time.Microsecond: -2,
		time.Duration(math.MaxInt64): 9223372036855, time.Duration(math.MinInt64): -9223372036855,
	} {
		if got := milliseconds(d); got != want {
			t.Errorf("milliseconds(%v) = %d, want %d", d, got, want)
		}
	}
}
