// Command restore restores a DCS instance from one of its backups and waits until the
// instance serves again, printing the progress.
//
// Credentials come from the official SDK environment variables, never from flags (a flag
// shows in the process list): HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, and optionally
// HUAWEICLOUD_SDK_SECURITY_TOKEN. The project, endpoint and region come from flags or from
// HUAWEICLOUD_SDK_PROJECT_ID, DCS_ENDPOINT and DCS_REGION. Against the emulator:
//
//	dcs-emulator --demo &    # prints its URL, e.g. http://127.0.0.1:40123
//	export HUAWEICLOUD_SDK_AK=DEMOACCESSKEY0000001
//	export HUAWEICLOUD_SDK_SK=demo-secret-key-0123456789abcdefghijklmnop
//	export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
//	export DCS_ENDPOINT=http://127.0.0.1:40123
//	restore -instance 6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b -backup 9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19
//
// Ctrl-C cancels the restore's wait (not the restore itself, which the service runs on).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	dcs "github.com/libdcs/libdcs/bindings/go"
)

func main() {
	os.Exit(run())
}

func run() int {
	var (
		endpoint  = flag.String("endpoint", "", "DCS endpoint URL (default: $DCS_ENDPOINT, or the region's)")
		region    = flag.String("region", "", "region, e.g. cn-north-4 (default: $DCS_REGION)")
		projectID = flag.String("project", "", "project id (default: $HUAWEICLOUD_SDK_PROJECT_ID)")
		instance  = flag.String("instance", "", "id of the instance to restore (required)")
		backup    = flag.String("backup", "", "id of the backup to restore from (required)")
		remark    = flag.String("remark", "", "remark of the restore")
		preflight = flag.Bool("preflight", true, "check the instance and the backup before starting")
		timeout   = flag.Duration("timeout", 30*time.Minute, "give up waiting after this long")
		poll      = flag.Duration("poll", 500*time.Millisecond, "first poll interval")
	)
	flag.Parse()
	if *instance == "" || *backup == "" {
		fmt.Fprintln(os.Stderr, "restore: -instance and -backup are required")
		flag.Usage()
		return 2
	}

	client, err := dcs.NewClient(dcs.Config{
		Endpoint:        *endpoint,
		Region:          *region,
		ProjectID:       *projectID,
		UserAgentSuffix: "libdcs-go-example/1.0",
	})
	if err != nil {
		return fail("configuring the client", err)
	}
	defer client.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	options := []dcs.RestoreOption{dcs.WithRemark(*remark)}
	if *preflight {
		options = append(options, dcs.WithPreflight())
	}
	restoreID, err := client.RestoreInstance(ctx, *instance, *backup, options...)
	if err != nil {
		return fail("starting the restore", err)
	}
	fmt.Printf("restore %s started\n", restoreID)

	final, err := client.WaitForRestore(ctx, *instance, restoreID,
		dcs.WithPollInterval(*poll),
		dcs.WithInstanceRunning(),
		dcs.WithProgress(func(r dcs.Restore) {
			fmt.Printf("  %-9s %s%%\n", r.Status, r.ProgressRaw)
		}))
	if err != nil {
		return fail("waiting for the restore", err)
	}
	fmt.Printf("restore %s %s at %s; the instance is running\n",
		final.RestoreID, final.Status, final.UpdatedAt.Format(time.RFC3339))
	return 0
}

// fail prints err with the fields a support ticket needs and returns the exit status.
func fail(what string, err error) int {
	fmt.Fprintf(os.Stderr, "restore: %s: %v\n", what, err)
	var e *dcs.Error
	if errors.As(err, &e) {
		fmt.Fprintf(os.Stderr, "  status %q, HTTP %d, service code %q, request id %q\n",
			e.Status, e.HTTPStatus, e.ErrorCode, e.RequestID)
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	return 1
}
