package redis

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestSnapshotAndRestoreWithRealRedis(t *testing.T) {
	bin, err := FindBinary("")
	if err != nil {
		t.Skipf("no redis-server: %v", err)
	}
	root := t.TempDir()
	store, err := Factory(bin, filepath.Join(root, "redis"))("inst-1")
	if err != nil {
		t.Fatal(err)
	}
	srv := store.(*Server)
	defer srv.Close()
	port := srv.Port()

	if err := srv.Set(map[string]string{"greeting": "hello", "counter": "1"}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(root, "b.rdb")
	size, err := srv.Snapshot(backup)
	if err != nil || size <= 0 {
		t.Fatalf("snapshot: %d %v", size, err)
	}
	if err := srv.Set(map[string]string{"scratch": "after", "greeting": "changed"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Restore(backup); err != nil {
		t.Fatal(err)
	}
	if srv.Port() != port {
		t.Fatal("restore moved the port")
	}
	got, err := srv.GetAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["greeting"] != "hello" || got["counter"] != "1" {
		t.Fatalf("after restore: %v", got)
	}
	if err := srv.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.GetAll(); len(got) != 0 {
		t.Fatalf("after flush: %v", got)
	}

	pid := srv.proc.cmd.Process.Pid
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("redis-server %d still alive after Close", pid)
	}
	if _, err := os.Stat(filepath.Join(root, "redis", "inst-1")); !os.IsNotExist(err) {
		t.Fatal("data directory left behind")
	}
	if err := srv.Set(map[string]string{"k": "v"}); err == nil {
		t.Fatal("Set after Close succeeded")
	}
}

func TestRestoreOfMissingFileKeepsServer(t *testing.T) {
	bin, err := FindBinary("")
	if err != nil {
		t.Skipf("no redis-server: %v", err)
	}
	store, err := Factory(bin, t.TempDir())("inst-2")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_ = store.Set(map[string]string{"k": "v"})
	if err := store.Restore("/nonexistent/backup.rdb"); err == nil {
		t.Fatal("restore of a missing file succeeded")
	}
	if got, err := store.GetAll(); err != nil || got["k"] != "v" {
		t.Fatalf("data lost by a failed restore: %v %v", got, err)
	}
}
