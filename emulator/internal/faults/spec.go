// Package faults holds the misbehaviours a test can ask for, decides which request
// gets one, and writes the misbehaving answers.
package faults

import (
	"fmt"
	"math/rand"
	"time"
)

// The fault kinds of the README.
const (
	Status      = "status"
	Delay       = "delay"
	CloseBefore = "close_before"
	CloseAfter  = "close_after"
	Truncated   = "truncated"
	NonJSON     = "non_json"
	Oversized   = "oversized"
	HTML502     = "html_502"
	Throttle    = "throttle"
	// HangAfterWork carries the request out, then holds the connection without
	// answering until the client leaves, delay_ms passes or the emulator lets go.
	HangAfterWork = "hang_after_work"
	// LateAfterWork carries the request out, waits delay_ms whether or not the client
	// is still there, then answers normally.
	LateAfterWork = "late_after_work"
	// Trickle carries the request out, then sends the status line and headers at once
	// and the body one byte every delay_ms.
	Trickle = "trickle"
	// Stall carries the request out, sends the status line and headers (announcing the
	// whole body), then nothing until the client leaves, delay_ms passes or the
	// emulator lets go; then it closes the connection without the body.
	Stall = "stall"
)

// HangCap bounds a hang_after_work fault that gives no delay_ms.
const HangCap = 10 * time.Minute

var kinds = map[string]bool{
	Status: true, Delay: true, CloseBefore: true, CloseAfter: true, Truncated: true,
	NonJSON: true, Oversized: true, HTML502: true, Throttle: true,
	HangAfterWork: true, LateAfterWork: true, Trickle: true, Stall: true,
}

// Operations are the DCS API operation names a fault can target ("*" = all).
var Operations = map[string]bool{
	"RestoreInstance": true, "ListRestoreRecords": true, "CopyInstance": true,
	"ListBackupRecords": true, "DeleteBackupFile": true, "ShowInstance": true,
}

// Fault is one configured misbehaviour.
type Fault struct {
	ID        string `json:"id"`
	Operation string `json:"operation"`
	// InstanceID, when set, limits the fault to requests for that instance (the
	// instance id of the request path, percent-decoded).
	InstanceID  string            `json:"instance_id,omitempty"`
	Kind        string            `json:"kind"`
	Count       *int              `json:"count,omitempty"`
	Probability *float64          `json:"probability,omitempty"`
	Seed        int64             `json:"seed,omitempty"`
	Status      int               `json:"status,omitempty"`
	Body        string            `json:"body,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	DelayMs     int64             `json:"delay_ms,omitempty"`
	RetryAfter  int               `json:"retry_after,omitempty"`
	// Remaining is how many more requests a counted fault hits; Fired how many it hit.
	Remaining *int `json:"remaining,omitempty"`
	Fired     int  `json:"fired"`

	rng *rand.Rand
}

// Validate checks a fault as posted and fills its defaults.
func (f *Fault) Validate() error {
	if f.Operation == "" {
		return fmt.Errorf(`operation is required (an operation name or "*")`)
	}
	if f.Operation != "*" && !Operations[f.Operation] {
		return fmt.Errorf("unknown operation %q", f.Operation)
	}
	if !kinds[f.Kind] {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if f.Count != nil && f.Probability != nil {
		return fmt.Errorf("give count or probability, not both")
	}
	if f.Count != nil && *f.Count < 1 {
		return fmt.Errorf("count must be at least 1")
	}
	if f.Probability != nil && (*f.Probability < 0 || *f.Probability > 1) {
		return fmt.Errorf("probability must be within 0..1")
	}
	switch f.Kind {
	case Status:
		if f.Status < 100 || f.Status > 599 {
			return fmt.Errorf("a status fault needs a status between 100 and 599")
		}
	case Delay, LateAfterWork:
		if f.DelayMs <= 0 {
			return fmt.Errorf("a %s fault needs delay_ms > 0", f.Kind)
		}
	case Trickle:
		if f.DelayMs <= 0 {
			return fmt.Errorf("a trickle fault needs delay_ms > 0 (the pause between bytes)")
		}
	case HangAfterWork, Stall:
		if f.DelayMs < 0 {
			return fmt.Errorf("delay_ms must not be negative")
		}
	case Throttle:
		if f.RetryAfter < 0 {
			return fmt.Errorf("retry_after must not be negative")
		}
		if f.RetryAfter == 0 {
			f.RetryAfter = 1
		}
	}
	if f.Count != nil {
		n := *f.Count
		f.Remaining = &n
	}
	if f.Probability != nil {
		// A seeded coin makes a probabilistic test repeatable run after run.
		f.rng = rand.New(rand.NewSource(f.Seed))
	}
	return nil
}
