// Writes the misbehaving answers: in place of the handler's, or the handler's recorded
// answer delivered late, cut short, trickled or not at all.

package faults

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CarriesOut reports whether the request is carried out before the fault shows.
func CarriesOut(kind string) bool {
	switch kind {
	case Delay, CloseAfter, Truncated, NonJSON, Oversized, HangAfterWork, LateAfterWork, Trickle, Stall:
		return true
	}
	return false
}

// OversizedBytes is the size of an oversized body: 2 MiB.
const OversizedBytes = 2 << 20

// OnDrop is told the status that went out (0 for none) just before a fault closes
// or cuts the connection, so that the caller can record the exchange before the
// client can see it end. It may be nil.
type OnDrop func(status int)

func (d OnDrop) call(status int) {
	if d != nil {
		d(status)
	}
}

// WriteInstead answers in place of the real handler (status, html_502, throttle,
// close_before). It returns the status sent, 0 if the connection was just closed.
func WriteInstead(w http.ResponseWriter, f Fault, onDrop OnDrop) int {
	switch f.Kind {
	case Status:
		h := w.Header()
		h.Set("Content-Type", "application/json;charset=UTF-8")
		for k, v := range f.Headers {
			h.Set(k, v)
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return f.Status
	case HTML502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
			"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
		return http.StatusBadGateway
	case Throttle:
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		// The gateway's 429 (API Request Signing Guide, "Error Codes": APIGW.0308), with
		// the request id in the body as on every gateway error.
		body, _ := json.Marshal(map[string]string{
			"error_code": "APIGW.0308",
			"error_msg":  "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:1 second",
			"request_id": w.Header().Get("X-Request-Id"),
		})
		_, _ = w.Write(body)
		return http.StatusTooManyRequests
	case CloseBefore:
		closeConn(w, onDrop)
		return 0
	}
	panic("faults: WriteInstead called for kind " + f.Kind)
}

// WriteAfter delivers a carried-out request's recorded response the way the fault
// says. It returns the status sent, 0 if nothing was sent. ctx is the request's
// context (done when the client goes away); released is Registry.Released, taken
// before the fault was selected.
func WriteAfter(ctx context.Context, w http.ResponseWriter, f Fault, rec *Recorder, released <-chan struct{}, onDrop OnDrop) int {
	switch f.Kind {
	case CloseAfter:
		closeConn(w, onDrop)
		return 0
	case HangAfterWork:
		hold := HangCap
		if f.DelayMs > 0 {
			hold = time.Duration(f.DelayMs) * time.Millisecond
		}
		timer := time.NewTimer(hold)
		defer timer.Stop()
		select {
		case <-ctx.Done(): // the client closed the connection
		case <-timer.C:
		case <-released:
		}
		closeConn(w, onDrop)
		return 0
	case LateAfterWork:
		// The client's leaving does not cut the wait short: the answer is late, then
		// written whether or not anyone still reads it.
		timer := time.NewTimer(time.Duration(f.DelayMs) * time.Millisecond)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-released:
		}
	case NonJSON:
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<<this is not JSON>> upstream said: ok"))
		return http.StatusOK
	case Oversized:
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(oversizedBody())
		return http.StatusOK
	case Truncated:
		return writeTruncated(w, rec, onDrop)
	case Trickle:
		return writeTrickle(ctx, w, f, rec, released)
	case Stall:
		return writeStall(ctx, w, f, rec, released, onDrop)
	}
	rec.Replay(w) // delay, late_after_work: answer normally (a failed write is ignored)
	if rec.Status == 0 {
		return http.StatusOK
	}
	return rec.Status
}

