// Credentials that outlive a long wait: a Go CredentialsProvider behind libdcs's credentials
// callback, which C reaches through a cgo.Handle and which never lets a panic unwind through
// libdcs's C++ frames.

package dcs

import (
	"fmt"
	"runtime/cgo"
	"strings"
	"time"
	"unsafe"
)

// #include <stdint.h>
// #include <stdlib.h>
// #include <dcs/dcs.h>
import "C"

// Credentials is what a CredentialsProvider returns: keys, the security token of temporary
// credentials, and when they stop working (the zero time: never).
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
	ExpiresAt     time.Time
}

// CredentialsProvider gives the credentials to sign with. libdcs calls it when a client first
// needs credentials and again before the last ones expire (when less than a quarter of their
// lifetime, at most 5 minutes, is left), so a long WaitForRestore with temporary credentials
// never signs a poll with expired ones. It is called on the goroutine of the call that needs
// credentials, one at a time per client, and must not call the client. An error (or a panic)
// fails that call with ErrAuth carrying its message, nothing sent.
type CredentialsProvider func() (Credentials, error)

//export dcsGoCredentials
func dcsGoCredentials(handle C.uintptr_t, creds *C.dcs_credentials) (rc C.int) {
	provider := cgo.Handle(handle).Value().(CredentialsProvider)
	defer func() {
		if r := recover(); r != nil {
			credentialsFailure(creds, fmt.Sprintf("the provider panicked: %v", r))
			rc = 1
		}
	}()
	got, err := provider()
	if err != nil {
		credentialsFailure(creds, err.Error())
		return 1
	}
	for _, s := range []string{got.AccessKey, got.SecretKey, got.SecurityToken} {
		if strings.IndexByte(s, 0) >= 0 {
			credentialsFailure(creds, "the provider's credentials contain a NUL byte")
			return 1
		}
	}
	ak, sk := C.CString(got.AccessKey), C.CString(got.SecretKey)
	defer C.free(unsafe.Pointer(ak))
	defer C.free(unsafe.Pointer(sk))
	var token *C.char
	if got.SecurityToken != "" {
		token = C.CString(got.SecurityToken)
		defer C.free(unsafe.Pointer(token))
	}
	var expires C.int64_t
	if !got.ExpiresAt.IsZero() {
		expires = C.int64_t(got.ExpiresAt.Unix())
		if expires <= 0 {
			credentialsFailure(creds, "the provider's ExpiresAt is before 1970")
			return 1
		}
	}
	var cerr *C.dcs_error
	if status := C.dcs_credentials_set(creds, ak, sk, token, expires, &cerr); status != C.DCS_OK {
		credentialsFailure(creds, takeError(status, cerr).Error())
		return 1
	}
	return 0
}

func credentialsFailure(creds *C.dcs_credentials, message string) {
	text := C.CString(strings.ReplaceAll(message, "\x00", " "))
	defer C.free(unsafe.Pointer(text))
	C.dcs_credentials_set_failure(creds, text)
}
