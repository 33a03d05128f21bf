// The faults tests have installed, and the choice of the one a request hits, safe for
// concurrent requests.

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
	// released is closed by Release, to let go of every request a fault is holding.
	released chan struct{}
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

// Released returns a channel that the next Release closes. A request held by a fault
// takes it before Select, so a Release in between still lets it go.
func (r *Registry) Released() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.released == nil {
		r.released = make(chan struct{})
	}
	return r.released
}

// Release lets go at once of every request a fault is holding (hang_after_work,
// late_after_work): reset and shutdown call it so that neither waits for them.
func (r *Registry) Release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.released != nil {
		close(r.released)
	}
	r.released = make(chan struct{})
}

// Select returns the fault that hits this request of operation op for instance
// instanceID, if any. A fault with an instance_id only hits requests for that
// instance; its operation may still be "*". Faults are
// tried in the order they were added; the first that fires wins. A counted fault is
// used up by the requests it hits (it stays listed with remaining 0, so a test can
// read how often it fired); a probabilistic one tosses its seeded coin once for every
// matching request it is asked about.
func (r *Registry) Select(op, instanceID string) (Fault, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.faults {
		if f.Operation != "*" && f.Operation != op {
			continue
		}
		if f.InstanceID != "" && f.InstanceID != instanceID {
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
