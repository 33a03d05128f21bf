// Command restorebench times restores from Go, against one endpoint, through either the
// libdcs binding or the official huaweicloud-sdk-go-v3 DCS client:
//
//	restorebench -client libdcs|official -url URL -calls N -reps R [-inflight K]
//
// With -inflight 1 (the default) calls are sequential; with K > 1, K goroutines share
// ONE client and take calls from a common counter until N are done. Each repetition
// prints a JSON line with wall and CPU seconds (user+system of the whole process).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	official "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dcs/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dcs/v2/model"
	dcs "github.com/libdcs/libdcs/bindings/go"
)

const (
	accessKey = "DEMOACCESSKEY0000001"
	secretKey = "demo-secret-key-0123456789abcdefghijklmnop"
	projectID = "0123456789abcdef0123456789abcdef"
	instance  = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
	backup    = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
	expected  = "a6155972-800c-4170-a479-3231e907d2f6"
)

type restoreFunc func() (string, error)

func libdcsRestore(url string) restoreFunc {
	client, err := dcs.NewClient(dcs.Config{
		Endpoint: url, AccessKey: accessKey, SecretKey: secretKey, ProjectID: projectID,
		IgnoreEnvironment: true,
	})
	if err != nil {
		fail("libdcs client: %v", err)
	}
	ctx := context.Background()
	return func() (string, error) { return client.RestoreInstance(ctx, instance, backup) }
}

func officialRestore(url string) restoreFunc {
	credentials := basic.NewCredentialsBuilder().
		WithAk(accessKey).WithSk(secretKey).WithProjectId(projectID).Build()
	client := official.NewDcsClient(official.DcsClientBuilder().
		WithEndpoints([]string{url}).WithCredential(credentials).Build())
	return func() (string, error) {
		response, err := client.RestoreInstance(&model.RestoreInstanceRequest{
			InstanceId: instance,
			Body:       &model.RestoreInstanceBody{BackupId: backup},
		})
		if err != nil {
			return "", err
		}
		if response.RestoreId == nil {
			return "", fmt.Errorf("no restore_id in the response")
		}
		return *response.RestoreId, nil
	}
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}

// contextSwitches counts the process's context switches so far (all threads, voluntary
// and involuntary): what blocking calls on many goroutines cost the scheduler.
func contextSwitches() int64 {
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return usage.Nvcsw + usage.Nivcsw
}

// run makes `calls` restores with `inflight` of them in flight at any time.
func run(restore restoreFunc, calls, inflight int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := 0; k < inflight; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(calls) {
				id, err := restore()
				if err != nil || id != expected {
					fail("restore: %q, %v", id, err)
				}
			}
		}()
	}
	wg.Wait()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "restorebench: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	which := flag.String("client", "libdcs", "libdcs or official")
	url := flag.String("url", "", "base URL")
	calls := flag.Int("calls", 2000, "calls per repetition")
	warmup := flag.Int("warmup", 100, "calls before measuring")
	reps := flag.Int("reps", 1, "repetitions")
	inflight := flag.Int("inflight", 1, "calls in flight (goroutines sharing one client)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the measured calls here")
	flag.Parse()

	var restore restoreFunc
	switch *which {
	case "libdcs":
		restore = libdcsRestore(*url)
	case "official":
		restore = officialRestore(*url)
	default:
		fail("unknown client %q", *which)
	}
	// The warm-up opens the connections a long-lived service would already have.
	run(restore, max(*warmup, *inflight), *inflight)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fail("%v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail("%v", err)
		}
		defer pprof.StopCPUProfile()
	}
	out := json.NewEncoder(os.Stdout)
	for rep := 0; rep < *reps; rep++ {
		wall, cpu, switches := time.Now(), cpuSeconds(), contextSwitches()
		run(restore, *calls, *inflight)
		_ = out.Encode(map[string]any{
			"rep": rep, "calls": *calls, "inflight": *inflight,
			"seconds": time.Since(wall).Seconds(), "cpu_seconds": cpuSeconds() - cpu,
			"context_switches": contextSwitches() - switches,
		})
	}
}
