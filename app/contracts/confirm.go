package contracts

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/contracts/playbook"
	"rampart/app/contracts/terms"
	"rampart/models"
)

// TermVersion names one term as the reviewer saw it.
type TermVersion struct {
	Key     string
	Version int64
}

// ConfirmMeeting confirms, in one transaction, the proposed terms the
// reviewer saw meeting the playbook. Only the listed terms are confirmed,
// so nothing the reviewer did not see is signed for: a listed term that
// changed since (stale version, or no longer meets the playbook) refuses
// the whole batch with ErrConflict and the current terms. Each term is
// audited as its own confirmation, like ReviewTerm, and the contract's
// dates follow the confirmed terms.
func (s *Service) ConfirmMeeting(ctx context.Context, p *auth.Principal, id string, want []TermVersion, o auth.Origin) ([]string, error) {
	if err := checkTermList(want); err != nil {
		return nil, err
	}
	var confirmed []string
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := s.current(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.ReviewStatus == ReviewSignedOff {
			return &models.ForbiddenError{Reason: "The review is signed off and its terms are locked; reopen it to change them."}
		}
		// Judged inside the transaction, so the verdict is the one the
		// confirmation is made against.
		ev, err := (&Service{DB: tx, Now: s.Now}).Evaluate(ctx, c)
		if err != nil {
			return err
		}
		for _, w := range want {
			t, ok := ev.Terms[w.Key]
			ch := ev.Checks[w.Key]
			if !ok || t.Version != w.Version || t.ReviewState != TermProposed || ch == nil || ch.Status != playbook.Meets {
				return models.ErrConflict
			}
		}
		now := s.now()
		for _, w := range want {
			t := ev.Terms[w.Key]
			after, err := models.UpdateContractTerm(ctx, tx, t.ID, t.Version,
				map[string]any{"reviewed_by": p.User.ID, "reviewed_at": now, "review_state": TermConfirmed})
			if err != nil {
				return err
			}
			ev.Terms[w.Key] = *after
			confirmed = append(confirmed, w.Key)
			if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "contract.term.confirm", ObjectType: "contract", ObjectID: id,
				BeforeData: models.AuditJSON(map[string]any{"term": w.Key, "found": t.Found, "value": t.Value, "state": t.ReviewState}),
				AfterData:  models.AuditJSON(map[string]any{"term": w.Key, "found": after.Found, "value": after.Value, "state": after.ReviewState, "note": after.Note})}); err != nil {
				return err
			}
		}
		return s.followTerms(ctx, tx, c, ev.Terms)
	})
	if err != nil {
		return nil, err
	}
	return confirmed, nil
}

// checkTermList refuses unknown and repeated keys, naming the entry.
func checkTermList(want []TermVersion) error {
	if len(want) == 0 {
		return models.Invalid("terms", "must list at least one term")
	}
	var errs []models.FieldError
	seen := map[string]bool{}
	for i, w := range want {
		field := fmt.Sprintf("terms[%d].key", i)
		switch {
		case !slices.Contains(terms.Keys, w.Key):
			errs = append(errs, models.FieldError{Field: field, Message: "is not a key term"})
		case seen[w.Key]:
			errs = append(errs, models.FieldError{Field: field, Message: "is listed twice"})
		}
		seen[w.Key] = true
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	return nil
}
