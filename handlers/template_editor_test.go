package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
)

// TestTemplateEditorFields sends a draft the way the editor does: every
// field a question has survives the round trip exactly, problems name the
// field at fault, and malformed edits are refused without changing the
// draft.
func TestTemplateEditorFields(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		r := f.call(&risk, "POST", "/api/v1/questionnaire-templates", draftJSON)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		d := decode[templateDetail](t, r)
		path := "/api/v1/questionnaire-templates/" + d.ID
		hostile := `<img src=x onerror=alert(1)> '; DROP TABLE questionnaire_templates; -- ../../etc/passwd`
		sections := []questionnaire.Section{{Key: "iam", Title: "Access " + hostile, Description: "d", Questions: []questionnaire.Question{
			{Key: "IAM-01", Text: "MFA?", Help: hostile, Type: questionnaire.YesNoNA, Required: true, Weight: 5,
				Choices:  []questionnaire.Choice{{Value: "yes", Label: "Yes", Score: fp(100)}, {Value: "no", Label: "No", Score: fp(0)}, {Value: "na", Label: "N/A"}},
				Expected: []string{"yes"}, Frameworks: []string{"ISO 27001:2022 A.5.17", "NIST CSF 2.0 PR.AA-03"}},
			{Key: "IAM-02", Text: "Which factors?", Type: questionnaire.MultipleChoice, Weight: 3, Scoring: "average",
				Choices:  []questionnaire.Choice{{Value: "totp", Label: "TOTP", Score: fp(70)}, {Value: "fido2", Label: "FIDO2", Score: fp(100)}},
				Expected: []string{"fido2"}, ShowIf: &questionnaire.ShowIf{Question: "IAM-01", Equals: []string{"yes"}}, Frameworks: []string{}},
			{Key: "IAM-03", Text: "Hours to revoke access?", Type: questionnaire.Number, Weight: 2,
				Thresholds: []questionnaire.Threshold{{Max: fp(24), Score: 100}, {Max: nil, Score: 20}}, Choices: []questionnaire.Choice{}, Expected: []string{}, Frameworks: []string{}},
			{Key: "IAM-04", Text: "Last access review?", Type: questionnaire.Date, Weight: 1, MaxAgeDays: 180, Choices: []questionnaire.Choice{}, Expected: []string{}, Frameworks: []string{}},
		}}}
		body, _ := json.Marshal(map[string]any{"version": 1, "sections": sections})
		r = f.call(&risk, "PATCH", path, string(body))
		if r.Code != 200 {
			t.Fatalf("save: %d %s", r.Code, r.Body)
		}
		saved := decode[templateDetail](t, r)
		if len(saved.Problems) != 0 {
			t.Fatalf("problems in a valid draft: %+v", saved.Problems)
		}
		want, _ := json.Marshal(sections)
		got, _ := json.Marshal(saved.Sections)
		if string(got) != string(want) {
			t.Fatalf("round trip changed the draft:\n got %s\nwant %s", got, want)
		}

		// Broken parts come back as problems naming the field, and are saved
		// (a draft may be incomplete) so that nothing typed is lost.
		broken := sections
		broken[0].Questions = append([]questionnaire.Question{}, sections[0].Questions...)
		broken[0].Questions[0].Weight = 9
		broken[0].Questions[0].Choices = []questionnaire.Choice{{Value: "yes", Label: "Yes", Score: fp(150)}, {Value: "no", Label: "No", Score: fp(0)}}
		broken[0].Questions[0].Frameworks = make([]string, questionnaire.MaxImportedFrameworks+1)
		for i := range broken[0].Questions[0].Frameworks {
			broken[0].Questions[0].Frameworks[i] = fmt.Sprintf("ISO 27001 A.%d", i)
		}
		broken[0].Questions[1].ShowIf = &questionnaire.ShowIf{Question: "IAM-04", Equals: []string{"yes"}}
		broken[0].Questions[3].MaxAgeDays = 0
		body, _ = json.Marshal(map[string]any{"version": 2, "sections": broken})
		r = f.call(&risk, "PATCH", path, string(body))
		if r.Code != 200 {
			t.Fatalf("save broken: %d %s", r.Code, r.Body)
		}
		fields := map[string]bool{}
		for _, p := range decode[templateDetail](t, r).Problems {
			fields[p.Question+"/"+p.Field] = true
		}
		for _, want := range []string{"IAM-01/weight", "IAM-01/choices", "IAM-01/frameworks", "IAM-02/show_if", "IAM-04/max_age_days"} {
			if !fields[want] {
				t.Errorf("no problem for %s in %v", want, fields)
			}
		}
		if r := f.call(&risk, "POST", path+"/publish", `{"version":3}`); r.Code != 422 {
			t.Fatalf("publish broken: %d", r.Code)
		}

		// Unknown fields, a stale version and a huge number are refused; the draft stays as saved.
		before := f.call(&risk, "GET", path, "").Body.String()
		for body, code := range map[string]int{
			`{"version":3,"sections":[{"key":"iam","title":"A","questions":[{"key":"IAM-01","colour":"red"}]}]}`: 422,
			`{"version":1,"name":"Stale"}`: 409,
			`{"version":3,"sections":[{"key":"iam","title":"A","questions":[{"key":"IAM-01","weight":1e400}]}]}`: 422,
			`{"version":3,"sections":[{"key":"iam","title":"` + strings.Repeat("x", 10) + "\xff" + `"}]}`:        400,
		} {
			if r := f.call(&risk, "PATCH", path, body); r.Code != code {
				t.Errorf("%.60s: %d, want %d (%s)", body, r.Code, code, r.Body)
			}
		}
		if after := f.call(&risk, "GET", path, "").Body.String(); after != before {
			t.Errorf("a refused edit changed the draft")
		}
	})
}
