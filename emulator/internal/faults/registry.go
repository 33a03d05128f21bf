package faults

import (
	"strconv"
	"sync"
)

// Registry holds the configured faults in the order they were added.
type Registry struct {
	mu     sync.Mutex
	faults []*Fault
	nextID int
}

// Add validates and stores a fault, returning its id.
func (r *Registry) Add(f Fault) (string, error) {
	if err := f.Validate(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nextID++
	f.ID = "fault-" + strconv.Itoa(r.nextID)
	r.faults = append(r.faults, &f)
	return f.ID, nil
}

// List returns copies of the configured faults.
func (r *Registry) List() []Fault {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Fault, 0, len(r.faults))
	for _, f := range r.faults {
		c := *f
		if f.Remaining != nil {
			n := *f.Remaining
			c.Remaining = &n
		}
		out = append(out, c)
	}
	return out
}

// Clear removes every fault.
func (r *Registry) Clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults = nil
}

// Select returns the fault that hits this request of operation op, if any. Faults are
// tried in the order they were added; the first that fires wins. A counted fault is
// used up by the requests it hits (it stays listed with remaining 0, so a test can
// read how often it fired); a probabilistic one tosses its seeded coin once for every
// matching request it is asked about.
func (r *Registry) Select(op string) (Fault, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.faults {
		if f.Operation != "*" && f.Operation != op {
			continue
		}
		if f.Remaining != nil && *f.Remaining == 0 {
			continue
		}
		if f.rng != nil && f.rng.Float64() >= *f.Probability {
			continue
		}
		f.Fired++
		if f.Remaining != nil {
			*f.Remaining--
		}
		hit := *f
		hit.Remaining = nil
		return hit, true
	}
	return Fault{}, false
}
