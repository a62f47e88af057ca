package contracts

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/contracts/playbook"
	"rampart/app/contracts/terms"
	"rampart/models"
)

// Check is the playbook's verdict on one term.
type Check = playbook.Check

// CheckSummary counts a contract's verdicts, for badges and lists.
type CheckSummary struct {
	Meets    int `json:"meets"`
	Deviates int `json:"deviates"`
	Missing  int `json:"missing"`
	// Worst is the highest severity among deviating and missing terms, "" when none.
	Worst string `json:"worst"`
}

// Evaluation is a contract's terms checked against the playbook in force.
type Evaluation struct {
	Terms           map[string]models.ContractTerm
	Checks          map[string]*Check
	PlaybookVersion int64
	VendorTier      int64
	Summary         CheckSummary
}

// Playbook returns the playbook in force and its version (0 for the
// built-in default, until someone saves one).
func (s *Service) Playbook(ctx context.Context) (playbook.Playbook, int64, error) {
	row, err := models.CurrentPlaybook(ctx, s.DB)
	if errors.Is(err, models.ErrNotFound) {
		return playbook.Default(), 0, nil
	}
	if err != nil {
		return playbook.Playbook{}, 0, err
	}
	p, err := playbook.Parse([]byte(row.Content))
	return p, row.Version, err
}

// SavePlaybook stores a new playbook version if version is still the
// newest; the data must pass validation.
func (s *Service) SavePlaybook(ctx context.Context, p *auth.Principal, version int64, data []byte, note string, o auth.Origin) (int64, error) {
	pb, err := playbook.Parse(data)
	var problems playbook.Problems
	if errors.As(err, &problems) {
		v := &models.ValidationError{}
		for _, pr := range problems {
			field := "playbook"
			if pr.Field != "" {
				field += "." + pr.Field
			}
			v.Errors = append(v.Errors, models.FieldError{Field: field, Message: pr.Message})
		}
		return 0, v
	}
	if err != nil {
		return 0, err
	}
	canonical, err := json.Marshal(pb)
	if err != nil {
		return 0, err
	}
	row := &models.Playbook{Content: string(canonical), Note: note, CreatedBy: &p.User.ID}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.SavePlaybook(ctx, tx, version, row); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "playbook.publish", ObjectType: "playbook", ObjectID: row.ID,
			AfterData: models.AuditJSON(map[string]any{"version": row.Version, "note": note})})
	})
	return row.Version, err
}

// Evaluate checks a contract's terms against the playbook in force, for
// the contract's vendor tier.
func (s *Service) Evaluate(ctx context.Context, c *models.Contract) (*Evaluation, error) {
	evs, err := s.EvaluateMany(ctx, []models.Contract{*c})
	if err != nil {
		return nil, err
	}
	return evs[c.ID], nil
}

// EvaluateMany evaluates several contracts with one query for their
// families, one for their terms and one for their vendors' tiers.
//
// A contract is judged with its family: an MSA's breach notice usually
// sits in the DPA under it, so a term the contract lacks counts when its
// parent or a child contract has it (the check's Actual names where).
func (s *Service) EvaluateMany(ctx context.Context, cs []models.Contract) (map[string]*Evaluation, error) {
	pb, version, err := s.Playbook(ctx)
	if err != nil {
		return nil, err
	}
	ids, vendorIDs, parentIDs := make([]string, 0, len(cs)), make([]string, 0, len(cs)), []string{}
	for _, c := range cs {
		ids, vendorIDs = append(ids, c.ID), append(vendorIDs, c.VendorID)
		if c.ParentID != nil {
			parentIDs = append(parentIDs, *c.ParentID)
		}
	}
	var kin []models.Contract
	if len(ids) > 0 {
		if err := s.DB.WithContext(ctx).Select("id", "parent_id", "title").Where("archived_at IS NULL").
			Where("parent_id IN ? OR id IN ?", ids, append(parentIDs, "")).Find(&kin).Error; err != nil {
			return nil, err
		}
	}
	family := map[string][]models.Contract{} // contract id -> its parent and children
	allIDs := slices.Clone(ids)
	for _, k := range kin {
		allIDs = append(allIDs, k.ID)
		if k.ParentID != nil {
			family[*k.ParentID] = append(family[*k.ParentID], k)
		}
		for _, c := range cs {
			if c.ParentID != nil && *c.ParentID == k.ID {
				family[c.ID] = append(family[c.ID], k)
			}
		}
	}
	rows, err := models.TermsOfContracts(ctx, s.DB, allIDs)
	if err != nil {
		return nil, err
	}
	// The playbook applies to the effective tier: a manual override in
	// force counts as the vendor's tier.
	var tiers []models.Vendor
	if err := s.DB.WithContext(ctx).Select("id", "tier", "override_tier", "override_until").Where("id IN ?", vendorIDs).Find(&tiers).Error; err != nil {
		return nil, err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tierOf := map[string]int64{}
	for _, t := range tiers {
		tierOf[t.ID] = t.EffectiveTier(today)
	}
	out := make(map[string]*Evaluation, len(cs))
	for _, c := range cs {
		ev := &Evaluation{Terms: map[string]models.ContractTerm{}, Checks: map[string]*Check{}, PlaybookVersion: version, VendorTier: tierOf[c.VendorID]}
		out[c.ID] = ev
		if len(rows[c.ID]) == 0 {
			continue // nothing extracted yet: nothing to judge
		}
		judged := map[string]terms.Term{}
		for _, r := range rows[c.ID] {
			ev.Terms[r.TermKey] = r
			judged[r.TermKey] = termOf(r)
		}
		from := map[string]string{}
		for _, k := range family[c.ID] {
			for _, r := range rows[k.ID] {
				if t, ok := judged[r.TermKey]; r.Found && (!ok || !t.Found) {
					judged[r.TermKey] = termOf(r)
					from[r.TermKey] = k.Title
				}
			}
		}
		ts := make([]terms.Term, 0, len(judged))
		for _, k := range terms.Keys {
			if t, ok := judged[k]; ok {
				ts = append(ts, t)
			}
		}
		for _, ch := range playbook.Evaluate(pb, ts, int(ev.VendorTier)) {
			ch := ch
			if title, ok := from[ch.Term]; ok {
				ch.Actual += " (in " + title + ")"
			}
			ev.Checks[ch.Term] = &ch
			switch ch.Status {
			case playbook.Meets:
				ev.Summary.Meets++
			case playbook.Deviates:
				ev.Summary.Deviates++
			case playbook.Missing:
				ev.Summary.Missing++
			}
			if ch.Status == playbook.Deviates || ch.Status == playbook.Missing {
				if severityRank(ch.Severity) > severityRank(ev.Summary.Worst) {
					ev.Summary.Worst = ch.Severity
				}
			}
		}
	}
	return out, nil
}

// termOf is the stored term in the extractor's shape, so the playbook
// judges the value in force (a reviewer's correction wins).
func termOf(r models.ContractTerm) terms.Term {
	t := terms.Term{Key: r.TermKey, Found: r.Found, Value: r.Value, Confidence: r.Confidence}
	_ = json.Unmarshal([]byte(r.Normalized), &t.Normalized)
	_ = json.Unmarshal([]byte(r.Evidence), &t.Evidence)
	return t
}

func severityRank(s string) int {
	switch s {
	case "critical":
		return 4
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 0
}
