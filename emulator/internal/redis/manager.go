// Finds redis-server and plugs it into the state store as the real data behind each
// emulated instance.

package redis

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

// FindBinary returns the redis-server to use: the explicit path if given, else the
// one on PATH, else /usr/bin/redis-server.
func FindBinary(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", err
		}
		return explicit, nil
	}
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
		return "/usr/bin/redis-server", nil
	}
	return "", errors.New("redis-server not found on PATH or at /usr/bin/redis-server")
}

// Factory returns a state.DataFactory that starts one redis-server per instance with
// its data in root/<instance_id>.
func Factory(bin, root string) state.DataFactory {
	return func(instanceID string) (state.DataStore, error) {
		return startServer(bin, filepath.Join(root, instanceID))
	}
}
