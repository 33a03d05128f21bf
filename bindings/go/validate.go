// libdcs's own argument checks, for code that wants to refuse bad input early (the Terraform
// provider does at plan time) with exactly the rules every call applies: no copy of the
// rules lives in Go.

package dcs

// #include <dcs/dcs.h>
import "C"

// ValidateID returns nil when value is an id libdcs accepts (instance, backup, restore or
// project: 1-64 characters of letters, digits, '-' and '_'), else an *Error with
// StatusInvalidArgument whose message names name.
func ValidateID(name, value string) error {
	var s cStrings
	defer s.free()
	cname, cvalue := s.str("name", name), s.str(name, value)
	if s.err != nil {
		return s.err
	}
	var err *C.dcs_error
	if status := C.dcs_validate_id(cname, cvalue, &err); status != C.DCS_OK {
		return takeError(status, err)
	}
	return nil
}

// ValidateRemark returns nil when remark is a remark libdcs accepts (at most 128 bytes of
// UTF-8 without control characters), else an *Error with StatusInvalidArgument.
func ValidateRemark(remark string) error {
	var s cStrings
	defer s.free()
	cremark := s.str("remark", remark)
	if s.err != nil {
		return s.err
	}
	var err *C.dcs_error
	if status := C.dcs_validate_remark(cremark, &err); status != C.DCS_OK {
		return takeError(status, err)
	}
	return nil
}
