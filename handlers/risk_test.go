package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	riskmodel "rampart/app/risk"
	"rampart/app/scoring"

	"rampart/models"
	"rampart/models/testdb"
)

// TestRiskHistoryCauses: each cause adds exactly one history entry with
// the right change in words; an edit that touches no risk factor adds none.
func TestRiskHistoryCauses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Scored","category":"saas","access_level":"read_only","criticality":"low","data_types":["internal"]}`))
		path := "/api/v1/vendors/" + v.ID
		r := decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		// internal 4 + read_only 6 = 10 -> tier 4
		if r.InherentScore != 10 || r.Tier != 4 || r.TierName != "Low" || len(r.History) != 1 || r.History[0].Cause != "created" || r.DefaultQuestionnaire != "rampart-lite" {
			t.Fatalf("new vendor risk %+v", r)
		}
		if r.ResidualScore != 10 || r.Likelihood != 5 || r.Impact != 1 {
			t.Fatalf("residual without an assessment: %+v", r)
		}

		// A profile edit that touches no factor adds no entry.
		f.call(&risk, "PATCH", path, `{"version":1,"description":"New words"}`)
		// Access read-only -> administrative: +14; tier 3 requires an
		// insurance certificate the vendor does not hold: +4.
		f.call(&risk, "PATCH", path, `{"version":2,"access_level":"administrative"}`)
		r = decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		if len(r.History) != 2 || r.History[0].Cause != "profile_edit" || r.InherentScore != 24 || r.Tier != 3 || r.ResidualScore != 28 ||
			strings.Join(r.History[0].Changes, "|") != "Access to our systems changed from read-only to administrative: +14|Required evidence is missing insurance certificate: +4" {
			t.Fatalf("after the access change: %+v", r.History)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?tier=3", "")); l.Total != 1 || l.Items[0].Tier != 3 {
			t.Fatalf("tier filter: %+v", l)
		}
		// The heat map's cells open the vendor list filtered by likelihood and impact.
		if l := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?likelihood=5&impact=2", "")); l.Total != 1 || l.Items[0].ID != v.ID {
			t.Fatalf("matrix cell 5x2: %+v", l)
		}
		for _, q := range []string{"likelihood=4&impact=2", "likelihood=5&impact=1", "impact=3"} {
			if l := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?"+q, "")); l.Total != 0 {
				t.Fatalf("%s lists %+v", q, l.Items)
			}
		}
		for _, q := range []string{"likelihood=6", "impact=0", "likelihood=1%27%20OR%201=1", "impact=99999999999999999999"} {
			if r := f.call(&risk, "GET", "/api/v1/vendors?"+q, ""); r.Code != 422 || !strings.Contains(r.Body.String(), strings.SplitN(q, "=", 2)[0]) {
				t.Fatalf("%s: %d %s", q, r.Code, r.Body)
			}
		}

		// A completed assessment lowers residual risk.
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"x@y.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		f.call(nil, "POST", portal+"/submit", "")
		d := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+a.ID, ""))
		if r := f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/transition", `{"version":`+itoa64(d.Version)+`,"action":"complete"}`); r.Code != 200 {
			t.Fatalf("complete: %d %s", r.Code, r.Body)
		}
		r = decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		// effectiveness 100 -> reduction round(24*0.6) = 14 -> residual 10 + 4 missing evidence, likelihood 1
		if len(r.History) != 3 || r.History[0].Cause != "assessment_completed" || r.ResidualScore != 14 || r.Likelihood != 1 ||
			!strings.Contains(strings.Join(r.History[0].Changes, "|"), "Control effectiveness changed from no completed assessment to 100.0%: -14") {
			t.Fatalf("after the assessment: %+v", r)
		}
	})
}

