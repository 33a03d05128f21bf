package provider

import (
	"fmt"
	"strings"
)

// parseImportID splits "<instance_id>/<restore_id>", the import ID of dcs_instance_restore:
// a restore id alone cannot be looked up, DCS lists restores per instance.
func parseImportID(id string) (instanceID, restoreID string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 2 {
		return "", "", fmt.Errorf("the import ID is %q; expected <instance_id>/<restore_id>", id)
	}
	for i, name := range []string{"instance id", "restore id"} {
		if !dcsIDPattern.MatchString(parts[i]) {
			return "", "", fmt.Errorf("the import ID is %q; its %s %q must be 1-64 characters of letters, digits, '-' and '_' (expected <instance_id>/<restore_id>)", id, name, parts[i])
		}
	}
	return parts[0], parts[1], nil
}
