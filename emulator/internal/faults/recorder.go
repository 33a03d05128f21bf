// Recorder lets a request be carried out in full before a fault decides how, or whether,
// its answer is delivered.

package faults

import (
	"bytes"
	"net/http"
)

// Recorder captures a handler's response so that it can be carried out first and
// then delivered badly (or not at all).
type Recorder struct {
	header http.Header
	Status int
	Body   bytes.Buffer
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{header: http.Header{}} }

// Header implements http.ResponseWriter.
func (r *Recorder) Header() http.Header { return r.header }

// WriteHeader implements http.ResponseWriter.
func (r *Recorder) WriteHeader(status int) {
	if r.Status == 0 {
		r.Status = status
	}
}

// Write implements http.ResponseWriter.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.Body.Write(b)
}

// Replay sends the recorded response as is.
func (r *Recorder) Replay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(r.Body.Bytes())
}
