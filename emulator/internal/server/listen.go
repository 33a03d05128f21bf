// Package server binds the loopback listener (plain or TLS), routes between the DCS
// API and the admin API, counts connections and the bytes they bring, and shuts down
// cleanly.
package server

import (
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"
)

// Listener is a bound loopback listener and the base URL clients use to reach it.
type Listener struct {
	net.Listener
	URL string
	// The TCP listener under any TLS, and the TLS configuration: New serves through them
	// so that it can count bytes as they come off the wire.
	tcp       net.Listener
	tlsConfig *tls.Config
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
	tcp := l
	var tlsConfig *tls.Config
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("loading --tls-cert/--tls-key: %w", err)
		}
		// HTTP/1.1 only: the connection-level faults hijack the connection, which
		// HTTP/2 does not allow, and keep-alive accounting is per connection.
		tlsConfig = &tls.Config{
			Certificates: []tls.Certificate{cert},
			NextProtos:   []string{"http/1.1"},
			MinVersion:   tls.VersionTLS12,
		}
		l = tls.NewListener(l, tlsConfig)
		scheme = "https"
	}
	return &Listener{Listener: l, URL: scheme + "://" + net.JoinHostPort(host, actual), tcp: tcp, tlsConfig: tlsConfig}, nil
}

// counting returns the listener to serve from: the same connections, each adding every
// byte read from it to bytes before any TLS decryption or HTTP parsing sees it.
func (l *Listener) counting(bytes *atomic.Int64) net.Listener {
	var counted net.Listener = countingListener{Listener: l.tcp, bytes: bytes}
	if l.tlsConfig != nil {
		// The TLS layer on top, so that http.Server still sees a *tls.Conn (it needs one
		// for the handshake deadline and r.TLS).
		counted = tls.NewListener(counted, l.tlsConfig)
	}
	return counted
}

type countingListener struct {
	net.Listener
	bytes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{Conn: c, bytes: l.bytes}, nil
}

type countingConn struct {
	net.Conn
	bytes *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.bytes.Add(int64(n))
	return n, err
}

// CloseWrite passes http.Server's half-close through: it uses one to let the answer to a
// refused request arrive before the connection closes, and finds it by type assertion.
func (c countingConn) CloseWrite() error {
	if half, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return half.CloseWrite()
	}
	return nil
}
