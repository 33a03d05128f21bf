// The Go binding's share of the cross-language reliability suite (scripts/reliability.sh).

package dcs

// The reliability gauntlet, Go column (run by scripts/reliability.sh; see tests/reliability):
// TLS through CAFile and Insecure (in reliability_tls_test.go), no secret in logs or errors
// over a full run of every error kind, the shared hostile-input table, and the cross-layer
// fault matrix. The tables live in tests/reliability/*.json and are shared with the C and
// Python suites.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

var reliabilityDir = filepath.Join("..", "..", "tests", "reliability")

// relAdmin reaches the admin API of an emulator of a test's own, over HTTP or HTTPS.
type relAdmin struct {
	url    string
	client *http.Client
}

func (a relAdmin) call(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.url+"/_emulator/"+path, payload)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.client.Do(req)
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

func (a relAdmin) counters(t *testing.T, instanceID string) (restores, backups int) {
	t.Helper()
	var got struct {
		RestoresStarted int `json:"restores_started"`
		BackupsStarted  int `json:"backups_started"`
	}
	a.call(t, "GET", "instances/"+instanceID, nil, &got)
	return got.RestoresStarted, got.BackupsStarted
}

func (a relAdmin) requests(t *testing.T) int {
	t.Helper()
	var stats struct {
		Requests int `json:"requests"`
	}
	a.call(t, "GET", "stats", nil, &stats)
	return stats.Requests
}

func (a relAdmin) newWorld(t *testing.T) (instanceID, backupID string) {
	t.Helper()
	var inst struct {
		InstanceID string `json:"instance_id"`
	}
	a.call(t, "POST", "instances", map[string]string{}, &inst)
	var backup struct {
		BackupID string `json:"backup_id"`
	}
	a.call(t, "POST", "instances/"+inst.InstanceID+"/backups", map[string]string{}, &backup)
	return inst.InstanceID, backup.BackupID
}

// startOwnEmulator starts a dcs-emulator with extra flags for one test and stops it after.
func startOwnEmulator(t *testing.T, args ...string) relAdmin {
	t.Helper()
	binary := os.Getenv("DCS_EMULATOR")
	if binary == "" {
		binary = filepath.Join("..", "..", "build", "dcs-emulator")
	}
	all := append([]string{"--listen", "127.0.0.1:0", "--demo", "--timings", "fast"}, args...)
	cmd := exec.Command(binary, all...)
	stopWithTests(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start %s: %v", binary, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		reader := bufio.NewReader(stdout)
		line, _ := reader.ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, reader)
	}()
	var url string
	select {
	case url = <-lines:
	case <-time.After(15 * time.Second):
		t.Fatal("the emulator printed no URL within 15 s")
	}
	// Admin calls skip verification: some emulators serve a bad certificate on purpose.
	transport := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	return relAdmin{url: url, client: &http.Client{Timeout: 10 * time.Second, Transport: transport}}
}

func demoConfig(endpoint string) Config {
	cfg := testConfig()
	cfg.Endpoint = endpoint
	cfg.Timeout = 10 * time.Second
	return cfg
}

// --- secrets ----------------------------------------------------------------------------

