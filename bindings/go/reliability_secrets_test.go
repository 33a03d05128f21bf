// The Go column of the secrets check (scripts/reliability.sh): every status a call can end
// with, and no secret in logs, errors or the process's own output.

package dcs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	secretsAK      = "GORELIABILITYAK00001"
	secretsSK      = "go-reliability-secret-Rt5yU8iO2pA6sD9fG3hJ"
	secretsToken   = "go-reliability-token-Zx4cV7bN1mQ8wE5rT2yU6iO9pA3sD0fG"
	secretsWrongSK = "go-reliability-wrong-secret-Kl2jH5gF8dS1aQ4wE7rT"
	// Lengths of the instance ids whose copy inside libdcs fails (+1 for its NUL); nothing
	// else in the run allocates anywhere near this much at once (tests/reliability/alloc_fault.cpp).
	secretsNomemIDLength    = 777001
	secretsInternalIDLength = 777003
	secretsChildEnv         = "DCS_SECRETS_CHILD_REPORT"
)

// secretsReport is what the child run hands to the parent.
type secretsReport struct {
	Reached    map[Status]bool `json:"reached"`
	Mismatches []string        `json:"mismatches"`
	Texts      []string        `json:"texts"`
}

// TestReliabilityNoSecretInAnyOutput runs itself again as a child process, with temporary
// credentials (a secret key and a security token chosen to be distinctive) and
// libdcs_alloc_fault.so preloaded. The child drives a real call to every status dcs.h defines
// through its emulator - bad input, a wrong key, an unknown instance, throttling, a busy
// instance, 5xx, a dropped connection, a deadline, cancellation, an unreadable answer, a
// throwing and a failing allocation, a refused and an impossible restore, a restore that
// fails, and a success whose first answer is lost - logging at debug to a Logger that also
// prints every line to stderr. The parent checks that every status was reached, and searches
// every log line, every error's text and fields, and all the child wrote to stdout and
// stderr, case-insensitively, for the secret key, the token, "Authorization" and "Signature=".
func TestReliabilityNoSecretInAnyOutput(t *testing.T) {
	if report := os.Getenv(secretsChildEnv); report != "" {
		secretsChild(t, report)
		return
	}
	shim := os.Getenv("DCS_ALLOC_FAULT_LIB")
	if shim == "" {
		shim = filepath.Join("..", "..", "build", "tests", "libdcs_alloc_fault.so")
	}
	shim, err := filepath.Abs(shim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shim); err != nil {
		t.Fatalf("%v: build the repo (target dcs_alloc_fault) or set DCS_ALLOC_FAULT_LIB", err)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReliabilityNoSecretInAnyOutput$",
		"-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), secretsChildEnv+"="+report, "LD_PRELOAD="+shim,
		fmt.Sprintf("DCS_ALLOC_FAULT=nomem=%d,internal=%d", secretsNomemIDLength+1, secretsInternalIDLength+1))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the child run failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var got secretsReport
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for _, m := range got.Mismatches {
		t.Errorf("%s", m)
	}
	for s := StatusOK; s <= statusMax; s++ {
		if !got.Reached[s] {
			t.Errorf("the run never ended a call with %v (status %d)", s, int(s))
		}
	}
	if len(got.Texts) < 40 || stderr.Len() < 2000 {
		t.Fatalf("%d log lines and error texts, %d bytes of stderr: too little to prove anything",
			len(got.Texts), stderr.Len())
	}
	leaks := 0
	for _, text := range append(got.Texts, stdout.String(), stderr.String()) {
		low := strings.ToLower(text)
		for _, secret := range []string{secretsSK, secretsToken, secretsWrongSK, "Authorization", "Signature="} {
			if strings.Contains(low, strings.ToLower(secret)) {
				leaks++
				t.Errorf("%.12s... leaked into: %.300s", secret, text)
			}
		}
	}
	t.Logf("secrets: Go: %d of %d statuses reached, %d texts and %d bytes of output searched, %d leaks",
		len(got.Reached), int(statusMax)+1, len(got.Texts), stdout.Len()+stderr.Len(), leaks)
}

