package reminders_test

import (
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// An accepted document expiring in 30 days tells the vendor's owner once
// however often the scan runs; its expiry day tells once more and rescores
// the vendor, whose tier requires that kind; a version not accepted, or
// superseded by a newer version, is not told of.
func TestEvidenceExpiryNotices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		wd.publishTiers(func(i int, tier map[string]any) {
			if i == 3 {
				tier["required_evidence"] = []string{"insurance_certificate"}
			}
		})
		riley, sam := wd.users["riley"], wd.users["sam"]
		acme := wd.vendor("Acme", riley)
		expires := day(start.AddDate(0, 0, 30))
		add := func(v *models.VendorRecord, status string) *models.EvidenceDocument {
			d := &models.EvidenceDocument{VendorID: v.ID, Kind: "insurance_certificate", Title: "Cyber insurance"}
			ver := &models.EvidenceVersion{Filename: "c.pdf", ContentType: "application/pdf", Sha256: "x", StorageKey: "k", ExpiresOn: expires,
				Status: status, UploadedBy: riley.ID}
			if err := models.CreateEvidence(wd.ctx, db.Gorm, d, ver); err != nil {
				t.Fatal(err)
			}
			return d
		}
		add(acme, "accepted")
		add(wd.vendor("Bolt", sam), "in_review")
		scan := func() {
			t.Helper()
			if err := wd.scans.EvidenceExpiring(wd.ctx, wd.clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		wd.clk.AddDays(-1) // 31 days ahead: nothing yet
		scan()
		if n := wd.notices(riley, "evidence.expiring"); len(n) != 0 {
			t.Fatalf("31 days ahead: %+v", n)
		}
		wd.clk.AddDays(1)
		scan()
		scan()
		wd.clk.AddDays(1)
		scan()
		n := wd.notices(riley, "evidence.expiring")
		if len(n) != 1 || n[0].Title != "Evidence expires in 30 days: Cyber insurance (Acme)" || n[0].Link != "/vendors/"+acme.ID {
			t.Fatalf("30 days ahead: %+v", n)
		}
		if n := wd.notices(sam, "evidence.expiring"); len(n) != 0 {
			t.Fatalf("a document not accepted: %+v", n)
		}
		wd.clk.AddDays(29) // the expiry day
		scan()
		wd.clk.AddDays(1)
		scan()
		scan()
		n = wd.notices(riley, "evidence.expiring")
		if len(n) != 2 || n[1].Title != "Evidence expired: Cyber insurance (Acme)" {
			t.Fatalf("on expiry: %+v", n)
		}
		v, err := models.GetVendor(wd.ctx, db.Gorm, acme.ID)
		if err != nil || v.EvidenceGaps != 1 {
			t.Fatalf("rescored after expiry: gaps %d %v", v.EvidenceGaps, err)
		}
	})
}