func TestReliabilityNoSecretInLogsOrErrors(t *testing.T) {
	const (
		ak      = "GORELIABILITYAK00001"
		sk      = "go-reliability-secret-Rt5yU8iO2pA6sD9fG3hJ"
		token   = "go-reliability-token-Zx4cV7bN1mQ8wE5rT2yU6iO9pA3sD0fG"
		wrongSK = "go-reliability-wrong-secret-Kl2jH5gF8dS1aQ4wE7rT"
	)
	admin(t, "POST", "/credentials", map[string]string{
		"ak": ak, "sk": sk, "project_id": demoProjectID, "security_token": token}, nil)
	inst := newInstance(t, "ha")
	backup := newBackup(t, inst)

	var mu sync.Mutex
	var texts []string
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		texts = append(texts, s)
	}
	cfg := testConfig()
	cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken = ak, sk, token
	cfg.MaxAttempts = 2
	cfg.LogLevel = LogDebug
	cfg.Logger = func(_ LogLevel, msg string) { record(msg) }
	client := newTestClient(t, cfg)
	ctx := context.Background()

	seen := map[Status]bool{}
	failed := func(err error) {
		t.Helper()
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("want a *dcs.Error, got %v", err)
		}
		seen[e.Status] = true
		record(err.Error())
		record(fmt.Sprintf("%+v %#v", err, e))
		for _, field := range []string{e.Message, e.ErrorCode, e.ErrorMsg, e.ErrorExtMsg, e.RequestID} {
			record(field)
		}
	}
	fault := func(f map[string]any) {
		admin(t, "POST", "/faults", f, nil)
	}
	t.Cleanup(func() { admin(t, "DELETE", "/faults", nil, nil) })

	// Success, the restore's first answer lost on the way.
	fault(map[string]any{"operation": "RestoreInstance", "kind": "close_after", "count": 1})
	restoreID, err := client.RestoreInstance(ctx, inst, backup, WithRemark("secrets"))
	if err != nil {
		t.Fatalf("RestoreInstance: %v", err)
	}
	if _, err := client.WaitForRestore(ctx, inst, restoreID, WithPollInterval(50*time.Millisecond)); err != nil {
		t.Fatalf("WaitForRestore: %v", err)
	}

	impostorCfg := cfg
	impostorCfg.SecretKey = wrongSK
	_, err = newTestClient(t, impostorCfg).ShowInstance(ctx, inst)
	failed(err)
	_, err = client.ShowInstance(ctx, "00000000-0000-4000-8000-000000000000")
	failed(err)
	fault(map[string]any{"operation": "ShowInstance", "kind": "status", "status": 500, "count": 2,
		"body": `{"error_code":"DCS.5000","error_msg":"injected"}`})
	_, err = client.ShowInstance(ctx, inst)
	failed(err)
	fault(map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 1500, "count": 1})
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	_, err = client.ShowInstance(short, inst)
	cancelShort()
	failed(err)
	fault(map[string]any{"operation": "ShowInstance", "kind": "non_json", "count": 2})
	_, err = client.ShowInstance(ctx, inst)
	failed(err)
	admin(t, "DELETE", "/faults", nil, nil)
	fault(map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 1500, "count": 1})
	cancellable, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err = client.ShowInstance(cancellable, inst)
	failed(err)

	admin(t, "DELETE", "/faults", nil, nil)
	saved := map[string]any{}
	admin(t, "GET", "/timings", nil, &saved)
	admin(t, "PUT", "/timings", map[string]string{"fail_restores": "dcs.08.0007"}, nil)
	t.Cleanup(func() { admin(t, "PUT", "/timings", saved, nil) })
	failing, err := client.RestoreInstance(ctx, inst, backup)
	if err != nil {
		t.Fatalf("RestoreInstance: %v", err)
	}
	_, err = client.WaitForRestore(ctx, inst, failing, WithPollInterval(50*time.Millisecond))
	failed(err)

	for _, want := range []Status{StatusAuth, StatusNotFound, StatusServer, StatusTimeout,
		StatusBadResponse, StatusCancelled, StatusRestoreFailed} {
		if !seen[want] {
			t.Errorf("the run never met a %v error", want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(texts) < 20 {
		t.Fatalf("only %d lines: the run logged too little to prove anything", len(texts))
	}
	for _, text := range texts {
		for _, secret := range []string{sk, token, wrongSK, "Authorization", "Signature="} {
			if strings.Contains(text, secret) {
				t.Errorf("%.12s... leaked into: %.200s", secret, text)
			}
		}
	}
}

// --- hostile inputs ---------------------------------------------------------------------

type hostileInput struct {
	Label  string   `json:"label"`
	Text   *string  `json:"text"`
	Hex    string   `json:"hex"`
	Repeat string   `json:"repeat"`
	Times  int      `json:"times"`
	As     []string `json:"as"`
}

func (h hostileInput) value(t *testing.T) string {
	switch {
	case h.Text != nil:
		return *h.Text
	case h.Hex != "":
		raw, err := hex.DecodeString(h.Hex)
		if err != nil {
			t.Fatalf("hostile_inputs.json %s: %v", h.Label, err)
		}
		return string(raw)
	default:
		return strings.Repeat(h.Repeat, h.Times)
	}
}

func (h hostileInput) is(where string) bool {
	for _, a := range h.As {
		if a == where {
			return true
		}
	}
	return false
}

func TestReliabilityHostileInputs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(reliabilityDir, "hostile_inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Inputs []hostileInput `json:"inputs"`
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	inst := newInstance(t, "ha")
	backup := newBackup(t, inst)
	clearRequestLog(t)
	// Watched from before the client exists: creating one must send nothing either.
	wire := watchWire(t, emulatorURL)
	client := newTestClient(t, testConfig())
	ctx := context.Background()
	const restore = "00000000-0000-4000-8000-000000000001"

	ids := map[string]func(v string) error{
		"RestoreInstance(instanceID)": func(v string) error { _, err := client.RestoreInstance(ctx, v, backup); return err },
		"RestoreInstance(backupID)":   func(v string) error { _, err := client.RestoreInstance(ctx, inst, v); return err },
		"ListRestores(instanceID)":    func(v string) error { _, err := client.ListRestores(ctx, v); return err },
		"GetRestore(instanceID)":      func(v string) error { _, err := client.GetRestore(ctx, v, restore); return err },
		"GetRestore(restoreID)":       func(v string) error { _, err := client.GetRestore(ctx, inst, v); return err },
		"WaitForRestore(instanceID)":  func(v string) error { _, err := client.WaitForRestore(ctx, v, restore); return err },
		"WaitForRestore(restoreID)":   func(v string) error { _, err := client.WaitForRestore(ctx, inst, v); return err },
		"ListBackups(instanceID)":     func(v string) error { _, err := client.ListBackups(ctx, v); return err },
		"CreateBackup(instanceID)":    func(v string) error { _, err := client.CreateBackup(ctx, v); return err },
		"DeleteBackup(instanceID)":    func(v string) error { return client.DeleteBackup(ctx, v, backup) },
		"DeleteBackup(backupID)":      func(v string) error { return client.DeleteBackup(ctx, inst, v) },
		"ShowInstance(instanceID)":    func(v string) error { _, err := client.ShowInstance(ctx, v); return err },
	}
	remarks := map[string]func(v string) error{
		"RestoreInstance(remark)": func(v string) error {
			_, err := client.RestoreInstance(ctx, inst, backup, WithRemark(v))
			return err
		},
		"CreateBackup(remark)": func(v string) error {
			_, err := client.CreateBackup(ctx, inst, WithBackupRemark(v))
			return err
		},
	}

	refused, nul, invalidUTF8 := 0, false, false
	for _, h := range table.Inputs {
		value := h.value(t)
		nul = nul || strings.ContainsRune(value, 0)
		invalidUTF8 = invalidUTF8 || !utf8.ValidString(value)
		check := func(calls map[string]func(string) error) {
			for name, call := range calls {
				err := call(value)
				var e *Error
				if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) || e.RequestSent != SentNo || e.Message == "" {
					t.Errorf("%s with %s: %v, want ErrInvalidArgument with nothing sent", name, h.Label, err)
					continue
				}
				refused++
			}
		}
		if h.is("id") {
			check(ids)
		}
		if h.is("remark") {
			check(remarks)
		}
	}
	if !nul || !invalidUTF8 {
		t.Errorf("the table lost its embedded NUL (%v) or its invalid UTF-8 (%v)", nul, invalidUTF8)
	}
	if refused < 120 {
		t.Errorf("only %d hostile calls were refused", refused)
	}
	// Below anything the request log can show: a request Go's HTTP parser refuses is
	// never logged, but its connection and bytes are counted.
	if got := wire.since(t); got != (wireCounts{}) {
		t.Errorf("the emulator accepted %d connections and received %d bytes, want none", got.Connections, got.Bytes)
	}
	if log := requestLog(t); len(log) != 0 {
		t.Errorf("the emulator received %d requests, want none: %+v", len(log), log)
	}
}

// --- fault matrix -----------------------------------------------------------------------

type faultMatrix struct {
	CallTimeoutMS   int64                                    `json:"call_timeout_ms"`
	DeadlineSlackMS int64                                    `json:"deadline_slack_ms"`
	Modes           map[string]int                           `json:"modes"`
	Faults          []map[string]any                         `json:"faults"`
	Operations      map[string][]string                      `json:"operations"`
	RestoreExpect   map[string]map[string]restoreExpectation `json:"restore_expect"`
	order           struct{ modes, ops []string }            // JSON object order, which maps lose
}

// matrixFault is one fault of the matrix: what the emulator is sent, and the keys that
// steer the test instead.
type matrixFault struct {
	name string
	// only, when set, lists the operations the fault applies to; modes the modes.
	only, modes []string
	// callTimeout overrides the matrix's call timeout for the fault's cells; 0 keeps it.
	callTimeout time.Duration
	// timings are PUT to /_emulator/timings before each of the fault's cells, and undone after.
	timings map[string]any
	// spec is the fault as POSTed to /_emulator/faults, without operation, count or instance.
	spec map[string]any
}

func parseMatrixFault(t *testing.T, raw map[string]any) matrixFault {
	t.Helper()
	f := matrixFault{spec: map[string]any{}}
	stringList := func(key string) []string {
		list, ok := raw[key].([]any)
		if !ok {
			t.Fatalf("fault_matrix.json: %v: %s is not a list", raw["name"], key)
		}
		out := make([]string, 0, len(list))
		for _, v := range list {
			s, ok := v.(string)
			if !ok {
				t.Fatalf("fault_matrix.json: %v: %s holds %v, not a string", raw["name"], key, v)
			}
			out = append(out, s)
		}
		return out
	}
	for key, value := range raw {
		switch key {
		case "name":
			f.name, _ = value.(string)
		case "only":
			f.only = stringList(key)
		case "modes":
			f.modes = stringList(key)
		case "call_timeout_ms":
			ms, ok := value.(float64)
			if !ok || ms <= 0 {
				t.Fatalf("fault_matrix.json: %v: call_timeout_ms %v", raw["name"], value)
			}
			f.callTimeout = time.Duration(ms) * time.Millisecond
		case "timings":
			timings, ok := value.(map[string]any)
			if !ok {
				t.Fatalf("fault_matrix.json: %v: timings is not an object", raw["name"])
			}
			f.timings = timings
		default:
			f.spec[key] = value
		}
	}
	if f.name == "" {
		t.Fatalf("fault_matrix.json: a fault has no name: %v", raw)
	}
	return f
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// appliesTo says whether the fault has a cell for this operation in this mode.
func (f matrixFault) appliesTo(operation, mode string) bool {
	return (len(f.only) == 0 || contains(f.only, operation)) && (len(f.modes) == 0 || contains(f.modes, mode))
}

// restoreExpectation is what a RestoreInstance cell must observe (restore_expect).
type restoreExpectation struct {
	Outcome  string `json:"outcome"`
	Restores int    `json:"restores"`
	Posts    *int   `json:"posts"`
	PostsMin *int   `json:"posts_min"`
	PostsMax *int   `json:"posts_max"`
}

// postsProblem compares the RestoreInstance requests the emulator received with posts, or
// posts_min..posts_max.
func (x restoreExpectation) postsProblem(posts int) string {
	switch {
	case x.Posts != nil && posts != *x.Posts:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want %d", posts, *x.Posts)
	case x.Posts == nil && x.PostsMin == nil && x.PostsMax == nil:
		return "restore_expect gives neither posts nor posts_min/posts_max"
	case x.PostsMin != nil && posts < *x.PostsMin:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want at least %d", posts, *x.PostsMin)
	case x.PostsMax != nil && posts > *x.PostsMax:
		return fmt.Sprintf("the emulator received %d RestoreInstance requests, want at most %d", posts, *x.PostsMax)
	}
	return ""
}

// keysInOrder returns the keys of the JSON object at `field` of `data` in document order.
func keysInOrder(t *testing.T, data []byte, field string) []string {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(top[field]))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, v)
				// Skip the value.
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return keys
}

