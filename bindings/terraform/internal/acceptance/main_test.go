// Package acceptance drives the provider with a real Terraform CLI against dcs-emulator.
// It needs TF_ACC=1, a CLI in TF_ACC_TERRAFORM_PATH (scripts/build-terraform-cli.sh builds
// one from source) and libdcs (build tag dcs_static links it in).
package acceptance

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/libdcs/libdcs/bindings/terraform/internal/dcsclient"
	"github.com/libdcs/libdcs/bindings/terraform/internal/provider"
)

// emu is the emulator every test of the package shares; each test makes its own instance.
var emu *emulator

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		os.Exit(m.Run()) // resource.Test skips every test
	}
	var err error
	emu, err = startEmulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests need dcs-emulator:", err)
		os.Exit(1)
	}
	code := m.Run()
	emu.stop()
	os.Exit(code)
}

// providerFactories serves the provider in-process; no dev_overrides needed.
var providerFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"dcs": providerserver.NewProtocol6WithError(provider.New("acctest", dcsclient.Connect, dcsclient.Rules{})()),
}

// preCheck skips when there is no CLI to drive: none can be downloaded here.
func preCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is unset: no Terraform CLI can be downloaded offline; " +
			"build one with scripts/build-terraform-cli.sh (or run scripts/test.sh)")
	}
}

// providerBlock points the provider at the emulator with the demo credentials.
func providerBlock() string {
	return fmt.Sprintf(`
provider "dcs" {
  endpoint   = %q
  project_id = %q
  access_key = %q
  secret_key = %q
}
`, emu.url, demoProjectID, demoAccessKey, demoSecretKey)
}
