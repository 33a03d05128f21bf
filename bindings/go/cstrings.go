// Go strings on their way to C: copied for one call, freed when it ends, and refused when a
// NUL byte would silently cut them short.

package dcs

import (
	"strings"
	"unsafe"
)

// #include <stdlib.h>
import "C"

// cStrings converts a call's Go string arguments to C strings and frees them all when the
// call is done. C strings end at the first NUL, so a Go string holding one would reach
// libdcs silently cut short ("id\x00../x" would become "id"): such strings are refused.
type cStrings struct {
	allocated []unsafe.Pointer
	err       *Error
}

// str returns value as a C string; name is the parameter's name for the error message.
// After the first refusal it returns nil and the error is kept in s.err.
func (s *cStrings) str(name, value string) *C.char {
	if s.err != nil {
		return nil
	}
	if strings.IndexByte(value, 0) >= 0 {
		s.err = invalidArgument(name + " contains a NUL byte")
		return nil
	}
	p := C.CString(value)
	s.allocated = append(s.allocated, unsafe.Pointer(p))
	return p
}

// optional is str, except that "" becomes NULL: libdcs's "not given".
func (s *cStrings) optional(name, value string) *C.char {
	if value == "" {
		return nil
	}
	return s.str(name, value)
}

func (s *cStrings) free() {
	for _, p := range s.allocated {
		C.free(p)
	}
	s.allocated = nil
}
