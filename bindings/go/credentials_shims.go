// The C half of the credentials callback (credentials.go may only declare in its preamble,
// as it has an //export), with the handle-to-pointer conversion done in C.

package dcs

/*
#include <stdint.h>
#include <dcs/dcs.h>

extern int dcsGoCredentials(uintptr_t handle, dcs_credentials *creds);

static int dcs_go_credentials_shim(void *user_data, dcs_credentials *creds) {
	return dcsGoCredentials((uintptr_t)user_data, creds);
}

static dcs_status dcs_go_set_credentials_provider(dcs_client_options *opts, uintptr_t handle,
                                                  dcs_error **out_err) {
	return dcs_client_options_set_credentials_provider(opts, dcs_go_credentials_shim,
	                                                   (void *)handle, out_err);
}
*/
import "C"

import "runtime/cgo"

func setCredentialsProvider(opts *C.dcs_client_options, h cgo.Handle) (C.dcs_status, *C.dcs_error) {
	var cerr *C.dcs_error
	status := C.dcs_go_set_credentials_provider(opts, C.uintptr_t(h), &cerr)
	return status, cerr
}
