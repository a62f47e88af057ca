package handlers

import (
	"fmt"
	"strings"
	"testing"

	"rampart/app/contracts"
	"rampart/models"
	"rampart/models/testdb"
)

const recordDoc = `SUBSCRIPTION AGREEMENT

This Subscription Agreement is entered into as of January 15, 2026 (the "Effective Date") between Acme Corp. and Fleet Cloud Ltd.

1. Term. This Agreement shall continue for an initial term of two (2) years. Thereafter it shall renew automatically for successive renewal terms of twelve (12) months, unless either party gives written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.

2. Fees. The total contract value is USD 48,000.
`

// The contract record follows its document: the document's dates are
// proposed beside the record, accepted field by field (audited with their
// quotes), confirmed terms govern the cancel-by date, and sign-off asks
// for a reason while the record disagrees with them.
func TestContractRecordFollowsDocument(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		auditor := f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Fleet Cloud","category":"saas"}`))
		// Made without saying whether it renews: not recorded, not "does not renew".
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts",
			`{"vendor_id":"`+v.ID+`","title":"Subscription","type":"msa","status":"legal_review","effective_date":"2026-02-01","initial_term_months":12}`))
		if ct.RenewalRecorded || ct.NoticePeriod != 0 || ct.Currency != "" {
			t.Fatalf("defaults stated as facts: %+v", ct)
		}
		base := "/api/v1/contracts/" + ct.ID
		if r := f.upload(&legal, base+"/documents", "subscription.txt", []byte(recordDoc)); r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		check := decode[contracts.RecordCheck](t, f.call(&auditor, "GET", base+"/record", ""))
		want := map[string][2]string{"effective_date": {"2026-02-01", "2026-01-15"}, "initial_term": {"1 year", "2 years"},
			"auto_renewal": {"", "Renews automatically"}, "renewal_term": {"", "1 year"}, "notice": {"", "90 days"}, "value": {"", "USD 48,000"}}
		for _, fld := range check.Fields {
			w := want[fld.Field]
			if fld.Record != w[0] || fld.Document == nil || fld.Document.Value != w[1] || !fld.Differs || fld.Document.Evidence.Quote == "" {
				t.Errorf("%s: %+v %+v", fld.Field, fld, fld.Document)
			}
		}
		// Accept the dates and renewal, not the value.
		ct = decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		if r := f.call(&auditor, "POST", base+"/record/accept", fmt.Sprintf(`{"version":%d,"fields":["effective_date"]}`, ct.Version)); r.Code != 403 {
			t.Fatalf("auditor accepts: %d", r.Code)
		}
		for body, field := range map[string]string{`{"version":%d,"fields":[]}`: "fields", `{"version":%d,"fields":["title"]}`: "fields[0]"} {
			if r := f.call(&legal, "POST", base+"/record/accept", fmt.Sprintf(body, ct.Version)); r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"`+field) {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		r := f.call(&legal, "POST", base+"/record/accept", fmt.Sprintf(`{"version":%d,"fields":["effective_date","initial_term","auto_renewal","renewal_term","notice"]}`, ct.Version))
		if r.Code != 200 {
			t.Fatalf("accept: %d %s", r.Code, r.Body)
		}
		ct = decode[contractResponse](t, r)
		if ct.EffectiveDate != "2026-01-15" || ct.EndDate != "2028-01-14" || !ct.AutoRenewal || !ct.RenewalRecorded || ct.NoticePeriod != 90 || ct.CancelBy != "2027-10-16" || ct.Value != 0 {
			t.Fatalf("accepted record %+v", ct)
		}
		if r := f.call(&legal, "POST", base+"/record/accept", fmt.Sprintf(`{"version":%d,"fields":["value"]}`, ct.Version-1)); r.Code != 409 {
			t.Fatalf("stale version: %d", r.Code)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "contract.record.accept", ct.ID).Take(&ev).Error; err != nil || !strings.Contains(ev.Detail, "ninety (90) days") {
			t.Fatalf("audit %+v %v", ev, err)
		}

		// Legal corrects the notice to 30 days in the document's terms: the
		// cancel-by date follows the confirmed term, and the record disagrees.
		ts := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", ""))
		for _, tm := range ts.Items {
			body := fmt.Sprintf(`{"version":%d,"action":"confirm"}`, tm.Version)
			if tm.Key == "non_renewal_notice" {
				body = fmt.Sprintf(`{"version":%d,"action":"correct","found":true,"value":"30 days"}`, tm.Version)
			}
			if r := f.call(&legal, "PATCH", base+"/terms/"+tm.Key, body); r.Code != 200 {
				t.Fatalf("%s: %d %s", tm.Key, r.Code, r.Body)
			}
		}
		ct = decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		if ct.CancelBy != "2027-12-15" {
			t.Fatalf("cancel-by from the confirmed 30 days: %q", ct.CancelBy)
		}
		check = decode[contracts.RecordCheck](t, f.call(&legal, "GET", base+"/record", ""))
		if len(check.Disagreements) != 1 || check.Disagreements[0].Field != "notice" || check.Disagreements[0].Record != "90 days" || check.Disagreements[0].Confirmed != "30 days" {
			t.Fatalf("disagreements %+v", check.Disagreements)
		}
		r = f.call(&legal, "POST", base+"/review/sign-off", fmt.Sprintf(`{"version":%d}`, ct.Version))
		if r.Code != 422 || !strings.Contains(r.Body.String(), "Notice to cancel: the record says 90 days, the confirmed terms say 30 days") {
			t.Fatalf("sign-off with a disagreement: %d %s", r.Code, r.Body)
		}
		r = f.call(&legal, "POST", base+"/review/sign-off", fmt.Sprintf(`{"version":%d,"reason":"side letter keeps 90 days"}`, ct.Version))
		if r.Code != 200 || decode[contractResponse](t, r).ReviewStatus != "signed_off" {
			t.Fatalf("sign-off with a reason: %d %s", r.Code, r.Body)
		}
	})
}

// A document in another language is stored, but its terms are not read:
// the upload says why, and no "not found" terms are proposed.
func TestContractDocumentInAnotherLanguage(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	legal := f.as(models.RoleLegal)
	risk := f.as(models.RoleRiskManager)
	v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Vertrieb GmbH","category":"saas"}`))
	ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Rahmenvertrag","type":"msa"}`))
	base := "/api/v1/contracts/" + ct.ID
	de := strings.Repeat("Der Vertrag beginnt am 1. Januar 2026 und läuft für die Dauer von zwölf Monaten. Er verlängert sich automatisch um ein Jahr, wenn er nicht mit einer Frist von drei Monaten gekündigt wird. ", 4)
	r := f.upload(&legal, base+"/documents", "rahmenvertrag.txt", []byte(de))
	if r.Code != 201 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	up := decode[uploadResponse](t, r)
	if up.Extracted || !strings.Contains(up.Unreadable, "German") {
		t.Fatalf("upload %+v", up)
	}
	if ts := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")); len(ts.Items) != 0 {
		t.Fatalf("%d terms proposed from a German text", len(ts.Items))
	}
	doc := decode[contractDocumentText](t, f.call(&legal, "GET", base+"/documents/"+up.Document.ID, ""))
	if !strings.Contains(doc.Unreadable, "German") {
		t.Fatalf("document %q", doc.Unreadable)
	}
}
