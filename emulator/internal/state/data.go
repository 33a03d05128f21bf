// The interface between the state store and an instance's real data, so that the store runs
// with a redis-server per instance or, in state-only mode, without.

package state

// DataStore is the real data behind one instance: a redis-server in normal mode.
// Implementations must be safe for concurrent use.
type DataStore interface {
	// Snapshot persists the current data and copies it to dst; it returns the size.
	Snapshot(dst string) (int64, error)
	// Suspend saves the data aside and stops serving it: clients are refused until
	// Resume (a restore's "restoring" phase).
	Suspend() error
	// Resume serves the snapshot at src ("" = the data from before Suspend). If src
	// cannot be loaded it puts the old data back and returns an error; Down then
	// reports whether even that failed.
	Resume(src string) error
	Down() bool
	Set(values map[string]string) error
	GetAll() (map[string]string, error)
	Flush() error
	Port() int
	Close() error
}

// DataFactory starts the data store of a new instance. A nil factory means
// state-only mode.
type DataFactory func(instanceID string) (DataStore, error)
