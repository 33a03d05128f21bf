// Tests of the provider's network settings: `proxy` (unset = the environment's proxy
// variables, which libdcs reads; "" = direct) and `ca_dir`.

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestProxyAndCADir(t *testing.T) {
	base := env(map[string]string{EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "proj", EnvRegion: "cn-north-4"})

	cfg, diags := resolveConfig(nullProviderModel(), base)
	if diags.HasError() || cfg.ProxySet || cfg.Proxy != "" || cfg.CADir != "" {
		t.Fatalf("unset: %+v %v", cfg, diags)
	}

	m := nullProviderModel()
	m.Proxy = types.StringValue("")
	m.CADir = types.StringValue("/etc/ssl/certs")
	cfg, diags = resolveConfig(m, base)
	if diags.HasError() || !cfg.ProxySet || cfg.Proxy != "" || cfg.CADir != "/etc/ssl/certs" {
		t.Fatalf(`proxy = "": %+v %v`, cfg, diags)
	}

	m.Proxy = types.StringValue("http://user:pass@proxy:3128")
	cfg, diags = resolveConfig(m, base)
	if diags.HasError() || !cfg.ProxySet || cfg.Proxy != "http://user:pass@proxy:3128" {
		t.Fatalf("explicit proxy: %+v %v", cfg, diags)
	}

	m.Proxy = types.StringUnknown()
	if _, diags = resolveConfig(m, base); !diags.HasError() {
		t.Fatal("an unknown proxy must be refused at plan time")
	}
}
