// Acceptance test of dcs_backups' filters and latest_restorable_before_id through a real
// Terraform CLI: the restore uses the backup libdcs chose before the incident, and the
// emulator's request log shows that the times went to DCS.

package acceptance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// datedBackup makes a backup record created at `at` with the given fields.
func datedBackup(t *testing.T, instanceID string, at time.Time, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"created_at": at.UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		body[k] = v
	}
	var created struct {
		BackupID string `json:"backup_id"`
	}
	emu.admin(t, "POST", "/instances/"+instanceID+"/backups", body, &created)
	return created.BackupID
}

// checkListedWith asserts that a ListBackupRecords request carried every part of query.
func checkListedWith(t *testing.T, parts ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var log struct {
			Requests []struct {
				Operation string `json:"operation"`
				Query     string `json:"query"`
			} `json:"requests"`
		}
		emu.admin(t, "GET", "/requests", nil, &log)
		var seen []string
		for _, r := range log.Requests {
			if r.Operation != "ListBackupRecords" {
				continue
			}
			seen = append(seen, r.Query)
			all := true
			for _, part := range parts {
				all = all && strings.Contains(r.Query, part)
			}
			if all {
				return nil
			}
		}
		return fmt.Errorf("no ListBackupRecords with %v among %v", parts, seen)
	}
}

func TestAccRestoreTheLatestBackupBeforeAnIncident(t *testing.T) {
	preCheck(t)
	instanceID := emu.newInstance(t, "acc-before-incident", map[string]string{"greeting": "before-backup"})
	incident := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	datedBackup(t, instanceID, incident.Add(-2*time.Hour), nil)
	datedBackup(t, instanceID, incident.Add(-30*time.Minute), map[string]any{"backup_type": "auto"})
	want := datedBackup(t, instanceID, incident.Add(-time.Hour), nil)
	datedBackup(t, instanceID, incident.Add(-10*time.Minute), map[string]any{"status": "failed", "is_support_restore": "FALSE"})
	datedBackup(t, instanceID, incident.Add(10*time.Minute), nil)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock() + fmt.Sprintf(`
data "dcs_backups" "before_incident" {
  instance_id       = %[1]q
  begin_time        = "20191231000000"
  end_time          = "20200101120000"
  type              = "manual"
  restorable_before = "2020-01-01T10:00:00Z"
}

resource "dcs_instance_restore" "this" {
  instance_id = %[1]q
  backup_id   = data.dcs_backups.before_incident.latest_restorable_before_id

  timeouts {
    create = "3m"
  }
}
`, instanceID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(restoreAddr, "backup_id", want),
				resource.TestCheckResourceAttr(restoreAddr, "status", "succeed"),
				// The listing's window and the selector's "before" both went to DCS.
				checkListedWith(t, "begin_time=20191231000000", "end_time=20200101120000"),
				checkListedWith(t, "end_time=20200101100000"),
				checkRestoresStarted(t, instanceID, 1),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.dcs_backups.before_incident",
					tfjsonpath.New("latest_restorable_before_id"), knownvalue.StringExact(want)),
				// type = "manual": the auto backup is not listed; the others of the window are.
				statecheck.ExpectKnownValue("data.dcs_backups.before_incident",
					tfjsonpath.New("backups"), knownvalue.ListSizeExact(4)),
			},
		}},
		CheckDestroy: checkRestoresStarted(t, instanceID, 1),
	})
}
