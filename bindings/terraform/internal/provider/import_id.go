// The import ID of dcs_instance_restore, which names the instance too because DCS lists
// restores per instance.

package provider

import (
	"fmt"
	"strings"
)

// parseImportID splits "<instance_id>/<restore_id>", the import ID of dcs_instance_restore:
// a restore id alone cannot be looked up, DCS lists restores per instance.
func parseImportID(id string, rules Rules) (instanceID, restoreID string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 2 {
		return "", "", fmt.Errorf("the import ID is %q; expected <instance_id>/<restore_id>", id)
	}
	for i, name := range []string{"instance_id", "restore_id"} {
		if rules == nil {
			break
		}
		if problem := rules.ValidateID(name, parts[i]); problem != nil {
			return "", "", fmt.Errorf("the import ID is %q: %v (expected <instance_id>/<restore_id>)", id, problem)
		}
	}
	return parts[0], parts[1], nil
}
