// The acceptance tests' dcs-emulator: started once for the package, and driven through its
// admin API to arrange instances, backups, timings and faults.

package acceptance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Demo credentials the emulator seeds with --demo.
const (
	demoAccessKey = "DEMOACCESSKEY0000001"
	demoSecretKey = "demo-secret-key-0123456789abcdefghijklmnop"
	demoProjectID = "0123456789abcdef0123456789abcdef"
)

// emulator is a running dcs-emulator.
type emulator struct {
	cmd *exec.Cmd
	url string
}

// emulatorPath is $DCS_EMULATOR, or build/dcs-emulator of the repository.
func emulatorPath() string {
	if p := os.Getenv("DCS_EMULATOR"); p != "" {
		return p
	}
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..", "..", "..", "build", "dcs-emulator")
}

// startEmulator starts the emulator on a free loopback port, with the extra flags given,
// and reads its URL, the first line it prints.
func startEmulator(extra ...string) (*emulator, error) {
	path := emulatorPath()
	cmd := exec.Command(path, append([]string{"--listen", "127.0.0.1:0", "--demo", "--timings", "fast"}, extra...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	lines := make(chan string, 1)
	go func() {
		reader := bufio.NewReader(stdout)
		line, _ := reader.ReadString('\n')
		lines <- strings.TrimSpace(line)
		io.Copy(io.Discard, reader) // keep draining so the emulator never blocks on stdout
	}()
	e := &emulator{cmd: cmd}
	select {
	case e.url = <-lines:
	case <-time.After(20 * time.Second):
		e.stop()
		return nil, fmt.Errorf("%s printed no URL within 20s", path)
	}
	if !strings.HasPrefix(e.url, "http") {
		e.stop()
		return nil, fmt.Errorf("%s printed %q, not a URL", path, e.url)
	}
	return e, nil
}

// stop terminates the emulator (it stops its redis-servers on SIGTERM), killing it if it
// does not exit in time.
func (e *emulator) stop() {
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

var adminClient = &http.Client{Timeout: 10 * time.Second}

// admin calls the emulator's admin API and decodes the answer into out (when not nil).
func (e *emulator) admin(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.url+"/_emulator"+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := adminClient.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("admin %s %s: %s: %s", method, path, resp.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("admin %s %s: %v in %s", method, path, err, data)
		}
	}
}

// adminInstance is what the admin API reports about an instance.
type adminInstance struct {
	InstanceID      string `json:"instance_id"`
	Status          string `json:"status"`
	RestoresStarted int    `json:"restores_started"`
	// RestorePosts counts every RestoreInstance request for the instance, whatever became
	// of it; nil from an emulator too old to count them.
	RestorePosts *int `json:"restore_posts"`
}

// newInstance creates an ha instance holding data and returns its id.
func (e *emulator) newInstance(t *testing.T, name string, data map[string]string) string {
	t.Helper()
	var created adminInstance
	e.admin(t, "POST", "/instances", map[string]any{"name": name, "cache_mode": "ha"}, &created)
	if len(data) > 0 {
		e.admin(t, "PUT", "/instances/"+created.InstanceID+"/data", data, nil)
	}
	return created.InstanceID
}

// newBackup snapshots the instance's data now into a succeeded, restorable backup.
func (e *emulator) newBackup(t *testing.T, instanceID, remark string) string {
	t.Helper()
	var created struct {
		BackupID string `json:"backup_id"`
	}
	e.admin(t, "POST", "/instances/"+instanceID+"/backups", map[string]any{"remark": remark}, &created)
	return created.BackupID
}

func (e *emulator) data(t *testing.T, instanceID string) map[string]string {
	t.Helper()
	out := map[string]string{}
	e.admin(t, "GET", "/instances/"+instanceID+"/data", nil, &out)
	return out
}

func (e *emulator) restoresStarted(t *testing.T, instanceID string) int {
	t.Helper()
	var view adminInstance
	e.admin(t, "GET", "/instances/"+instanceID, nil, &view)
	return view.RestoresStarted
}

func (e *emulator) instance(t *testing.T, instanceID string) adminInstance {
	t.Helper()
	var view adminInstance
	e.admin(t, "GET", "/instances/"+instanceID, nil, &view)
	return view
}

// restorePosts is how many RestoreInstance requests for the instance reached the emulator.
func (e *emulator) restorePosts(t *testing.T, instanceID string) int {
	t.Helper()
	view := e.instance(t, instanceID)
	if view.RestorePosts == nil {
		t.Fatal("the emulator does not count restore_posts: rebuild it, or set DCS_EMULATOR")
	}
	return *view.RestorePosts
}

// setTimings PUTs timings until the test ends, then puts the previous ones back.
func (e *emulator) setTimings(t *testing.T, timings map[string]any) {
	t.Helper()
	saved := map[string]any{}
	e.admin(t, "GET", "/timings", nil, &saved)
	e.admin(t, "PUT", "/timings", timings, nil)
	t.Cleanup(func() { e.admin(t, "PUT", "/timings", saved, nil) })
}

// addFault installs a fault aimed at one instance; every fault goes when the test ends.
func (e *emulator) addFault(t *testing.T, instanceID string, fault map[string]any) {
	t.Helper()
	fault["instance_id"] = instanceID
	e.admin(t, "POST", "/faults", fault, nil)
	t.Cleanup(func() { e.clearFaults(t) })
}

func (e *emulator) clearFaults(t *testing.T) {
	e.admin(t, "DELETE", "/faults", nil, nil)
}

// faultsFired is how many requests the faults in place have hit.
func (e *emulator) faultsFired(t *testing.T) int {
	t.Helper()
	var list struct {
		Faults []struct {
			Fired int `json:"fired"`
		} `json:"faults"`
	}
	e.admin(t, "GET", "/faults", nil, &list)
	fired := 0
	for _, f := range list.Faults {
		fired += f.Fired
	}
	return fired
}

// clearFiredFaults clears the faults, failing the test if none of them fired.
func (e *emulator) clearFiredFaults(t *testing.T) {
	t.Helper()
	if e.faultsFired(t) == 0 {
		t.Error("the injected fault never fired: the step proved nothing")
	}
	e.clearFaults(t)
}
