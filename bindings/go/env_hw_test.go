// NewClient configured by the Huawei Cloud Terraform provider's environment variables
// (HW_*), which libdcs reads after the official SDKs' HUAWEICLOUD_SDK_*. Which key signed a
// request, and in which project, is read from the emulator's request log.

package dcs

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const (
	hwAccessKey     = "HWACCESSKEY000000001"
	hwSecretKey     = "hw-secret-key-0123456789abcdefghijklmn"
	hwTempAccessKey = "HWTEMPACCESSKEY00001"
	hwTempSecretKey = "hw-temporary-secret-0123456789"
	hwToken         = "hw-security-token-for-go-test-0123456789"
)

// signedRequest is a request log entry with the access key it claimed.
type signedRequest struct {
	Path      string `json:"path"`
	Operation string `json:"operation"`
	AccessKey string `json:"access_key"`
	Status    int    `json:"status"`
}

// requestsFor is the log of the requests that named the instance.
func requestsFor(t *testing.T, instanceID string) []signedRequest {
	t.Helper()
	var log struct {
		Requests []signedRequest `json:"requests"`
	}
	admin(t, "GET", "/requests", nil, &log)
	var out []signedRequest
	for _, r := range log.Requests {
		if strings.Contains(r.Path, "/instances/"+instanceID) {
			out = append(out, r)
		}
	}
	return out
}

// hwEnvironment leaves only the HW_* keys and project, and the emulator's endpoint, in the
// environment (TestMain sets the official SDK's for the other tests).
func hwEnvironment(t *testing.T) {
	t.Helper()
	admin(t, "POST", "/credentials", map[string]string{"ak": hwAccessKey, "sk": hwSecretKey, "project_id": demoProjectID}, nil)
	for _, name := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
		"HUAWEICLOUD_SDK_PROJECT_ID", "DCS_REGION", "HW_SECURITY_TOKEN", "HW_REGION_NAME"} {
		t.Setenv(name, "")
	}
	t.Setenv("DCS_ENDPOINT", emulatorURL)
	t.Setenv("HW_ACCESS_KEY", hwAccessKey)
	t.Setenv("HW_SECRET_KEY", hwSecretKey)
	t.Setenv("HW_PROJECT_ID", demoProjectID)
}

// startRestoreFromEnvironment starts one restore of a fresh instance with a client
// configured by cfg and the environment, and returns the instance's id.
func startRestoreFromEnvironment(t *testing.T, cfg Config) string {
	t.Helper()
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	client := newTestClient(t, cfg)
	if _, err := client.StartRestore(context.Background(), instanceID, backupID); err != nil {
		t.Fatalf("StartRestore: %v", err)
	}
	return instanceID
}

// restoreKeys are the access keys of the instance's RestoreInstance requests.
func restoreKeys(t *testing.T, instanceID string) []string {
	t.Helper()
	var keys []string
	for _, r := range requestsFor(t, instanceID) {
		if r.Operation == "RestoreInstance" {
			keys = append(keys, r.AccessKey)
		}
	}
	return keys
}

func TestHWEnvironmentAloneConfiguresTheClient(t *testing.T) {
	hwEnvironment(t)
	instanceID := startRestoreFromEnvironment(t, Config{})
	requests := requestsFor(t, instanceID)
	if keys := restoreKeys(t, instanceID); len(keys) != 1 || keys[0] != hwAccessKey {
		t.Fatalf("RestoreInstance signed by %v, want [%s]", keys, hwAccessKey)
	}
	for _, r := range requests {
		if !strings.HasPrefix(r.Path, "/v2/"+demoProjectID+"/") {
			t.Errorf("a request outside HW_PROJECT_ID's project: %+v", r)
		}
	}
	if got := restoresStarted(t, instanceID); got != 1 {
		t.Fatalf("%d restores started, want 1", got)
	}
}

func TestHuaweiCloudSDKEnvironmentWinsOverHW(t *testing.T) {
	hwEnvironment(t)
	t.Setenv("HUAWEICLOUD_SDK_AK", demoAccessKey)
	t.Setenv("HUAWEICLOUD_SDK_SK", demoSecretKey)
	// Used, this project would fail the call: the emulator does not know it.
	t.Setenv("HW_PROJECT_ID", "ffffffffffffffffffffffffffffffff")
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", demoProjectID)
	instanceID := startRestoreFromEnvironment(t, Config{})
	if keys := restoreKeys(t, instanceID); len(keys) != 1 || keys[0] != demoAccessKey {
		t.Fatalf("RestoreInstance signed by %v, want [%s]", keys, demoAccessKey)
	}
}

func TestConfigWinsOverHW(t *testing.T) {
	hwEnvironment(t)
	instanceID := startRestoreFromEnvironment(t, Config{AccessKey: demoAccessKey, SecretKey: demoSecretKey})
	if keys := restoreKeys(t, instanceID); len(keys) != 1 || keys[0] != demoAccessKey {
		t.Fatalf("RestoreInstance signed by %v, want [%s]", keys, demoAccessKey)
	}
}

func TestIgnoreEnvironmentIgnoresHW(t *testing.T) {
	hwEnvironment(t)
	_, err := NewClient(Config{Endpoint: emulatorURL, IgnoreEnvironment: true})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("NewClient without credentials: %v", err)
	}
}

func TestHalfAnSDKPairIsNotCompletedFromHW(t *testing.T) {
	hwEnvironment(t)
	t.Setenv("HUAWEICLOUD_SDK_AK", demoAccessKey)
	_, err := NewClient(Config{})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("NewClient with half the official SDK's pair: %v", err)
	}
	if strings.Contains(err.Error(), hwSecretKey) {
		t.Fatal("the error shows HW_SECRET_KEY")
	}
}

func TestHWSecurityTokenGoesWithTheHWKeysOnly(t *testing.T) {
	hwEnvironment(t)
	admin(t, "POST", "/credentials", map[string]string{"ak": hwTempAccessKey, "sk": hwTempSecretKey,
		"project_id": demoProjectID, "security_token": hwToken}, nil)
	t.Setenv("HW_ACCESS_KEY", hwTempAccessKey)
	t.Setenv("HW_SECRET_KEY", hwTempSecretKey)
	t.Setenv("HW_SECURITY_TOKEN", hwToken)
	// Temporary HW_* credentials: the emulator verifies the token that came with them.
	instanceID := startRestoreFromEnvironment(t, Config{})
	if keys := restoreKeys(t, instanceID); len(keys) != 1 || keys[0] != hwTempAccessKey {
		t.Fatalf("RestoreInstance signed by %v, want [%s]", keys, hwTempAccessKey)
	}
	// The official SDK's permanent keys do not pick the token up: the emulator refuses a
	// token sent with a permanent key, so a success proves none was sent.
	t.Setenv("HUAWEICLOUD_SDK_AK", demoAccessKey)
	t.Setenv("HUAWEICLOUD_SDK_SK", demoSecretKey)
	other := startRestoreFromEnvironment(t, Config{})
	if keys := restoreKeys(t, other); len(keys) != 1 || keys[0] != demoAccessKey {
		t.Fatalf("RestoreInstance signed by %v, want [%s]", keys, demoAccessKey)
	}
}
