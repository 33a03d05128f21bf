// Documentation generation: `go generate` in bindings/terraform writes docs/ from the
// provider's schema, templates/ and examples/ with tfplugindocs (see scripts/docs.sh, which
// needs libdcs built and a Terraform CLI); scripts/test.sh fails when docs/ differs.
package main

//go:generate ./scripts/docs.sh docs
