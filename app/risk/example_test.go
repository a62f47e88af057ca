package risk_test

import (
	"testing"

	"rampart/app/risk"
)

func TestWorkedExampleInDocs(t *testing.T) {
	m := model(t)
	in := m.Inherent(risk.Profile{DataTypes: []string{"personal_data", "health_data"}, AccessLevel: "read_write",
		IntegrationMethods: []string{"sso", "api"}, Criticality: "high", AnnualSpend: 80000, InternalUsers: 250, HostingRegions: []string{"EU"}})
	eff := 75.0
	r := m.Residual(in, &eff, map[string]int{"high": 1})
	if in.Score != 62 || in.Tier != 1 || r.Score != 42 || r.Impact != 4 || r.Likelihood != 3 {
		t.Fatalf("docs/risk-scoring.md worked example: inherent %d tier %d residual %d L%d I%d", in.Score, in.Tier, r.Score, r.Likelihood, r.Impact)
	}
}