// TestRiskModelWhatIf: the preview's count equals the number of vendors
// whose tier actually changes when the model is published.
func TestRiskModelWhatIf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		for i, access := range []string{"none", "read_only", "read_write", "administrative", "network", "read_only"} {
			body := fmt.Sprintf(`{"name":"WhatIf %d","category":"saas","access_level":%q,"criticality":"high","data_types":["personal_data"],"confirm_duplicate":true}`, i, access)
			if r := f.call(&risk, "POST", "/api/v1/vendors", body); r.Code != 201 {
				t.Fatalf("vendor: %d %s", r.Code, r.Body)
			}
		}
		cur := decode[riskModelResponse](t, f.call(&risk, "GET", "/api/v1/settings/risk-model", ""))
		before := map[string]int64{}
		for _, v := range decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?limit=200", "")).Items {
			before[v.ID] = v.Tier
		}
		// Stricter tiers: tier 1 from 40, tier 2 from 25, tier 3 from 10.
		m := *cur.Model
		m.Tiers = append([]riskmodel.Tier(nil), m.Tiers...)
		m.Tiers[0].MinScore, m.Tiers[1].MinScore, m.Tiers[2].MinScore = 40, 25, 10
		body, _ := json.Marshal(m)
		if r := f.call(&risk, "POST", "/api/v1/settings/risk-model/preview", string(body)); r.Code != 403 {
			t.Fatalf("risk manager previews a model change: %d", r.Code)
		}
		p := decode[scoring.Preview](t, f.call(&admin, "POST", "/api/v1/settings/risk-model/preview", string(body)))
		if p.Vendors != 6 || p.Changes == 0 {
			t.Fatalf("preview %+v", p)
		}
		// Each affected vendor shows its score and tier now and under the new model.
		if p.Affected < p.Changes || len(p.Sample) != p.Affected {
			t.Fatalf("preview counts %+v", p)
		}
		for _, c := range p.Sample {
			v := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+c.VendorID, ""))
			if c.From != v.Tier || c.FromScore != v.InherentScore || (int64(c.To) == c.From && int64(c.ToScore) == c.FromScore) {
				t.Fatalf("preview row %+v against the vendor now (tier %d, score %d)", c, v.Tier, v.InherentScore)
			}
		}
		// Publishing needs a change note, at most 2000 characters, named beside the model's own errors.
		for note, want := range map[string]string{"": "change_note", "  ": "change_note", strings.Repeat("x", 2001): "change_note"} {
			if r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote(body, note)); r.Code != 422 || r.problem().Errors[0].Field != want {
				t.Fatalf("publish with note %.10q: %d %s", note, r.Code, r.Body)
			}
		}
		if r := f.call(&admin, "POST", "/api/v1/settings/risk-model", string(body)); r.Code != 422 || !strings.Contains(r.Body.String(), `"change_note"`) {
			t.Fatalf("publish without a note: %d %s", r.Code, r.Body)
		}
		r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote(body, "Stricter tiers after the board's review"))
		if r.Code != 200 || decode[publishRiskModelResponse](t, r).Version != 2 {
			t.Fatalf("publish: %d %s", r.Code, r.Body)
		}
		// The version history shows the note; the stored model is the model alone.
		vs := decode[riskModelVersionsResponse](t, f.call(&risk, "GET", "/api/v1/settings/risk-model/versions", "")).Items
		if len(vs) != 2 || vs[0].Version != 2 || vs[0].Note != "Stricter tiers after the board's review" || vs[0].Status != "published" ||
			vs[0].PublishedBy != f.users[models.RoleAdmin].Name || vs[1].Version != 1 || vs[1].Status != "retired" || vs[1].Note != "" {
			t.Fatalf("versions %+v", vs)
		}
		if got := decode[riskModelResponse](t, f.call(&risk, "GET", "/api/v1/settings/risk-model", "")); got.Model == nil || got.Model.Tiers[0].MinScore != 40 {
			t.Fatalf("model in force: %+v", got)
		}
		changed := 0
		for _, v := range decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?limit=200", "")).Items {
			if before[v.ID] != v.Tier {
				changed++
			}
		}
		if changed != p.Changes {
			t.Fatalf("preview said %d tier changes, publishing made %d", p.Changes, changed)
		}
		hist := decode[riskResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+p.Sample[0].VendorID+"/risk", "")).History
		if hist[0].Cause != "model_change" || hist[0].ModelVersion != 2 || !strings.Contains(hist[0].Changes[0], "Risk model changed from version 1 to 2") {
			t.Fatalf("history after the model change: %+v", hist[0])
		}
		// Invalid models name every field at fault and change nothing.
		bad := strings.Replace(string(body), `"control_weight":0.6`, `"control_weight":7`, 1)
		bad = strings.Replace(bad, `"min_score":25`, `"min_score":45`, 1)
		for _, path := range []string{"/api/v1/settings/risk-model/preview", "/api/v1/settings/risk-model"} {
			r := f.call(&admin, "POST", path, withNote([]byte(bad), "bad"))
			if strings.HasSuffix(path, "preview") {
				r = f.call(&admin, "POST", path, bad)
			}
			if r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"control_weight"`) || !strings.Contains(r.Body.String(), `"field":"tiers[1].min_score"`) {
				t.Fatalf("invalid model at %s: %d %s", path, r.Code, r.Body)
			}
		}
		if v := decode[riskModelResponse](t, f.call(&risk, "GET", "/api/v1/settings/risk-model", "")).Version; v != 2 {
			t.Fatalf("a rejected model changed the version to %d", v)
		}
		// Publishing an edit of version 1 now that 2 is in force: 409 with the current model.
		if r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote(body, "stale")); r.Code != 409 || !strings.Contains(r.Body.String(), `"version":2`) {
			t.Fatalf("stale publish: %d %s", r.Code, r.Body)
		}
		cur = decode[riskModelResponse](t, f.call(&admin, "GET", "/api/v1/settings/risk-model", ""))
		if cur.Model.Version != 2 || cur.Model.Tiers[0].MinScore != 40 {
			t.Fatalf("model in force after the stale publish: %+v", cur.Model)
		}
		// Hostile bodies: unknown fields, numbers past int, invalid UTF-8, overlong labels.
		next := *cur.Model
		next.Labels = &riskmodel.Labels{AccessLevels: map[string]string{"read_only": "<script>alert(1)</script>" + strings.Repeat("x", 80)}}
		long, _ := json.Marshal(next)
		for name, c := range map[string]struct {
			body  string
			code  int
			field string
		}{
			"unknown field": {strings.Replace(string(body), `"version":1`, `"version":1,"colour":"red"`, 1), 422, ""},
			"huge number":   {strings.Replace(string(body), `"min_score":40`, `"min_score":99999999999999999999999`, 1), 422, ""},
			"invalid utf-8": {strings.Replace(string(body), `"Critical"`, "\"Crit\xff\"", 1), 0, ""},
			"long label":    {string(long), 422, "labels.access_levels.read_only"},
		} {
			r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote([]byte(c.body), "hostile"))
			if r.Code < 400 || r.Code >= 500 || (c.code != 0 && r.Code != c.code) || (c.field != "" && !strings.Contains(r.Body.String(), c.field)) {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if v := decode[riskModelResponse](t, f.call(&risk, "GET", "/api/v1/settings/risk-model", "")).Version; v != 2 {
			t.Fatalf("hostile bodies changed the version to %d", v)
		}
	})
}

// withNote adds a change note to a model body, as publishing needs.
func withNote(body []byte, note string) string {
	n, _ := json.Marshal(note)
	return `{"change_note":` + string(n) + "," + strings.TrimPrefix(string(body), "{")
}

func TestAssessmentDefaultsToTheTiersQuestionnaire(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	low := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Low","category":"saas"}`))
	high := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"High","category":"saas","access_level":"network","criticality":"critical","data_types":["health_data","payment_card_data"],"integration_methods":["agent","api"]}`))
	for v, want := range map[string]string{low.ID: "rampart-lite", high.ID: "rampart-full"} {
		r := f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v+`"}`)
		if r.Code != 201 || decode[assessmentDetail](t, r).Template.Key != want {
			t.Errorf("vendor %s: %d, want %s: %.200s", v, r.Code, want, r.Body)
		}
	}
}
