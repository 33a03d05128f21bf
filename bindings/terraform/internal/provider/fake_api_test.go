// An in-memory API for the unit tests, so that the provider's logic is tested without
// libdcs or an emulator.

package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// fakeAPI is an in-memory DCS for the unit tests: restores finish at the first wait,
// with the outcome the test chose.
type fakeAPI struct {
	mu        sync.Mutex
	backups   map[string][]Backup           // by instance id
	restores  map[string]map[string]Restore // by instance id, then restore id
	instances map[string]Instance

	// startErrs are returned, in turn, by the first StartRestore calls that pass the
	// pre-flight check; nothing starts.
	startErrs []error
	// adopt makes StartRestore report the restores it starts as adopted.
	adopt bool
	// failWith makes the next restore end "failed" with this error.
	failWith *APIError
	// waitErr ends the wait with this error, the restore left in waitStatus (a restore still
	// running when the create timeout passes).
	waitErr    error
	waitStatus string
	// getErr is returned by GetRestore when set; showErr by ShowInstance.
	getErr  error
	showErr error

	restoreCalls int
	windows      []BackupWindow    // of every ListBackups
	selections   []BackupSelection // of every SelectBackup
	starts       []StartRequest
	waitOpts     []WaitOptions
	showCalls    int
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		backups:   map[string][]Backup{},
		restores:  map[string]map[string]Restore{},
		instances: map[string]Instance{},
	}
}

// preflight is what libdcs checks before it posts a restore.
func (f *fakeAPI) preflight(req StartRequest) error {
	instance, ok := f.instances[req.InstanceID]
	if !ok {
		return &APIError{Kind: KindNotFound, HTTPStatus: 404, Code: "DCS.3022", Message: "instance not found"}
	}
	if instance.CacheMode == "single" || instance.Status != "RUNNING" {
		return &APIError{Kind: KindPrecondition, Message: "pre-flight check failed: instance " + req.InstanceID + " is " + instance.Status}
	}
	for _, b := range f.backups[req.InstanceID] {
		if b.BackupID != req.BackupID {
			continue
		}
		if !b.Restorable() {
			return &APIError{Kind: KindPrecondition, Message: "pre-flight check failed: backup " + b.BackupID + " has status \"" + b.Status + "\""}
		}
		return nil
	}
	return &APIError{Kind: KindPrecondition, Message: "pre-flight check failed: backup " + req.BackupID + " is not a backup of instance " + req.InstanceID}
}

func (f *fakeAPI) StartRestore(_ context.Context, req StartRequest) (StartedRestore, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, req)
	if req.Preflight {
		if err := f.preflight(req); err != nil {
			return StartedRestore{}, err
		}
	}
	f.restoreCalls++
	if len(f.startErrs) > 0 {
		err := f.startErrs[0]
		f.startErrs = f.startErrs[1:]
		return StartedRestore{}, err
	}
	id := fmt.Sprintf("restore-%d", f.restoreCalls)
	if f.restores[req.InstanceID] == nil {
		f.restores[req.InstanceID] = map[string]Restore{}
	}
	f.restores[req.InstanceID][id] = Restore{
		RestoreID: id, BackupID: req.BackupID, Status: RestoreWaiting, Progress: 0, Remark: req.Remark,
		RestoreName: "restore-" + req.BackupID, CreatedAt: "2024-05-01T10:00:00Z", UpdatedAt: "2024-05-01T10:00:00Z",
	}
	return StartedRestore{RestoreID: id, Adopted: f.adopt}, nil
}

func (f *fakeAPI) WaitForRestore(_ context.Context, instanceID, restoreID string, opts WaitOptions) (Restore, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waitOpts = append(f.waitOpts, opts)
	r, ok := f.restores[instanceID][restoreID]
	if !ok {
		return Restore{}, &APIError{Kind: KindNotFound, Message: "no such restore"}
	}
	r.UpdatedAt = "2024-05-01T10:00:05Z"
	switch {
	case f.waitErr != nil:
		r.Status, r.Progress = f.waitStatus, 42
		f.restores[instanceID][restoreID] = r
		return r, f.waitErr
	case f.failWith != nil:
		r.Status, r.ErrorCode = RestoreFailed, f.failWith.Code
		f.restores[instanceID][restoreID] = r
		return r, f.failWith
	}
	r.Status, r.Progress = RestoreSucceeded, 100
	f.restores[instanceID][restoreID] = r
	if opts.Progress != nil {
		opts.Progress(r)
	}
	return r, nil
}

func (f *fakeAPI) GetRestore(_ context.Context, instanceID, restoreID string) (Restore, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return Restore{}, f.getErr
	}
	r, ok := f.restores[instanceID][restoreID]
	if !ok {
		return Restore{}, &APIError{Kind: KindNotFound, Message: "instance " + instanceID + " has no restore record " + restoreID}
	}
	return r, nil
}

func (f *fakeAPI) ListBackups(_ context.Context, instanceID string, window BackupWindow) ([]Backup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.instances[instanceID]; !ok {
		return nil, &APIError{Kind: KindNotFound, HTTPStatus: 404, Code: "DCS.3022", Message: "instance not found"}
	}
	f.windows = append(f.windows, window)
	listed := []Backup{}
	for _, b := range f.backups[instanceID] {
		if (window.Begin.IsZero() || !b.Created.Before(window.Begin)) && (window.End.IsZero() || !b.Created.After(window.End)) {
			listed = append(listed, b)
		}
	}
	return listed, nil
}

// SelectBackup is libdcs's choice, simplified: the newest restorable backup that passes.
func (f *fakeAPI) SelectBackup(_ context.Context, instanceID string, sel BackupSelection) (Backup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.selections = append(f.selections, sel)
	var chosen *Backup
	for i, b := range f.backups[instanceID] {
		if !b.Restorable() || (!sel.Before.IsZero() && !b.Created.Before(sel.Before)) ||
			(sel.BackupType != "" && b.BackupType != sel.BackupType) || (sel.Name != "" && b.Name != sel.Name) {
			continue
		}
		if chosen == nil || b.Created.After(chosen.Created) {
			chosen = &f.backups[instanceID][i]
		}
	}
	if chosen == nil {
		return Backup{}, &APIError{Kind: KindNotFound, Message: "instance " + instanceID + " has no restorable backup created before " + sel.Before.Format(time.RFC3339)}
	}
	return *chosen, nil
}

func (f *fakeAPI) ShowInstance(_ context.Context, instanceID string) (Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.showCalls++
	if f.showErr != nil {
		return Instance{}, f.showErr
	}
	i, ok := f.instances[instanceID]
	if !ok {
		return Instance{}, &APIError{Kind: KindNotFound, HTTPStatus: 404, Code: "DCS.3022", Message: "instance not found"}
	}
	return i, nil
}

// fakeRules stand in for libdcs's argument checks (dcsclient.Rules in the real provider):
// they refuse what contains a space, '!', '/' or a TAB, so the tests can see the provider
// ask them and pass their verdict on. The real rules are tested in the Go binding and by
// the acceptance tests.
type fakeRules struct{}

func (fakeRules) ValidateID(name, value string) error {
	if value == "" || strings.ContainsAny(value, " !/\t") {
		return fmt.Errorf("fake rules refuse %s %q", name, value)
	}
	return nil
}

func (fakeRules) ValidateRemark(remark string) error {
	if strings.ContainsAny(remark, "\t") {
		return fmt.Errorf("fake rules refuse remark %q", remark)
	}
	return nil
}