// secretsChild is the child's run; it writes its report to the file named by secretsChildEnv.
func secretsChild(t *testing.T, reportPath string) {
	admin(t, "POST", "/credentials", map[string]string{
		"ak": secretsAK, "sk": secretsSK, "project_id": demoProjectID, "security_token": secretsToken}, nil)
	inst := newInstance(t, "ha")
	backup := newBackup(t, inst)
	otherBackup := newBackup(t, newInstance(t, "ha"))
	single := newInstance(t, "single")
	singleBackup := newBackup(t, single)
	restarting := newInstance(t, "ha")
	restartingBackup := newBackup(t, restarting)
	admin(t, "PATCH", "/instances/"+restarting, map[string]string{"status": "RESTARTING"}, nil)

	var mu sync.Mutex
	var texts []string
	record := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		texts = append(texts, s)
	}
	cfg := testConfig()
	cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken = secretsAK, secretsSK, secretsToken
	cfg.MaxAttempts = 2
	cfg.LogLevel = LogDebug
	cfg.Logger = func(level LogLevel, msg string) {
		record(msg)
		fmt.Fprintf(os.Stderr, "libdcs %v: %s\n", level, msg)
	}
	client := newTestClient(t, cfg)
	impostorCfg := cfg
	impostorCfg.SecretKey = secretsWrongSK
	impostor := newTestClient(t, impostorCfg)
	ctx := context.Background()
	fault := func(f map[string]any) { admin(t, "POST", "/faults", f, nil) }
	restoreAndWait := func(remark string) error {
		id, err := client.RestoreInstance(ctx, inst, backup, WithRemark(remark))
		if err != nil {
			return err
		}
		_, err = client.WaitForRestore(ctx, inst, id, WithPollInterval(50*time.Millisecond))
		return err
	}
	show := func(c context.Context, id string) error {
		_, err := client.ShowInstance(c, id)
		return err
	}
	restore := func(instanceID, backupID, remark string) error {
		_, err := client.RestoreInstance(ctx, instanceID, backupID, WithRemark(remark))
		return err
	}

	cases := []struct {
		name string
		want Status
		call func() error
	}{
		{"a restore whose first answer is lost", StatusOK, func() error {
			fault(map[string]any{"operation": "RestoreInstance", "kind": "close_after", "count": 1})
			return restoreAndWait("secrets")
		}},
		{"an id with a path", StatusInvalidArgument, func() error { return show(ctx, "../x") }},
		{"a wrong secret key", StatusAuth, func() error {
			_, err := impostor.ShowInstance(ctx, inst)
			return err
		}},
		{"an unknown instance", StatusNotFound, func() error {
			return show(ctx, "00000000-0000-4000-8000-000000000000")
		}},
		{"429 twice", StatusThrottled, func() error {
			fault(map[string]any{"operation": "ShowInstance", "kind": "throttle", "retry_after": 1, "count": 2})
			return show(ctx, inst)
		}},
		{"a restarting instance", StatusBusy, func() error {
			return restore(restarting, restartingBackup, "busy")
		}},
		{"500 twice", StatusServer, func() error {
			fault(map[string]any{"operation": "ShowInstance", "kind": "status", "status": 500, "count": 2,
				"body": `{"error_code":"DCS.5000","error_msg":"injected"}`})
			return show(ctx, inst)
		}},
		{"closed without an answer every time", StatusTransport, func() error {
			// Every request: libcurl itself sends a GET again on a new connection.
			fault(map[string]any{"operation": "ShowInstance", "kind": "close_before"})
			return show(ctx, inst)
		}},
		{"an answer after the deadline", StatusTimeout, func() error {
			fault(map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 1500, "count": 1})
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			return show(short, inst)
		}},
		{"cancelled in flight", StatusCancelled, func() error {
			fault(map[string]any{"operation": "ShowInstance", "kind": "delay", "delay_ms": 1500, "count": 1})
			cancellable, cancel := context.WithCancel(ctx)
			time.AfterFunc(200*time.Millisecond, cancel)
			return show(cancellable, inst)
		}},
		{"not JSON twice", StatusBadResponse, func() error {
			fault(map[string]any{"operation": "ShowInstance", "kind": "non_json", "count": 2})
			return show(ctx, inst)
		}},
		{"a throwing allocation", StatusInternal, func() error {
			return show(ctx, strings.Repeat("a", secretsInternalIDLength))
		}},
		{"a failing allocation", StatusNoMem, func() error {
			return show(ctx, strings.Repeat("a", secretsNomemIDLength))
		}},
		{"another instance's backup", StatusRejected, func() error {
			return restore(inst, otherBackup, "rejected")
		}},
		{"a single-node instance", StatusPrecondition, func() error {
			return restore(single, singleBackup, "precondition")
		}},
		{"a restore that fails", StatusRestoreFailed, func() error {
			saved := map[string]any{}
			admin(t, "GET", "/timings", nil, &saved)
			admin(t, "PUT", "/timings", map[string]string{"fail_restores": "dcs.08.0007"}, nil)
			defer admin(t, "PUT", "/timings", saved, nil)
			return restoreAndWait("fails")
		}},
	}

	report := secretsReport{Reached: map[Status]bool{}}
	for _, c := range cases {
		admin(t, "DELETE", "/faults", nil, nil)
		err := c.call()
		got := StatusOK
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: want a *dcs.Error, got %v", c.name, err)
			}
			got = e.Status
			record(err.Error())
			record(fmt.Sprintf("%+v %#v", err, e))
			for _, field := range []string{e.Message, e.ErrorCode, e.ErrorMsg, e.ErrorExtMsg, e.RequestID} {
				record(field)
			}
		}
		fmt.Printf("%s: %v\n", c.name, got)
		if got == c.want {
			report.Reached[got] = true
		} else {
			report.Mismatches = append(report.Mismatches, fmt.Sprintf("%s: ended %v, want %v", c.name, got, c.want))
		}
	}
	mu.Lock()
	report.Texts = texts
	mu.Unlock()
	data, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reportPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