// matrixWorld is one cell's instance and backup; the restore call leaves its outcome here.
type matrixWorld struct {
	instanceID, backupID, restoreID string
	outcome                         RestoreOutcome
}

var matrixCalls = map[string]func(ctx context.Context, c *Client, w *matrixWorld) error{
	"restore_instance": func(ctx context.Context, c *Client, w *matrixWorld) error {
		var err error
		w.outcome, err = c.StartRestore(ctx, w.instanceID, w.backupID, WithRemark("matrix"))
		return err
	},
	"list_restores": func(ctx context.Context, c *Client, w *matrixWorld) error {
		_, err := c.ListRestores(ctx, w.instanceID)
		return err
	},
	"get_restore": func(ctx context.Context, c *Client, w *matrixWorld) error {
		_, err := c.GetRestore(ctx, w.instanceID, w.restoreID)
		return err
	},
	"list_backups": func(ctx context.Context, c *Client, w *matrixWorld) error {
		_, err := c.ListBackups(ctx, w.instanceID)
		return err
	},
	"show_instance": func(ctx context.Context, c *Client, w *matrixWorld) error {
		_, err := c.ShowInstance(ctx, w.instanceID)
		return err
	},
	"create_backup": func(ctx context.Context, c *Client, w *matrixWorld) error {
		_, err := c.CreateBackup(ctx, w.instanceID, WithBackupRemark("matrix"))
		return err
	},
	"delete_backup": func(ctx context.Context, c *Client, w *matrixWorld) error {
		return c.DeleteBackup(ctx, w.instanceID, w.backupID)
	},
}

