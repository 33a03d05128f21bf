// Package api serves the signed DCS API: it authenticates each request, applies any
// configured fault, and dispatches to the operation's handler.
package api

import (
	"net/http"
	"strings"

	"github.com/libdcs/libdcs/emulator/internal/auth"
)

// Route is a matched DCS API request.
type Route struct {
	Operation  string
	ProjectID  string
	InstanceID string
	BackupID   string
}

// match maps a method and raw path to an operation. Segments are percent-decoded one
// by one, so an encoded '/' inside an id stays inside that id.
func match(method, rawPath string) (Route, bool) {
	raw := strings.Split(strings.TrimSuffix(strings.TrimPrefix(rawPath, "/"), "/"), "/")
	seg := make([]string, len(raw))
	for i, s := range raw {
		d, err := auth.Unescape(s)
		if err != nil {
			return Route{}, false
		}
		seg[i] = d
	}
	if len(seg) < 4 || seg[0] != "v2" || seg[2] != "instances" {
		return Route{}, false
	}
	rt := Route{ProjectID: seg[1], InstanceID: seg[3]}
	switch {
	case len(seg) == 4 && method == http.MethodGet:
		rt.Operation = "ShowInstance"
	case len(seg) == 5 && seg[4] == "restores" && method == http.MethodPost:
		rt.Operation = "RestoreInstance"
	case len(seg) == 5 && seg[4] == "restores" && method == http.MethodGet:
		rt.Operation = "ListRestoreRecords"
	case len(seg) == 5 && seg[4] == "backups" && method == http.MethodPost:
		rt.Operation = "CopyInstance"
	case len(seg) == 5 && seg[4] == "backups" && method == http.MethodGet:
		rt.Operation = "ListBackupRecords"
	case len(seg) == 6 && seg[4] == "backups" && method == http.MethodDelete:
		rt.Operation, rt.BackupID = "DeleteBackupFile", seg[5]
	default:
		return Route{}, false
	}
	return rt, true
}
