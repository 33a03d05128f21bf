// Package metadata plays the ECS metadata service (169.254.169.254) on the emulator's
// loopback listener: the session token of PUT /meta-data/latest/api/token and the
// temporary credentials of GET /openstack/latest/securitykey, in the shape the official
// SDKs read ({"credential":{"access","secret","securitytoken","expires_at"}}).
package metadata

import (
	"encoding/json"
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

// The paths the official SDKs call (huaweicloud-sdk-go-v3 core/auth/internal).
const (
	TokenPath       = "/meta-data/latest/api/token"
	SecurityKeyPath = "/openstack/latest/securitykey"
)

// Handles reports whether a path belongs to the metadata service.
func Handles(path string) bool {
	return path == TokenPath || path == SecurityKeyPath
}

// Handler serves the metadata paths.
type Handler struct {
	Store *state.Store
	Stats *stats.Counters
}

type credential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == TokenPath && r.Method == http.MethodPut:
		// The session token is optional on ECS (an SDK falls back when the path is
		// absent); the emulator issues one and does not require it back.
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("emulator-metadata-session-token"))
	case r.URL.Path == SecurityKeyPath && r.Method == http.MethodGet:
		c, ok, err := h.Store.IssueTemporaryCredential()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if !ok {
			// ECS's answer on a server without an agency (the SDKs look for this text).
			http.Error(w, "Please configure Cloud Service Agency first", http.StatusUnauthorized)
			return
		}
		h.Stats.CredentialsIssued.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]credential{"credential": {
			Access: c.AccessKey, Secret: c.SecretKey, SecurityToken: c.SecurityToken, ExpiresAt: c.ExpiresAt,
		}})
	default:
		http.NotFound(w, r)
	}
}