// clearStatus: the statuses a fault may honestly end in.
var clearStatus = map[Status]bool{
	StatusThrottled: true, StatusBusy: true, StatusServer: true, StatusTransport: true,
	StatusTimeout: true, StatusBadResponse: true, StatusRejected: true, StatusNotFound: true,
}

// cellCounts is what the emulator counted for a cell's instance.
type cellCounts struct {
	restores, backups, restorePosts int
	// restoreIDs are the instance's restore records, listed after the cell.
	restoreIDs []string
}

func (a relAdmin) cellCounts(t *testing.T, instanceID string) cellCounts {
	t.Helper()
	var got struct {
		RestoresStarted int  `json:"restores_started"`
		BackupsStarted  int  `json:"backups_started"`
		RestorePosts    *int `json:"restore_posts"`
	}
	a.call(t, "GET", "instances/"+instanceID, nil, &got)
	if got.RestorePosts == nil {
		t.Fatal("the emulator does not count restore_posts: rebuild it, or set DCS_EMULATOR")
	}
	return cellCounts{restores: got.RestoresStarted, backups: got.BackupsStarted, restorePosts: *got.RestorePosts}
}

// faultFired is how many requests the fault with this id hit.
func (a relAdmin) faultFired(t *testing.T, id string) int {
	t.Helper()
	var list struct {
		Faults []struct {
			ID    string `json:"id"`
			Fired int    `json:"fired"`
		} `json:"faults"`
	}
	a.call(t, "GET", "faults", nil, &list)
	for _, f := range list.Faults {
		if f.ID == id {
			return f.Fired
		}
	}
	t.Fatalf("fault %s is not listed", id)
	return 0
}

