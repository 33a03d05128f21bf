// Tests that each kind of failure reaches Go as the right sentinel with the service's
// fields, from the status table to real faults injected in the emulator.

package dcs

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

func TestEveryStatusHasOneSentinel(t *testing.T) {
	if len(sentinels) != int(statusMax) {
		t.Errorf("the table has %d statuses, dcs.h has %d", len(sentinels), statusMax)
	}
	seen := map[*Error]Status{}
	for s := Status(1); s <= statusMax; s++ {
		sentinel, ok := sentinels[s]
		if !ok {
			t.Errorf("status %d (%s) has no sentinel", s, s)
			continue
		}
		if sentinel.Status != s {
			t.Errorf("the sentinel of status %d has status %d", s, sentinel.Status)
		}
		if other, dup := seen[sentinel]; dup {
			t.Errorf("statuses %d and %d share a sentinel", other, s)
		}
		seen[sentinel] = s
		if s.String() == "unknown status" || s.String() == "" {
			t.Errorf("libdcs has no name for status %d", s)
		}
		err := error(&Error{Status: s, Message: "x"})
		for other := Status(1); other <= statusMax; other++ {
			if got := errors.Is(err, sentinels[other]); got != (other == s) {
				t.Errorf("errors.Is(status %d, sentinel of %d) = %v", s, other, got)
			}
		}
	}
}

// errorsClient makes one attempt per call, so faults surface at once.
func errorsClient(t *testing.T) *Client {
	cfg := testConfig()
	cfg.MaxAttempts = 1
	return newTestClient(t, cfg)
}

func asError(t *testing.T, err error, want *Error) *Error {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v (%T), want %s", err, err, want.Status)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%v, *Error) failed", err)
	}
	return e
}

func TestUnknownInstanceIsNotFound(t *testing.T) {
	client := errorsClient(t)
	_, err := client.ShowInstance(context.Background(), "00000000-0000-0000-0000-000000000000")
	e := asError(t, err, ErrNotFound)
	if e.HTTPStatus != 404 || e.RequestID == "" || e.RequestSent != SentYes {
		t.Errorf("fields of the not-found error: %+v", e)
	}
}

func TestWrongSecretKeyIsAuth(t *testing.T) {
	cfg := testConfig()
	cfg.SecretKey = "not-the-secret-key-0123456789abcdefghijkl"
	client := newTestClient(t, cfg)
	_, err := client.ShowInstance(context.Background(), demoInstanceID)
	e := asError(t, err, ErrAuth)
	if e.HTTPStatus != 401 && e.HTTPStatus != 403 {
		t.Errorf("HTTP status %d", e.HTTPStatus)
	}
}

func TestRestoringInstanceIsBusy(t *testing.T) {
	client := errorsClient(t)
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	slowRestores(t)

	if _, err := client.RestoreInstance(context.Background(), instanceID, backupID); err != nil {
		t.Fatal(err)
	}
	// Another remark: the same backup and remark moments later would be adopted by libdcs
	// as the restore this call itself may have started.
	_, err := client.RestoreInstance(context.Background(), instanceID, backupID,
		WithRemark("a second restore"), WithMaxAttempts(1))
	e := asError(t, err, ErrBusy)
	if e.ErrorCode != "DCS.4097" || e.HTTPStatus != 400 {
		t.Errorf("service code %q (HTTP %d), want DCS.4097", e.ErrorCode, e.HTTPStatus)
	}
	if n := restoresStarted(t, instanceID); n != 1 {
		t.Errorf("%d restores started, want only the first", n)
	}
}

func TestServerFaultIsServer(t *testing.T) {
	client := errorsClient(t)
	addFault(t, map[string]any{"operation": "ShowInstance", "kind": "status", "status": 500,
		"body": `{"error_code":"DCS.5000","error_msg":"boom"}`})
	_, err := client.ShowInstance(context.Background(), demoInstanceID)
	e := asError(t, err, ErrServer)
	if e.HTTPStatus != 500 || e.ErrorCode != "DCS.5000" || e.ErrorMsg != "boom" {
		t.Errorf("fields of the server error: %+v", e)
	}
}

func TestNonJSONAnswerIsBadResponse(t *testing.T) {
	client := errorsClient(t)
	addFault(t, map[string]any{"operation": "ShowInstance", "kind": "non_json"})
	_, err := client.ShowInstance(context.Background(), demoInstanceID)
	asError(t, err, ErrBadResponse)
}

func TestClosedPortIsTransport(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + listener.Addr().String()
	listener.Close()

	cfg := testConfig()
	cfg.Endpoint = closedURL
	cfg.MaxAttempts = 1
	cfg.ConnectTimeout = 2 * time.Second
	client := newTestClient(t, cfg)
	_, err = client.ShowInstance(context.Background(), demoInstanceID)
	e := asError(t, err, ErrTransport)
	if e.RequestSent != SentNo {
		t.Errorf("a refused connection reports RequestSent=%d", e.RequestSent)
	}
}

func TestFailedRestoreIsRestoreFailed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client := errorsClient(t)
	instanceID := newInstance(t, "ha")
	backupID := newBackup(t, instanceID)
	admin(t, "PUT", "/timings", map[string]string{"fail_restores": "dcs.08.0007"}, nil)
	t.Cleanup(func() { admin(t, "PUT", "/timings", map[string]string{"fail_restores": ""}, nil) })

	restoreID, err := client.RestoreInstance(ctx, instanceID, backupID)
	if err != nil {
		t.Fatal(err)
	}
	last, err := client.WaitForRestore(ctx, instanceID, restoreID, WithPollInterval(20*time.Millisecond))
	e := asError(t, err, ErrRestoreFailed)
	if e.ErrorCode != "dcs.08.0007" {
		t.Errorf("error code %q, want dcs.08.0007", e.ErrorCode)
	}
	if last.RestoreID != restoreID || last.Status != RestoreFailed {
		t.Errorf("the last record seen %+v, want %s failed", last, restoreID)
	}
}

func TestPreflightOnSingleNodeIsPrecondition(t *testing.T) {
	client := errorsClient(t)
	instanceID := newInstance(t, "single")
	backupID := newBackup(t, instanceID)

	_, err := client.RestoreInstance(context.Background(), instanceID, backupID, WithPreflight())
	asError(t, err, ErrPrecondition)
	if n := restoresStarted(t, instanceID); n != 0 {
		t.Errorf("the failed pre-flight still started %d restores", n)
	}
}
