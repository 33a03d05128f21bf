// ValidateID and ValidateRemark give libdcs's verdicts, NUL bytes included.

package dcs

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateIDAndRemark(t *testing.T) {
	for _, good := range []string{"6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", "a_b-C9", strings.Repeat("a", 64)} {
		if err := ValidateID("instance_id", good); err != nil {
			t.Errorf("ValidateID(%q) = %v", good, err)
		}
	}
	for _, bad := range []string{"", "../x", "a%2Fb", "a b", "a\r\nb", "id\x00../x", strings.Repeat("a", 65), "café"} {
		err := ValidateID("backup_id", bad)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("ValidateID(%q) = %v, want an invalid-argument error", bad, err)
			continue
		}
		if !strings.Contains(err.Error(), "backup_id") {
			t.Errorf("ValidateID(%q): the message %q does not name the parameter", bad, err)
		}
	}
	for _, good := range []string{"", "nightly drill ✓", strings.Repeat("r", 128)} {
		if err := ValidateRemark(good); err != nil {
			t.Errorf("ValidateRemark(%q) = %v", good, err)
		}
	}
	for _, bad := range []string{strings.Repeat("r", 129), "tab\there", "\xff", "nul\x00"} {
		if err := ValidateRemark(bad); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("ValidateRemark(%q) = %v, want an invalid-argument error", bad, err)
		}
	}
}
