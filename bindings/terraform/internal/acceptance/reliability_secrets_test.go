// The Terraform column of the secrets check: a failing and a succeeding restore through a
// real CLI with TF_LOG=TRACE, and no secret in the trace log or the CLI's output.

package acceptance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

const (
	tfSecretsAK    = "TFRELIABILITYAK00001"
	tfSecretsSK    = "tf-reliability-secret-Jk8lM3nB6vC1xZ4aS7dF"
	tfSecretsToken = "tf-reliability-token-Qw2eR5tY8uI1oP4aS7dF0gH3jK6lZ9xC"
	tfSecretsChild = "DCS_TF_SECRETS_CHILD"
)

// TestAccNoSecretInTraceLogs runs itself again as a child process with TF_LOG=TRACE and
// TF_ACC_LOG_PATH, so that the Terraform CLI and the provider (libdcs's own debug lines
// included) log everything they log to one file. The child applies a restore that fails in
// the service and one that succeeds, with temporary credentials (a secret key and a security
// token chosen to be distinctive) in the provider block, and prints the CLI's diagnostics of
// the failed apply. The parent searches the trace log and everything the child wrote to
// stdout and stderr, case-insensitively, for the secret key, the token, "Authorization" and
// "Signature=".
func TestAccNoSecretInTraceLogs(t *testing.T) {
	preCheck(t)
	if os.Getenv(tfSecretsChild) != "" {
		tfSecretsRun(t)
		return
	}
	dir := t.TempDir()
	traceLog := filepath.Join(dir, "trace.log")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAccNoSecretInTraceLogs$", "-test.count=1", "-test.v")
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "TF_ACC_LOG") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, tfSecretsChild+"=1", "TF_LOG=TRACE", "TF_ACC_LOG_PATH="+traceLog)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the child run failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	trace, err := os.ReadFile(traceLog)
	if err != nil {
		t.Fatal(err)
	}
	trace, harness := withoutTheTestConfiguration(trace)
	if harness < 2 {
		t.Errorf("found %d of the harness's configuration entries in the trace log, want one per apply", harness)
	}
	// The log must hold what it is meant to prove clean: the CLI's trace, the provider's
	// lines with libdcs's own, and both outcomes.
	for _, want := range []string{"[TRACE]", "libdcs_level", "dcs.08.0007", "restore started"} {
		if !bytes.Contains(trace, []byte(want)) {
			t.Errorf("the trace log (%d bytes) has no %q: it does not show what it should", len(trace), want)
		}
	}
	if !strings.Contains(stdout.String(), "the failed apply said:") {
		t.Errorf("the child printed no diagnostics of the failed apply:\n%s", stdout.String())
	}
	for name, text := range map[string]string{"trace log": string(trace), "stdout": stdout.String(), "stderr": stderr.String()} {
		low := strings.ToLower(text)
		for _, secret := range []string{tfSecretsSK, tfSecretsToken, "Authorization", "Signature="} {
			if at := strings.Index(low, strings.ToLower(secret)); at >= 0 {
				start := max(0, at-200)
				t.Errorf("%.12s... leaked into the %s: ...%s", secret, name, text[start:min(len(text), at+100)])
			}
		}
	}
	t.Logf("secrets: Terraform: a failed and a succeeded restore, %d bytes of TRACE log and %d bytes of output searched",
		len(trace), stdout.Len()+stderr.Len())
}

// withoutTheTestConfiguration drops from a trace log the entries in which the test harness
// (terraform-plugin-testing, "sdk.helper_resource") logs the configuration it writes for a
// step: the test's own input, secrets included, which no user's run logs. An entry is a line
// that starts with a timestamp and the lines after it that do not. It returns the rest and
// how many entries it dropped.
func withoutTheTestConfiguration(trace []byte) ([]byte, int) {
	var kept bytes.Buffer
	dropped, dropping := 0, false
	for _, line := range bytes.SplitAfter(trace, []byte("\n")) {
		if traceEntryStart.Match(line) {
			dropping = bytes.Contains(line, []byte("sdk.helper_resource: Setting Terraform configuration:"))
			if dropping {
				dropped++
			}
		}
		if !dropping {
			kept.Write(line)
		}
	}
	return kept.Bytes(), dropped
}

var traceEntryStart = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}`)

// tfSecretsConfig restores a backup with the temporary credentials in the provider block.
func tfSecretsConfig(instanceID, backupID string) string {
	return fmt.Sprintf(`
provider "dcs" {
  endpoint       = %q
  project_id     = %q
  access_key     = %q
  secret_key     = %q
  security_token = %q
}

resource "dcs_instance_restore" "this" {
  instance_id = %q
  backup_id   = %q
  remark      = "secrets"
}
`, emu.url, demoProjectID, tfSecretsAK, tfSecretsSK, tfSecretsToken, instanceID, backupID)
}

// tfSecretsRun is the child's run: a restore that fails, then one that succeeds.
func tfSecretsRun(t *testing.T) {
	emu.admin(t, "POST", "/credentials", map[string]string{
		"ak": tfSecretsAK, "sk": tfSecretsSK, "project_id": demoProjectID, "security_token": tfSecretsToken}, nil)

	t.Run("a restore that fails", func(t *testing.T) {
		instanceID := emu.newInstance(t, "secrets-failing", nil)
		backupID := emu.newBackup(t, instanceID, "")
		emu.setTimings(t, map[string]any{"fail_restores": "dcs.08.0007"})
		failed := false
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: providerFactories,
			// Called with the failed apply's error, the CLI's diagnostics: printed so that the
			// parent searches them too.
			ErrorCheck: func(err error) error {
				fmt.Printf("the failed apply said: %s\n", err)
				if !regexp.MustCompile(`(?s)Restore failed.*dcs\.08\.0007`).MatchString(err.Error()) {
					return err
				}
				failed = true
				return nil
			},
			Steps: []resource.TestStep{{Config: tfSecretsConfig(instanceID, backupID)}},
		})
		if !failed {
			t.Error("the apply did not fail as the restore did")
		}
		if n := emu.restoresStarted(t, instanceID); n != 1 {
			t.Errorf("%d restores started, want 1", n)
		}
	})

	t.Run("a restore that succeeds", func(t *testing.T) {
		instanceID := emu.newInstance(t, "secrets-succeeding", nil)
		backupID := emu.newBackup(t, instanceID, "")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: providerFactories,
			Steps: []resource.TestStep{{
				Config: tfSecretsConfig(instanceID, backupID),
				Check:  resource.TestCheckResourceAttr("dcs_instance_restore.this", "status", "succeed"),
			}},
		})
		if n := emu.restoresStarted(t, instanceID); n != 1 {
			t.Errorf("%d restores started, want 1", n)
		}
	})
}
