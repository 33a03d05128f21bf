// Checks that one Client is safe to share: many goroutines restoring, reading and failing
// at once, each seeing only its own results and errors.

package dcs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestSixtyFourGoroutinesShareOneClient(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var logMu sync.Mutex
	logLines := 0
	cfg := testConfig()
	cfg.LogLevel = LogDebug
	cfg.Logger = func(LogLevel, string) { logMu.Lock(); logLines++; logMu.Unlock() }
	client := newTestClient(t, cfg)

	// Eight instances, each restored once by one goroutine while the others read.
	const goroutines = 64
	instances := make([]string, 8)
	backups := make([]string, 8)
	for i := range instances {
		instances[i] = newInstance(t, "ha")
		putData(t, instances[i], map[string]string{"owner": fmt.Sprint(i)})
		backups[i] = newBackup(t, instances[i])
		putData(t, instances[i], map[string]string{"owner": "changed"})
	}

	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			instanceID := instances[g%len(instances)]
			var err error
			switch {
			case g < len(instances):
				var restoreID string
				restoreID, err = client.RestoreInstance(ctx, instanceID, backups[g])
				if err == nil {
					_, err = client.WaitForRestore(ctx, instanceID, restoreID, WithPollInterval(20*time.Millisecond))
				}
			case g%4 == 0:
				_, err = client.ListBackups(ctx, instanceID)
			case g%4 == 1:
				_, err = client.ListRestores(ctx, instanceID)
			case g%4 == 2:
				_, err = client.ShowInstance(ctx, instanceID)
			default:
				// Each goroutine also sees its own errors, not its neighbours'.
				_, err = client.ShowInstance(ctx, fmt.Sprintf("missing-%d", g))
				if errors.Is(err, ErrNotFound) {
					err = nil
				}
			}
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: %w", g, err)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, instanceID := range instances {
		if got := getData(t, instanceID)["owner"]; got != fmt.Sprint(i) {
			t.Errorf("instance %d holds owner=%q after its restore", i, got)
		}
		if n := restoresStarted(t, instanceID); n != 1 {
			t.Errorf("instance %d: %d restores started, want 1", i, n)
		}
	}
	logMu.Lock()
	defer logMu.Unlock()
	if logLines == 0 {
		t.Error("the shared logger received nothing")
	}
}
