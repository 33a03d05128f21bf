// Command dcs-emulator is a local Huawei Cloud DCS endpoint for tests and demos.
// The first line on stdout is the base URL; everything else goes to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/admin"
	"github.com/libdcs/libdcs/emulator/internal/api"
	"github.com/libdcs/libdcs/emulator/internal/faults"
	"github.com/libdcs/libdcs/emulator/internal/metadata"
	"github.com/libdcs/libdcs/emulator/internal/redis"
	"github.com/libdcs/libdcs/emulator/internal/reqlog"
	"github.com/libdcs/libdcs/emulator/internal/server"
	"github.com/libdcs/libdcs/emulator/internal/state"
	"github.com/libdcs/libdcs/emulator/internal/stats"
)

type options struct {
	listen, seedFile, timings, redisServer, tlsCert, tlsKey string
	demo, stateOnly                                         bool
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback address to listen on; port 0 picks one")
	flag.StringVar(&o.seedFile, "seed", "", "JSON seed file (credentials, instances, backups, timings)")
	flag.BoolVar(&o.demo, "demo", false, "seed the demo project")
	flag.StringVar(&o.timings, "timings", "fast", "task timings: fast or realistic")
	flag.BoolVar(&o.stateOnly, "state-only", false, "keep state only, without redis-server")
	flag.StringVar(&o.redisServer, "redis-server", "", "path of redis-server (default: PATH, then /usr/bin/redis-server)")
	flag.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate: serve HTTPS")
	flag.StringVar(&o.tlsKey, "tls-key", "", "PEM private key for --tls-cert")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("unexpected arguments: %v", flag.Args())
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		log.Fatal("--tls-cert and --tls-key go together")
	}
	return o
}

func buildSeed(o options) (state.Seed, error) {
	var seed state.Seed
	if o.demo {
		seed = state.DemoSeed()
	}
	if o.seedFile != "" {
		fromFile, err := state.LoadSeed(o.seedFile)
		if err != nil {
			return seed, err
		}
		seed = seed.Merge(fromFile)
	}
	seed.Preset = o.timings
	return seed, seed.Validate()
}

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("dcs-emulator: ")
	log.SetOutput(os.Stderr)
	if err := run(parseFlags()); err != nil {
		log.Printf("error: %v", err)
		os.Exit(1)
	}
}

func run(o options) error {
	// Catch signals from the start, so one that arrives while redis-servers are being
	// started still leads to a clean stop rather than an abandoned temporary directory.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	seed, err := buildSeed(o)
	if err != nil {
		return err
	}
	ln, err := server.Listen(o.listen, o.tlsCert, o.tlsKey)
	if err != nil {
		return err
	}
	defer ln.Close()

	root, err := os.MkdirTemp("", "dcs-emulator-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)

	var data state.DataFactory
	if !o.stateOnly {
		bin, err := redis.FindBinary(o.redisServer)
		if err != nil {
			if o.redisServer != "" {
				return fmt.Errorf("--redis-server: %w", err)
			}
			log.Printf("warning: %v; running in state-only mode (no real data behind instances)", err)
		} else {
			data = redis.Factory(bin, filepath.Join(root, "redis"))
		}
	}
	store, err := state.New(state.Config{Seed: seed, Data: data, BackupDir: filepath.Join(root, "backups")})
	if err != nil {
		return err
	}
	defer store.Close()

	counters := &stats.Counters{}
	registry := &faults.Registry{}
	requests := &reqlog.Log{}
	srv := server.New(ln,
		&api.Handler{Store: store, Faults: registry, Log: requests, Stats: counters},
		&metadata.Handler{Store: store, Stats: counters},
		admin.New(store, registry, requests, counters),
		counters)

	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()

	// The contract: the first stdout line is the base URL and nothing else.
	fmt.Fprintln(os.Stdout, ln.URL)
	log.Printf("listening on %s (state-only: %v)", ln.URL, store.StateOnly())

	select {
	case <-ctx.Done():
		log.Printf("signal received, stopping")
	case err := <-served:
		if err != nil {
			return err
		}
	}
	registry.Release() // let go of requests held by faults, so shutdown need not wait for them
	srv.Shutdown(3 * time.Second)
	return nil
}
