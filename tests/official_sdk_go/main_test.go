// The harness: starts the dcs-emulator the suite runs against, bounds the whole run, and
// gives the tests the admin calls that reset and inspect it.

package officialsdkgo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The demo seed of the emulator (emulator/README.md, "Demo seed").
const (
	demoAccessKey  = "DEMOACCESSKEY0000001"
	demoSecretKey  = "demo-secret-key-0123456789abcdefghijklmnop"
	demoProjectID  = "0123456789abcdef0123456789abcdef"
	demoInstanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	demoBackupID   = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
)

const (
	// startTimeout bounds the wait for the emulator's first stdout line.
	startTimeout = 15 * time.Second
	// stopTimeout bounds the wait for the emulator to exit after SIGTERM (then SIGKILL).
	stopTimeout = 10 * time.Second
	// suiteDeadline bounds the whole run whatever go test's -timeout is: past it the
	// emulator is stopped and the process exits 1. The suite takes a few seconds.
	suiteDeadline = 3 * time.Minute
	// waitTimeout bounds every wait for a restore or backup to reach a status.
	waitTimeout = 15 * time.Second
	// callTimeout is the SDK's HTTP timeout and the admin client's.
	callTimeout = 10 * time.Second
)

// emulatorURL is the base URL of the emulator TestMain started (http://127.0.0.1:PORT).
var emulatorURL string

// TestMain starts one dcs-emulator (the binary named by DCS_EMULATOR) on loopback with the
// demo seed, runs every test against it (each resets it first) and stops it.
func TestMain(m *testing.M) {
	// The emulator's parent-death signal belongs to the thread that starts it: keep this
	// goroutine, which outlives every test, on that thread.
	runtime.LockOSThread()
	os.Exit(runWithEmulator(m))
}

func runWithEmulator(m *testing.M) int {
	binary := os.Getenv("DCS_EMULATOR")
	if binary == "" {
		fmt.Fprintln(os.Stderr, "FAIL: DCS_EMULATOR is not set; it must name the dcs-emulator binary "+
			"(cd emulator && go build -o ../build/dcs-emulator ./cmd/dcs-emulator; "+
			"DCS_EMULATOR=$PWD/build/dcs-emulator)")
		return 1
	}
	if info, err := os.Stat(binary); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		fmt.Fprintf(os.Stderr, "FAIL: DCS_EMULATOR=%s is not an executable file (%v); build it with "+
			"cd emulator && go build -o ../build/dcs-emulator ./cmd/dcs-emulator\n", binary, err)
		return 1
	}

	stderr, err := os.CreateTemp("", "dcs-emulator-stderr-*.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: emulator log:", err)
		return 1
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	var logOnce sync.Once
	showLog := func() {
		logOnce.Do(func() {
			data, _ := os.ReadFile(stderr.Name())
			fmt.Fprintf(os.Stderr, "--- emulator stderr ---\n%s--- end ---\n", data)
		})
	}

	cmd := exec.Command(binary, "--listen", "127.0.0.1:0", "--demo", "--timings", "fast")
	cmd.Stderr = stderr
	stopWithTests(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: emulator stdout:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: cannot start the emulator %s: %v\n", binary, err)
		return 1
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(stopTimeout):
				fmt.Fprintln(os.Stderr, "the emulator did not exit within", stopTimeout, "of SIGTERM; killing it")
				_ = cmd.Process.Kill()
				<-exited
			}
		})
	}
	defer stop()

	watchdog := time.AfterFunc(suiteDeadline, func() {
		fmt.Fprintf(os.Stderr, "FAIL: the suite ran over %v; stopping the emulator\n", suiteDeadline)
		stop()
		showLog()
		os.Exit(1)
	})
	defer watchdog.Stop()

	firstLine := make(chan string, 1)
	go func() {
		reader := bufio.NewReader(stdout)
		line, _ := reader.ReadString('\n')
		firstLine <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, reader) // keep the pipe drained
	}()
	select {
	case emulatorURL = <-firstLine:
	case <-exited:
		fmt.Fprintf(os.Stderr, "FAIL: the emulator %s exited before printing its URL\n", binary)
		showLog()
		return 1
	case <-time.After(startTimeout):
		fmt.Fprintf(os.Stderr, "FAIL: the emulator printed no URL within %v\n", startTimeout)
		showLog()
		return 1
	}
	parsed, err := url.Parse(emulatorURL)
	if err != nil || parsed.Scheme != "http" || parsed.Hostname() != "127.0.0.1" {
		fmt.Fprintf(os.Stderr, "FAIL: the emulator's first line is not an http://127.0.0.1 URL: %q\n", emulatorURL)
		showLog()
		return 1
	}

	code := m.Run()
	if code != 0 {
		showLog()
	}
	return code
}

var adminClient = &http.Client{Timeout: callTimeout}

// admin calls the emulator's unsigned admin API and decodes its JSON answer into out.
func admin(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, emulatorURL+"/_emulator/"+path, payload)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("admin %s %s: %v in %s", method, path, err, data)
		}
	}
}

// reset puts the emulator back to its demo seed (timings, log and counters included).
func reset(t *testing.T) {
	t.Helper()
	admin(t, "POST", "reset", nil, nil)
}

// loggedRequest is one entry of the emulator's request log.
type loggedRequest struct {
	Method        string   `json:"method"`
	Path          string   `json:"path"`
	Query         string   `json:"query"`
	Operation     string   `json:"operation"`
	SignedHeaders []string `json:"signed_headers"`
	Status        int      `json:"status"`
	AccessKey     string   `json:"access_key"`
}

func requestLog(t *testing.T) []loggedRequest {
	t.Helper()
	var log struct {
		Requests []loggedRequest `json:"requests"`
	}
	admin(t, "GET", "requests", nil, &log)
	return log.Requests
}

// adminInstance is an instance as the admin API shows it.
type adminInstance struct {
	RedisPort       int `json:"redis_port"`
	RestoresStarted int `json:"restores_started"`
	BackupsStarted  int `json:"backups_started"`
}

func instanceState(t *testing.T, id string) adminInstance {
	t.Helper()
	var in adminInstance
	admin(t, "GET", "instances/"+id, nil, &in)
	return in
}

// eventually polls check every 10 ms until it returns true, failing the test after
// waitTimeout.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, waitTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
