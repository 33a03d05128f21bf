// Acceptance tests of dcs_instance_restore and the data sources through a real Terraform
// CLI: the life cycle, failed restores, timeouts, lost answers and gone instances.

package acceptance

import (
	"context"
	"fmt"
	"regexp"
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

// restoreConfig restores a given backup, with a create timeout and no data source (so that a
// fault aimed at the whole instance hits only the resource).
func restoreConfig(instanceID, backupID, createTimeout string) string {
	return providerBlock() + fmt.Sprintf(`
resource "dcs_instance_restore" "this" {
  instance_id = %q
  backup_id   = %q
  remark      = "acceptance"

  timeouts {
    create = %q
  }
}
`, instanceID, backupID, createTimeout)
}

func checkRestorePosts(t *testing.T, instanceID string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := emu.restorePosts(t, instanceID); got != want {
			return fmt.Errorf("the emulator received %d RestoreInstance requests for %s, want %d", got, instanceID, want)
		}
		return nil
	}
}

// checkUntainted asserts the restore is in the state, not tainted, with one of the statuses.
func checkUntainted(statuses ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[restoreAddr]
		if !ok || rs.Primary == nil {
			return fmt.Errorf("%s is not in the state", restoreAddr)
		}
		if rs.Primary.Tainted {
			return fmt.Errorf("%s is tainted: the next apply would restore again", restoreAddr)
		}
		status := rs.Primary.Attributes["status"]
		for _, want := range statuses {
			if status == want {
				return nil
			}
		}
		return fmt.Errorf("status %q, want one of %v", status, statuses)
	}
}

// waitForInstanceRunning waits until the instance's restore (running or failing) is over.
func waitForInstanceRunning(t *testing.T, instanceID string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for emu.instance(t, instanceID).Status != "RUNNING" {
		if time.Now().After(deadline) {
			t.Fatalf("instance %s is still not RUNNING", instanceID)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestAccInstanceRestoreFailed(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-failed", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	// Every restore started from now on ends "failed" with this record error code.
	emu.setTimings(t, map[string]any{"fail_restores": "dcs.08.0007"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{
				Config:      restoreLatestConfig(instanceID, false),
				ExpectError: regexp.MustCompile(`(?s)Restore failed.*error\s+code\s+dcs\.08\.0007\s+\(request\s+id\s+[0-9a-f]{8,}\)`),
			},
			// The failed restore is tainted: the next plan replaces it.
			{
				Config:             restoreLatestConfig(instanceID, false),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionReplace)},
				},
			},
		},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
	})
}

func TestAccInstanceRestoreCreateTimeoutKeepsTheRunningRestore(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-timeout", nil)
	backupID := emu.newBackup(t, instanceID, "")
	// A restore that runs for a long time: still running when the 5 s create timeout passes.
	emu.setTimings(t, map[string]any{"restore_running_ms": 120000})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			// Applied with a warning, not tainted; the framework then asserts that the next
			// plans (without and with a refresh) are empty.
			{
				Config: restoreConfig(instanceID, backupID, "5s"),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUntainted("waiting", "restoring"),
					checkRestoresStarted(t, instanceID, 1),
					checkRestorePosts(t, instanceID, 1),
				),
			},
			{
				Config:   restoreConfig(instanceID, backupID, "5s"),
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
	})
}

func TestAccInstanceRestoreFailedAfterTheCreateTimeoutIsReplaced(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-failed-later", nil)
	backupID := emu.newBackup(t, instanceID, "")
	emu.setTimings(t, map[string]any{"restore_running_ms": 10000, "fail_restores": "dcs.08.0007"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{
				Config: restoreConfig(instanceID, backupID, "2s"),
				Check:  checkUntainted("waiting", "restoring"),
			},
			// Once a refresh finds it "failed", the plan replaces it.
			{
				PreConfig:          func() { waitForInstanceRunning(t, instanceID) },
				Config:             restoreConfig(instanceID, backupID, "2s"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
			// Applying that plan restores again, this time successfully.
			{
				PreConfig: func() {
					emu.admin(t, "PUT", "/timings", map[string]any{"restore_running_ms": 250, "fail_restores": ""}, nil)
				},
				Config: restoreConfig(instanceID, backupID, "1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUntainted("succeed"),
					checkRestoresStarted(t, instanceID, 2),
				),
			},
		},
	})
}

func TestAccInstanceRestoreLostAnswerStartsOneRestore(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-lost-answer", nil)
	backupID := emu.newBackup(t, instanceID, "")
	// The restore starts, then the connection closes without a byte of answer.
	emu.addFault(t, instanceID, map[string]any{"operation": "RestoreInstance", "kind": "close_after", "count": 1})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(instanceID, backupID, "1m"),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkUntainted("succeed"),
				checkRestoresStarted(t, instanceID, 1),
				checkRestorePosts(t, instanceID, 1),
				func(*terraform.State) error {
					if emu.faultsFired(t) != 1 {
						return fmt.Errorf("the close_after fault fired %d times, want 1", emu.faultsFired(t))
					}
					return nil
				},
				// The state holds the id of the instance's one restore.
				func(s *terraform.State) error {
					ids := restoreIDs(t, instanceID)
					if got := s.RootModule().Resources[restoreAddr].Primary.ID; len(ids) != 1 || ids[0] != got {
						return fmt.Errorf("the state holds restore %q, the instance has %v", got, ids)
					}
					return nil
				},
			),
		}},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
	})
}

