// Acceptance tests of the credentials chain: a provider block without keys restores with the
// keys of a profile file, or with the temporary credentials of the ECS metadata service, and
// one with no source at all fails at plan time naming them. Proved from the emulator's side:
// who signed the restore, how many restores were posted, how many credentials it issued.

package acceptance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// clearCredentialEnv empties every variable that could supply keys, a project or a profile
// file, so that the provider block and the chain are all the test's provider has.
func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{
		"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID",
		"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "HW_PROJECT_ID", "HW_REGION_NAME",
		"DCS_REGION", "DCS_ENDPOINT",
	} {
		t.Setenv(name, "")
	}
	// The SDKs' default file, named but absent: neither the provider nor libdcs may fall
	// back on the ~/.huaweicloud/credentials of whoever runs the tests.
	t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "absent-credentials"))
}

// chainRestoreConfig restores the instance's newest restorable backup through a provider
// whose block is providerBody (no keys in it).
func chainRestoreConfig(providerBody, instanceID string) string {
	return fmt.Sprintf(`
provider "dcs" {
%s
}

data "dcs_backups" "good" {
  instance_id = %q
  restorable  = true
}

resource "dcs_instance_restore" "this" {
  instance_id = data.dcs_backups.good.instance_id
  backup_id   = data.dcs_backups.good.latest_restorable_id
}
`, providerBody, instanceID)
}

// checkRestoreSignedBy checks, in the emulator's request log, that exactly one
// RestoreInstance request for the instance was accepted and that signedBy accepts its key.
func checkRestoreSignedBy(t *testing.T, instanceID string, signedBy func(accessKey string) bool, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if posts := emu.restorePosts(t, instanceID); posts != 1 {
			return fmt.Errorf("the emulator received %d restore POSTs for %s, want 1", posts, instanceID)
		}
		var keys []string
		for _, r := range emu.requestsFor(t, instanceID) {
			if r.Operation == "RestoreInstance" {
				keys = append(keys, r.AccessKey)
				if r.Status/100 != 2 || !signedBy(r.AccessKey) {
					return fmt.Errorf("RestoreInstance answered %d, signed by %q; want 2xx signed by %s", r.Status, r.AccessKey, want)
				}
			}
		}
		if len(keys) != 1 {
			return fmt.Errorf("the request log holds %d RestoreInstance requests (%v), want 1", len(keys), keys)
		}
		return nil
	}
}

func TestAccCredentialsFromProfileFile(t *testing.T) {
	preCheck(t)
	clearCredentialEnv(t)
	instanceID := emu.newInstance(t, "acc-profile", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	emu.admin(t, "PUT", "/instances/"+instanceID+"/data", map[string]string{"greeting": "after-backup", "scratch": "written-after-backup"}, nil)

	// The demo keys and project live only in this file, in a section other than [basic].
	file := filepath.Join(t.TempDir(), "credentials")
	profile := fmt.Sprintf("[basic]\nak = WRONGACCESSKEY000001\nsk = wrong\n\n[ci]\nak = %s\nsk = %s\nproject_id = %s\n",
		demoAccessKey, demoSecretKey, demoProjectID)
	if err := os.WriteFile(file, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			// No keys anywhere and no profile file: refused before anything is sent.
			{
				Config:      chainRestoreConfig(fmt.Sprintf("  endpoint   = %q\n  project_id = %q", emu.url, demoProjectID), instanceID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Missing DCS credentials.*shared_config_file.*use_ecs_metadata`),
			},
			// A named section that the file lacks is libdcs's error, with where it looked.
			{
				Config:      chainRestoreConfig(fmt.Sprintf("  endpoint           = %q\n  shared_config_file = %q\n  profile            = \"absent\"", emu.url, file), instanceID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot create the DCS client.*\[absent\]`),
			},
			// The [ci] section gives the keys and the project (no project_id in the block).
			{
				Config: chainRestoreConfig(fmt.Sprintf("  endpoint           = %q\n  shared_config_file = %q\n  profile            = \"ci\"", emu.url, file), instanceID),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(restoreAddr, "status", "succeed"),
					checkDataRestored(t, instanceID),
					checkRestoreSignedBy(t, instanceID, func(ak string) bool { return ak == demoAccessKey }, demoAccessKey),
				),
			},
		},
	})
}

// emulatorStats is the part of GET /_emulator/stats the tests read.
type emulatorStats struct {
	CredentialsIssued int `json:"credentials_issued"`
	ExpiredRefused    int `json:"expired_refused"`
}

func (e *emulator) stats(t *testing.T) emulatorStats {
	t.Helper()
	var s emulatorStats
	e.admin(t, "GET", "/stats", nil, &s)
	return s
}

func TestAccCredentialsFromECSMetadata(t *testing.T) {
	preCheck(t)
	clearCredentialEnv(t)
	instanceID := emu.newInstance(t, "acc-metadata", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	emu.admin(t, "PUT", "/instances/"+instanceID+"/data", map[string]string{"greeting": "after-backup", "scratch": "written-after-backup"}, nil)
	// The metadata service starts without an agency, as on a fresh ECS; off again afterwards.
	emu.admin(t, "PUT", "/metadata", map[string]any{"project_id": ""}, nil)
	t.Cleanup(func() { emu.admin(t, "PUT", "/metadata", map[string]any{"project_id": ""}, nil) })
	before := emu.stats(t)

	body := fmt.Sprintf("  endpoint          = %q\n  project_id        = %q\n  use_ecs_metadata  = true\n  metadata_endpoint = %q",
		emu.url, demoProjectID, emu.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			// Without an agency the metadata service refuses, and that is what the user sees.
			{
				Config:      chainRestoreConfig(body, instanceID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)metadata.*Agency`),
			},
			{
				PreConfig: func() {
					if posts := emu.restorePosts(t, instanceID); posts != 0 {
						t.Fatalf("a failed plan posted %d restores", posts)
					}
					emu.admin(t, "PUT", "/metadata", map[string]any{"project_id": demoProjectID, "ttl_ms": 600000}, nil)
				},
				Config: chainRestoreConfig(body, instanceID),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(restoreAddr, "status", "succeed"),
					checkDataRestored(t, instanceID),
					// The emulator issues temporary keys named TMP...; the demo key is not one.
					checkRestoreSignedBy(t, instanceID, func(ak string) bool { return strings.HasPrefix(ak, "TMP") }, "a temporary key (TMP...)"),
					func(*terraform.State) error {
						after := emu.stats(t)
						if issued := after.CredentialsIssued - before.CredentialsIssued; issued < 1 {
							return fmt.Errorf("the metadata service issued %d credentials, want at least 1", issued)
						}
						if refused := after.ExpiredRefused - before.ExpiredRefused; refused != 0 {
							return fmt.Errorf("the emulator refused %d requests signed with expired credentials", refused)
						}
						return nil
					},
				),
			},
		},
	})
}
