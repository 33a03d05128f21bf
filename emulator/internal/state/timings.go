// How long emulated restores and backups take, and whether they fail: presets for tests
// and demos, changeable at run time.

package state

import (
	"fmt"
	"time"
)

// Timings sets how long each phase of the asynchronous tasks lasts, and whether
// restores fail. Zero phases are allowed: the task then moves on at once.
type Timings struct {
	RestoreWaitingMs int64  `json:"restore_waiting_ms"`
	RestoreRunningMs int64  `json:"restore_running_ms"`
	BackupWaitingMs  int64  `json:"backup_waiting_ms"`
	BackupRunningMs  int64  `json:"backup_running_ms"`
	FailRestores     string `json:"fail_restores"` // an error code such as dcs.08.0007; "" = restores succeed
	FailBackups      string `json:"fail_backups"`  // an error code such as dcs.08.0001; "" = backups succeed
	// RestoreListingDelayMs hides a new restore record from ListRestoreRecords until
	// that long after its created_at (eventual consistency of the listing); the
	// restore itself runs as usual.
	RestoreListingDelayMs int64 `json:"restore_listing_delay_ms"`
	// EmptyObjectStrings answers unset optional strings of records (error_code,
	// period, backup_remark) with {} as the API reference's examples show them,
	// instead of null / "".
	EmptyObjectStrings bool `json:"empty_object_strings"`
}

// FastTimings finish every task well under a second, for tests.
var FastTimings = Timings{RestoreWaitingMs: 50, RestoreRunningMs: 250, BackupWaitingMs: 50, BackupRunningMs: 150}

// RealisticTimings take several seconds with visible progress, for demos.
var RealisticTimings = Timings{RestoreWaitingMs: 2000, RestoreRunningMs: 8000, BackupWaitingMs: 1000, BackupRunningMs: 4000}

// TimingsPreset returns a named preset.
func TimingsPreset(name string) (Timings, error) {
	switch name {
	case "fast", "":
		return FastTimings, nil
	case "realistic":
		return RealisticTimings, nil
	}
	return Timings{}, fmt.Errorf("unknown timings preset %q (want fast or realistic)", name)
}

// Validate rejects negative durations.
func (t Timings) Validate() error {
	for _, ms := range []int64{t.RestoreWaitingMs, t.RestoreRunningMs, t.BackupWaitingMs, t.BackupRunningMs, t.RestoreListingDelayMs} {
		if ms < 0 {
			return fmt.Errorf("timings must not be negative")
		}
	}
	return nil
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
