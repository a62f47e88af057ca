package seeds

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/contracts"
	"rampart/app/offboarding"
	"rampart/models"
)

// DemoOffboardingVendor is the demo vendor being offboarded, with a
// partly worked checklist.
const DemoOffboardingVendor = "Bluefin Translations"

// demoDeletionQuote is the clause legal confirmed in its agreement.
const demoDeletionQuote = "Upon termination or expiry of this Agreement, Supplier shall return or securely delete all Customer Data within thirty (30) days and certify the deletion in writing."

// seedOffboarding gives the demo's offboarding vendor an agreement whose
// data return and deletion term legal confirmed, and a checklist started
// ten days ago: the agent removal waived with a reason, the findings step
// done by itself, the data return due from the confirmed term.
func seedOffboarding(ctx context.Context, tx *gorm.DB, specs []VendorSpec, ids []string, risk, legal *models.User, now time.Time) error {
	i := slices.IndexFunc(specs, func(s VendorSpec) bool { return s.Record.Name == DemoOffboardingVendor })
	if i < 0 {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, ids[i])
	if err != nil {
		return err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	start := contracts.AddMonths(today, -10)
	end := contracts.TermEnd(start, 12)
	c := &models.Contract{VendorID: v.ID, Title: "Translation services agreement", Type: "msa", Status: "signed",
		EffectiveDate: start.Format(time.DateOnly), InitialTermMonths: 12, EndDate: end.Format(time.DateOnly), CurrentTermEnd: end.Format(time.DateOnly),
		AutoRenewal: true, RenewalTermMonths: 12, NoticePeriod: 30, NoticeUnit: "days",
		CancelBy: contracts.CancelBy(end, contracts.Notice{N: 30, Unit: "days"}).Format(time.DateOnly), Value: 18000, Currency: "EUR", OwnerID: &legal.ID}
	if err := models.CreateContract(ctx, tx, c); err != nil {
		return err
	}
	reviewed := now.Add(-20 * 24 * time.Hour)
	term := &models.ContractTerm{ContractID: c.ID, TermKey: "data_return_deletion", Found: true, Value: "30 days", Normalized: `{"days":30}`,
		Confidence: 0.9, Evidence: *models.AuditJSON([]map[string]any{{"quote": demoDeletionQuote, "start": 0, "end": len([]rune(demoDeletionQuote))}}),
		ExtractedFound: true, ExtractedValue: "30 days", ReviewState: contracts.TermConfirmed, ReviewedBy: &legal.ID, ReviewedAt: &reviewed}
	if err := models.SaveContractTerm(ctx, tx, term); err != nil {
		return err
	}
	started := now.Add(-10 * 24 * time.Hour)
	items := offboarding.Plan(offboarding.Source{Vendor: v.Vendor, Contracts: []models.Contract{*c},
		Terms: map[string][]models.ContractTerm{c.ID: {*term}}, Start: started})
	for j := range items {
		if items[j].Kind == offboarding.KindRevokeAccess {
			done := started.Add(26 * time.Hour)
			items[j].Status, items[j].DoneBy, items[j].DoneAt, items[j].Version = offboarding.ItemWaived, &risk.ID, &done, 2
			items[j].WaivedReason = "The agent only ran on two pilot laptops, which IT wiped and reissued in March."
		}
	}
	ob := &models.Offboarding{VendorID: v.ID, Status: offboarding.Open, PreviousStatus: "active", StartedBy: risk.ID, StartedAt: started, Version: 1}
	if err := models.CreateOffboarding(ctx, tx, ob, items); err != nil {
		return err
	}
	return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "demo data",
		Action: "offboarding.start", ObjectType: "vendor", ObjectID: v.ID, AfterData: models.AuditJSON(map[string]any{"offboarding_id": ob.ID, "previous_status": "active"})})
}
