package handlers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// Confirming the terms that meet the playbook takes one call: only the
// listed proposed terms that meet are confirmed, each audited as its own
// confirmation, the cancel-by date follows a confirmed notice term, a
// stale list changes nothing (409 with the current terms) and a
// signed-off review refuses (403).
func TestConfirmMeetingTerms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Fleet Cloud","category":"saas"}`))
		// The record says 30 days' notice; the document says 90.
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Subscription","type":"msa",
			"status":"legal_review","effective_date":"2026-01-15","initial_term_months":24,"auto_renewal":true,"renewal_term_months":12,"notice_period":30,"notice_unit":"days"}`))
		if ct.CancelBy != "2027-12-15" {
			t.Fatalf("cancel-by from the record: %q", ct.CancelBy)
		}
		base := "/api/v1/contracts/" + ct.ID
		if r := f.upload(&legal, base+"/documents", "subscription.txt", []byte(recordDoc+"\n"+sampleDPA)); r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		ts := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", ""))
		var meeting []termVersion
		others := 0
		for _, tm := range ts.Items {
			if tm.ReviewState == "proposed" && tm.Check != nil && tm.Check.Status == "meets" {
				meeting = append(meeting, termVersion{Key: tm.Key, Version: tm.Version})
			} else {
				others++
			}
		}
		if len(meeting) < 3 || others == 0 || !slices.ContainsFunc(meeting, func(m termVersion) bool { return m.Key == "non_renewal_notice" }) {
			t.Fatalf("meeting %+v, others %d", meeting, others)
		}
		body := func(ms []termVersion) string {
			b, _ := json.Marshal(map[string]any{"terms": ms})
			return string(b)
		}
		confirms := func() (n int64) {
			db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "contract.term.confirm", ct.ID).Count(&n)
			return n
		}

		// A stale version anywhere in the list: nothing is confirmed.
		stale := slices.Clone(meeting)
		stale[len(stale)-1].Version++
		r := f.call(&legal, "POST", base+"/terms/confirm-meeting", body(stale))
		if r.Code != 409 || !strings.Contains(r.Body.String(), `"non_renewal_notice"`) {
			t.Fatalf("stale list: %d %s", r.Code, r.Body)
		}
		if n := confirms(); n != 0 {
			t.Fatalf("a refused batch confirmed %d terms", n)
		}
		// A term that does not meet the playbook cannot ride along.
		for _, tm := range ts.Items {
			if tm.Check != nil && tm.Check.Status != "meets" {
				bad := append(slices.Clone(meeting), termVersion{Key: tm.Key, Version: tm.Version})
				if r := f.call(&legal, "POST", base+"/terms/confirm-meeting", body(bad)); r.Code != 409 {
					t.Fatalf("with %s (%s): %d %s", tm.Key, tm.Check.Status, r.Code, r.Body)
				}
				break
			}
		}
		for b, field := range map[string]string{`{"terms":[]}`: "terms", `{"terms":[{"key":"nope","version":1}]}`: "terms[0].key",
			body([]termVersion{meeting[0], meeting[0]}): "terms[1].key"} {
			if r := f.call(&legal, "POST", base+"/terms/confirm-meeting", b); r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"`+field+`"`) {
				t.Errorf("%s: %d %s", b, r.Code, r.Body)
			}
		}

		r = f.call(&legal, "POST", base+"/terms/confirm-meeting", body(meeting))
		if r.Code != 200 {
			t.Fatalf("confirm meeting: %d %s", r.Code, r.Body)
		}
		out := decode[confirmMeetingResponse](t, r)
		if len(out.Confirmed) != len(meeting) {
			t.Fatalf("confirmed %v", out.Confirmed)
		}
		for _, tm := range out.Terms.Items {
			listed := slices.ContainsFunc(meeting, func(m termVersion) bool { return m.Key == tm.Key })
			if listed != (tm.ReviewState == "confirmed") || (listed && tm.ReviewedBy == nil) {
				t.Errorf("%s: listed %v, state %s", tm.Key, listed, tm.ReviewState)
			}
		}
		if n := confirms(); n != int64(len(meeting)) {
			t.Fatalf("%d audit events for %d confirmations", n, len(meeting))
		}
		// The confirmed 90 days' notice governs the cancel-by date.
		if ct = decode[contractResponse](t, f.call(&legal, "GET", base, "")); ct.CancelBy != "2027-10-16" {
			t.Fatalf("cancel-by after confirming 90 days' notice: %q", ct.CancelBy)
		}
		// The same list again is stale: those terms are no longer proposed.
		if r := f.call(&legal, "POST", base+"/terms/confirm-meeting", body(meeting)); r.Code != 409 {
			t.Fatalf("repeat: %d", r.Code)
		}

		// Signed off: locked.
		for _, tm := range out.Terms.Items {
			if tm.ReviewState == "proposed" {
				if r := f.call(&legal, "PATCH", base+"/terms/"+tm.Key, fmt.Sprintf(`{"version":%d,"action":"confirm"}`, tm.Version)); r.Code != 200 {
					t.Fatalf("confirm %s: %d", tm.Key, r.Code)
				}
			}
		}
		ct = decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		if r := f.call(&legal, "POST", base+"/review/sign-off", fmt.Sprintf(`{"version":%d,"reason":"record kept"}`, ct.Version)); r.Code != 200 {
			t.Fatalf("sign-off: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", base+"/terms/confirm-meeting", body(meeting[:1])); r.Code != 403 {
			t.Fatalf("after sign-off: %d %s", r.Code, r.Body)
		}
	})
}
