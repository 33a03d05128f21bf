// One instance's redis-server as a state.DataStore: data commands, snapshots, and the
// suspend and resume that a restore goes through.

package redis

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

const commandTimeout = 10 * time.Second

// Server is the redis-server behind one instance. It implements state.DataStore.
// Its mutex serialises data commands with restarts, so a restore never races a SET.
type Server struct {
	mu     sync.Mutex
	bin    string
	dir    string
	port   int
	proc   *process
	closed bool
	// down: stopped by Suspend for a restore; data commands are refused until Resume.
	down bool
}

// errClosed is returned after Close.
var errClosed = errors.New("redis-server has been stopped")

// ErrDown is returned by data commands while a restore holds the redis-server down.
var ErrDown = state.ErrDataDown

// beforeRestore is the copy of the data taken when a restore suspends the server, put
// back if the restored data cannot be loaded.
const beforeRestore = "before-restore.rdb"

// startServer starts a redis-server with its data in dir on a free port, retrying a
// few ports in case one was taken between choosing and binding it.
func startServer(bin, dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		proc, err := spawn(bin, dir, port)
		if err == nil {
			return &Server{bin: bin, dir: dir, port: port, proc: proc}, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// Port is the loopback TCP port redis-server listens on.
func (s *Server) Port() int { return s.port }

func (s *Server) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// command runs one command on a fresh connection; caller holds s.mu.
func (s *Server) command(args ...string) (any, error) {
	if s.closed {
		return nil, errClosed
	}
	if s.down {
		return nil, ErrDown
	}
	c, err := dial(s.addr(), 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.do(commandTimeout, args...)
}

// Set SETs each key.
func (s *Server) Set(values map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(values) == 0 {
		return nil
	}
	args := []string{"MSET"}
	for k, v := range values {
		args = append(args, k, v)
	}
	_, err := s.command(args...)
	return err
}

// GetAll returns every string key and its value; other types are skipped.
func (s *Server) GetAll() (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	if s.down {
		return nil, ErrDown
	}
	c, err := dial(s.addr(), 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	out := map[string]string{}
	cursor := "0"
	for {
		reply, err := c.do(commandTimeout, "SCAN", cursor, "TYPE", "string", "COUNT", "1000")
		if err != nil {
			return nil, err
		}
		parts, ok := reply.([]any)
		if !ok || len(parts) != 2 {
			return nil, fmt.Errorf("redis: unexpected SCAN reply %v", reply)
		}
		cursor, _ = parts[0].(string)
		keys, _ := parts[1].([]any)
		for _, k := range keys {
			key, _ := k.(string)
			v, err := c.do(commandTimeout, "GET", key)
			if err != nil {
				return nil, err
			}
			if str, ok := v.(string); ok {
				out[key] = str
			}
		}
		if cursor == "0" {
			return out, nil
		}
	}
}

// Flush empties the database.
func (s *Server) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.command("FLUSHALL")
	return err
}

// Snapshot runs SAVE and copies dump.rdb to dst.
func (s *Server) Snapshot(dst string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.command("SAVE"); err != nil {
		return 0, fmt.Errorf("SAVE: %w", err)
	}
	return copyFile(filepath.Join(s.dir, "dump.rdb"), dst)
}

// Restore suspends the server and resumes it from the snapshot at src at once.
func (s *Server) Restore(src string) error {
	if err := s.Suspend(); err != nil {
		return err
	}
	return s.Resume(src)
}

// Suspend is the first half of a restore, as DCS does it: the current data is saved
// aside and redis-server is stopped, so clients are refused (connection refused) until
// Resume.
func (s *Server) Suspend() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if s.down {
		return nil
	}
	if _, err := s.command("SAVE"); err != nil {
		return fmt.Errorf("SAVE before the restore: %w", err)
	}
	if _, err := copyFile(filepath.Join(s.dir, "dump.rdb"), filepath.Join(s.dir, beforeRestore)); err != nil {
		return err
	}
	// SHUTDOWN closes the connection instead of replying; that error is expected.
	_, _ = s.command("SHUTDOWN", "NOSAVE")
	s.proc.wait(5 * time.Second)
	s.down = true
	return nil
}

// Resume is the second half: redis-server starts again on the same port with the
// snapshot at src ("" keeps the data from before Suspend). If it does not come back
// with the snapshot (a corrupt file), the data from before is put back and started
// instead, and the error says so: the instance keeps its old data, as DCS puts an
// instance back "in the state in which it was before data restoration". Only if that
// fails too does the server stay down.
func (s *Server) Resume(src string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if !s.down {
		return errors.New("redis-server is not suspended")
	}
	before := filepath.Join(s.dir, beforeRestore)
	if src == "" {
		src = before
	}
	restoreErr := s.startWith(src)
	if restoreErr == nil {
		_ = os.Remove(before)
		return nil
	}
	if src == before {
		return fmt.Errorf("restarting redis-server with its own data: %w", restoreErr)
	}
	if err := s.startWith(before); err != nil {
		return fmt.Errorf("restoring %s: %v; putting the old data back: %w", filepath.Base(src), restoreErr, err)
	}
	_ = os.Remove(before)
	return fmt.Errorf("restoring %s: %w (the data from before the restore was put back)", filepath.Base(src), restoreErr)
}

// Down reports whether a restore holds the server down.
func (s *Server) Down() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

// startWith copies file into place as dump.rdb and starts redis-server on the same
// port, which loads it; caller holds s.mu and the server is down.
func (s *Server) startWith(file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	if _, err := copyFile(file, filepath.Join(s.dir, "dump.rdb")); err != nil {
		return err
	}
	proc, err := spawn(s.bin, s.dir, s.port)
	if err != nil && !errors.Is(err, errExitedAtStart) {
		// The port may still be in TIME_WAIT-like limbo: retry once after a pause. A
		// server that exited by itself (it could not load the file) is not retried.
		time.Sleep(200 * time.Millisecond)
		proc, err = spawn(s.bin, s.dir, s.port)
	}
	if err != nil {
		return err
	}
	s.proc, s.down = proc, false
	return nil
}

// Close stops redis-server and removes its directory.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.proc.stop()
	return os.RemoveAll(s.dir)
}

// copyFile copies src to dst through a temporary file so dst is never half-written.
func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return n, os.Rename(tmp, dst)
}
