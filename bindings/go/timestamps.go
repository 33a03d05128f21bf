package dcs

import (
	"strconv"
	"time"
)

// timestampLayouts are the forms DCS timestamps take: ISO 8601 with or without
// milliseconds and zone, and the space-separated form some records use.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// parseTimestamp parses a service timestamp; a value without a zone is UTC. It returns the
// zero time.Time for "" and for any form it does not know (the raw string is kept beside).
func parseTimestamp(raw string) time.Time {
	if raw == "" {
		return time.Time{}
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, raw); err == nil {
			return t
		}
	}
	return time.Time{}
}

// parseProgress parses a percentage such as "42.00"; -1 when absent or unparseable.
func parseProgress(raw string) float64 {
	p, err := strconv.ParseFloat(raw, 64)
	if err != nil || p < 0 || p > 100 {
		return -1
	}
	return p
}