// writeTrickle sends the status line and headers at once, then the body a byte at a
// time, delay_ms apart. A client that leaves, or a reset, ends it early.
func writeTrickle(ctx context.Context, w http.ResponseWriter, f Fault, rec *Recorder, released <-chan struct{}) int {
	status, body := rec.Status, rec.Body.Bytes()
	if status == 0 {
		status = http.StatusOK
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	if status != http.StatusNoContent {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	pause := time.Duration(f.DelayMs) * time.Millisecond
	for i := range body {
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return status
		case <-released:
			timer.Stop()
		case <-timer.C:
		}
		if _, err := w.Write(body[i : i+1]); err != nil {
			return status
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
	return status
}

// writeStall sends the status line and headers, announcing the whole body in
// Content-Length, then holds the connection without a byte of body and closes it.
func writeStall(ctx context.Context, w http.ResponseWriter, f Fault, rec *Recorder, released <-chan struct{}, onDrop OnDrop) int {
	status, body := rec.Status, rec.Body.Bytes()
	if status == 0 {
		status = http.StatusOK
	}
	if status == http.StatusNoContent || len(body) == 0 {
		status, body = http.StatusOK, []byte(`{"note":"this body never came"}`)
	}
	conn, buf, ok := hijack(w)
	if !ok {
		return 0
	}
	defer conn.Close()
	writeHead(buf, rec, status, len(body))
	_ = buf.Flush()
	hold := HangCap
	if f.DelayMs > 0 {
		hold = time.Duration(f.DelayMs) * time.Millisecond
	}
	timer := time.NewTimer(hold)
	defer timer.Stop()
	// The connection is hijacked, so ctx no longer learns that the client left: a
	// read that ends (EOF) tells instead.
	gone := make(chan struct{})
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(hold))
		_, _ = buf.ReadByte()
		close(gone)
	}()
	select {
	case <-ctx.Done():
	case <-gone:
	case <-timer.C:
	case <-released:
	}
	onDrop.call(status)
	return status
}

// oversizedBody is valid JSON of exactly OversizedBytes bytes.
func oversizedBody() []byte {
	const head, tail = `{"padding":"`, `"}`
	return []byte(head + strings.Repeat("x", OversizedBytes-len(head)-len(tail)) + tail)
}

// writeTruncated promises the full body in Content-Length, sends half of it and
// closes the connection. A 204 has no body to cut, so it becomes a 200 with one.
func writeTruncated(w http.ResponseWriter, rec *Recorder, onDrop OnDrop) int {
	status, body := rec.Status, rec.Body.Bytes()
	if status == 0 {
		status = http.StatusOK
	}
	if len(body) < 2 {
		status, body = http.StatusOK, []byte(`{"error_ext_msg":null,"note":"this body was cut short"}`)
	}
	conn, buf, ok := hijack(w)
	if !ok {
		return 0
	}
	defer conn.Close()
	writeHead(buf, rec, status, len(body))
	_, _ = buf.Write(body[:len(body)/2])
	onDrop.call(status)
	_ = buf.Flush()
	return status
}

// writeHead writes, on a hijacked connection, the status line and the recorded headers of a
// response whose body is promised as `length` bytes and after which the connection closes.
func writeHead(buf *bufio.ReadWriter, rec *Recorder, status, length int) {
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for k, vs := range rec.Header() {
		if k == "Content-Length" || k == "Connection" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(&head, "Content-Length: %d\r\nConnection: close\r\n\r\n", length)
	_, _ = buf.Write(head.Bytes())
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil, false
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return nil, nil, false
	}
	return conn, buf, true
}

// closeConn drops the connection without a byte of response: nothing has been
// written to w yet (the answer only went to a Recorder) and the hijacked connection
// is closed without its buffered writer being used, so the client reads EOF at
// once, with no status line, even on a kept-alive connection. If the connection
// cannot be hijacked, the handler is aborted, which also closes it unanswered.
func closeConn(w http.ResponseWriter, onDrop OnDrop) {
	conn, _, ok := hijack(w)
	if !ok {
		onDrop.call(0)
		panic(http.ErrAbortHandler)
	}
	onDrop.call(0)
	_ = conn.Close()
}
