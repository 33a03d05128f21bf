// Checks that the dcs_static build really needs no libdcs at run time, by building the Go
// example that way and running it with no library path.

package dcs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStaticExampleNeedsNoLibdcs builds examples/go/restore with -tags dcs_static, checks
// that ldd lists no libdcs, and runs it against the emulator with no library path at all.
func TestStaticExampleNeedsNoLibdcs(t *testing.T) {
	// CI has both tools; a machine without them skips, CI fails (a skip there hides a check).
	skip := t.Skip
	if os.Getenv("CI") == "true" {
		skip = t.Fatal
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		skip("no go tool in PATH")
	}
	if _, err := exec.LookPath("ldd"); err != nil {
		skip("no ldd in PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	binary := filepath.Join(t.TempDir(), "restore-static")
	build := exec.CommandContext(ctx, goTool, "build", "-tags", "dcs_static", "-o", binary, ".")
	build.Dir = filepath.Join("..", "..", "examples", "go", "restore")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags dcs_static: %v\n%s", err, out)
	}

	out, err := exec.CommandContext(ctx, "ldd", binary).CombinedOutput()
	if err != nil {
		t.Fatalf("ldd: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "libdcs") {
		t.Fatalf("the static build still needs libdcs:\n%s", out)
	}
	if !strings.Contains(string(out), "libcurl") {
		t.Errorf("ldd shows no libcurl; is this the binary that links libdcs?\n%s", out)
	}

	instanceID := newInstance(t, "ha")
	putData(t, instanceID, map[string]string{"k": "backed-up"})
	backupID := newBackup(t, instanceID)
	putData(t, instanceID, map[string]string{"k": "changed"})

	run := exec.CommandContext(ctx, binary, "-instance", instanceID, "-backup", backupID, "-poll", "20ms")
	run.Env = withoutLibraryPath(os.Environ())
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("the static example failed: %v\n%s", err, out)
	}
	if got := getData(t, instanceID)["k"]; got != "backed-up" {
		t.Errorf("after the static example's restore k=%q, want backed-up", got)
	}
}

func withoutLibraryPath(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "LD_LIBRARY_PATH=") {
			kept = append(kept, kv)
		}
	}
	return kept
}
