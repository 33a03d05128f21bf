// What the admin API's seeded histories (backups and restores) share: how many records,
// how old the newest is, and how far apart they are.

package state

import (
	"fmt"
	"time"
)

// SeedSpan places Count records in time: the newest NewestAgeMs ago, the others SpacingMs
// apart before it. Embedded in BackupHistory and RestoreHistory, so its JSON fields sit
// beside theirs.
type SeedSpan struct {
	Count       int   `json:"count"`
	NewestAgeMs int64 `json:"newest_age_ms"` // default one hour
	SpacingMs   int64 `json:"spacing_ms"`    // default one minute
}

// defaults checks the span and fills in what was left out; limit bounds one request.
func (sp *SeedSpan) defaults(limit int) error {
	if sp.Count < 1 || sp.Count > limit {
		return fmt.Errorf("count must be 1-%d", limit)
	}
	if sp.NewestAgeMs == 0 {
		sp.NewestAgeMs = int64(time.Hour / time.Millisecond)
	}
	if sp.SpacingMs == 0 {
		sp.SpacingMs = int64(time.Minute / time.Millisecond)
	}
	if sp.NewestAgeMs < 0 || sp.SpacingMs < 0 {
		return fmt.Errorf("newest_age_ms and spacing_ms must not be negative")
	}
	return nil
}

// times returns the records' creation times, oldest first, for a history seeded at now.
func (sp SeedSpan) times(now time.Time) []time.Time {
	newest := now.Add(-ms(sp.NewestAgeMs))
	out := make([]time.Time, 0, sp.Count)
	for i := sp.Count - 1; i >= 0; i-- {
		out = append(out, newest.Add(-time.Duration(i)*ms(sp.SpacingMs)))
	}
	return out
}
