package provider

import (
	"context"
	"strconv"
	"time"

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

// nonEmptyValidator refuses "": an optional argument is left out, not set empty (a region
// of "" would otherwise plan as the provider's, which is not what the configuration says).
// What a non-empty value must look like is libdcs's to judge.
type nonEmptyValidator struct{}

func (nonEmptyValidator) Description(context.Context) string {
	return "must not be empty; leave the argument out instead"
}

func (v nonEmptyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (nonEmptyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty value", "Leave the argument out instead of setting it to \"\".")
	}
}

// timeValidator checks that a time argument has the layout the provider converts it with,
// so that a typo is a plan error. Whether the time is one DCS takes is libdcs's to judge.
type timeValidator struct {
	layout  string // a time.Parse layout
	example string // the same layout as people write it, for messages
}

func (v timeValidator) Description(context.Context) string {
	return "must be a UTC time such as " + v.example
}

func (v timeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v timeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(v.layout, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time",
			"Expected a time such as "+v.example+", got "+strconv.Quote(req.ConfigValue.ValueString())+".")
	}
}
