package seeds

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/evidence"
	"rampart/app/scoring"
	"rampart/app/storage"
	"rampart/models"
)

// demoEvidence fills the evidence libraries of the first critical and high
// tier vendors through the service the API uses, as the demo risk
// manager: one vendor holds everything its tier requires, accepted, with
// its insurance certificate expiring within 30 days (the SOC 2 report is
// the one app/soc2 reads, so the upload shows what was read); one holds an
// expired SOC 2 report; one misses its SOC 2 report and has an ISO
// certificate waiting for review.
func demoEvidence(ctx context.Context, db *gorm.DB, files storage.Store) error {
	rm, err := models.UserByEmail(ctx, db, "risk@example.com")
	if err != nil {
		return fmt.Errorf("demo evidence: %w", err)
	}
	var ids []string
	if err := db.WithContext(ctx).Model(&models.Vendor{}).Where("archived_at IS NULL AND tier IN ?", []int{1, 2}).
		Order("tier, name").Limit(3).Pluck("id", &ids).Error; err != nil {
		return err
	}
	soc2, err := documentFiles.ReadFile("documents/soc2-type2-report.txt")
	if err != nil {
		return err
	}
	p, o := &auth.Principal{User: rm}, auth.Origin{RequestID: "demo-seed"}
	svc := &evidence.Service{DB: db}
	today := time.Now().UTC()
	in := func(days int) *string { s := today.AddDate(0, 0, days).Format(time.DateOnly); return &s }
	str := func(s string) *string { return &s }
	type doc struct {
		file   string
		data   []byte
		meta   evidence.Meta
		status string
	}
	note := func(what string) []byte {
		return []byte(what + "\n\nDemo document written for Rampart's sample data. It stands in for the vendor's real file.\n")
	}
	plans := [][]doc{
		{
			{"soc2-type2-report.txt", soc2, evidence.Meta{ExpiresOn: in(200)}, evidence.Accepted},
			{"pentest-summary-2026.txt", note("Penetration test summary: external and application test, no critical findings open."),
				evidence.Meta{Kind: str("pentest_summary"), Issuer: str("Northwall Security Ltd"), PeriodFrom: in(-60), PeriodTo: in(-45), ExpiresOn: in(300)}, evidence.Accepted},
			{"insurance-certificate.txt", note("Certificate of cyber liability insurance, limit 5,000,000."),
				evidence.Meta{Kind: str("insurance_certificate"), Issuer: str("Harbour Mutual Insurance"), ExpiresOn: in(20), Scope: str("Cyber liability and errors & omissions")}, evidence.Accepted},
		},
		{
			{"soc2-type2-2024.txt", note("SOC 2 Type II report for the prior period."),
				evidence.Meta{Kind: str("soc2_type2"), Issuer: str("Keller & Hart LLP"), PeriodFrom: in(-500), PeriodTo: in(-375), ExpiresOn: in(-10)}, evidence.Accepted},
			{"insurance-certificate.txt", note("Certificate of insurance."),
				evidence.Meta{Kind: str("insurance_certificate"), Issuer: str("Harbour Mutual Insurance"), ExpiresOn: in(240)}, evidence.Accepted},
			{"pentest-summary.txt", note("Penetration test summary."),
				evidence.Meta{Kind: str("pentest_summary"), Issuer: str("Northwall Security Ltd"), ExpiresOn: in(150)}, evidence.Accepted},
		},
		{
			{"insurance-certificate.txt", note("Certificate of insurance."),
				evidence.Meta{Kind: str("insurance_certificate"), Issuer: str("Atlas Specialty"), ExpiresOn: in(330)}, evidence.Accepted},
			{"iso27001-certificate.txt", note("ISO/IEC 27001:2022 certificate of registration."),
				evidence.Meta{Kind: str("iso27001"), Issuer: str("BSI"), ExpiresOn: in(700), Scope: str("Hosting and support of the platform")}, evidence.Received},
		},
	}
	for i, vendorID := range ids {
		byKind := map[string]string{}
		for _, d := range plans[i] {
			up, err := svc.Add(ctx, files, p, vendorID, "", 0, d.file, bytes.NewReader(d.data), d.meta, o)
			if err != nil {
				return fmt.Errorf("demo evidence %s: %w", d.file, err)
			}
			byKind[up.Item.Kind] = up.Item.ID
			if d.status == evidence.Received {
				continue
			}
			st := d.status
			if _, err := svc.Update(ctx, p, vendorID, up.Item.ID, up.Item.Version, evidence.Change{Status: &st}, o); err != nil {
				return err
			}
			if d.file == "soc2-type2-report.txt" {
				if err := demoSOCReview(ctx, svc, p, o, vendorID, up.Item.ID); err != nil {
					return fmt.Errorf("demo SOC review: %w", err)
				}
			}
		}
		if err := demoLinkAnswers(ctx, db, vendorID, byKind, today); err != nil {
			return err
		}
	}
	return nil
}

// demoLinkAnswers stands the SOC 2 and penetration test answers of the
// vendor's latest completed assessment on its library documents, where the
// questions are shown, so the review page shows file answers scored by
// the documents' verdicts (an expired SOC 2 report scores 0), and scores
// the assessment and the vendor again.
func demoLinkAnswers(ctx context.Context, db *gorm.DB, vendorID string, byKind map[string]string, today time.Time) error {
	var a models.Assessment
	err := db.WithContext(ctx).Where("vendor_id = ? AND status = ?", vendorID, "completed").Order("completed_at DESC").Limit(1).Find(&a).Error
	if err != nil || a.ID == "" {
		return err
	}
	svc := &assessments.Service{DB: db}
	st, err := svc.Load(ctx, db, &a)
	if err != nil {
		return err
	}
	var docs []string
	for _, link := range [][2]string{{"GOV-05", "soc2_type2"}, {"VUL-06", "pentest_summary"}} {
		key := link[0]
		doc, ok := byKind[link[1]]
		if !ok || !st.Result.Questions[key].Visible {
			continue
		}
		if err := models.LinkAnswerEvidence(ctx, db, a.ID, key, &doc, today); err != nil {
			return err
		}
		docs = append(docs, doc)
	}
	for _, doc := range docs {
		if err := svc.RescoreCiting(ctx, db, doc); err != nil {
			return err
		}
	}
	if len(docs) > 0 {
		_, err = scoring.Recompute(ctx, db, vendorID, scoring.CauseEvidence)
	}
	return err
}

// demoSOCReview works the SOC 2 report's review checklist part way, as
// the demo risk manager: the first CUEC mapped to them and an internal
// control, the report's exception turned into a finding; the rest stays
// open for a visitor to decide.
func demoSOCReview(ctx context.Context, svc *evidence.Service, p *auth.Principal, o auth.Origin, vendorID, docID string) error {
	rv, err := svc.Checklist(ctx, vendorID, docID, 1)
	if err != nil {
		return err
	}
	mapped, raised := false, false
	for _, it := range rv.Items {
		var d evidence.Decision
		switch {
		case it.Kind == evidence.ItemCUEC && !mapped:
			d, mapped = evidence.Decision{Decision: evidence.DecisionMapped, OwnerID: p.User.ID, ControlRef: "ITGC-4 API credential rotation"}, true
		case it.Kind == evidence.ItemException && !raised:
			d, raised = evidence.Decision{Decision: evidence.DecisionFinding, Severity: "medium", Reason: "Ask for the scan reports of the missed weeks."}, true
		default:
			continue
		}
		if _, err := svc.Decide(ctx, p, vendorID, docID, 1, it.ID, it.Version, d, o); err != nil {
			return err
		}
	}
	return nil
}
