// Acceptance test of moving a restore from huaweicloud_dcs_instance_restore to
// dcs_instance_restore (docs/MIGRATING-FROM-HUAWEICLOUD.md): the documented import-block
// example, applied with a real Terraform CLI against a restore made outside this provider,
// must take it over without starting another.

package acceptance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	dcs "github.com/libdcs/libdcs/bindings/go"
)

// The example's placeholders, replaced by the test's own ids.
const (
	exampleInstanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	exampleRestoreID  = "0d6d9c1e-4f57-4e0c-a7a1-0b5f8e7e1c33"
	exampleBackupID   = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
	exampleRemark     = "rollback after bad deploy"
	migratedAddr      = "dcs_instance_restore.rollback"
)

// repoFile reads a file of the repository, relative to its root.
func repoFile(t *testing.T, rel string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(wd, "..", "..", "..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

const importExample = "bindings/terraform/examples/resources/dcs_instance_restore/import-from-huaweicloud.tf"

// The migration guide shows the example that TestAccMigrateFromHuaweiCloudByImportBlock
// applies, verbatim; needs neither TF_ACC nor a CLI.
func TestMigrationGuideShowsTheTestedExample(t *testing.T) {
	guide := repoFile(t, "docs/MIGRATING-FROM-HUAWEICLOUD.md")
	if example := repoFile(t, importExample); !strings.Contains(guide, example) {
		t.Fatalf("docs/MIGRATING-FROM-HUAWEICLOUD.md does not contain %s as it is:\n%s", importExample, example)
	}
}

// startRestoreOutside restores the instance as the Huawei Cloud provider did: one
// RestoreInstance request with the description as remark, waited for until it succeeded.
func startRestoreOutside(t *testing.T, instanceID, backupID, remark string) string {
	t.Helper()
	client, err := dcs.NewClient(dcs.Config{Endpoint: emu.url, AccessKey: demoAccessKey, SecretKey: demoSecretKey,
		ProjectID: demoProjectID, IgnoreEnvironment: true})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	started, err := client.StartRestore(ctx, instanceID, backupID, dcs.WithRemark(remark))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.WaitForRestore(ctx, instanceID, started.RestoreID); err != nil {
		t.Fatal(err)
	}
	return started.RestoreID
}

func TestAccMigrateFromHuaweiCloudByImportBlock(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-migrate", map[string]string{"greeting": "before-backup"})
	backupID := emu.newBackup(t, instanceID, "")
	restoreID := startRestoreOutside(t, instanceID, backupID, exampleRemark)
	if got := emu.restorePosts(t, instanceID); got != 1 {
		t.Fatalf("setting up: %d restore requests, want 1", got)
	}

	config := providerBlock() + strings.NewReplacer(
		exampleInstanceID, instanceID, exampleRestoreID, restoreID, exampleBackupID, backupID,
	).Replace(repoFile(t, importExample))
	// Nothing but the import may reach DCS: the emulator counts every restore request.
	onlyTheOutsideRestore := func(*terraform.State) error {
		if err := checkRestoresStarted(t, instanceID, 1)(nil); err != nil {
			return err
		}
		if got := emu.restorePosts(t, instanceID); got != 1 {
			return fmt.Errorf("the emulator received %d restore requests, want only the one made outside Terraform", got)
		}
		return nil
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// "1 to import, 0 to add": imported, and nothing to change.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(migratedAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("id"), knownvalue.StringExact(restoreID)),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("instance_id"), knownvalue.StringExact(instanceID)),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("backup_id"), knownvalue.StringExact(backupID)),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("remark"), knownvalue.StringExact(exampleRemark)),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeed")),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("restore_name"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(migratedAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
				Check: onlyTheOutsideRestore,
			},
			// Once imported the block is kept or removed alike: an empty plan either way.
			{
				Config:   providerBlock() + repoFileWithoutImport(t, instanceID, backupID),
				PlanOnly: true,
			},
		},
		CheckDestroy: onlyTheOutsideRestore,
	})
}

// repoFileWithoutImport is the example's resource block alone, for the ids given.
func repoFileWithoutImport(t *testing.T, instanceID, backupID string) string {
	example := repoFile(t, importExample)
	block := example[strings.Index(example, `resource "dcs_instance_restore"`):]
	return strings.NewReplacer(exampleInstanceID, instanceID, exampleBackupID, backupID).Replace(block)
}
