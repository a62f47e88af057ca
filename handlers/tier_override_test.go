package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestTierOverride: risk managers set and clear a manual tier; it shows
// as the effective tier (record, list filter, explanation) beside the
// computed one, lapses by itself after its date, and the history and the
// audit trail record each step.
func TestTierOverride(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Overridden","category":"saas","access_level":"read_only","criticality":"low","data_types":["internal"]}`))
		path := "/api/v1/vendors/" + v.ID
		if v.Tier != 4 || v.ComputedTier != 4 {
			t.Fatalf("new vendor tier %d/%d", v.Tier, v.ComputedTier)
		}
		today := f.clock.now().UTC()
		until := today.AddDate(0, 0, 10).Format(time.DateOnly)
		body := func(version int64, tier int, until, reason string) string {
			return fmt.Sprintf(`{"version":%d,"tier":%d,"until":%q,"reason":%q}`, version, tier, until, reason)
		}

		// Who may: legal, auditors and requesters may not.
		for _, role := range []models.Role{models.RoleLegal, models.RoleAuditor, models.RoleRequester} {
			s := f.as(role)
			if r := f.call(&s, "PUT", path+"/tier-override", body(1, 2, until, "x")); r.Code != 403 {
				t.Fatalf("%s set: %d", role, r.Code)
			}
		}
		// Each field is checked, each with its own message.
		for _, tc := range []struct{ body, field string }{
			{body(1, 0, until, "why"), "tier"},
			{body(1, 5, until, "why"), "tier"},
			{body(1, 2, until, "  "), "reason"},
			{body(1, 2, until, strings.Repeat("x", 2001)), "reason"},
			{body(1, 2, "", "why"), "until"},
			{body(1, 2, "31/03/2027", "why"), "until"},
			{body(1, 2, today.Format(time.DateOnly), "why"), "until"},
			{body(1, 2, today.AddDate(0, 0, -3).Format(time.DateOnly), "why"), "until"},
			{body(1, 2, today.AddDate(0, 0, 400).Format(time.DateOnly), "why"), "until"},
			{`{"tier":2,"until":"` + until + `","reason":"why"}`, "version"},
		} {
			r := f.call(&risk, "PUT", path+"/tier-override", tc.body)
			if r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"`+tc.field+`"`) {
				t.Fatalf("%s: %d %s", tc.body[:min(len(tc.body), 80)], r.Code, r.Body)
			}
		}
		// Set: tier 2 in force, computed 4 kept beside it.
		r := f.call(&risk, "PUT", path+"/tier-override", body(1, 2, until, "Holds our payroll data until the migration ends"))
		if r.Code != 200 {
			t.Fatalf("set: %d %s", r.Code, r.Body)
		}
		got := decode[vendorResponse](t, r)
		if got.Tier != 2 || got.ComputedTier != 4 || got.TierOverrideUntil != until || got.Version != 2 {
			t.Fatalf("after set: %+v", got.vendorSummary)
		}
		// A stale version: 409 with the current record.
		if r := f.call(&risk, "PUT", path+"/tier-override", body(1, 1, until, "again")); r.Code != 409 || !strings.Contains(r.Body.String(), `"version":2`) {
			t.Fatalf("stale set: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "DELETE", path+"/tier-override", `{"version":1}`); r.Code != 409 {
			t.Fatalf("stale clear: %d %s", r.Code, r.Body)
		}
		// Anyone who reads the vendor sees it, with the explanation.
		aud := f.as(models.RoleAuditor)
		rr := decode[riskResponse](t, f.call(&aud, "GET", path+"/risk", ""))
		name := f.users[models.RoleRiskManager].Name
		wantLine := fmt.Sprintf("Tier set to 2 by %s until %s: Holds our payroll data until the migration ends (computed: 4)", name, until)
		if rr.Tier != 2 || rr.ComputedTier != 4 || rr.TierOverride == nil || !rr.TierOverride.InForce || rr.TierExplanation != wantLine ||
			rr.TierOverride.SetBy == nil || rr.TierOverride.SetBy.Name != name || rr.DefaultQuestionnaire != "rampart-full" {
			t.Fatalf("risk after set: %+v %+v", rr, rr.TierOverride)
		}
		if len(rr.History) != 2 || rr.History[0].Cause != "tier_override_set" || rr.History[0].Changes[0] != wantLine {
			t.Fatalf("history after set: %+v", rr.History)
		}
		// The list filter reads the effective tier.
		if l := decode[listResponse[vendorSummary]](t, f.call(&aud, "GET", "/api/v1/vendors?tier=2", "")); l.Total != 1 || l.Items[0].Tier != 2 || l.Items[0].ComputedTier != 4 {
			t.Fatalf("tier=2: %+v", l)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&aud, "GET", "/api/v1/vendors?tier=4", "")); l.Total != 0 {
			t.Fatalf("tier=4 lists the overridden vendor: %+v", l)
		}
		// Audited with a labelled action.
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "vendor.tier_override_set", v.ID).Take(&ev).Error; err != nil || ev.AfterData == nil || !strings.Contains(*ev.AfterData, "payroll") {
			t.Fatalf("audit of set: %v %+v", err, ev)
		}

		// Clear: back to computed, recorded.
		r = f.call(&risk, "DELETE", path+"/tier-override", `{"version":2}`)
		if got := decode[vendorResponse](t, r); r.Code != 200 || got.Tier != 4 || got.TierOverrideUntil != "" {
			t.Fatalf("clear: %d %s", r.Code, r.Body)
		}
		rr = decode[riskResponse](t, f.call(&aud, "GET", path+"/risk", ""))
		if rr.Tier != 4 || rr.TierOverride != nil || rr.TierExplanation != "" || rr.History[0].Cause != "tier_override_cleared" ||
			!strings.Contains(rr.History[0].Changes[0], "Tier override to 2 cleared by "+name) {
			t.Fatalf("risk after clear: %+v", rr)
		}
		var n int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "vendor.tier_override_clear", v.ID).Count(&n)
		if n != 1 {
			t.Fatalf("clear audited %d times", n)
		}

		// Expiry: no job; the day after until, the computed tier applies
		// and the history shows the lapse.
		f.call(&risk, "PUT", path+"/tier-override", body(3, 1, until, "Incident under review"))
		f.clock.add(11 * 24 * time.Hour)
		risk, aud = f.as(models.RoleRiskManager), f.as(models.RoleAuditor)
		rr = decode[riskResponse](t, f.call(&aud, "GET", path+"/risk", ""))
		if rr.Tier != 4 || rr.TierOverride == nil || rr.TierOverride.InForce || rr.History[0].Cause != "tier_override_expired" ||
			!strings.Contains(rr.TierExplanation, "ended on "+until) {
			t.Fatalf("risk after expiry: %+v", rr)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&aud, "GET", "/api/v1/vendors?tier=1", "")); l.Total != 0 {
			t.Fatalf("tier=1 lists a lapsed override: %+v", l)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&aud, "GET", "/api/v1/vendors?tier=4", "")); l.Total != 1 || l.Items[0].Tier != 4 {
			t.Fatalf("tier=4 after expiry: %+v", l)
		}
		// Clearing a lapsed override writes the lapse for good, then the clear.
		if r := f.call(&risk, "DELETE", path+"/tier-override", `{"version":4}`); r.Code != 200 {
			t.Fatalf("clear lapsed: %d %s", r.Code, r.Body)
		}
		rr = decode[riskResponse](t, f.call(&aud, "GET", path+"/risk", ""))
		if rr.History[0].Cause != "tier_override_cleared" || rr.History[1].Cause != "tier_override_expired" {
			t.Fatalf("history after clearing a lapsed override: %+v", rr.History[:3])
		}
	})
}
