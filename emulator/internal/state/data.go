package state

// DataStore is the real data behind one instance: a redis-server in normal mode.
// Implementations must be safe for concurrent use.
type DataStore interface {
	// Snapshot persists the current data and copies it to dst; it returns the size.
	Snapshot(dst string) (int64, error)
	// Restore replaces the data with the snapshot at src.
	Restore(src string) error
	Set(values map[string]string) error
	GetAll() (map[string]string, error)
	Flush() error
	Port() int
	Close() error
}

// DataFactory starts the data store of a new instance. A nil factory means
// state-only mode.
type DataFactory func(instanceID string) (DataStore, error)
