// Tests of the Huawei Cloud Terraform provider's environment variables (HW_*) in the
// provider block's resolution: the fallback after the attributes and HUAWEICLOUD_SDK_* /
// DCS_*, with the keys and the token of one set only.

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// hwEnvironment is a complete HW_* set.
func hwEnvironment() map[string]string {
	return map[string]string{
		EnvHWAccessKey: "HWAK", EnvHWSecretKey: "HWSK", EnvHWSecurityToken: "hw-token",
		EnvHWProjectID: "hwproject", EnvHWRegion: "ap-southeast-3",
	}
}

func TestHWEnvironmentAloneConfiguresTheProvider(t *testing.T) {
	cfg, diags := resolveConfig(nullProviderModel(), env(hwEnvironment()))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := ClientConfig{Region: "ap-southeast-3", ProjectID: "hwproject", AccessKey: "HWAK", SecretKey: "HWSK", SecurityToken: "hw-token"}
	if cfg.Region != want.Region || cfg.Endpoint != "" || cfg.ProjectID != want.ProjectID ||
		cfg.AccessKey != want.AccessKey || cfg.SecretKey != want.SecretKey || cfg.SecurityToken != want.SecurityToken {
		t.Fatalf("got %+v, want %+v", cfg, want)
	}
}

func TestOfficialSDKVariablesWinOverHW(t *testing.T) {
	vars := hwEnvironment()
	vars[EnvAccessKey], vars[EnvSecretKey], vars[EnvSecurityToken] = "SDKAK", "SDKSK", "sdk-token"
	vars[EnvProjectID], vars[EnvRegion] = "sdkproject", "cn-north-4"
	cfg, diags := resolveConfig(nullProviderModel(), env(vars))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	if cfg.AccessKey != "SDKAK" || cfg.SecretKey != "SDKSK" || cfg.SecurityToken != "sdk-token" ||
		cfg.ProjectID != "sdkproject" || cfg.Region != "cn-north-4" {
		t.Fatalf("HW_* won over the official SDK variables: %+v", cfg)
	}
}

func TestAttributesWinOverHW(t *testing.T) {
	m := nullProviderModel()
	m.Region = types.StringValue("cn-east-3")
	m.ProjectID = types.StringValue("p2")
	m.AccessKey = types.StringValue("AK2")
	m.SecretKey = types.StringValue("SK2")
	cfg, diags := resolveConfig(m, env(hwEnvironment()))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	if cfg.Region != "cn-east-3" || cfg.ProjectID != "p2" || cfg.AccessKey != "AK2" || cfg.SecretKey != "SK2" {
		t.Fatalf("attributes did not win: %+v", cfg)
	}
	if cfg.SecurityToken != "" {
		t.Fatalf("HW_SECURITY_TOKEN %q joined the configuration's keys", cfg.SecurityToken)
	}
}

func TestCredentialSetsAreNeverMixed(t *testing.T) {
	t.Run("HW_SECURITY_TOKEN does not join the official SDK keys", func(t *testing.T) {
		vars := hwEnvironment()
		vars[EnvAccessKey], vars[EnvSecretKey] = "SDKAK", "SDKSK"
		cfg, diags := resolveConfig(nullProviderModel(), env(vars))
		if diags.HasError() {
			t.Fatalf("diagnostics: %v", diags)
		}
		if cfg.AccessKey != "SDKAK" || cfg.SecretKey != "SDKSK" || cfg.SecurityToken != "" {
			t.Fatalf("got %+v", cfg)
		}
	})
	t.Run("half an official SDK pair is reported, not completed from HW_*", func(t *testing.T) {
		vars := hwEnvironment()
		vars[EnvAccessKey] = "SDKAK"
		cfg, diags := resolveConfig(nullProviderModel(), env(vars))
		if !diags.HasError() {
			t.Fatalf("no error; the secret key became %q", cfg.SecretKey)
		}
		var all strings.Builder
		for _, d := range diags.Errors() {
			all.WriteString(d.Summary() + " " + d.Detail() + "\n")
		}
		if !strings.Contains(all.String(), "Missing DCS secret_key") || strings.Contains(all.String(), "access_key") {
			t.Fatalf("diagnostics:\n%s", all.String())
		}
	})
}

func TestDCSEndpointAndRegionWinOverHWRegion(t *testing.T) {
	vars := hwEnvironment()
	vars[EnvEndpoint] = "http://127.0.0.1:1"
	cfg, diags := resolveConfig(nullProviderModel(), env(vars))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	// Both reach libdcs, where the endpoint wins over the region.
	if cfg.Endpoint != "http://127.0.0.1:1" || cfg.Region != "ap-southeast-3" {
		t.Fatalf("got %+v", cfg)
	}
}

func TestMissingValuesNameTheHWVariables(t *testing.T) {
	_, diags := resolveConfig(nullProviderModel(), env(nil))
	var all strings.Builder
	for _, d := range diags.Errors() {
		all.WriteString(d.Detail() + "\n")
	}
	for _, want := range []string{EnvHWRegion, EnvHWProjectID, EnvHWAccessKey, EnvHWSecretKey} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("diagnostics do not mention %s:\n%s", want, all.String())
		}
	}
}
