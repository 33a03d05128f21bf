// Proof from the wire that nothing reached an emulator: its counters of accepted TCP
// connections and of bytes received, which move for anything a client sends, even a request
// Go's HTTP parser refuses (that one never reaches the request log).

package dcs

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"
)

// wireCounts is what reached an emulator on the wire.
type wireCounts struct {
	Connections int64
	Bytes       int64
}

// wireWatch watches an emulator from its creation; since tells what arrived since.
//
// Each reading of the counters goes on a connection of its own. That is what makes a reading
// see every connection opened before it: the kernel hands connections to the emulator in the
// order they were made, and the emulator counts one as it accepts it, before accepting the
// next. (A reading on a kept-alive connection could be answered before a newer connection
// was even accepted.) Bytes are read by each connection's own goroutine, so only the
// connection count is exact at once; a client that sent nothing opened no connection either.
// Each reading is itself a connection and a request, so the watch reads twice at the start
// to learn what one reading costs, and since takes that cost off. Over TLS only the
// connection count is exact (a handshake's size may vary).
type wireWatch struct {
	admin   relAdmin
	base    wireCounts
	reading wireCounts
}

// watchWire watches the emulator at url (HTTP, or HTTPS whatever its certificate).
func watchWire(t *testing.T, url string) *wireWatch {
	t.Helper()
	transport := &http.Transport{DisableKeepAlives: true, TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	w := &wireWatch{admin: relAdmin{url: url, client: &http.Client{Timeout: 10 * time.Second, Transport: transport}}}
	first := w.read(t)
	w.base = w.read(t)
	w.reading = wireCounts{w.base.Connections - first.Connections, w.base.Bytes - first.Bytes}
	return w
}

func (w *wireWatch) read(t *testing.T) wireCounts {
	t.Helper()
	var counts struct {
		Connections *int64 `json:"connections_accepted"`
		Bytes       *int64 `json:"bytes_received"`
	}
	w.admin.call(t, "GET", "stats", nil, &counts)
	if counts.Connections == nil || counts.Bytes == nil {
		t.Fatal("the emulator does not count connections_accepted and bytes_received: rebuild it, or set DCS_EMULATOR")
	}
	return wireCounts{*counts.Connections, *counts.Bytes}
}

// since is what arrived since the watch began, besides its own readings: zero when nothing.
func (w *wireWatch) since(t *testing.T) wireCounts {
	t.Helper()
	now := w.read(t)
	return wireCounts{
		now.Connections - w.base.Connections - w.reading.Connections,
		now.Bytes - w.base.Bytes - w.reading.Bytes,
	}
}
