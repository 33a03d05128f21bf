package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Rules are libdcs's own checks of what a configuration may hold. main hands them to the
// provider from the Go binding (internal/dcsclient), so plan-time validation applies exactly
// the library's rules and this package restates none of them; it also stays free of cgo, so
// its unit tests run against fakes. Nil Rules validate nothing (schema-only tests).
type Rules interface {
	ValidateID(name, value string) error
	ValidateRemark(remark string) error
}

// dcsIDValidator checks a DCS id with libdcs's rule, turning a typo into a plan error
// instead of an apply error.
type dcsIDValidator struct {
	rules Rules
	name  string // the id's name in messages, e.g. "instance_id"
}

func (dcsIDValidator) Description(context.Context) string {
	return "must be an id libdcs accepts: 1-64 characters of letters, digits, '-' and '_'"
}

func (v dcsIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v dcsIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if v.rules == nil || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.rules.ValidateID(v.name, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid DCS id", err.Error())
	}
}

// remarkValidator checks a restore remark with libdcs's rule (at most 128 bytes of UTF-8
// without control characters, the service's DCS.4098 limit).
type remarkValidator struct {
	rules Rules
}

func (remarkValidator) Description(context.Context) string {
	return "must be a remark libdcs accepts: at most 128 bytes of UTF-8 without control characters"
}

func (v remarkValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v remarkValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if v.rules == nil || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.rules.ValidateRemark(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid remark", err.Error())
	}
}
