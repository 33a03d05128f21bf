// The import ID of dcs_instance_restore, which names the instance too because DCS lists
// restores per instance, and may name the region.

package provider

import (
	"fmt"
	"strings"
)

// importID is what an import ID names.
type importID struct {
	Region     string // "" for the provider's region
	InstanceID string
	RestoreID  string
}

// importIDForm is the import ID's form, for messages.
const importIDForm = "<instance_id>/<restore_id> or <region>/<instance_id>/<restore_id>"

// parseImportID splits "<instance_id>/<restore_id>" or "<region>/<instance_id>/<restore_id>",
// the import ID of dcs_instance_restore: a restore id alone cannot be looked up, DCS lists
// restores per instance, and an import has no configuration to take a region from. The
// region itself is judged by libdcs when its client is made.
func parseImportID(id string, rules Rules) (importID, error) {
	parts := strings.Split(id, "/")
	var out importID
	switch len(parts) {
	case 2:
		out = importID{InstanceID: parts[0], RestoreID: parts[1]}
	case 3:
		if parts[0] == "" {
			return importID{}, fmt.Errorf("the import ID is %q: the region is empty (expected %s)", id, importIDForm)
		}
		out = importID{Region: parts[0], InstanceID: parts[1], RestoreID: parts[2]}
	default:
		return importID{}, fmt.Errorf("the import ID is %q; expected %s", id, importIDForm)
	}
	if rules == nil {
		return out, nil
	}
	for _, p := range []struct{ name, value string }{{"instance_id", out.InstanceID}, {"restore_id", out.RestoreID}} {
		if problem := rules.ValidateID(p.name, p.value); problem != nil {
			return importID{}, fmt.Errorf("the import ID is %q: %v (expected %s)", id, problem, importIDForm)
		}
	}
	return out, nil
}
