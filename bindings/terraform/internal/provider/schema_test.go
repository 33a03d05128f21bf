// Checks the schemas for the inconsistencies that the framework would otherwise find only
// at plan time.

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// The framework only checks a schema's internal consistency (e.g. a Default on an attribute
// that is not Computed) at plan time; ValidateImplementation does it here.

func TestProviderSchemaIsValid(t *testing.T) {
	ctx := context.Background()
	var resp fwprovider.SchemaResponse
	New("test", nil, nil)().Schema(ctx, fwprovider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("invalid provider schema: %v", diags)
	}
	for _, secret := range []string{"access_key", "secret_key", "security_token"} {
		if !resp.Schema.Attributes[secret].IsSensitive() {
			t.Errorf("%s is not marked sensitive", secret)
		}
	}
}

func TestResourceSchemaIsValid(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewInstanceRestoreResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("invalid resource schema: %v", diags)
	}
	if _, ok := resp.Schema.Blocks["timeouts"]; !ok {
		t.Error("no timeouts block")
	}
}

func TestDataSourceSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	for name, ds := range map[string]datasource.DataSource{"dcs_backups": NewBackupsDataSource(), "dcs_instance": NewInstanceDataSource()} {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("invalid %s schema: %v", name, diags)
		}
	}
}

func TestProviderRegistersItsTypes(t *testing.T) {
	ctx := context.Background()
	p := New("test", nil, nil)()
	names := map[string]bool{}
	for _, newResource := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "dcs"}, &resp)
		names[resp.TypeName] = true
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "dcs"}, &resp)
		names["data."+resp.TypeName] = true
	}
	for _, want := range []string{"dcs_instance_restore", "data.dcs_backups", "data.dcs_instance"} {
		if !names[want] {
			t.Errorf("%s is not registered (have %v)", want, names)
		}
	}
}
