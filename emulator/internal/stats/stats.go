// Package stats counts what the emulator saw on the wire, for /_emulator/stats.
package stats

import "sync/atomic"

// Counters are safe for concurrent use.
type Counters struct {
	// ConnectionsAccepted counts TCP connections (a client that reuses connections
	// keeps this low; tests assert keep-alive with it).
	ConnectionsAccepted atomic.Int64
	// BytesReceived counts every byte read from clients on every connection, as it came
	// off the wire (under TLS, the encrypted records, handshakes included). A request that
	// Go's HTTP parser refuses never reaches the request log or Requests, but its bytes
	// show here: tests prove "nothing was sent" with it and ConnectionsAccepted.
	BytesReceived atomic.Int64
	// Requests counts DCS API requests (signed endpoint), whatever their outcome.
	Requests atomic.Int64
	// RestorePosts and BackupPosts count RestoreInstance and CopyInstance requests
	// that passed authentication, routing and the project check, whatever happened
	// next (refused, answered by a fault, carried out), for any instance id.
	RestorePosts atomic.Int64
	BackupPosts  atomic.Int64
	// FaultsFired counts the requests any fault hit.
	FaultsFired atomic.Int64
	// CredentialsIssued counts temporary credentials the metadata endpoint handed out.
	CredentialsIssued atomic.Int64
	// ExpiredRefused counts DCS API requests refused because their temporary credential
	// had expired (401 APIGW.0307): a client that refreshes in time keeps this at zero.
	ExpiredRefused atomic.Int64
}

// Reset zeroes the counters.
func (c *Counters) Reset() {
	c.ConnectionsAccepted.Store(0)
	c.BytesReceived.Store(0)
	c.Requests.Store(0)
	c.RestorePosts.Store(0)
	c.BackupPosts.Store(0)
	c.FaultsFired.Store(0)
	c.CredentialsIssued.Store(0)
	c.ExpiredRefused.Store(0)
}
