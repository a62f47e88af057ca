package findings

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/scoring"
	"rampart/models"
)

// RequestException asks to accept a finding's (or a vendor's) risk until
// an expiry date.
func (s *Service) RequestException(ctx context.Context, p *auth.Principal, vendorID, findingID, justification, controls, expiresOn string, o auth.Origin) (*models.RiskException, error) {
	var errs []models.FieldError
	if strings.TrimSpace(justification) == "" {
		errs = append(errs, models.FieldError{Field: "justification", Message: "is required"})
	}
	exp, err := time.Parse(time.DateOnly, expiresOn)
	if err != nil || !exp.After(s.now()) {
		errs = append(errs, models.FieldError{Field: "expires_on", Message: "must be a future date such as 2027-06-30"})
	} else if exp.After(s.now().AddDate(3, 0, 0)) {
		errs = append(errs, models.FieldError{Field: "expires_on", Message: "must be within three years: accepted risks are reviewed"})
	}
	var finding *string
	if findingID != "" {
		f, err := models.GetFinding(ctx, s.DB, findingID)
		if err != nil {
			errs = append(errs, models.FieldError{Field: "finding_id", Message: "is not a finding"})
		} else {
			finding, vendorID = &f.ID, f.VendorID
			if f.Status == "resolved" {
				errs = append(errs, models.FieldError{Field: "finding_id", Message: "is resolved; nothing to accept"})
			}
		}
	}
	if _, err := models.GetVendor(ctx, s.DB, vendorID); err != nil {
		errs = append(errs, models.FieldError{Field: "vendor_id", Message: "is not a vendor"})
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	e := &models.RiskException{VendorID: vendorID, FindingID: finding, Justification: strings.TrimSpace(justification),
		CompensatingControls: strings.TrimSpace(controls), Status: "requested", RequestedBy: p.User.ID, ExpiresOn: expiresOn}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if finding != nil {
			if cur, err := models.PendingException(ctx, tx, *finding); err != nil {
				return err
			} else if cur != nil {
				return errPendingException()
			}
		}
		// The check above answers the usual case; the partial unique index
		// refuses the second of two requests that passed it at once.
		if err := models.CreateException(ctx, tx, e); errors.Is(err, models.ErrConflict) {
			return errPendingException()
		} else if err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "exception.request", ObjectType: "exception", ObjectID: e.ID,
			AfterData: models.AuditJSON(map[string]any{"vendor_id": vendorID, "finding_id": findingID, "expires_on": expiresOn})})
	})
	return e, err
}

// errPendingException refuses a second request for a finding whose first
// one waits for a decision.
func errPendingException() error {
	return models.Invalid("finding_id", "already has an exception request waiting for a decision; it must be approved or rejected before another is asked")
}

// decideRefusal is the one rule for who may decide e: a risk manager or an
// administrator who did not request it, while it waits. Nil means p may.
func decideRefusal(p *auth.Principal, e *models.RiskException) error {
	switch {
	case e.Status != "requested":
		return models.Invalid("status", "the exception is already "+e.Status)
	case e.RequestedBy == p.User.ID:
		return &models.ForbiddenError{Reason: "You requested this exception; another risk manager or administrator must decide it.", SelfApproval: "exception"}
	case p.User.Role != models.RoleRiskManager && p.User.Role != models.RoleAdmin:
		return &models.ForbiddenError{Reason: "Only a risk manager or an administrator can accept a risk."}
	}
	return nil
}

// CanDecide reports whether p may approve or reject e now, by the same
// rule DecideException enforces, so the web app offers only what works.
func CanDecide(p *auth.Principal, e *models.RiskException) bool {
	return p != nil && p.User != nil && !p.ReadOnly() && decideRefusal(p, e) == nil
}

// DecideException approves or rejects a requested exception. The approver
// must be a risk manager or an administrator other than the requester.
// Approval marks the finding risk_accepted and rescores the vendor.
func (s *Service) DecideException(ctx context.Context, p *auth.Principal, id string, version int64, approve bool, o auth.Origin) (*models.RiskException, error) {
	var out *models.RiskException
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := models.GetException(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := decideRefusal(p, e); err != nil {
			return err
		}
		status := "rejected"
		if approve {
			status = "approved"
		}
		if out, err = models.UpdateException(ctx, tx, id, version, map[string]any{"status": status, "approver_id": p.User.ID, "decided_at": s.now()}); err != nil {
			return err
		}
		if approve {
			if e.FindingID != nil {
				if err := tx.Model(&models.Finding{}).Where("id = ?", *e.FindingID).
					Updates(map[string]any{"status": "risk_accepted", "updated_at": s.now(), "version": gorm.Expr("version + 1")}).Error; err != nil {
					return err
				}
			}
			if _, err := scoring.Recompute(ctx, tx, e.VendorID, scoring.CauseExceptionGranted); err != nil {
				return err
			}
		}
		action := "exception.reject"
		if approve {
			action = "exception.approve"
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "exception", ObjectID: id})
	})
	return out, err
}

// ExpireExceptions ends approved exceptions past their date: the finding
// reopens and the vendor is rescored. It is idempotent, so every instance
// may run it; it reports how many expired.
func (s *Service) ExpireExceptions(ctx context.Context) (int, error) {
	today := s.now().Format(time.DateOnly)
	due, err := models.ExpiredExceptions(ctx, s.DB, today)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range due {
		err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Model(&models.RiskException{}).Where("id = ? AND status = ?", e.ID, "approved").
				Updates(map[string]any{"status": "expired", "updated_at": s.now()})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // another instance got there first
			}
			if e.FindingID != nil {
				if err := tx.Model(&models.Finding{}).Where("id = ? AND status = ?", *e.FindingID, "risk_accepted").
					Updates(map[string]any{"status": "open", "updated_at": s.now(), "version": gorm.Expr("version + 1")}).Error; err != nil {
					return err
				}
			}
			if _, err := scoring.Recompute(ctx, tx, e.VendorID, scoring.CauseExceptionExpired); err != nil {
				return err
			}
			if err := s.noticeExpired(ctx, tx, &e); err != nil {
				return err
			}
			n++
			return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "exception expiry",
				Action: "exception.expire", ObjectType: "exception", ObjectID: e.ID, Detail: "expired on " + e.ExpiresOn})
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
