package acceptance

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const restoreAddr = "dcs_instance_restore.this"

// restoreLatestConfig restores the newest restorable backup, found through dcs_backups.
func restoreLatestConfig(instanceID string, waitForRunning bool) string {
	return providerBlock() + fmt.Sprintf(`
data "dcs_instance" "this" {
  instance_id = %[1]q
}

data "dcs_backups" "good" {
  instance_id = data.dcs_instance.this.instance_id
  restorable  = true
}

resource "dcs_instance_restore" "this" {
  instance_id               = %[1]q
  backup_id                 = data.dcs_backups.good.latest_restorable_id
  remark                    = "acceptance"
  wait_for_instance_running = %[2]t

  timeouts {
    create = "3m"
  }
}
`, instanceID, waitForRunning)
}

// checkDataRestored asserts the instance holds the backup's data: the key written after
// the backup is gone and the one before it has its old value again.
func checkDataRestored(t *testing.T, instanceID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		data := emu.data(t, instanceID)
		if _, ok := data["scratch"]; ok {
			return fmt.Errorf("key written after the backup survived the restore: %v", data)
		}
		if data["greeting"] != "before-backup" {
			return fmt.Errorf("greeting = %q, want the backed-up value: %v", data["greeting"], data)
		}
		return nil
	}
}

func checkRestoresStarted(t *testing.T, instanceID string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := emu.restoresStarted(t, instanceID); got != want {
			return fmt.Errorf("the emulator started %d restores of %s, want %d", got, instanceID, want)
		}
		return nil
	}
}

func TestAccInstanceRestoreLifecycle(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-lifecycle", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "older")
	backupID := emu.newBackup(t, instanceID, "newest")
	emu.admin(t, "PUT", "/instances/"+instanceID+"/data", map[string]string{"greeting": "after-backup", "scratch": "written-after-backup"}, nil)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			// Plan, apply, and (done by the framework) a refresh and a plan that must be empty.
			{
				Config: restoreLatestConfig(instanceID, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("backup_id"), knownvalue.StringExact(backupID)),
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeed")),
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("remark"), knownvalue.StringExact("acceptance")),
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9_-]+$`))),
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.dcs_instance.this", tfjsonpath.New("cache_mode"), knownvalue.StringExact("ha")),
					statecheck.ExpectKnownValue("data.dcs_instance.this", tfjsonpath.New("name"), knownvalue.StringExact("acc-lifecycle")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkDataRestored(t, instanceID),
					checkRestoresStarted(t, instanceID, 1),
					resource.TestCheckResourceAttr("data.dcs_backups.good", "backups.#", "2"),
					resource.TestCheckResourceAttr("data.dcs_backups.good", "backups.0.id", backupID),
				),
			},
			// An explicit refresh.
			{
				RefreshState: true,
				Check:        checkRestoresStarted(t, instanceID, 1),
			},
			// Import by <instance_id>/<restore_id> gives the same state.
			{
				ResourceName:      restoreAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return instanceID + "/" + s.RootModule().Resources[restoreAddr].Primary.ID, nil
				},
				// timeouts is configuration only; DCS does not know it.
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			// wait_for_instance_running changes nothing in DCS: updated in place.
			{
				Config: restoreLatestConfig(instanceID, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkRestoresStarted(t, instanceID, 1),
			},
		},
		// Destroying forgets the restore; it does not undo it or start another.
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkDataRestored(t, instanceID),
			checkRestoresStarted(t, instanceID, 1),
		),
	})
}

func TestAccInstanceRestoreFailed(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-failed", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	// Every restore started from now on ends "failed" with this record error code.
	emu.admin(t, "PUT", "/timings", map[string]any{"fail_restores": "dcs.08.0007"}, nil)
	t.Cleanup(func() { emu.admin(t, "PUT", "/timings", map[string]any{"fail_restores": ""}, nil) })

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{{
			Config:      restoreLatestConfig(instanceID, false),
			ExpectError: regexp.MustCompile(`(?s)Restore failed.*error\s+code\s+dcs\.08\.0007\s+\(request\s+id\s+[0-9a-f]{8,}\)`),
		}},
	})
}

func TestAccInstanceRestoreGoneRecordLeavesTheState(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-gone", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	clearFaults := func() { emu.admin(t, "DELETE", "/faults", nil, nil) }
	t.Cleanup(clearFaults)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{Config: restoreLatestConfig(instanceID, false)},
			// DCS answers the restore listing with 204 No Content: the record is gone, so
			// a refresh drops it and the plan wants a new restore; no error.
			{
				PreConfig: func() {
					emu.admin(t, "POST", "/faults", map[string]any{
						"operation": "ListRestoreRecords", "kind": "status", "status": 204, "body": "",
					}, nil)
				},
				Config:             restoreLatestConfig(instanceID, false),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionCreate)},
				},
			},
			// With the records back, the same state plans nothing.
			{
				PreConfig: clearFaults,
				Config:    restoreLatestConfig(instanceID, false),
				PlanOnly:  true,
			},
		},
	})
}

func TestAccBackupsDataSourceEmpty(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-no-backups", nil)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock() + fmt.Sprintf(`
data "dcs_backups" "none" {
  instance_id = %q
}
`, instanceID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.dcs_backups.none", tfjsonpath.New("backups"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.dcs_backups.none", tfjsonpath.New("latest_restorable_id"), knownvalue.Null()),
			},
		}},
	})
}
