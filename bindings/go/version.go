// Pins the package to major version 1 of the libdcs ABI at build time, and reports the
// version of the library linked at run time.

package dcs

/*
#include <dcs/dcs.h>

// This package speaks version 1 of the libdcs ABI; a header of another major version
// would compile into calls with different meanings, so refuse it at build time.
#if DCS_VERSION_MAJOR != 1
#error "the dcs Go package needs libdcs 1.x (dcs.h DCS_VERSION_MAJOR == 1)"
#endif
*/
import "C"

// Version returns the version of the libdcs library linked at run time, e.g. "1.0.0".
func Version() string {
	return C.GoString(C.dcs_version_string())
}
