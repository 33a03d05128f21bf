// An example for the package documentation: after an incident, choose the backup taken
// before it, check what a restore would do, then restore. Compiled by go test, not run: its
// output depends on the instance.

package dcs_test

import (
	"context"
	"fmt"
	"time"

	dcs "github.com/libdcs/libdcs/bindings/go"
)

// The newest restorable manual backup taken before 10:00 UTC, a dry run first, then the
// restore itself.
func ExampleClient_PlanRestore() {
	client, err := dcs.NewClient(dcs.Config{}) // AK/SK/project and endpoint from the environment
	if err != nil {
		fmt.Println("configuration:", err)
		return
	}
	defer client.Close()
	ctx := context.Background()

	const instanceID = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	incident := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	plan, err := client.PlanRestore(ctx, instanceID, dcs.Latest,
		dcs.WithCreatedBefore(incident), dcs.WithBackupType("manual"))
	if err != nil {
		fmt.Println("cannot plan:", err)
		return
	}
	if !plan.WouldStart {
		for _, check := range plan.FailedChecks() {
			fmt.Println("would not start:", check.Detail)
		}
		return
	}
	fmt.Printf("restoring %s (%s old, %d bytes) onto %s (%s)\n", plan.Backup.BackupID,
		plan.BackupAge.Round(time.Minute), plan.Backup.Size, instanceID, plan.Instance.Status)
	restoreID, err := client.RestoreInstance(ctx, instanceID, plan.Backup.BackupID, dcs.WithPreflight())
	if err != nil {
		fmt.Println("restore failed to start:", err)
		return
	}
	fmt.Println("restore", restoreID, "started")
}
