package api

import (
	"io"
	"net/http"
	"strings"
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
// project, then (and only then) apply a fault, then carry the operation out.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.Stats.Requests.Add(1)
	requestID := ids.NewRequestID()
	w.Header().Set("X-Request-Id", requestID)
	rawPath, rawQuery := auth.SplitRequestURI(r.RequestURI)
	entry := reqlog.Entry{
		Time: ids.Timestamp(h.now()), Method: r.Method, Path: rawPath, Query: rawQuery,
	}
	defer func() { h.Log.Add(h.redact(entry)) }()

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

	verifier := auth.Verifier{Lookup: h.Store.LookupCredential, Now: h.now}
	result, authErr := verifier.Verify(r, body)
	if authErr != nil {
		// Log who claimed to call, for debugging, but nothing secret.
		if a, err := auth.ParseAuthorization(r.Header.Get("Authorization")); err == nil {
			entry.AccessKey, entry.SignedHeaders = a.AccessKey, a.SignedHeaders
		}
		writeGatewayError(w, http.StatusUnauthorized, "APIGW.0301", authErr.Message)
		entry.Status = http.StatusUnauthorized
		return
	}
	entry.AccessKey, entry.SignedHeaders = result.Credential.AccessKey, result.SignedHeaders

	if !known {
		writeGatewayError(w, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment.")
		entry.Status = http.StatusNotFound
		return
	}
	if route.ProjectID != result.Credential.ProjectID {
		writeGatewayError(w, http.StatusForbidden, "DCS.2007",
			"The project ID in the request path does not match the project of the access key.")
		entry.Status = http.StatusForbidden
		return
	}

	fault, faulty := h.Faults.Select(route.Operation)
	if faulty {
		entry.Fault = fault.Kind
		if !faults.CarriesOut(fault.Kind) {
			entry.Status = faults.WriteInstead(w, fault)
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
		entry.Status = faults.WriteAfter(w, fault, rec)
		return
	}
	rec.Replay(w)
	entry.Status = rec.Status
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
