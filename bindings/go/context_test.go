// Tests that contexts and Close govern calls as the package documents: deadlines and
// cancellation end calls promptly, and a progress callback may panic or call the client.

package dcs

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCancellingTheContextStopsAWaitPromptly(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	slowRestores(t)
	restoreID, err := client.RestoreInstance(context.Background(), instanceID, backupID)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	polled := make(chan struct{}, 1)
	type outcome struct {
		err      error
		returned time.Time
	}
	done := make(chan outcome, 1)
	go func() {
		_, err := client.WaitForRestore(ctx, instanceID, restoreID,
			WithPollInterval(10*time.Millisecond), WithMaxPollInterval(20*time.Millisecond),
			WithProgress(func(Restore) {
				select {
				case polled <- struct{}{}:
				default:
				}
			}))
		done <- outcome{err, time.Now()}
	}()

	select {
	case <-polled:
	case <-time.After(5 * time.Second):
		t.Fatal("the wait never polled")
	}
	cancelled := time.Now()
	cancel()
	select {
	case got := <-done:
		if elapsed := got.returned.Sub(cancelled); elapsed > 200*time.Millisecond {
			t.Errorf("the wait returned %v after the cancel, want within 200 ms", elapsed)
		}
		if !errors.Is(got.err, context.Canceled) || !errors.Is(got.err, ErrCancelled) {
			t.Errorf("error %v, want context.Canceled and ErrCancelled", got.err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the wait did not return within 3 s of the cancel")
	}
}

func TestContextDeadlineBecomesTheCallDeadline(t *testing.T) {
	client := newTestClient(t, testConfig())
	addFault(t, map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 3000})

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := client.ShowInstance(ctx, demoInstanceID)
	elapsed := time.Since(began)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("error %v, want context.DeadlineExceeded and ErrTimeout", err)
	}
	if elapsed > 1500*time.Millisecond {
		t.Errorf("the call took %v past a 300 ms deadline", elapsed)
	}
}

func TestADoneContextSendsNothing(t *testing.T) {
	client := newTestClient(t, testConfig())
	clearRequestLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.ShowInstance(ctx, demoInstanceID)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if log := requestLog(t); len(log) != 0 {
		t.Fatalf("a call with a done context sent %+v", log)
	}
}

func TestCloseCancelsCallsInFlight(t *testing.T) {
	client, err := NewClient(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	addFault(t, map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 5000})
	done := make(chan error, 1)
	go func() {
		_, err := client.ShowInstance(context.Background(), demoInstanceID)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond) // let the request reach the emulator
	began := time.Now()
	client.Close()
	if elapsed := time.Since(began); elapsed > time.Second {
		t.Errorf("Close took %v with a call in flight", elapsed)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrCancelled) || !errors.Is(err, ErrClosed) {
			t.Errorf("the call in flight returned %v, want ErrCancelled wrapping ErrClosed", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the call in flight did not return after Close")
	}
}

func TestAPanickingProgressCallbackResurfacesInTheCaller(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	restoreID, err := client.RestoreInstance(context.Background(), instanceID, backupID)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if v := recover(); v != "progress exploded" {
			t.Fatalf("recovered %v, want the callback's panic", v)
		}
	}()
	_, _ = client.WaitForRestore(context.Background(), instanceID, restoreID,
		WithPollInterval(10*time.Millisecond),
		WithProgress(func(Restore) { panic("progress exploded") }))
	t.Fatal("WaitForRestore returned although its callback panicked")
}

func TestProgressCallbackMayCallTheClient(t *testing.T) {
	client := newTestClient(t, testConfig())
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	restoreID, err := client.RestoreInstance(context.Background(), instanceID, backupID)
	if err != nil {
		t.Fatal(err)
	}
	var nested []error
	_, err = client.WaitForRestore(context.Background(), instanceID, restoreID,
		WithPollInterval(10*time.Millisecond),
		WithProgress(func(Restore) {
			_, err := client.GetRestore(context.Background(), instanceID, restoreID)
			nested = append(nested, err)
		}))
	if err != nil {
		t.Fatal(err)
	}
	if len(nested) == 0 {
		t.Fatal("the progress callback never ran")
	}
	for _, err := range nested {
		if err != nil {
			t.Errorf("GetRestore inside the progress callback: %v", err)
		}
	}
}
