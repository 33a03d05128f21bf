// The C half of the callbacks: definitions callbacks.go cannot hold (a file with //export
// may only declare in its preamble), and the handle-to-pointer conversion, done in C.

package dcs

/*
#include <stdint.h>
#include <dcs/dcs.h>

// Exported from callbacks.go (a file with //export may only declare in its preamble, so the
// definitions live here).
extern void dcsGoLog(uintptr_t handle, int level, char *message);
extern void dcsGoProgress(uintptr_t handle, dcs_restore_record *record);

static void dcs_go_log_shim(void *user_data, int level, const char *message) {
	dcsGoLog((uintptr_t)user_data, level, (char *)message);
}

static void dcs_go_progress_shim(void *user_data, const dcs_restore_record *record) {
	dcsGoProgress((uintptr_t)user_data, (dcs_restore_record *)record);
}

// The handle becomes a void * here, in C, where that conversion is ordinary; done in Go it
// would look like a misused unsafe.Pointer.
static dcs_status dcs_go_set_log_callback(dcs_client_options *opts, uintptr_t handle,
                                          int max_level, dcs_error **out_err) {
	return dcs_client_options_set_log_callback(opts, dcs_go_log_shim, (void *)handle, max_level,
	                                           out_err);
}

static dcs_status dcs_go_set_progress_callback(dcs_wait_options *opts, uintptr_t handle,
                                               dcs_error **out_err) {
	return dcs_wait_options_set_progress_callback(opts, dcs_go_progress_shim, (void *)handle,
	                                              out_err);
}
*/
import "C"

import "runtime/cgo"

func setLogCallback(opts *C.dcs_client_options, h cgo.Handle, maxLevel LogLevel) (C.dcs_status, *C.dcs_error) {
	var cerr *C.dcs_error
	status := C.dcs_go_set_log_callback(opts, C.uintptr_t(h), C.int(maxLevel), &cerr)
	return status, cerr
}

func setProgressCallback(opts *C.dcs_wait_options, h cgo.Handle) (C.dcs_status, *C.dcs_error) {
	var cerr *C.dcs_error
	status := C.dcs_go_set_progress_callback(opts, C.uintptr_t(h), &cerr)
	return status, cerr
}
