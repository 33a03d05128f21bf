// Package redis runs one redis-server per emulated instance and talks to it with a
// tiny RESP client: just enough for SET, SCAN, GET, SAVE, FLUSHALL and SHUTDOWN.
package redis

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// conn is one RESP connection; not safe for concurrent use.
type conn struct {
	c net.Conn
	r *bufio.Reader
}

// ReplyError is an error reply ("-ERR ...") from Redis.
type ReplyError string

func (e ReplyError) Error() string { return "redis: " + string(e) }

func dial(addr string, timeout time.Duration) (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, r: bufio.NewReader(c)}, nil
}

func (c *conn) Close() error { return c.c.Close() }

// do sends one command as an array of bulk strings and reads its reply: a string,
// an int64, nil, a []any, or a ReplyError.
func (c *conn) do(timeout time.Duration, args ...string) (any, error) {
	_ = c.c.SetDeadline(time.Now().Add(timeout))
	buf := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		buf = append(buf, "$"+strconv.Itoa(len(a))+"\r\n"...)
		buf = append(buf, a...)
		buf = append(buf, "\r\n"...)
	}
	if _, err := c.c.Write(buf); err != nil {
		return nil, err
	}
	reply, err := c.read()
	if err != nil {
		return nil, err
	}
	if e, ok := reply.(ReplyError); ok {
		return nil, e
	}
	return reply, nil
}

func (c *conn) line() (string, error) {
	s, err := c.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	if len(s) < 2 || s[len(s)-2] != '\r' {
		return "", errors.New("redis: malformed reply line")
	}
	return s[:len(s)-2], nil
}

func (c *conn) read() (any, error) {
	l, err := c.line()
	if err != nil {
		return nil, err
	}
	if l == "" {
		return nil, errors.New("redis: empty reply")
	}
	body := l[1:]
	switch l[0] {
	case '+':
		return body, nil
	case '-':
		return ReplyError(body), nil
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, nil
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, b); err != nil {
			return nil, err
		}
		return string(b[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, nil
		}
		items := make([]any, n)
		for i := range items {
			if items[i], err = c.read(); err != nil {
				return nil, err
			}
		}
		return items, nil
	}
	return nil, fmt.Errorf("redis: unknown reply type %q", l[0])
}
