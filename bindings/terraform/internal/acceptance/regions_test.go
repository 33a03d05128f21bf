// Acceptance tests of a resource's and a data source's own `region`, and of the Huawei Cloud
// provider's environment variables (HW_*), through a real Terraform CLI. A second emulator
// plays the other region, with its own project, so that which endpoint and project a
// request used is proven by the emulator that received it.

package acceptance

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const (
	southRegion  = "cn-south-1"
	southProject = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
	southAddr    = "dcs_instance_restore.south"
)

// loggedRequest is an entry of the emulator's request log.
type loggedRequest struct {
	Path      string `json:"path"`
	Operation string `json:"operation"`
	AccessKey string `json:"access_key"`
	Status    int    `json:"status"`
}

// requestsFor is the emulator's log of the requests that named the instance.
func (e *emulator) requestsFor(t *testing.T, instanceID string) []loggedRequest {
	t.Helper()
	var log struct {
		Requests []loggedRequest `json:"requests"`
	}
	e.admin(t, "GET", "/requests", nil, &log)
	var out []loggedRequest
	for _, r := range log.Requests {
		if strings.Contains(r.Path, "/instances/"+instanceID) {
			out = append(out, r)
		}
	}
	return out
}

// startSouth starts the other region's emulator (state only: no data needed), where the
// demo keys belong to southProject, with an instance of that project and a backup of it.
func startSouth(t *testing.T) (south *emulator, instanceID, backupID string) {
	t.Helper()
	south, err := startEmulator("--state-only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(south.stop)
	south.admin(t, "POST", "/credentials", map[string]any{"ak": demoAccessKey, "sk": demoSecretKey, "project_id": southProject}, nil)
	var created adminInstance
	south.admin(t, "POST", "/instances", map[string]any{"name": "acc-south", "cache_mode": "ha", "project_id": southProject}, &created)
	return south, created.InstanceID, south.newBackup(t, created.InstanceID, "")
}

// regionalProviderBlock is a provider in cn-north-4 (the package's emulator) whose `regions`
// serves cn-south-1 from `south`.
func regionalProviderBlock(south *emulator) string {
	return fmt.Sprintf(`
provider "dcs" {
  endpoint   = %q
  region     = "cn-north-4"
  project_id = %q
  access_key = %q
  secret_key = %q

  regions = {
    %q = {
      endpoint   = %q
      project_id = %q
    }
  }
}
`, emu.url, demoProjectID, demoAccessKey, demoSecretKey, southRegion, south.url, southProject)
}

func TestAccRegionOverrideUsesThatRegionsEndpointAndProject(t *testing.T) {
	preCheck(t)
	south, instanceID, backupID := startSouth(t)
	config := regionalProviderBlock(south) + fmt.Sprintf(`
data "dcs_instance" "south" {
  region      = %[1]q
  instance_id = %[2]q
}

resource "dcs_instance_restore" "south" {
  region      = %[1]q
  instance_id = data.dcs_instance.south.instance_id
  backup_id   = %[3]q
}
`, southRegion, instanceID, backupID)
	// Every request for the instance went to the south emulator, in its project, and none
	// to the provider's own endpoint.
	checkRouting := func(*terraform.State) error {
		if got := south.restoresStarted(t, instanceID); got != 1 {
			return fmt.Errorf("the south emulator started %d restores, want 1", got)
		}
		requests := south.requestsFor(t, instanceID)
		if len(requests) == 0 {
			return fmt.Errorf("the south emulator received no request for the instance")
		}
		for _, r := range requests {
			if !strings.HasPrefix(r.Path, "/v2/"+southProject+"/") || r.Status/100 != 2 {
				return fmt.Errorf("a request to the south emulator: %+v", r)
			}
		}
		if north := emu.requestsFor(t, instanceID); len(north) != 0 {
			return fmt.Errorf("the provider's own endpoint received %d requests for the instance: %+v", len(north), north)
		}
		return nil
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(southAddr, tfjsonpath.New("region"), knownvalue.StringExact(southRegion)),
					statecheck.ExpectKnownValue(southAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeed")),
					statecheck.ExpectKnownValue("data.dcs_instance.south", tfjsonpath.New("name"), knownvalue.StringExact("acc-south")),
					statecheck.ExpectKnownValue("data.dcs_instance.south", tfjsonpath.New("region"), knownvalue.StringExact(southRegion)),
				},
				Check: checkRouting,
			},
			// Import by <region>/<instance_id>/<restore_id> gives the same state.
			{
				ResourceName:      southAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return southRegion + "/" + instanceID + "/" + s.RootModule().Resources[southAddr].Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
		CheckDestroy: checkRouting,
	})
}

