package faults

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// CarriesOut reports whether the request is carried out before the fault shows.
func CarriesOut(kind string) bool {
	switch kind {
	case Delay, CloseAfter, Truncated, NonJSON, Oversized:
		return true
	}
	return false
}

// OversizedBytes is the size of an oversized body: 2 MiB.
const OversizedBytes = 2 << 20

// WriteInstead answers in place of the real handler (status, html_502, throttle,
// close_before). It returns the status sent, 0 if the connection was just closed.
func WriteInstead(w http.ResponseWriter, f Fault) int {
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
		_, _ = w.Write([]byte(`{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit"}`))
		return http.StatusTooManyRequests
	case CloseBefore:
		closeConn(w)
		return 0
	}
	panic("faults: WriteInstead called for kind " + f.Kind)
}

// WriteAfter delivers a carried-out request's recorded response the way the fault
// says. It returns the status sent, 0 if nothing was sent.
func WriteAfter(w http.ResponseWriter, f Fault, rec *Recorder) int {
	switch f.Kind {
	case CloseAfter:
		closeConn(w)
		return 0
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
		return writeTruncated(w, rec)
	}
	rec.Replay(w) // delay: answer normally
	if rec.Status == 0 {
		return http.StatusOK
	}
	return rec.Status
}

// oversizedBody is valid JSON of exactly OversizedBytes bytes.
func oversizedBody() []byte {
	const head, tail = `{"padding":"`, `"}`
	return []byte(head + strings.Repeat("x", OversizedBytes-len(head)-len(tail)) + tail)
}

// writeTruncated promises the full body in Content-Length, sends half of it and
// closes the connection. A 204 has no body to cut, so it becomes a 200 with one.
func writeTruncated(w http.ResponseWriter, rec *Recorder) int {
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
	fmt.Fprintf(&head, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	_, _ = buf.Write(head.Bytes())
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
	return status
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

// closeConn drops the connection without a byte of response.
func closeConn(w http.ResponseWriter) {
	if conn, _, ok := hijack(w); ok {
		_ = conn.Close()
	}
}
