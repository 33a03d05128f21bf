// How DCS and its API gateway write answers and errors, so that every response has the
// real service's shape.

package api

import (
	"encoding/json"
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

// JSONContentType is what DCS answers carry.
const JSONContentType = "application/json;charset=UTF-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error_code":"DCS.5000","error_msg":"Internal error.","error_ext_msg":null}`)
	}
	w.Header().Set("Content-Type", JSONContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorBody is the v2 DCS error body.
type errorBody struct {
	ErrorCode   string  `json:"error_code"`
	ErrorMsg    string  `json:"error_msg"`
	ErrorExtMsg *string `json:"error_ext_msg"`
}

func writeError(w http.ResponseWriter, e *state.Error) {
	writeJSON(w, e.Status, errorBody{ErrorCode: e.Code, ErrorMsg: e.Msg})
}

// writeGatewayError answers as the API gateway does, before DCS sees the request: its
// body carries the request id too (API Request Signing Guide, "Common Errors Related to
// IAM Authentication Information").
func writeGatewayError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, GatewayError{ErrorCode: code, ErrorMsg: msg, RequestID: w.Header().Get("X-Request-Id")})
}

// GatewayError is the API gateway's error body.
type GatewayError struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// writeNoContent answers 204 with an empty body (empty lists, deletes).
func writeNoContent(w http.ResponseWriter) {
	w.Header().Set("Content-Type", JSONContentType)
	w.WriteHeader(http.StatusNoContent)
}
