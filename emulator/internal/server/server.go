// The HTTP server that puts the DCS API and the admin API on one listener, and counts
// connections and bytes received for the stats.

package server

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/metadata"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

// Server serves the DCS API and the admin API on one listener.
type Server struct {
	http *http.Server
	ln   net.Listener // counts bytes received
}

// New routes /_emulator/ to admin, the ECS metadata paths to meta (so a client's
// metadata endpoint can be the emulator's base URL) and everything else to the DCS API.
func New(ln *Listener, dcsAPI, meta, admin http.Handler, counters *stats.Counters) *Server {
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
			admin.ServeHTTP(w, r)
			return
		}
		if metadata.Handles(r.URL.Path) {
			meta.ServeHTTP(w, r)
			return
		}
		dcsAPI.ServeHTTP(w, r)
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          log.Default(),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				counters.ConnectionsAccepted.Add(1)
			}
		},
	}
	return &Server{http: srv, ln: ln.counting(&counters.BytesReceived)}
}

// Serve blocks until Shutdown.
func (s *Server) Serve() error {
	err := s.http.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, lets in-flight requests finish for a moment, then closes.
func (s *Server) Shutdown(timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
	}
}
