// Package reqlog keeps the log of DCS API requests that tests read back through the
// admin API. It records what a client sent, never its secrets: the Authorization
// header, the security token and any secret key are not stored at all.
package reqlog

import (
	"sync"
)

// Entry is one logged request.
type Entry struct {
	Time          string   `json:"time"`
	Method        string   `json:"method"`
	Path          string   `json:"path"`
	Query         string   `json:"query"`
	Operation     string   `json:"operation"`
	SignedHeaders []string `json:"signed_headers"`
	Body          string   `json:"body"`
	Status        int      `json:"status"` // as sent on the wire; 0 = no response sent
	AccessKey     string   `json:"access_key"`
	Fault         string   `json:"fault"` // the fault kind applied, "" for none
}

// maxEntries bounds memory in long-running demos; the oldest entries go first.
const maxEntries = 10000

// Log is a bounded, concurrency-safe request log.
type Log struct {
	mu      sync.Mutex
	entries []Entry
}

// Add appends an entry.
func (l *Log) Add(e Entry) {
	if e.SignedHeaders == nil {
		e.SignedHeaders = []string{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= maxEntries {
		l.entries = append(l.entries[:0:0], l.entries[len(l.entries)-maxEntries+1:]...)
	}
	l.entries = append(l.entries, e)
}

// List returns a copy of the entries, oldest first.
func (l *Log) List() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry{}, l.entries...)
}

// Clear empties the log.
func (l *Log) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}
