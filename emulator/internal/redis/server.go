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
}

// errClosed is returned after Close.
var errClosed = errors.New("redis-server has been stopped")

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

// Restore stops redis-server without saving, puts the snapshot in place as dump.rdb
// and starts redis-server again on the same port, which loads it.
func (s *Server) Restore(src string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	// SHUTDOWN closes the connection instead of replying; that error is expected.
	_, _ = s.command("SHUTDOWN", "NOSAVE")
	s.proc.wait(5 * time.Second)
	if _, err := copyFile(src, filepath.Join(s.dir, "dump.rdb")); err != nil {
		return err
	}
	proc, err := spawn(s.bin, s.dir, s.port)
	if err != nil {
		// Keep the instance usable for later calls: retry once after a short pause,
		// in case the port was still in TIME_WAIT-like limbo.
		time.Sleep(200 * time.Millisecond)
		if proc, err = spawn(s.bin, s.dir, s.port); err != nil {
			return err
		}
	}
	s.proc = proc
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
