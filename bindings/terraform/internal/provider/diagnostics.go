// Helpers the resource and the data sources share: the configured client taken from the
// provider data, and API errors turned into diagnostics that support can act on.

package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// clientFromProviderData returns the API client the provider configured. Terraform calls
// Configure on resources and data sources before the provider is configured too, with nil
// data; that is not an error.
func clientFromProviderData(data any, diags *diag.Diagnostics) API {
	if data == nil {
		return nil
	}
	client, ok := data.(API)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected the DCS API client, got %T. This is a bug in the provider.", data))
		return nil
	}
	return client
}

// describeAPIError is the detail of a diagnostic for a failed call: the message, then the
// service's error code and the request id that support needs.
func describeAPIError(err error) string {
	apiErr := asAPIError(err)
	var b strings.Builder
	b.WriteString(apiErr.Message)
	if apiErr.Code != "" {
		fmt.Fprintf(&b, "\nError code: %s", apiErr.Code)
	}
	if apiErr.HTTPStatus != 0 {
		fmt.Fprintf(&b, "\nHTTP status: %d", apiErr.HTTPStatus)
	}
	if apiErr.RequestID != "" {
		fmt.Fprintf(&b, "\nRequest ID: %s", apiErr.RequestID)
	}
	return b.String()
}
