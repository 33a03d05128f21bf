// The paging and time filters of the list operations, parsed and applied as DCS does.

package state

import (
	"net/url"
	"strconv"
	"time"

	"github.com/libdcs/libdcs/emulator/internal/ids"
)

// Page selects records of a list call: a created_at window and an offset/limit.
type Page struct {
	Offset int
	Limit  int
	Begin  time.Time // zero = unbounded
	End    time.Time // zero = unbounded
}

// ParsePage reads offset, limit (1–1000, default 10), begin_time and end_time
// (UTC yyyyMMddHHmmss) from a query, answering DCS.4062 for a bad one.
func ParsePage(q url.Values) (Page, *Error) {
	p := Page{Limit: 10}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return p, ErrInvalidParam("limit")
		}
		p.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, ErrInvalidParam("offset")
		}
		p.Offset = n
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"begin_time", &p.Begin}, {"end_time", &p.End}} {
		if v := q.Get(f.name); v != "" {
			t, err := time.ParseInLocation(ids.CompactLayout, v, time.UTC)
			if err != nil {
				return p, ErrInvalidParam(f.name)
			}
			*f.dst = t
		}
	}
	return p, nil
}

// matches compares at whole seconds, the precision of the filters, both ends inclusive.
func (p Page) matches(created time.Time) bool {
	c := created.UTC().Truncate(time.Second)
	if !p.Begin.IsZero() && c.Before(p.Begin) {
		return false
	}
	if !p.End.IsZero() && c.After(p.End) {
		return false
	}
	return true
}

func page[T any](items []T, p Page) []T {
	if p.Offset >= len(items) {
		return []T{}
	}
	end := min(len(items), p.Offset+p.Limit)
	return items[p.Offset:end]
}
