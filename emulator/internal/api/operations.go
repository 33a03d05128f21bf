// The DCS operations the emulator serves: each request body is parsed and checked as DCS
// checks it, then handed to the state store.

package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/libdcs/libdcs/emulator/internal/state"
)

// maxRemarkBytes is the DCS limit on remark (bytes of UTF-8, the stricter reading).
const maxRemarkBytes = 128

// call is one authenticated request on its way to a handler.
type call struct {
	route Route
	r     *http.Request
	body  []byte
}

// operation handles one DCS API operation, writing the answer to w.
type operation func(s *state.Store, w http.ResponseWriter, c call)

var operations = map[string]operation{
	"ShowInstance":       showInstance,
	"RestoreInstance":    restoreInstance,
	"ListRestoreRecords": listRestoreRecords,
	"CopyInstance":       copyInstance,
	"ListBackupRecords":  listBackupRecords,
	"DeleteBackupFile":   deleteBackupFile,
}

func showInstance(s *state.Store, w http.ResponseWriter, c call) {
	view, err := s.ShowInstance(c.route.ProjectID, c.route.InstanceID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, view)
}

// decodeBody parses a JSON object body: DCS.4004 if empty, DCS.4005 if not a
// JSON object.
func decodeBody(body []byte) (map[string]json.RawMessage, *state.Error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, state.ErrEmptyBody
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, state.ErrBodyNotJSON
	}
	return fields, nil
}

// stringField reads an optional string field; present-but-not-a-string is invalid.
func stringField(fields map[string]json.RawMessage, name string) (string, bool, *state.Error) {
	raw, ok := fields[name]
	if !ok || string(raw) == "null" {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, state.ErrInvalidParam(name)
	}
	return s, true, nil
}

func remarkField(fields map[string]json.RawMessage) (string, *state.Error) {
	remark, _, err := stringField(fields, "remark")
	if err != nil {
		return "", err
	}
	if len(remark) > maxRemarkBytes {
		return "", state.ErrRemarkTooLong
	}
	return remark, nil
}

func restoreInstance(s *state.Store, w http.ResponseWriter, c call) {
	fields, err := decodeBody(c.body)
	if err != nil {
		writeError(w, err)
		return
	}
	backupID, present, err := stringField(fields, "backup_id")
	if err == nil && (!present || backupID == "") {
		err = state.ErrInvalidParam("backup_id")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	remark, err := remarkField(fields)
	if err != nil {
		writeError(w, err)
		return
	}
	id, err := s.StartRestore(c.route.ProjectID, c.route.InstanceID, backupID, remark)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"restore_id": id})
}

func copyInstance(s *state.Store, w http.ResponseWriter, c call) {
	fields, err := decodeBody(c.body)
	if err != nil {
		writeError(w, err)
		return
	}
	remark, err := remarkField(fields)
	if err != nil {
		writeError(w, err)
		return
	}
	format, present, err := stringField(fields, "backup_format")
	if err == nil && present && format != "rdb" && format != "aof" {
		err = state.ErrInvalidParam("backup_format")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if format == "" {
		format = "rdb"
	}
	id, err := s.StartBackup(c.route.ProjectID, c.route.InstanceID, remark, format)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"backup_id": id})
}

func listRestoreRecords(s *state.Store, w http.ResponseWriter, c call) {
	p, err := state.ParsePage(c.r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	records, total, err := s.ListRestores(c.route.ProjectID, c.route.InstanceID, p)
	if err != nil {
		writeError(w, err)
		return
	}
	if total == 0 {
		writeNoContent(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"restore_record_response": records, "total_num": total})
}

func listBackupRecords(s *state.Store, w http.ResponseWriter, c call) {
	p, err := state.ParsePage(c.r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	records, total, err := s.ListBackups(c.route.ProjectID, c.route.InstanceID, p)
	if err != nil {
		writeError(w, err)
		return
	}
	if total == 0 {
		writeNoContent(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"backup_record_response": records, "total_num": total})
}

func deleteBackupFile(s *state.Store, w http.ResponseWriter, c call) {
	if err := s.DeleteBackup(c.route.ProjectID, c.route.InstanceID, c.route.BackupID); err != nil {
		writeError(w, err)
		return
	}
	writeNoContent(w)
}
