// Tests of the credentials chain in the provider configuration: keys win, the profile file
// and the metadata service stand in when there are none, and nothing at all is reported
// naming every source.

package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestChainKeysWinOverTheProfile(t *testing.T) {
	m := nullProviderModel()
	m.SharedConfigFile = types.StringValue("/nonexistent/credentials")
	m.Profile = types.StringValue("other")
	m.UseECSMetadata = types.BoolValue(true)
	cfg, diags := resolveConfig(m, env(map[string]string{
		EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "p", EnvEndpoint: "http://127.0.0.1:1",
	}))
	if diags.HasError() {
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	if cfg.UseProfile || cfg.UseMetadata || cfg.ProfileFile != "" || cfg.ProfileName != "" {
		t.Fatalf("the chain is on although keys are set: %+v", cfg)
	}
}

func TestChainNothingSuppliesCredentials(t *testing.T) {
	home := t.TempDir() // no .huaweicloud/credentials in it
	_, diags := resolveConfig(nullProviderModel(), env(map[string]string{"HOME": home, EnvEndpoint: "http://127.0.0.1:1"}))
	text := diagText(diags)
	if !strings.Contains(text, "Missing DCS credentials") {
		t.Fatalf("no missing-credentials diagnostic:\n%s", text)
	}
	for _, want := range []string{"access_key", EnvAccessKey, EnvHWAccessKey, "shared_config_file", EnvCredentialsFile, "use_ecs_metadata", "Missing DCS project_id"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostics do not mention %s:\n%s", want, text)
		}
	}
}

func TestChainDefaultProfileFileStandsInForKeys(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".huaweicloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".huaweicloud", "credentials"), []byte("[basic]\nak = AK\nsk = SK\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The environment's token has no keys to go with: it must not reach the client.
	cfg, diags := resolveConfig(nullProviderModel(), env(map[string]string{
		"HOME": home, EnvEndpoint: "http://127.0.0.1:1", EnvSecurityToken: "stray-token",
	}))
	if diags.HasError() {
		// No project_id either: the profile's may fill it, so libdcs judges it.
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	if !cfg.UseProfile || cfg.UseMetadata || cfg.ProfileFile != "" || cfg.ProfileName != "" || cfg.SecurityToken != "" {
		t.Fatalf("got %+v, want the default profile only and no token", cfg)
	}
}

func TestChainNamedProfileIsPassedOn(t *testing.T) {
	m := nullProviderModel()
	m.SharedConfigFile = types.StringValue("/somewhere/credentials")
	m.Profile = types.StringValue("ci")
	cfg, diags := resolveConfig(m, env(map[string]string{EnvRegion: "cn-north-4"}))
	if diags.HasError() {
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	if !cfg.UseProfile || cfg.ProfileFile != "/somewhere/credentials" || cfg.ProfileName != "ci" {
		t.Fatalf("got %+v", cfg)
	}
	if hint := chainHint(cfg); !strings.Contains(hint, "/somewhere/credentials") || !strings.Contains(hint, "[ci]") {
		t.Fatalf("hint does not name the file and section: %s", hint)
	}
}

func TestChainMetadataNeedsAProject(t *testing.T) {
	m := nullProviderModel()
	m.UseECSMetadata = types.BoolValue(true)
	m.MetadataEndpoint = types.StringValue("http://127.0.0.1:9")
	vars := map[string]string{"HOME": t.TempDir(), EnvEndpoint: "http://127.0.0.1:1"}
	_, diags := resolveConfig(m, env(vars))
	if text := diagText(diags); !strings.Contains(text, "Missing DCS project_id") || strings.Contains(text, "Missing DCS credentials") {
		t.Fatalf("want only the project reported missing:\n%s", text)
	}

	vars[EnvHWProjectID] = "proj"
	cfg, diags := resolveConfig(m, env(vars))
	if diags.HasError() {
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	if !cfg.UseProfile || !cfg.UseMetadata || cfg.MetadataEndpoint != "http://127.0.0.1:9" || cfg.ProjectID != "proj" {
		t.Fatalf("got %+v", cfg)
	}
	if hint := chainHint(cfg); !strings.Contains(hint, "metadata service at http://127.0.0.1:9") {
		t.Fatalf("hint does not name the metadata endpoint: %s", hint)
	}
}

func TestChainHalfAPairIsNotCompletedByTheChain(t *testing.T) {
	m := nullProviderModel()
	m.AccessKey = types.StringValue("AK")
	m.UseECSMetadata = types.BoolValue(true)
	cfg, diags := resolveConfig(m, env(map[string]string{EnvProjectID: "p", EnvEndpoint: "http://127.0.0.1:1"}))
	if text := diagText(diags); !strings.Contains(text, "Missing DCS secret_key") {
		t.Fatalf("half a key pair was accepted:\n%s", text)
	}
	if cfg.UseProfile || cfg.UseMetadata {
		t.Fatalf("the chain is on beside an access key: %+v", cfg)
	}
}

func TestChainUnknownMetadataSwitchIsAnError(t *testing.T) {
	m := nullProviderModel()
	m.UseECSMetadata = types.BoolUnknown()
	_, diags := resolveConfig(m, env(map[string]string{EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "p", EnvEndpoint: "http://127.0.0.1:1"}))
	if !strings.Contains(diagText(diags), "use_ecs_metadata") {
		t.Fatalf("an unknown use_ecs_metadata was accepted: %s", diagText(diags))
	}
}