// restoreIDs lists the instance's restore records through the Go binding.
func restoreIDs(t *testing.T, instanceID string) []string {
	t.Helper()
	client, err := dcs.NewClient(dcs.Config{Endpoint: emu.url, AccessKey: demoAccessKey, SecretKey: demoSecretKey,
		ProjectID: demoProjectID, IgnoreEnvironment: true})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	restores, err := client.ListRestores(context.Background(), instanceID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range restores {
		ids = append(ids, r.RestoreID)
	}
	return ids
}

func TestAccInstanceRestoreUnlistedRecordIsKept(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-unlisted", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	t.Cleanup(func() { emu.clearFaults(t) })

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{Config: restoreLatestConfig(instanceID, false)},
			// DCS answers the restore listing with 204 No Content while the instance exists:
			// the refresh keeps the restore (with a warning) and plans nothing, least of all a
			// new restore over the live data.
			{
				PreConfig: func() {
					emu.admin(t, "POST", "/faults", map[string]any{
						"operation": "ListRestoreRecords", "kind": "status", "status": 204, "body": "", "instance_id": instanceID,
					}, nil)
				},
				Config:   restoreLatestConfig(instanceID, false),
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// An explicit refresh with the record still missing keeps it in the state too.
			{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUntainted("succeed"),
					checkRestoresStarted(t, instanceID, 1),
				),
			},
			// With the records back, the same state plans nothing.
			{
				PreConfig: func() { emu.clearFiredFaults(t) },
				Config:    restoreLatestConfig(instanceID, false),
				PlanOnly:  true,
			},
		},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
	})
}

func TestAccInstanceRestoreGoneInstanceLeavesTheState(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-gone-instance", nil)
	backupID := emu.newBackup(t, instanceID, "")
	t.Cleanup(func() { emu.clearFaults(t) })

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{Config: restoreConfig(instanceID, backupID, "1m")},
			// Every call for the instance answers "this instance does not exist": the refresh
			// removes the restore, and the plan wants to create one.
			{
				PreConfig: func() {
					emu.admin(t, "POST", "/faults", map[string]any{
						"operation": "*", "kind": "status", "status": 404, "instance_id": instanceID,
						"body": `{"error_code":"DCS.3022","error_msg":"This DCS instance does not exist.","error_ext_msg":null}`,
					}, nil)
				},
				Config:             restoreConfig(instanceID, backupID, "1m"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionCreate)},
				},
			},
			// The instance back, the same state plans nothing.
			{
				PreConfig: func() { emu.clearFiredFaults(t) },
				Config:    restoreConfig(instanceID, backupID, "1m"),
				PlanOnly:  true,
			},
		},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
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

// TestAccPlanRefusesWhatLibdcsRefuses: the validators ask libdcs (through the Go binding), so
// a bad id or remark fails the plan with libdcs's own message, and nothing is sent.
func TestAccPlanRefusesWhatLibdcsRefuses(t *testing.T) {
	preCheck(t)
	for _, c := range []struct{ instance, remark, want string }{
		{"../x", "ok", `instance_id`},
		{"inst-1", "tab\there", `remark`},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: providerFactories,
			Steps: []resource.TestStep{{
				Config: providerBlock() + fmt.Sprintf(`
resource "dcs_instance_restore" "bad" {
  instance_id = %q
  backup_id   = "backup-1"
  remark      = %q
}
`, c.instance, c.remark),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid (DCS id|remark).*` + c.want),
			}},
		})
	}
}
