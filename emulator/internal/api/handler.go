// The request pipeline of the signed DCS API, kept in one place so that its order, the API
// gateway's, is plain to see: log, route, authenticate, count, apply a fault, carry out.

package api

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/auth"
	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/ids"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

// maxBodyBytes bounds request bodies; DCS bodies are tiny.
const maxBodyBytes = 1 << 20

// Handler serves the signed DCS API.
type Handler struct {
	Store  *state.Store
	Faults *faults.Registry
	Log    *reqlog.Log
	Stats  *stats.Counters
	Now    func() time.Time
}

// ServeHTTP runs the gateway's steps in the gateway's order: authenticate, check the
// project, then (and only then) count the request and apply a fault, then carry the
// operation out.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.Stats.Requests.Add(1)
	requestID := ids.NewRequestID()
	w.Header().Set("X-Request-Id", requestID)
	rawPath, rawQuery := auth.SplitRequestURI(r.RequestURI)
	entry := reqlog.Entry{
		Time: ids.Timestamp(h.now()), Method: r.Method, Path: rawPath, Query: rawQuery,
	}
	// The entry is logged once: when the handler returns, or earlier, just before a
	// fault drops the connection, so a client that saw the drop finds it logged.
	var logged sync.Once
	logEntry := func() { logged.Do(func() { h.Log.Add(h.redact(entry)) }) }
	defer logEntry()
	onDrop := func(status int) { entry.Status = status; logEntry() }

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		entry.Status = 0
		return
	}
	entry.Body = string(body)
	if len(body) > maxBodyBytes {
		writeGatewayError(w, http.StatusRequestEntityTooLarge, "APIGW.0201", "Request entity too large.")
		entry.Status = http.StatusRequestEntityTooLarge
		return
	}
	route, known := match(r.Method, rawPath)
	entry.Operation = route.Operation
	// The gateway finds the API before it authenticates (the authentication is a
	// property of the API), so an unknown path is 404 whether or not it is signed.
	if !known {
		if a, _ := auth.ParseAuthorization(r.Header.Get("Authorization")); a.AccessKey != "" {
			entry.AccessKey = a.AccessKey
		}
		writeGatewayError(w, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment.")
		entry.Status = http.StatusNotFound
		return
	}

	verifier := auth.Verifier{Lookup: h.Store.LookupCredential, Now: h.now}
	result, authErr := verifier.Verify(r, body)
	if authErr == nil {
		// The SDKs send X-Project-Id with the project of the path; a different one is
		// a request signed for another project.
		if pid := r.Header.Get("X-Project-Id"); pid != "" && pid != route.ProjectID {
			authErr = &auth.Error{Code: auth.CodeIAMAuth,
				Message: "Incorrect IAM authentication information: X-Project-Id is not the project of the request path"}
		}
	}
	if authErr != nil {
		// Log who claimed to call, for debugging, but nothing secret.
		if a, _ := auth.ParseAuthorization(r.Header.Get("Authorization")); a.AccessKey != "" {
			entry.AccessKey, entry.SignedHeaders = a.AccessKey, a.SignedHeaders
		}
		if authErr.Code == auth.CodeTokenExpired {
			h.Stats.ExpiredRefused.Add(1)
		}
		writeGatewayError(w, http.StatusUnauthorized, authErr.Code, authErr.Message)
		entry.Status = http.StatusUnauthorized
		return
	}
	entry.AccessKey, entry.SignedHeaders = result.Credential.AccessKey, result.SignedHeaders

	if route.ProjectID != result.Credential.ProjectID {
		writeError(w, state.ErrForeignProject)
		entry.Status = http.StatusForbidden
		return
	}

	h.countPost(route)
	released := h.Faults.Released() // before Select: a reset in between still lets go
	fault, faulty := h.Faults.Select(route.Operation, route.InstanceID)
	if faulty {
		h.Stats.FaultsFired.Add(1)
		entry.Fault = fault.Kind
		if !faults.CarriesOut(fault.Kind) {
			entry.Status = faults.WriteInstead(w, fault, onDrop)
			return
		}
		if fault.Kind == faults.Delay {
			select {
			case <-time.After(time.Duration(fault.DelayMs) * time.Millisecond):
			case <-r.Context().Done():
				return // the client gave up; like the gateway, do not carry out
			}
		}
	}

	// The operation always writes into a recorder: a fault may need the whole
	// answer before deciding how to (mis)deliver it, and the log needs its status.
	rec := faults.NewRecorder()
	rec.Header().Set("X-Request-Id", requestID)
	h.carryOut(rec, call{route: route, r: r, body: body})
	if faulty {
		entry.Status = faults.WriteAfter(r.Context(), w, fault, rec, released, onDrop)
		return
	}
	rec.Replay(w)
	entry.Status = rec.Status
}

// countPost counts a RestoreInstance or CopyInstance request that got past the
// gateway's checks, before anything (a fault, a refusal) can happen to it.
func (h *Handler) countPost(route Route) {
	switch route.Operation {
	case "RestoreInstance":
		h.Stats.RestorePosts.Add(1)
		h.Store.CountRestorePost(route.ProjectID, route.InstanceID)
	case "CopyInstance":
		h.Stats.BackupPosts.Add(1)
		h.Store.CountBackupPost(route.ProjectID, route.InstanceID)
	}
}

// carryOut checks the instance id and existence, then runs the operation.
func (h *Handler) carryOut(w http.ResponseWriter, c call) {
	if !state.ValidInstanceID(c.route.InstanceID) {
		writeError(w, state.ErrBadInstanceID)
		return
	}
	if _, err := h.Store.ShowInstance(c.route.ProjectID, c.route.InstanceID); err != nil {
		writeError(w, err)
		return
	}
	operations[c.route.Operation](h.Store, w, c)
}

// redact removes any secret a client may have put in a body or query by mistake.
func (h *Handler) redact(e reqlog.Entry) reqlog.Entry {
	for _, secret := range h.Store.Secrets() {
		e.Body = strings.ReplaceAll(e.Body, secret, "[REDACTED]")
		e.Query = strings.ReplaceAll(e.Query, secret, "[REDACTED]")
	}
	return e
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
