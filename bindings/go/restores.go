// Reading restore records back, one or all of an instance's, and the created-time filter
// that the list calls share.

package dcs

import (
	"context"
	"time"
)

// #include <dcs/dcs.h>
import "C"

// ListOption filters ListRestores and ListBackups.
type ListOption func(*listSettings)

type listSettings struct {
	begin, end time.Time
}

// WithBeginTime keeps the records created at or after t (whole seconds, sent as UTC).
func WithBeginTime(t time.Time) ListOption {
	return func(s *listSettings) { s.begin = t }
}

// WithEndTime keeps the records created at or before t (whole seconds, sent as UTC).
func WithEndTime(t time.Time) ListOption {
	return func(s *listSettings) { s.end = t }
}

// withListOptions builds the dcs_list_options for opts (NULL when there is no filter),
// runs use with it and frees it.
func withListOptions(opts []ListOption, use func(*C.dcs_list_options) error) error {
	var settings listSettings
	for _, opt := range opts {
		opt(&settings)
	}
	if settings.begin.IsZero() && settings.end.IsZero() {
		return use(nil)
	}
	var list *C.dcs_list_options
	var cerr *C.dcs_error
	if status := C.dcs_list_options_new(&list, &cerr); status != C.DCS_OK {
		return takeError(status, cerr)
	}
	defer C.dcs_list_options_free(list)

	var args cStrings
	defer args.free()
	if !settings.begin.IsZero() {
		begin := args.str("begin time", settings.begin.UTC().Format("20060102150405"))
		if status := C.dcs_list_options_set_begin_time(list, begin, &cerr); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	if !settings.end.IsZero() {
		end := args.str("end time", settings.end.UTC().Format("20060102150405"))
		if status := C.dcs_list_options_set_end_time(list, end, &cerr); status != C.DCS_OK {
			return takeError(status, cerr)
		}
	}
	return use(list)
}

// ListRestores returns every restore record of the instance (all pages), in the service's
// order; none is an empty slice.
func (c *Client) ListRestores(ctx context.Context, instanceID string, opts ...ListOption) ([]Restore, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	if args.err != nil {
		return nil, args.err
	}
	restores := []Restore{}
	err := withListOptions(opts, func(filter *C.dcs_list_options) error {
		return c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
			var list *C.dcs_restore_list
			status := C.dcs_list_restores(call.client, cInstance, filter, call.opts, &list, &call.err)
			if status != C.DCS_OK {
				return status
			}
			defer C.dcs_restore_list_free(list)
			count := C.dcs_restore_list_count(list)
			for i := C.size_t(0); i < count; i++ {
				restores = append(restores, restoreFromC(C.dcs_restore_list_at(list, i)))
			}
			return status
		})
	})
	if err != nil {
		return nil, err
	}
	return restores, nil
}

// GetRestore returns one restore record; an error matching ErrNotFound if the instance has
// none with that id.
func (c *Client) GetRestore(ctx context.Context, instanceID, restoreID string) (Restore, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	cRestore := args.str("restore id", restoreID)
	if args.err != nil {
		return Restore{}, args.err
	}
	var restore Restore
	err := c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
		var record *C.dcs_restore_record
		status := C.dcs_get_restore(call.client, cInstance, cRestore, call.opts, &record, &call.err)
		if status == C.DCS_OK {
			restore = restoreFromC(record)
			C.dcs_restore_record_free(record)
		}
		return status
	})
	return restore, err
}
