package contracts

// Temporary until app/contracts/playbook lands: keeps the tree building.

import (
	"context"

	"rampart/app/auth"
	"rampart/models"
)

type Check struct {
	Term, Status, Severity, Expected, Actual, Rule string
}

type CheckSummary struct {
	Meets    int    `json:"meets"`
	Deviates int    `json:"deviates"`
	Missing  int    `json:"missing"`
	Worst    string `json:"worst"`
}

type Evaluation struct {
	Terms           map[string]models.ContractTerm
	Checks          map[string]*Check
	PlaybookVersion int64
	VendorTier      int64
	Summary         CheckSummary
}

func (s *Service) Playbook(ctx context.Context) (map[string]any, int64, error) { return map[string]any{}, 0, nil }

func (s *Service) SavePlaybook(ctx context.Context, p *auth.Principal, version int64, data []byte, note string, o auth.Origin) (int64, error) {
	return 0, nil
}

func (s *Service) Evaluate(ctx context.Context, c *models.Contract) (*Evaluation, error) {
	ts, err := models.ContractTerms(ctx, s.DB, c.ID)
	return &Evaluation{Terms: ts, Checks: map[string]*Check{}}, err
}

func (s *Service) EvaluateMany(ctx context.Context, cs []models.Contract) (map[string]*Evaluation, error) {
	out := map[string]*Evaluation{}
	for i := range cs {
		ev, err := s.Evaluate(ctx, &cs[i])
		if err != nil {
			return nil, err
		}
		out[cs[i].ID] = ev
	}
	return out, nil
}
