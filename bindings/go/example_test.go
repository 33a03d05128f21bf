// Runnable examples for the package documentation; go test checks their output against
// the emulator.

package dcs_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	dcs "github.com/libdcs/libdcs/bindings/go"
)

// Restore an instance from a backup and wait until it serves again. The configuration
// comes from the environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
// HUAWEICLOUD_SDK_PROJECT_ID, DCS_ENDPOINT), as the tests set it for the emulator.
func Example() {
	client, err := dcs.NewClient(dcs.Config{UserAgentSuffix: "example/1.0"})
	if err != nil {
		fmt.Println("configuration:", err)
		return
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const instanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	restoreID, err := client.RestoreInstance(ctx, instanceID, "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19",
		dcs.WithRemark("before the migration"), dcs.WithPreflight())
	var dcsErr *dcs.Error
	switch {
	case errors.Is(err, dcs.ErrPrecondition):
		fmt.Println("this backup cannot be restored onto this instance:", err)
		return
	case errors.As(err, &dcsErr):
		fmt.Println("restore failed to start; request id", dcsErr.RequestID)
		return
	}

	final, err := client.WaitForRestore(ctx, instanceID, restoreID,
		dcs.WithPollInterval(100*time.Millisecond), dcs.WithInstanceRunning())
	if err != nil {
		fmt.Println("restore:", err)
		return
	}
	fmt.Println(final.Status, final.Progress, final.Remark)
	// Output: succeed 100 before the migration
}

// Errors carry the service's fields; errors.Is tells the classes apart.
func ExampleError() {
	client, err := dcs.NewClient(dcs.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()

	_, err = client.ShowInstance(context.Background(), "00000000-0000-0000-0000-000000000000")
	var dcsErr *dcs.Error
	if errors.Is(err, dcs.ErrNotFound) && errors.As(err, &dcsErr) {
		fmt.Println("not found, HTTP", dcsErr.HTTPStatus)
	}
	// Output: not found, HTTP 404
}

// Start a restore, and tell later whether a restore of that intent started: what to do
// after an "unresolved" error instead of simply restoring again.
func ExampleClient_StartRestore() {
	client, err := dcs.NewClient(dcs.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const instanceID, backupID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
	since := time.Now()
	outcome, err := client.StartRestore(ctx, instanceID, backupID, dcs.WithRemark("example"),
		dcs.WithWaitWhileBusy(), dcs.WithReconcileWindow(time.Minute))
	var dcsErr *dcs.Error
	if errors.As(err, &dcsErr) && dcsErr.RequestSent == dcs.SentMaybe {
		fmt.Println("unresolved: check with FindRestore before restoring again")
		return
	} else if err != nil {
		fmt.Println("not started:", err)
		return
	}
	fmt.Println("adopted:", outcome.Adopted)

	found, err := client.FindRestore(ctx, instanceID, backupID, since, dcs.WithRemark("example"))
	fmt.Println("found it:", err == nil && found.RestoreID == outcome.RestoreID)
	_, err = client.FindRestore(ctx, instanceID, backupID, since, dcs.WithRemark("another intent"))
	fmt.Println("another intent:", errors.Is(err, dcs.ErrNotFound))

	if _, err := client.WaitForRestore(ctx, instanceID, outcome.RestoreID, dcs.WithPollInterval(100*time.Millisecond)); err != nil {
		fmt.Println("restore:", err)
	}
	// Output:
	// adopted: false
	// found it: true
	// another intent: true
}