// judgeCell returns what is wrong with a cell, "" when nothing is. expect is the
// restore_expect entry of a RestoreInstance cell.
func judgeCell(call string, w *matrixWorld, err error, elapsed, limit time.Duration, n cellCounts, expect *restoreExpectation) string {
	if elapsed > limit {
		return fmt.Sprintf("outlived its deadline: %v", elapsed)
	}
	var e *Error
	if err != nil && (!errors.As(err, &e) || !clearStatus[e.Status] || e.Message == "") {
		return fmt.Sprintf("unclear error: %v", err)
	}
	switch call {
	case "restore_instance":
		if expect == nil {
			return "fault_matrix.json has no restore_expect for this cell"
		}
		if n.restores != expect.Restores {
			return fmt.Sprintf("started %d restores, want %d (expected outcome %s)", n.restores, expect.Restores, expect.Outcome)
		}
		if problem := expect.postsProblem(n.restorePosts); problem != "" {
			return problem
		}
		return judgeRestoreOutcome(expect.Outcome, w, err, e, n)
	case "create_backup":
		switch {
		case n.backups > 1:
			return fmt.Sprintf("started %d backups", n.backups)
		case err == nil && n.backups != 1:
			return "succeeded, yet started no backup"
		}
	}
	return ""
}

// judgeRestoreOutcome holds a RestoreInstance cell to its expected outcome, rule (d).
func judgeRestoreOutcome(outcome string, w *matrixWorld, err error, e *Error, n cellCounts) string {
	if err != nil && n.restores > 0 && e.RequestSent == SentNo {
		return "a restore started, yet the error says nothing was sent"
	}
	switch outcome {
	case "started", "adopted":
		if err != nil {
			return fmt.Sprintf("failed (%v), want %s", err, outcome)
		}
		if w.outcome.Adopted != (outcome == "adopted") {
			return fmt.Sprintf("Adopted is %v, want outcome %s", w.outcome.Adopted, outcome)
		}
		if len(n.restoreIDs) != 1 || n.restoreIDs[0] != w.outcome.RestoreID {
			return fmt.Sprintf("returned restore id %q, the instance's records are %v", w.outcome.RestoreID, n.restoreIDs)
		}
	case "unresolved":
		if err == nil {
			return fmt.Sprintf("succeeded with %+v, want unresolved", w.outcome)
		}
		if e.RequestSent != SentMaybe || !strings.HasPrefix(e.Message, "unresolved") {
			return fmt.Sprintf("error (sent %d) %q, want request sent MAYBE and a message starting \"unresolved\"", e.RequestSent, e.Message)
		}
	case "refused":
		if err == nil {
			return fmt.Sprintf("succeeded with %+v, want refused", w.outcome)
		}
	default:
		return fmt.Sprintf("fault_matrix.json names an unknown outcome %q", outcome)
	}
	return ""
}

