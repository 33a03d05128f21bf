// The admin endpoints about one instance's restores: their durations and a seeded history.

package admin

import (
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

// restoreRoutes adds this file's endpoints to the admin API.
func (h *Handler) restoreRoutes() {
	h.mux.HandleFunc("PUT /_emulator/instances/{id}/restore_timings", h.setRestoreTimings)
	h.mux.HandleFunc("POST /_emulator/instances/{id}/restores", h.seedRestores)
}

// setRestoreTimings: PUT /_emulator/instances/{id}/restore_timings.
func (h *Handler) setRestoreTimings(w http.ResponseWriter, r *http.Request) {
	var rt state.RestoreTimings
	if err := decode(r, &rt); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	rt, err := h.Store.SetRestoreTimings(r.PathValue("id"), rt)
	replyStored(w, http.StatusOK, rt, err)
}

// seedRestores: POST /_emulator/instances/{id}/restores.
func (h *Handler) seedRestores(w http.ResponseWriter, r *http.Request) {
	var spec state.RestoreHistory
	if err := decode(r, &spec); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	total, err := h.Store.SeedRestores(r.PathValue("id"), spec)
	replyStored(w, http.StatusCreated, map[string]int{"seeded": spec.Count, "restores": total}, err)
}
