package contracts

import (
	"fmt"
	"strings"

	"rampart/app/contracts/terms"
)

// valueSentences put a reviewer's corrected value ("10 business days",
// "State of New York") into a sentence the extractor reads the same way it
// reads a contract, so a correction gets the same normalized form (and the
// playbook judges it) without a second parser to keep in step.
var valueSentences = map[string]string{
	"governing_law":            "This Agreement shall be governed by the laws of %s.",
	"renewal_term":             "This Agreement shall automatically renew for successive renewal terms of %s.",
	"non_renewal_notice":       "This Agreement renews automatically unless either party gives written notice of non-renewal at least %s before the end of the then-current term.",
	"cure_period":              "Either party may terminate this Agreement if the other party fails to cure a material breach within %s after receiving written notice.",
	"data_return_deletion":     "Vendor shall delete all Customer Data within %s after termination of this Agreement.",
	"breach_notification":      "Vendor shall notify Customer of any Personal Data Breach within %s.",
	"subprocessor_changes":     "Vendor shall notify Customer of any new subprocessor at least %s in advance.",
	"data_location":            "Customer Data shall be stored and processed only in %s.",
	"transfer_mechanism":       "Transfers of Customer Personal Data are governed by the %s.",
	"liability_cap":            "Each party's total liability under this Agreement shall not exceed %s.",
	"sla_uptime":               "Vendor will make the Service available %s of the time in each calendar month.",
	"insurance":                "Vendor shall maintain cyber liability insurance with limits of not less than %s.",
	"confidentiality_survival": "The confidentiality obligations in this Agreement survive its termination for a period of %s.",
}

// NormalizeValue reads a value written by a person for term key; nil when
// it cannot be read.
func NormalizeValue(key, value string) map[string]any {
	v := strings.TrimSpace(value)
	low := strings.ToLower(v)
	if _, sentence := valueSentences[key]; !sentence || key == "liability_cap" {
		// Yes/no terms, and an uncapped liability, are said in words.
		switch {
		case key == "liability_cap" && (strings.Contains(low, "uncapped") || strings.Contains(low, "unlimited")):
			return map[string]any{"kind": "uncapped"}
		case key != "liability_cap":
			no := low == "no" || strings.HasPrefix(low, "no ") || strings.HasPrefix(low, "none") || strings.HasPrefix(low, "not ")
			return map[string]any{"present": !no}
		}
	}
	text := fmt.Sprintf(valueSentences[key], v)
	if key == "subprocessor_changes" && strings.Contains(low, "object") {
		text = strings.TrimSuffix(text, ".") + ", and Customer may object to such changes."
	}
	for _, t := range terms.Extract(text, nil) {
		if t.Key == key && t.Found {
			return t.Normalized
		}
	}
	return nil
}
