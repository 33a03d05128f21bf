package provider

import (
	"context"
	"fmt"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// dcsIDPattern is what libdcs accepts as an instance, backup or restore id. Checking it at
// validate time turns a typo into a plan error instead of an apply error.
var dcsIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// dcsIDValidator checks a DCS id.
type dcsIDValidator struct{}

func (dcsIDValidator) Description(context.Context) string {
	return "must be 1-64 characters of letters, digits, '-' and '_'"
}

func (v dcsIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v dcsIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !dcsIDPattern.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid DCS id",
			fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// maxRemarkBytes is the service's limit on a restore remark (DCS.4098).
const maxRemarkBytes = 128

// remarkValidator checks a restore remark: at most 128 bytes of UTF-8 without control
// characters, as libdcs and the service require.
type remarkValidator struct{}

func (remarkValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at most %d bytes of UTF-8 without control characters", maxRemarkBytes)
}

func (v remarkValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v remarkValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := remarkProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid remark", "The remark "+problem+".")
	}
}

// remarkProblem describes what is wrong with a remark, or returns "".
func remarkProblem(remark string) string {
	if len(remark) > maxRemarkBytes {
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(remark), maxRemarkBytes)
	}
	if !utf8.ValidString(remark) {
		return "is not valid UTF-8"
	}
	for _, r := range remark {
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains the control character %U", r)
		}
	}
	return ""
}
