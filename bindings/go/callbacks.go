// The Go side of libdcs's log and progress callbacks, which C reaches through cgo.Handle
// integers and which must never let a panic unwind through libdcs's C++ frames.

package dcs

import "runtime/cgo"

// #include <stdint.h>
// #include <dcs/dcs.h>
import "C"

// The Go ends of libdcs's callbacks. C never holds a Go pointer: it holds a cgo.Handle
// (an integer) as user_data, and the C shims in shims.go pass it back here.
//
// A panic must not unwind through libdcs's C++ frames (locks and destructors there would be
// skipped), so both trampolines recover.

//export dcsGoLog
func dcsGoLog(handle C.uintptr_t, level C.int, message *C.char) {
	logger := cgo.Handle(handle).Value().(func(LogLevel, string))
	text := C.GoString(message)
	defer func() {
		// A logger that panics loses its line; there is no caller here to hand it to.
		_ = recover()
	}()
	logger(LogLevel(level), text)
}

//export dcsGoProgress
func dcsGoProgress(handle C.uintptr_t, record *C.dcs_restore_record) {
	cgo.Handle(handle).Value().(*waitProgress).observe(restoreFromC(record))
}