func TestReliabilityFaultMatrix(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(reliabilityDir, "fault_matrix.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m faultMatrix
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m.order.modes = keysInOrder(t, data, "modes")
	m.order.ops = keysInOrder(t, data, "operations")
	type column struct{ operation, call string }
	var columns []column
	for _, op := range m.order.ops {
		for _, call := range m.Operations[op] {
			if matrixCalls[call] == nil {
				t.Fatalf("fault_matrix.json names an unknown call %q", call)
			}
			columns = append(columns, column{op, call})
		}
	}
	faults := make([]matrixFault, 0, len(m.Faults))
	for _, raw := range m.Faults {
		faults = append(faults, parseMatrixFault(t, raw))
	}

	// State-only: each cell's fresh instance needs no redis-server.
	emu := startOwnEmulator(t, "--state-only")
	client := newTestClient(t, demoConfig(emu.url))
	slack := time.Duration(m.DeadlineSlackMS) * time.Millisecond

	var out strings.Builder
	cells, failures := 0, 0
	for _, mode := range m.order.modes {
		count := m.Modes[mode]
		fmt.Fprintf(&out, "\nGo fault matrix, mode %q\n%-30s", mode, "fault")
		for _, c := range columns {
			fmt.Fprintf(&out, " %-16s", c.call)
		}
		out.WriteString("\n")
		for _, fault := range faults {
			if len(fault.modes) > 0 && !contains(fault.modes, mode) {
				continue // not a mode of this fault: no row
			}
			fmt.Fprintf(&out, "%-30s", fault.name)
			timeout := time.Duration(m.CallTimeoutMS) * time.Millisecond
			if fault.callTimeout != 0 {
				timeout = fault.callTimeout
			}
			for _, c := range columns {
				if !fault.appliesTo(c.operation, mode) {
					fmt.Fprintf(&out, " %-16s", "-")
					continue
				}
				var expect *restoreExpectation
				if c.operation == "RestoreInstance" {
					if x, ok := m.RestoreExpect[fault.name][mode]; ok {
						expect = &x
					}
				}
				label, problem := runMatrixCell(t, emu, client, fault, c.operation, c.call, count, timeout, timeout+slack, expect)
				cells++
				if problem != "" {
					label = "FAIL"
					failures++
					t.Errorf("%s / %s / %s: %s", mode, fault.name, c.call, problem)
				}
				fmt.Fprintf(&out, " %-16s", label)
			}
			out.WriteString("\n")
		}
	}
	fmt.Fprintf(&out, "\nGo fault matrix: %d faults x %d operations (%d calls) x %d modes = %d cells, %d failed\n",
		len(m.Faults), len(m.Operations), len(columns), len(m.Modes), cells, failures)
	fmt.Print(out.String())
}

// runMatrixCell runs one cell on a fresh instance: the fault (with its timings) aimed at that
// instance, the call, then the checks. It returns the cell's label and what went wrong.
func runMatrixCell(t *testing.T, emu relAdmin, client *Client, fault matrixFault, operation, call string,
	count int, timeout, limit time.Duration, expect *restoreExpectation) (label, problem string) {
	t.Helper()
	inst, backup := emu.newWorld(t)
	world := &matrixWorld{instanceID: inst, backupID: backup}
	if call == "get_restore" {
		var err error
		if world.restoreID, err = client.RestoreInstance(context.Background(), inst, backup); err != nil {
			t.Fatalf("set-up restore: %v", err)
		}
	}
	if fault.timings != nil {
		saved := map[string]any{}
		emu.call(t, "GET", "timings", nil, &saved)
		emu.call(t, "PUT", "timings", fault.timings, nil)
		defer emu.call(t, "PUT", "timings", saved, nil)
	}
	spec := map[string]any{"operation": operation, "instance_id": inst}
	for k, v := range fault.spec {
		spec[k] = v
	}
	if count > 0 {
		spec["count"] = count
	}
	var added struct {
		ID string `json:"id"`
	}
	emu.call(t, "POST", "faults", spec, &added)

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	started := time.Now()
	callErr := matrixCalls[call](ctx, client, world)
	elapsed := time.Since(started)
	cancel()
	fired := emu.faultFired(t, added.ID)
	emu.call(t, "DELETE", "faults", nil, nil)

	counts := emu.cellCounts(t, inst)
	if call == "restore_instance" && callErr == nil {
		listed, err := client.ListRestores(context.Background(), inst)
		if err != nil {
			t.Fatalf("listing the cell's restores: %v", err)
		}
		for _, r := range listed {
			counts.restoreIDs = append(counts.restoreIDs, r.RestoreID)
		}
	}
	if fired < 1 {
		return "FAIL", "the injected fault never fired"
	}
	if problem := judgeCell(call, world, callErr, elapsed, limit, counts, expect); problem != "" {
		return "FAIL", problem
	}
	var e *Error
	switch {
	case errors.As(callErr, &e) && strings.HasPrefix(e.Message, "unresolved"):
		return "unresolved", ""
	case e != nil:
		return e.Status.String(), ""
	case world.outcome.Adopted:
		return "adopted", ""
	}
	return "ok", ""
}
