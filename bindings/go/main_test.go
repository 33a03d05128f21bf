// The test harness: one dcs-emulator for all of the package's tests, and helpers that
// arrange and inspect it through its admin API.

package dcs

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

// The demo seed of the emulator (emulator/README.md).
const (
	demoAccessKey  = "DEMOACCESSKEY0000001"
	demoSecretKey  = "demo-secret-key-0123456789abcdefghijklmnop"
	demoProjectID  = "0123456789abcdef0123456789abcdef"
	demoInstanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	demoBackupID   = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
)

// emulatorURL is the base URL of the emulator TestMain started.
var emulatorURL string

// TestMain runs every test against one dcs-emulator (env DCS_EMULATOR, or the build tree's),
// started here and stopped at the end. It also points the official environment variables at
// it, which the Example relies on.
func TestMain(m *testing.M) {
	os.Exit(runWithEmulator(m))
}

func runWithEmulator(m *testing.M) int {
	binary := os.Getenv("DCS_EMULATOR")
	if binary == "" {
		binary = filepath.Join("..", "..", "build", "dcs-emulator")
	}
	cmd := exec.Command(binary, "--listen", "127.0.0.1:0", "--demo", "--timings", "fast")
	cmd.Stderr = os.Stderr
	stopWithTests(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator stdout:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator %s: %v (build it, or set DCS_EMULATOR)\n", binary, err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		stopped := make(chan struct{})
		go func() { _ = cmd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-stopped
		}
	}()

	firstLine := make(chan string, 1)
	go func() {
		reader := bufio.NewReader(stdout)
		line, _ := reader.ReadString('\n')
		firstLine <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, reader) // keep the pipe drained
	}()
	select {
	case emulatorURL = <-firstLine:
	case <-time.After(15 * time.Second):
		fmt.Fprintln(os.Stderr, "the emulator printed no URL within 15 s")
		return 1
	}
	if !strings.HasPrefix(emulatorURL, "http") {
		fmt.Fprintf(os.Stderr, "unexpected first line from the emulator: %q\n", emulatorURL)
		return 1
	}

	for name, value := range map[string]string{
		"HUAWEICLOUD_SDK_AK":         demoAccessKey,
		"HUAWEICLOUD_SDK_SK":         demoSecretKey,
		"HUAWEICLOUD_SDK_PROJECT_ID": demoProjectID,
		"DCS_ENDPOINT":               emulatorURL,
	} {
		os.Setenv(name, value)
	}
	os.Unsetenv("HUAWEICLOUD_SDK_SECURITY_TOKEN")
	os.Unsetenv("DCS_REGION")
	return m.Run()
}

// testConfig is a hermetic configuration for the emulator.
func testConfig() Config {
	return Config{
		Endpoint:          emulatorURL,
		AccessKey:         demoAccessKey,
		SecretKey:         demoSecretKey,
		ProjectID:         demoProjectID,
		IgnoreEnvironment: true,
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	client, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// admin calls the emulator's unsigned admin API and decodes the JSON answer into out.
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
	req, err := http.NewRequest(method, emulatorURL+"/_emulator"+path, payload)
	if err != nil {
		t.Fatal(err)
	}
	httpClient := &http.Client{Timeout: 10 * time.Second}
	resp, err := httpClient.Do(req)
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

// newInstance creates an instance of its own for a test.
func newInstance(t *testing.T, cacheMode string) string {
	t.Helper()
	var created struct {
		InstanceID string `json:"instance_id"`
	}
	admin(t, "POST", "/instances", map[string]string{"cache_mode": cacheMode}, &created)
	if created.InstanceID == "" {
		t.Fatal("the emulator returned no instance id")
	}
	return created.InstanceID
}

// newBackup snapshots the instance's current data into a restorable backup.
func newBackup(t *testing.T, instanceID string) string {
	t.Helper()
	var created struct {
		BackupID string `json:"backup_id"`
	}
	admin(t, "POST", "/instances/"+instanceID+"/backups", map[string]string{}, &created)
	if created.BackupID == "" {
		t.Fatal("the emulator returned no backup id")
	}
	return created.BackupID
}

func putData(t *testing.T, instanceID string, data map[string]string) {
	t.Helper()
	admin(t, "PUT", "/instances/"+instanceID+"/data", data, nil)
}

func getData(t *testing.T, instanceID string) map[string]string {
	t.Helper()
	data := map[string]string{}
	admin(t, "GET", "/instances/"+instanceID+"/data", nil, &data)
	return data
}

// addFault installs an emulator fault and removes every fault when the test ends.
func addFault(t *testing.T, fault map[string]any) {
	t.Helper()
	admin(t, "POST", "/faults", fault, nil)
	t.Cleanup(func() { admin(t, "DELETE", "/faults", nil, nil) })
}

// loggedRequest is one entry of the emulator's request log.
type loggedRequest struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Operation string `json:"operation"`
}

func clearRequestLog(t *testing.T) {
	t.Helper()
	admin(t, "DELETE", "/requests", nil, nil)
}

func requestLog(t *testing.T) []loggedRequest {
	t.Helper()
	var log struct {
		Requests []loggedRequest `json:"requests"`
	}
	admin(t, "GET", "/requests", nil, &log)
	return log.Requests
}

// restoresStarted is how many restores the emulator has started on the instance.
func restoresStarted(t *testing.T, instanceID string) int {
	t.Helper()
	var instance struct {
		RestoresStarted int `json:"restores_started"`
	}
	admin(t, "GET", "/instances/"+instanceID, nil, &instance)
	return instance.RestoresStarted
}

// restorePosts is how many RestoreInstance requests for the instance reached the emulator
// (past authentication), whatever became of them.
func restorePosts(t *testing.T, instanceID string) int {
	t.Helper()
	var instance struct {
		RestorePosts *int `json:"restore_posts"`
	}
	admin(t, "GET", "/instances/"+instanceID, nil, &instance)
	if instance.RestorePosts == nil {
		t.Fatal("the emulator does not count restore_posts: rebuild it, or set DCS_EMULATOR")
	}
	return *instance.RestorePosts
}

// slowRestores makes restores run for 5 s until the test ends, so one stays in progress.
func slowRestores(t *testing.T) {
	t.Helper()
	saved := map[string]any{}
	admin(t, "GET", "/timings", nil, &saved)
	admin(t, "PUT", "/timings", map[string]int{"restore_running_ms": 5000}, nil)
	t.Cleanup(func() { admin(t, "PUT", "/timings", saved, nil) })
}
