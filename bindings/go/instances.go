// Instance details through libdcs, so that a caller can check an instance (its status,
// its cache mode) before and after a restore.

package dcs

import "context"

// #include <dcs/dcs.h>
import "C"

// ShowInstance returns the instance's details; an error matching ErrNotFound if the
// project has no such instance.
func (c *Client) ShowInstance(ctx context.Context, instanceID string) (Instance, error) {
	var args cStrings
	defer args.free()
	cInstance := args.str("instance id", instanceID)
	if args.err != nil {
		return Instance{}, args.err
	}
	var instance Instance
	err := c.invoke(ctx, callSettings{}, func(call *cCall) C.dcs_status {
		var out *C.dcs_instance
		status := C.dcs_show_instance(call.client, cInstance, call.opts, &out, &call.err)
		if status == C.DCS_OK {
			instance = instanceFromC(out)
			C.dcs_instance_free(out)
		}
		return status
	})
	return instance, err
}
