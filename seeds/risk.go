package seeds

import (
	_ "embed"

	"rampart/app/risk"
)

//go:embed risk/model.json
var riskModel []byte

// RiskModel is the default scoring model (version 1); admins publish their
// own versions from it.
func RiskModel() (*risk.Model, error) {
	return risk.Decode(riskModel)
}

// RiskModelJSON is the default model's text, for editing and tests.
func RiskModelJSON() []byte { return append([]byte(nil), riskModel...) }
