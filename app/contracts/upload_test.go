package contracts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"rampart/app/auth"
	"rampart/app/contracts"
	"rampart/app/contracts/terms"
	"rampart/app/doctext"
	"rampart/app/storage"
	"rampart/models"
	"rampart/models/testdb"
)

func newContract(t *testing.T, db *models.DB) (*contracts.Service, *auth.Principal, *models.Contract) {
	t.Helper()
	ctx := context.Background()
	u := &models.User{Email: "legal@corp.test", Name: "Legal", Role: models.RoleLegal, Active: true}
	if err := models.CreateUser(ctx, db.Gorm, u); err != nil {
		t.Fatal(err)
	}
	v := &models.VendorRecord{Vendor: models.Vendor{Name: "Upload Vendor", NameKey: "upload vendor", Category: "saas", Status: "active",
		IntegrationMethods: models.StringList{}, HostingRegions: models.StringList{}}}
	if err := models.CreateVendor(ctx, db.Gorm, v); err != nil {
		t.Fatal(err)
	}
	s := &contracts.Service{DB: db.Gorm}
	p := &auth.Principal{User: u}
	title, vendorID := "Master agreement", v.ID
	c, err := s.Create(ctx, p, contracts.Fields{VendorID: &vendorID, Title: &title}, auth.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	return s, p, c
}

// TestExtractionHoldsNoWriteLock: while a document's text and terms are
// extracted, another connection can write. On SQLite a write transaction
// open around the extraction would hold the database's only write lock,
// and this write would wait for it (and, past the busy timeout, fail).
func TestExtractionHoldsNoWriteLock(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	s, p, c := newContract(t, db)
	ran := false
	t.Cleanup(contracts.WrapExtract(func(next func([]byte, string) (doctext.Document, []terms.Term, error)) func([]byte, string) (doctext.Document, []terms.Term, error) {
		return func(data []byte, name string) (doctext.Document, []terms.Term, error) {
			ran = true
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := models.ReserveAttempt(ctx, db.Gorm, []models.ThrottleKey{{Key: "unrelated-writer"}}, time.Now(), time.Minute, func([]models.ThrottleCount) error { return nil }); err != nil {
				t.Errorf("an unrelated write during extraction failed: %v", err)
			}
			return next(data, name)
		}
	}))
	up, err := s.AddDocument(context.Background(), storage.Local{Dir: t.TempDir()}, p, c.ID, "msa.txt",
		strings.NewReader("MASTER AGREEMENT\n\nThis Agreement shall be governed by the laws of England and Wales.\n"), auth.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if !ran || !up.Extracted || len(up.Changed) == 0 {
		t.Fatalf("extraction ran %v, upload %+v", ran, up)
	}
}

// TestDocumentTypes: HTML and SVG are refused however they are named; the
// stored type is the format read, never what the content sniffed as.
func TestDocumentTypes(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	s, p, c := newContract(t, db)
	files := storage.Local{Dir: t.TempDir()}
	for name, body := range map[string]string{
		"contract.txt":  "<!DOCTYPE html><html><body><script>alert(1)</script>Agreement</body></html>",
		"contract.md":   "<html><head><title>x</title></head><body>Agreement</body></html>",
		"contract.html": "<html><body>Agreement</body></html>",
		"terms.txt":     `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
	} {
		_, err := s.AddDocument(context.Background(), files, p, c.ID, name, strings.NewReader(body), auth.Origin{})
		ve, ok := err.(*models.ValidationError)
		if !ok || ve.Errors[0].Field != "file" || !strings.Contains(ve.Errors[0].Message, name+" is ") || !strings.Contains(ve.Errors[0].Message, "; upload a PDF, Word (.docx), text or Markdown file") {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, want := range map[string]string{"a.txt": "text/plain", "a.md": "text/markdown"} {
		up, err := s.AddDocument(context.Background(), files, p, c.ID, name, strings.NewReader(`{"agreement": "governed by the laws of England"}`), auth.Origin{})
		if err != nil {
			t.Fatal(err)
		}
		if up.Document.ContentType != want {
			t.Errorf("%s stored as %s, want %s", name, up.Document.ContentType, want)
		}
	}
}
