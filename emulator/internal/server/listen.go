// Package server binds the loopback listener (plain or TLS), routes between the DCS
// API and the admin API, counts connections and shuts down cleanly.
package server

import (
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
)

// Listener is a bound loopback listener and the base URL clients use to reach it.
type Listener struct {
	net.Listener
	URL string
}

// Listen binds addr, which must be a loopback address (127.0.0.0/8, ::1 or
// localhost); port 0 picks a free port. With a cert and key it serves TLS. The URL
// keeps the host exactly as given, so a certificate for "localhost" verifies.
func Listen(addr, certFile, keyFile string) (*Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	bindHost := host
	if host == "localhost" {
		// Bind one family only, so the picked port is the one in the URL.
		bindHost = "127.0.0.1"
	} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("--listen %q: only loopback addresses are allowed (127.0.0.1, [::1], localhost)", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, fmt.Errorf("--listen %q: bad port", addr)
	}
	l, err := net.Listen("tcp", net.JoinHostPort(bindHost, port))
	if err != nil {
		return nil, err
	}
	actual := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	scheme := "http"
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("loading --tls-cert/--tls-key: %w", err)
		}
		// HTTP/1.1 only: the connection-level faults hijack the connection, which
		// HTTP/2 does not allow, and keep-alive accounting is per connection.
		l = tls.NewListener(l, &tls.Config{
			Certificates: []tls.Certificate{cert},
			NextProtos:   []string{"http/1.1"},
			MinVersion:   tls.VersionTLS12,
		})
		scheme = "https"
	}
	return &Listener{Listener: l, URL: scheme + "://" + net.JoinHostPort(host, actual)}, nil
}
