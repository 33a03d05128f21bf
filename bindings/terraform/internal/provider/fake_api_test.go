package provider

import (
	"context"
	"fmt"
	"sync"
)

// fakeAPI is an in-memory DCS for the unit tests: restores finish at the first wait,
// with the outcome the test chose.
type fakeAPI struct {
	mu        sync.Mutex
	backups   map[string][]Backup           // by instance id
	restores  map[string]map[string]Restore // by instance id, then restore id
	instances map[string]Instance

	// startErrs are returned, in turn, by the first RestoreInstance calls.
	startErrs []error
	// failWith makes the next restore end "failed" with this error.
	failWith *APIError
	// getErr is returned by GetRestore when set.
	getErr error

	restoreCalls int
	waitOpts     []WaitOptions
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		backups:   map[string][]Backup{},
		restores:  map[string]map[string]Restore{},
		instances: map[string]Instance{},
	}
}

func (f *fakeAPI) RestoreInstance(_ context.Context, instanceID, backupID, remark string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.restoreCalls++
	if len(f.startErrs) > 0 {
		err := f.startErrs[0]
		f.startErrs = f.startErrs[1:]
		return "", err
	}
	id := fmt.Sprintf("restore-%d", f.restoreCalls)
	if f.restores[instanceID] == nil {
		f.restores[instanceID] = map[string]Restore{}
	}
	f.restores[instanceID][id] = Restore{
		RestoreID: id, BackupID: backupID, Status: RestoreWaiting, Progress: 0, Remark: remark,
		RestoreName: "restore-" + backupID, CreatedAt: "2024-05-01T10:00:00Z", UpdatedAt: "2024-05-01T10:00:00Z",
	}
	return id, nil
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
	if f.failWith != nil {
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

func (f *fakeAPI) ListBackups(_ context.Context, instanceID string) ([]Backup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.instances[instanceID]; !ok {
		return nil, &APIError{Kind: KindNotFound, HTTPStatus: 404, Code: "DCS.3022", Message: "instance not found"}
	}
	return append([]Backup{}, f.backups[instanceID]...), nil
}

func (f *fakeAPI) ShowInstance(_ context.Context, instanceID string) (Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, ok := f.instances[instanceID]
	if !ok {
		return Instance{}, &APIError{Kind: KindNotFound, HTTPStatus: 404, Code: "DCS.3022", Message: "instance not found"}
	}
	return i, nil
}
