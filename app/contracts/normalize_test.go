package contracts

import (
	"reflect"
	"testing"
)

func TestNormalizeValueReadsCorrections(t *testing.T) {
	for _, c := range []struct {
		key, value string
		want       map[string]any
	}{
		{"breach_notification", "48 hours", map[string]any{"hours": 48}},
		{"breach_notification", "ten (10) business days", map[string]any{"business_days": 10}},
		{"sla_uptime", "99.95%", map[string]any{"percent": 99.95}},
		{"liability_cap", "Unlimited", map[string]any{"kind": "uncapped"}},
		{"liability_cap", "the fees paid in the twelve (12) months before the claim", map[string]any{"kind": "fees_multiple", "multiple": 1, "months": 12}},
		{"audit_rights", "No", map[string]any{"present": false}},
		{"audit_rights", "Yes, once a year", map[string]any{"present": true}},
		{"subprocessor_changes", "30 days, customer may object", map[string]any{"days": 30, "objection_right": true}},
		{"data_return_deletion", "thirty days", map[string]any{"days": 30}},
		{"breach_notification", "promptly", nil},
	} {
		got := NormalizeValue(c.key, c.value)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q: got %v, want %v", c.key, c.value, got, c.want)
		}
	}
}
