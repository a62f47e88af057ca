package contracts

// termLabels name each key term for people: finding titles, exports and
// the API's options.
var termLabels = map[string]string{
	"governing_law":               "Governing law",
	"auto_renewal":                "Automatic renewal",
	"renewal_term":                "Renewal term",
	"non_renewal_notice":          "Notice to stop renewal",
	"termination_for_convenience": "Termination for convenience",
	"cure_period":                 "Cure period",
	"data_return_deletion":        "Data return and deletion",
	"breach_notification":         "Breach notification",
	"audit_rights":                "Audit rights",
	"subprocessor_changes":        "Subprocessor changes",
	"data_location":               "Data location",
	"transfer_mechanism":          "Transfer mechanism",
	"liability_cap":               "Liability cap",
	"sla_uptime":                  "SLA uptime",
	"service_credits":             "Service credits",
	"insurance":                   "Insurance",
	"confidentiality_survival":    "Confidentiality survival",
}

// TermLabel names a key term; an unknown key is returned as it is.
func TermLabel(key string) string {
	if l, ok := termLabels[key]; ok {
		return l
	}
	return key
}
