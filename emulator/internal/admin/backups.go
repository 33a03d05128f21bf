// The admin endpoint that adds a history of backup records to an instance.

package admin

import (
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

// backupRoutes adds this file's endpoints to the admin API.
func (h *Handler) backupRoutes() {
	h.mux.HandleFunc("POST /_emulator/instances/{id}/backup_history", h.seedBackups)
}

// seedBackups: POST /_emulator/instances/{id}/backup_history.
func (h *Handler) seedBackups(w http.ResponseWriter, r *http.Request) {
	var spec state.BackupHistory
	if err := decode(r, &spec); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	total, err := h.Store.SeedBackups(r.PathValue("id"), spec)
	replyStored(w, http.StatusCreated, map[string]int{"seeded": spec.Count, "backups": total}, err)
}
