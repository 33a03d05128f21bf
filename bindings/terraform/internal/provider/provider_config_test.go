// Tests of how the provider block and the environment combine into the client
// configuration.

package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func nullProviderModel() providerModel {
	return providerModel{
		Region: types.StringNull(), Endpoint: types.StringNull(), ProjectID: types.StringNull(),
		AccessKey: types.StringNull(), SecretKey: types.StringNull(), SecurityToken: types.StringNull(),
		CAFile: types.StringNull(), Insecure: types.BoolNull(),
	}
}

func TestConfigComesFromTheEnvironment(t *testing.T) {
	cfg, diags := resolveConfig(nullProviderModel(), env(map[string]string{
		EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "proj", EnvSecurityToken: "tok",
		EnvRegion: "cn-north-4", EnvEndpoint: "http://127.0.0.1:1",
	}))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := ClientConfig{Region: "cn-north-4", Endpoint: "http://127.0.0.1:1", ProjectID: "proj", AccessKey: "AK", SecretKey: "SK", SecurityToken: "tok"}
	if cfg.Region != want.Region || cfg.Endpoint != want.Endpoint || cfg.ProjectID != want.ProjectID ||
		cfg.AccessKey != want.AccessKey || cfg.SecretKey != want.SecretKey || cfg.SecurityToken != want.SecurityToken {
		t.Fatalf("got %+v, want %+v", cfg, want)
	}
}

func TestConfigAttributesWinOverTheEnvironment(t *testing.T) {
	m := nullProviderModel()
	m.Endpoint = types.StringValue("http://127.0.0.1:2")
	m.ProjectID = types.StringValue("p2")
	m.AccessKey = types.StringValue("AK2")
	m.SecretKey = types.StringValue("SK2")
	m.Insecure = types.BoolValue(true)
	cfg, diags := resolveConfig(m, env(map[string]string{
		EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "proj", EnvSecurityToken: "env-token", EnvEndpoint: "http://127.0.0.1:1",
	}))
	if diags.HasError() {
		t.Fatalf("diagnostics: %v", diags)
	}
	if cfg.Endpoint != "http://127.0.0.1:2" || cfg.ProjectID != "p2" || cfg.AccessKey != "AK2" || cfg.SecretKey != "SK2" || !cfg.Insecure {
		t.Fatalf("attributes did not win: %+v", cfg)
	}
	// The environment's token belongs to the environment's keys.
	if cfg.SecurityToken != "" {
		t.Fatalf("security token %q joined explicit keys", cfg.SecurityToken)
	}
}

func TestConfigMissingValuesAreReported(t *testing.T) {
	_, diags := resolveConfig(nullProviderModel(), env(nil))
	if !diags.HasError() {
		t.Fatal("no error for an empty configuration")
	}
	var all strings.Builder
	for _, d := range diags.Errors() {
		all.WriteString(d.Summary() + " " + d.Detail() + "\n")
	}
	for _, want := range []string{EnvRegion, EnvEndpoint, EnvProjectID, EnvAccessKey, EnvSecretKey} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("diagnostics do not mention %s:\n%s", want, all.String())
		}
	}
}

func TestConfigUnknownValueIsAnError(t *testing.T) {
	m := nullProviderModel()
	m.Endpoint = types.StringUnknown()
	_, diags := resolveConfig(m, env(map[string]string{EnvAccessKey: "AK", EnvSecretKey: "SK", EnvProjectID: "p"}))
	if !diags.HasError() {
		t.Fatal("an unknown endpoint was accepted")
	}
}
