package seeds

import (
	"bytes"
	"context"
	"embed"
	"fmt"

	"gorm.io/gorm"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/contracts"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/app/storage"
	"rampart/models"
)

// documentFiles are demo contract documents written for this project.
//
//go:embed documents
var documentFiles embed.FS

// demoDocuments gives the first demo vendors' contracts their documents:
// one review signed off, one pending, and one with terms that miss the
// playbook waiting in the legal queue.
var demoDocuments = []struct {
	vendor             int
	contractType, file string
	status             string
	signOff            bool
}{
	{0, "msa", "master-services-agreement.md", "signed", false},
	{0, "dpa", "data-processing-agreement.md", "signed", true},
	{1, "msa", "subscription-agreement.txt", "legal_review", false},
}

// DemoDocuments uploads the demo contract documents through the same
// service the API uses, as the demo legal user, so their text, proposed
// terms, reviews and audit events are what a real upload produces. It
// runs after Demo, once a file store exists.
func DemoDocuments(ctx context.Context, db *gorm.DB, files storage.Store) error {
	legal, err := models.UserByEmail(ctx, db, "legal@example.com")
	if err != nil {
		return fmt.Errorf("demo documents: %w", err)
	}
	var vendorIDs []string
	if err := db.WithContext(ctx).Model(&models.Contract{}).Distinct("vendor_id").Order("vendor_id").Pluck("vendor_id", &vendorIDs).Error; err != nil {
		return err
	}
	p := &auth.Principal{User: legal}
	o := auth.Origin{RequestID: "demo-seed"}
	svc := &contracts.Service{DB: db}
	for _, d := range demoDocuments {
		if d.vendor >= len(vendorIDs) {
			continue
		}
		var c models.Contract
		err := db.WithContext(ctx).Where("vendor_id = ? AND type = ?", vendorIDs[d.vendor], d.contractType).Order("created_at").Take(&c).Error
		if err != nil {
			continue // this vendor has no such contract in the demo set
		}
		if c.Status != d.status {
			status := d.status
			if _, err := svc.Update(ctx, p, c.ID, c.Version, contracts.Fields{Status: &status}, o); err != nil {
				return err
			}
		}
		data, err := documentFiles.ReadFile("documents/" + d.file)
		if err != nil {
			return err
		}
		if _, err := svc.AddDocument(ctx, files, p, c.ID, d.file, bytes.NewReader(data), o); err != nil {
			return fmt.Errorf("demo document %s: %w", d.file, err)
		}
		if !d.signOff {
			continue
		}
		ts, err := models.ContractTerms(ctx, db, c.ID)
		if err != nil {
			return err
		}
		for key, t := range ts {
			if _, err := svc.ReviewTerm(ctx, p, c.ID, key, contracts.TermReview{Version: t.Version, Action: "confirm"}, o); err != nil {
				return err
			}
		}
		cur, err := models.GetContract(ctx, db, c.ID)
		if err != nil {
			return err
		}
		if _, err := svc.SignOff(ctx, p, c.ID, cur.Version, "", o); err != nil {
			return err
		}
	}
	if err := demoEvidence(ctx, db, files); err != nil {
		return err
	}
	if err := demoIncidents(ctx, db); err != nil {
		return err
	}
	if err := demoRemediation(ctx, db, files); err != nil {
		return err
	}
	return demoImportedQuestionnaire(ctx, db, files)
}

// demoImportedQuestionnaire imports a customer's own SIG-style
// questionnaire the way a risk manager would, so the demo shows an
// imported draft with its report's decisions and its original file.
func demoImportedQuestionnaire(ctx context.Context, db *gorm.DB, files storage.Store) error {
	risk, err := models.UserByEmail(ctx, db, "risk@example.com")
	if err != nil {
		return fmt.Errorf("demo questionnaire: %w", err)
	}
	const name = "vendor-security-questionnaire.csv"
	data, err := documentFiles.ReadFile("documents/" + name)
	if err != nil {
		return err
	}
	sheets, err := sheet.Read(data)
	if err != nil {
		return err
	}
	imp, err := questionnaire.FromSheets(sheets, nil)
	if err != nil {
		return err
	}
	svc := &assessments.Service{DB: db}
	_, err = svc.ImportTemplate(ctx, files, &auth.Principal{User: risk}, "Northwind Health vendor questionnaire", name, data, imp, auth.Origin{RequestID: "demo-seed"})
	return err
}
