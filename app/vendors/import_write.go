package vendors

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/scoring"
	"rampart/models"
)

// commit writes a checked plan in one transaction. Everything that does
// not depend on the database's current state (new ids, records, audit
// events) is prepared before it, and the transaction writes with
// multi-row statements, so it holds the write lock (SQLite) and the audit
// chain lock (PostgreSQL) for seconds, not minutes, and other users'
// writes wait within busy_timeout instead of failing. One transaction
// keeps the import all-or-nothing without compensating writes, which the
// append-only audit trail could not undo.
func (s *Service) commit(ctx context.Context, p *auth.Principal, o auth.Origin, plan []plannedRow, res *ImportResult) error {
	var creates []*models.VendorRecord
	var changes []models.VendorChange
	var events []models.AuditEvent
	actorType, actorID, actorLabel := p.Actor()
	event := func(e models.AuditEvent) {
		e.ActorType, e.ActorID, e.ActorLabel, e.RequestID, e.ClientIP = actorType, actorID, actorLabel, o.RequestID, o.ClientIP
		events = append(events, e)
	}
	for i := range plan {
		pr := &plan[i]
		switch pr.Action {
		case "create":
			pr.next.ID = models.NewID()
			res.Items[i].VendorID = pr.next.ID
			creates = append(creates, pr.next)
			event(models.AuditEvent{Action: "vendor.create", ObjectType: "vendor", ObjectID: pr.next.ID, AfterData: models.AuditJSON(ViewOf(pr.next))})
		case "update":
			changes = append(changes, models.VendorChange{Record: pr.next, Version: pr.existing.Version,
				Tags: pr.in.Tags != nil, DataTypes: pr.in.DataTypes != nil})
			action := "vendor.update"
			if pr.existing.Status != pr.next.Status {
				action = "vendor.status_change"
			}
			b, a := models.AuditDiff(ViewOf(pr.existing), ViewOf(pr.next))
			event(models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: pr.next.ID, BeforeData: b, AfterData: a})
		}
	}
	event(models.AuditEvent{Action: "vendor.import", ObjectType: "vendor",
		Detail: fmt.Sprintf("%d created, %d updated, %d unchanged", res.Created, res.Updated, res.Unchanged)})

	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Scores count each vendor's whole record, whoever imports.
		whole := models.Unscoped(ctx)
		history, err := scoreAll(whole, tx.WithContext(whole), creates, changes)
		if err != nil {
			return err
		}
		if err := models.WriteVendorsBulk(ctx, tx, creates, changes); err != nil {
			return err
		}
		// A scoped importer's new vendors are in their units, as one
		// created by hand would be (docs/business-units.md).
		units, err := models.DefaultUnits(ctx, tx, "")
		if err != nil {
			return err
		}
		ids := make([]string, len(creates))
		for i, c := range creates {
			ids[i] = c.ID
		}
		if err := models.LinkUnitsBulk(ctx, tx, models.UnitVendor, ids, units); err != nil {
			return err
		}
		if err := s.saveImportedCustom(ctx, tx, plan); err != nil {
			return err
		}
		if err := models.AppendRiskHistoryBulk(ctx, tx, history); err != nil {
			return err
		}
		// Last, so that PostgreSQL's audit chain lock, which every other
		// audited write waits for, is held only until the commit.
		return models.AppendAuditBulk(ctx, tx, events)
	})
	if errors.Is(err, models.ErrConflict) && !errors.Is(err, models.ErrVendorsChanged) {
		return models.Invalid("external_id", "is already used by another vendor (or by two rows of the file); nothing was saved")
	}
	return err
}

// scoreAll scores the new and changed vendors as Recompute would, one
// vendor at a time, but with each input read in bulk: new vendors have
// none; changed ones keep their assessments, findings and history. It
// sets each record's scores and returns the history entries to insert.
func scoreAll(ctx context.Context, tx *gorm.DB, creates []*models.VendorRecord, changes []models.VendorChange) ([]models.VendorRiskHistory, error) {
	m, version, err := scoring.Current(ctx, tx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(changes))
	for i, c := range changes {
		ids[i] = c.Record.ID
	}
	today := time.Now().UTC().Format(time.DateOnly)
	in, err := models.LoadScoringInputs(ctx, tx, ids, today)
	if err != nil {
		return nil, err
	}
	var out []models.VendorRiskHistory
	for _, r := range creates {
		if h := scoring.Score(m, version, r, nil, nil, models.HeldEvidence{}, nil, nil, scoring.CauseCreated); h != nil {
			out = append(out, *h)
		}
	}
	for _, c := range changes {
		id := c.Record.ID
		if h := scoring.Score(m, version, c.Record, in.LatestCompleted[id], in.OpenFindings[id], in.Evidence[id], in.OpenIncidents[id], in.LatestRisk[id], scoring.CauseProfileEdit); h != nil {
			out = append(out, *h)
		}
	}
	return out, nil
}

// saveImportedCustom stores the custom field values of the rows that
// create a vendor or carry custom columns.
func (s *Service) saveImportedCustom(ctx context.Context, tx *gorm.DB, plan []plannedRow) error {
	for i := range plan {
		pr := &plan[i]
		if pr.Action != "create" && (pr.Action != "update" || pr.in.CustomFields == nil) {
			continue
		}
		if err := s.saveCustom(ctx, tx, pr.next, true); err != nil {
			return err
		}
	}
	return nil
}
