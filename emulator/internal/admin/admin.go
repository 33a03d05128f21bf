// Package admin serves the unsigned /_emulator/ API that tests use to arrange the
// world (instances, data, backups, faults, timings) and to observe it (request log,
// counters).
package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/auth"
	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/ids"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

// Handler serves /_emulator/.
type Handler struct {
	Store  *state.Store
	Faults *faults.Registry
	Log    *reqlog.Log
	Stats  *stats.Counters
	mux    *http.ServeMux
}

// New builds the admin handler.
func New(s *state.Store, f *faults.Registry, l *reqlog.Log, c *stats.Counters) *Handler {
	h := &Handler{Store: s, Faults: f, Log: l, Stats: c, mux: http.NewServeMux()}
	routes := map[string]http.HandlerFunc{
		"POST /_emulator/reset":                  h.reset,
		"POST /_emulator/credentials":            h.addCredential,
		"POST /_emulator/instances":              h.createInstance,
		"GET /_emulator/instances":               h.listInstances,
		"GET /_emulator/instances/{id}":          h.getInstance,
		"PATCH /_emulator/instances/{id}":        h.patchInstance,
		"POST /_emulator/instances/{id}/backups": h.createBackup,
		"PUT /_emulator/instances/{id}/data":     h.setData,
		"GET /_emulator/instances/{id}/data":     h.getData,
		"DELETE /_emulator/instances/{id}/data":  h.flushData,
		"POST /_emulator/faults":                 h.addFault,
		"GET /_emulator/faults":                  h.listFaults,
		"DELETE /_emulator/faults":               h.clearFaults,
		"GET /_emulator/requests":                h.listRequests,
		"DELETE /_emulator/requests":             h.clearRequests,
		"GET /_emulator/stats":                   h.stats,
		"GET /_emulator/timings":                 h.getTimings,
		"PUT /_emulator/timings":                 h.setTimings,
		"GET /_emulator/metadata":                h.getMetadata,
		"PUT /_emulator/metadata":                h.setMetadata,
	}
	for pattern, fn := range routes {
		h.mux.HandleFunc(pattern, fn)
	}
	h.restoreRoutes()
	h.backupRoutes()
	h.mux.HandleFunc("/_emulator/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, fmt.Errorf("no admin endpoint %s %s", r.Method, r.URL.Path))
	})
	return h
}

// ServeHTTP tags every answer with a request id, like the DCS API does.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", ids.NewRequestID())
	h.mux.ServeHTTP(w, r)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, err error) {
	reply(w, status, map[string]string{"error": err.Error()})
}

// failFor maps store errors to statuses: unknown instance 404, no data 409.
func failFor(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, state.ErrNotFound):
		fail(w, http.StatusNotFound, err)
	case errors.Is(err, state.ErrStateOnly), errors.Is(err, state.ErrDataDown):
		fail(w, http.StatusConflict, err)
	default:
		fail(w, http.StatusInternalServerError, err)
	}
}

// replyStored answers with what a store call on one instance gave: 404 for an unknown
// instance, 400 for any other refusal of the request, else status and v.
func replyStored(w http.ResponseWriter, status int, v any, err error) {
	switch {
	case errors.Is(err, state.ErrNotFound):
		failFor(w, err)
	case err != nil:
		fail(w, http.StatusBadRequest, err)
	default:
		reply(w, status, v)
	}
}

// decode reads a strict JSON body into v; an empty body leaves v as is.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON body: %w", err)
	}
	return nil
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	h.Faults.Clear()
	h.Faults.Release() // requests held by hang_after_work/late_after_work end now
	if err := h.Store.Reset(); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	h.Log.Clear()
	h.Stats.Reset()
	reply(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (h *Handler) addCredential(w http.ResponseWriter, r *http.Request) {
	var c auth.Credential
	if err := decode(r, &c); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if err := h.Store.AddCredential(c); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	// Echo without the secret: the admin API never hands secrets back.
	reply(w, http.StatusCreated, map[string]any{"ak": c.AccessKey, "project_id": c.ProjectID, "temporary": c.SecurityToken != ""})
}

func (h *Handler) createInstance(w http.ResponseWriter, r *http.Request) {
	var spec state.InstanceSpec
	if err := decode(r, &spec); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	view, err := h.Store.CreateInstance(spec)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	reply(w, http.StatusCreated, view)
}

func (h *Handler) listInstances(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, map[string]any{"instances": h.Store.AdminInstances()})
}