func TestAccRegionWithoutAnEndpointFailsThePlan(t *testing.T) {
	preCheck(t)
	south, instanceID, backupID := startSouth(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{{
			// The provider's endpoint is explicit: it cannot guess another region's.
			Config: regionalProviderBlock(south) + fmt.Sprintf(`
resource "dcs_instance_restore" "elsewhere" {
  region      = "eu-west-0"
  instance_id = %q
  backup_id   = %q
}
`, instanceID, backupID),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)region "eu-west-0" differs from the provider's.*regions`),
		}},
	})
	if n := len(south.requestsFor(t, instanceID)) + len(emu.requestsFor(t, instanceID)); n != 0 {
		t.Fatalf("a plan that failed sent %d requests", n)
	}
}

func TestAccHWEnvironmentConfiguresTheProvider(t *testing.T) {
	preCheck(t)
	const hwAccessKey, hwSecretKey = "HWACCESSKEY000000001", "hw-secret-key-0123456789abcdefghijklmn"
	emu.admin(t, "POST", "/credentials", map[string]any{"ak": hwAccessKey, "sk": hwSecretKey, "project_id": demoProjectID}, nil)
	for _, name := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID", "DCS_REGION", "DCS_ENDPOINT", "HW_SECURITY_TOKEN"} {
		t.Setenv(name, "")
	}
	t.Setenv("HW_ACCESS_KEY", hwAccessKey)
	t.Setenv("HW_SECRET_KEY", hwSecretKey)
	t.Setenv("HW_PROJECT_ID", demoProjectID)
	t.Setenv("HW_REGION_NAME", "cn-north-4")
	instanceID := emu.newInstance(t, "acc-hw-env", map[string]string{"greeting": "before-backup"})
	emu.newBackup(t, instanceID, "")
	// The provider block names only where the emulator is; everything else is HW_*.
	config := fmt.Sprintf(`
provider "dcs" {
  endpoint = %q
}

data "dcs_backups" "good" {
  instance_id = %[2]q
  restorable  = true
}

resource "dcs_instance_restore" "this" {
  instance_id = %[2]q
  backup_id   = data.dcs_backups.good.latest_restorable_id
}
`, emu.url, instanceID)
	// signedBy checks that the instance's latest request was signed with the access key.
	signedBy := func(accessKey, operation string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			requests := emu.requestsFor(t, instanceID)
			var last *loggedRequest
			for i := range requests {
				if requests[i].Operation == operation {
					last = &requests[i]
				}
			}
			if last == nil || last.AccessKey != accessKey || last.Status/100 != 2 {
				return fmt.Errorf("the last %s request for the instance: %+v, want one signed by %s", operation, last, accessKey)
			}
			return nil
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					// HW_REGION_NAME is the provider's region (the endpoint wins for routing).
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("region"), knownvalue.StringExact("cn-north-4")),
					statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeed")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					signedBy(hwAccessKey, "RestoreInstance"),
					checkRestoresStarted(t, instanceID, 1),
				),
			},
			// With the official SDK's keys set as well, they win: the refresh is signed by them.
			{
				PreConfig: func() {
					t.Setenv("HUAWEICLOUD_SDK_AK", demoAccessKey)
					t.Setenv("HUAWEICLOUD_SDK_SK", demoSecretKey)
				},
				RefreshState: true,
				Check:        signedBy(demoAccessKey, "ListRestoreRecords"),
			},
		},
	})
}
