// Starting and stopping redis-server processes so that none outlives the emulator, even
// when it is killed.

package redis

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// startRequest asks the spawner thread to start a command.
type startRequest struct {
	cmd  *exec.Cmd
	done chan error
}

var spawnRequests = make(chan startRequest)

// The kernel sends Pdeathsig when the *thread* that forked the child exits, not the
// process. Go may retire threads, so every redis-server is forked from one goroutine
// locked to its own OS thread that lives as long as the emulator.
func init() {
	go func() {
		runtime.LockOSThread()
		for req := range spawnRequests {
			req.done <- req.cmd.Start()
		}
	}()
}

func startLocked(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	spawnRequests <- startRequest{cmd: cmd, done: done}
	return <-done
}

// freePort asks the kernel for an unused loopback port. Another process may take it
// before redis-server binds it; the caller retries on a failed start.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// errExitedAtStart: redis-server exited before answering PING (e.g. it could not load
// its data file).
var errExitedAtStart = errors.New("exited at start")

// process is one running redis-server.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// spawn starts redis-server on port with its data in dir and waits until it answers PING.
func spawn(bin, dir string, port int) (*process, error) {
	logFile, err := os.OpenFile(filepath.Join(dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", dir,
		"--dbfilename", "dump.rdb",
		"--daemonize", "no",
		"--logfile", "",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Pdeathsig: a SIGKILLed emulator must not leave redis-servers behind.
	// Setpgid: a Ctrl-C on the terminal reaches the emulator only, which then stops
	// its children itself.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := startLocked(cmd); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-p.exited:
			return nil, fmt.Errorf("redis-server on port %d %w (see %s)", port, errExitedAtStart, filepath.Join(dir, "redis.log"))
		default:
		}
		if c, err := dial(addr, 200*time.Millisecond); err == nil {
			reply, err := c.do(time.Second, "PING")
			c.Close()
			if err == nil && reply == "PONG" {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.kill()
			return nil, fmt.Errorf("redis-server on port %d did not answer PING within 10s", port)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wait waits for the process to exit, killing it after timeout.
func (p *process) wait(timeout time.Duration) {
	select {
	case <-p.exited:
	case <-time.After(timeout):
		p.kill()
	}
}

// stop asks redis-server to exit (SIGTERM; with saving disabled it writes nothing)
// and kills it if it lingers.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(5 * time.Second)
}

func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}