func (h *Handler) getInstance(w http.ResponseWriter, r *http.Request) {
	view, err := h.Store.AdminInstance(r.PathValue("id"))
	if err != nil {
		failFor(w, err)
		return
	}
	reply(w, http.StatusOK, view)
}

func (h *Handler) patchInstance(w http.ResponseWriter, r *http.Request) {
	var patch struct {
		Status    *string `json:"status"`
		CacheMode *string `json:"cache_mode"`
	}
	if err := decode(r, &patch); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	view, err := h.Store.PatchInstance(r.PathValue("id"), patch.Status, patch.CacheMode)
	replyStored(w, http.StatusOK, view, err)
}

func (h *Handler) createBackup(w http.ResponseWriter, r *http.Request) {
	var spec state.BackupSpec
	if err := decode(r, &spec); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	view, err := h.Store.CreateBackup(r.PathValue("id"), spec)
	replyStored(w, http.StatusCreated, view, err)
}

func (h *Handler) setData(w http.ResponseWriter, r *http.Request) {
	var values map[string]string
	if err := decode(r, &values); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if err := h.Store.SetData(r.PathValue("id"), values); err != nil {
		failFor(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]int{"set": len(values)})
}

func (h *Handler) getData(w http.ResponseWriter, r *http.Request) {
	values, err := h.Store.GetData(r.PathValue("id"))
	if err != nil {
		failFor(w, err)
		return
	}
	reply(w, http.StatusOK, values)
}

func (h *Handler) flushData(w http.ResponseWriter, r *http.Request) {
	if err := h.Store.FlushData(r.PathValue("id")); err != nil {
		failFor(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]string{"status": "flushed"})
}

func (h *Handler) addFault(w http.ResponseWriter, r *http.Request) {
	var f faults.Fault
	if err := decode(r, &f); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	id, err := h.Faults.Add(f)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	reply(w, http.StatusCreated, map[string]string{"id": id})
}

func (h *Handler) listFaults(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, map[string]any{"faults": h.Faults.List()})
}

func (h *Handler) clearFaults(w http.ResponseWriter, r *http.Request) {
	h.Faults.Clear()
	reply(w, http.StatusOK, map[string]string{"status": "cleared"})
}

func (h *Handler) listRequests(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, map[string]any{"requests": h.Log.List()})
}

func (h *Handler) clearRequests(w http.ResponseWriter, r *http.Request) {
	h.Log.Clear()
	reply(w, http.StatusOK, map[string]string{"status": "cleared"})
}

func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	restores, backups := h.Store.Counters()
	reply(w, http.StatusOK, map[string]int64{
		"connections_accepted": h.Stats.ConnectionsAccepted.Load(),
		"bytes_received":       h.Stats.BytesReceived.Load(),
		"requests":             h.Stats.Requests.Load(),
		"restores_started":     int64(restores),
		"backups_started":      int64(backups),
		"restore_posts":        h.Stats.RestorePosts.Load(),
		"backup_posts":         h.Stats.BackupPosts.Load(),
		"faults_fired":         h.Stats.FaultsFired.Load(),
		"credentials_issued":   h.Stats.CredentialsIssued.Load(),
		"expired_refused":      h.Stats.ExpiredRefused.Load(),
	})
}

func (h *Handler) getTimings(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, h.Store.Timings())
}

// setTimings applies the given fields over the current timings.
func (h *Handler) setTimings(w http.ResponseWriter, r *http.Request) {
	t := h.Store.Timings()
	if err := decode(r, &t); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if err := h.Store.SetTimings(t); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	reply(w, http.StatusOK, t)
}

func (h *Handler) getMetadata(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, h.Store.Metadata())
}

// setMetadata turns the metadata endpoint's credentials on (a project) or off (none).
func (h *Handler) setMetadata(w http.ResponseWriter, r *http.Request) {
	var c state.MetadataConfig
	if err := decode(r, &c); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if err := h.Store.SetMetadata(c); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	reply(w, http.StatusOK, c)
}
