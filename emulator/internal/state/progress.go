// The progress a record reports: how a poller of the real service sees a task advance.

package state

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// progressKnots is how many stretches the running phase is cut into; each ends at
// a point of the progress curve moved by up to progressJitter off the straight line.
const (
	progressKnots  = 10
	progressJitter = 0.025 // of the whole: 2.5 percentage points
)

// progress is "0.00" while waiting, "100.00" once succeeded, and in between rises
// with elapsed time along the record's own curve: linear on average, with a jitter
// that a client predicting the end has to live with, never going back, never "100.00"
// before the record says succeed (a poller sees 99.00 in the last moments).
func progress(status string, start time.Time, length time.Duration, now time.Time, id string) string {
	switch status {
	case StatusSucceed:
		return "100.00"
	case StatusRestoring, StatusBackuping:
		x := 1.0
		if length > 0 {
			x = float64(now.Sub(start)) / float64(length)
		}
		p := progressCurve(id, x) * 100
		// Once running, never "0.00": that is how a poller tells running from waiting.
		return fmt.Sprintf("%.2f", min(max(p, 0.01), 99))
	}
	return "0.00"
}

// progressCurve maps the elapsed fraction x of a phase to the fraction done: a
// monotone polyline through jittered knots, the same for every read of one record
// (seeded by its id), so that successive polls see a consistent task.
func progressCurve(id string, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x9e3779b97f4a7c15))
	var knots [progressKnots + 1]float64
	for j := 1; j < progressKnots; j++ {
		v := float64(j)/progressKnots + (rng.Float64()*2-1)*progressJitter
		knots[j] = min(max(v, knots[j-1]), 1)
	}
	knots[progressKnots] = 1
	seg := min(int(x*progressKnots), progressKnots-1)
	frac := x*progressKnots - float64(seg)
	return knots[seg] + (knots[seg+1]-knots[seg])*frac
}
