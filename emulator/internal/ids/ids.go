// Package ids makes the identifiers and timestamps DCS responses carry.
package ids

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// NewUUID returns a random RFC 4122 version-4 UUID, the shape of DCS record ids.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewRequestID returns 32 random hex characters for the X-Request-Id header.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Timestamp formats t like DCS does: UTC with milliseconds, e.g. 2017-07-18T21:41:35.182Z.
func Timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// CompactLayout is the yyyyMMddHHmmss layout of record names and time filters.
const CompactLayout = "20060102150405"

// Compact formats t as yyyyMMddHHmmss in UTC.
func Compact(t time.Time) string { return t.UTC().Format(CompactLayout) }
