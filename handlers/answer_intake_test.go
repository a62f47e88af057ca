package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
)

const vendorAnswersMD = `# Acme security answers

**Q1. Do you enforce multi-factor authentication (MFA) for all staff?**
Yes, Acme enforces MFA with hardware keys.

**Q2. Which people must use MFA?**
All users, including contractors.

Is there anything else you would like to tell us?
We are SOC 2 Type II audited.

What is your favourite colour?
Blue.
`

func TestAnswerIntakeProposeConfirmAndSource(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Intake Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`"}`))
		path := "/api/v1/assessments/" + a.ID

		r := f.upload(&risk, path+"/intake", "acme.md", []byte(vendorAnswersMD))
		if r.Code != 200 {
			t.Fatalf("intake: %d %s", r.Code, r.Body)
		}
		prop := decode[assessments.IntakeProposal](t, r)
		if len(prop.Pairs) != 4 || prop.Origin != "document" {
			t.Fatalf("proposal %+v", prop)
		}
		byKey := map[string]int{}
		for i, p := range prop.Pairs {
			if p.Match != nil {
				byKey[p.Match.QuestionKey] = i
			}
		}
		mfa, ok := byKey["IAM-01"]
		if !ok || prop.Pairs[mfa].Match.By != "text" || prop.Pairs[mfa].Match.Similarity < 0.3 || len(prop.Pairs[mfa].Match.SharedWords) == 0 ||
			string(prop.Pairs[mfa].Parsed.Value) != `"yes"` || prop.Pairs[mfa].Parsed.Comment != "Acme enforces MFA with hardware keys." ||
			prop.Pairs[mfa].SourceRef != "line 3" {
			t.Fatalf("MFA pair %+v", prop.Pairs)
		}
		if prop.Pairs[3].Match != nil || prop.Pairs[3].Note == "" {
			t.Errorf("the colour question matched: %+v", prop.Pairs[3])
		}
		if got := decode[assessmentDetail](t, f.call(&risk, "GET", path, "")); got.Progress.Answered != 0 {
			t.Fatal("a proposal saved answers")
		}

		// Refusals, each by its field.
		for body, field := range map[string]string{
			`{"matches":[{"question_key":"NOPE","value":"yes"}]}`:                             "matches[0].question_key",
			`{"matches":[{"question_key":"IAM-01","value":"sometimes"}]}`:                     "matches[0].value",
			`{"matches":[{"question_key":"IAM-01","value":"yes"},{"question_key":"IAM-01"}]}`: "matches[1].question_key",
			`{"matches":[{"question_key":"IAM-01","value":"yes","comment":"a\u202eb"}]}`:      "matches[0].comment",
			`{"matches":[{"question_key":"IAM-01","value":"yes","source_quote":"x\u0000"}]}`:  "matches[0].source_quote",
			`{"matches":[]}`: "matches",
			`{"matches":[{"question_key":"IAM-01","value":"yes"}],"origin":"reuse","from_assessment_id":"` + a.ID + `"}`: "from_assessment_id",
		} {
			r := f.call(&risk, "POST", path+"/intake/confirm", body)
			if r.Code != 422 && r.Code != 400 {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
				continue
			}
			if p := r.problem(); len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: problem %+v, want field %s", body, p, field)
			}
		}
		if r := f.call(&risk, "POST", path+"/intake/confirm", `{"version":99,"matches":[{"question_key":"IAM-01","value":"yes"}]}`); r.Code != 409 {
			t.Errorf("stale version: %d %s", r.Code, r.Body)
		}

		// The reviewer moves the "which people" pair to IAM-02 with its words
		// read again, and confirms the MFA answer as proposed.
		body, _ := json.Marshal(map[string]any{"version": a.Version, "matches": []map[string]any{
			{"question_key": "IAM-01", "value": prop.Pairs[mfa].Parsed.Value, "comment": prop.Pairs[mfa].Parsed.Comment, "source_quote": prop.Pairs[mfa].SourceQuote},
			{"question_key": "IAM-02", "answer_text": "All users, including contractors.", "source_quote": prop.Pairs[1].SourceQuote},
			{"question_key": "IAM-03", "answer_text": "Hmm", "source_quote": "x"},
		}})
		r = f.call(&risk, "POST", path+"/intake/confirm", string(body))
		saved := decode[assessments.IntakeSaved](t, r)
		if r.Code != 200 || saved.Saved != 3 || len(saved.Notes) != 0 {
			t.Fatalf("confirm: %d %s", r.Code, r.Body)
		}
		got := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if string(got.Answers["IAM-01"].Value) != `"yes"` || string(got.Answers["IAM-02"].Value) != `"all"` || got.Answers["IAM-02"].Comment != "Including contractors." ||
			!strings.HasPrefix(got.Answers["IAM-01"].Source, "From the vendor's document: “Q1 Do you enforce multi-factor") || !got.Answers["IAM-01"].Confirmed {
			t.Fatalf("saved answers %+v", got.Answers)
		}
		var audited int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "assessment.intake", a.ID).Count(&audited)
		if audited != 1 {
			t.Errorf("%d intake audit events", audited)
		}

		// The vendor changing the answer in the portal makes it theirs.
		sent := decode[sendResponse](t, f.call(&risk, "POST", path+"/send", `{"version":`+itoa64(got.Version)+`,"contact_email":"c@v.test"}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"no"}`)
		if got := decode[assessmentDetail](t, f.call(&risk, "GET", path, "")); got.Answers["IAM-01"].Source != "" || got.Answers["IAM-02"].Source == "" {
			t.Errorf("sources after the vendor's change: %q %q", got.Answers["IAM-01"].Source, got.Answers["IAM-02"].Source)
		}

		// A workbook: matched by ID, whatever the case.
		x := excelize.NewFile()
		x.SetSheetRow("Sheet1", "A1", &[]any{"Our answers"})
		x.SetSheetRow("Sheet1", "A3", &[]any{"Question ID", "Question", "Vendor response", "Notes"})
		x.SetSheetRow("Sheet1", "A4", &[]any{"iam-01", "MFA?", "No", "rolling out"})
		var buf bytes.Buffer
		x.Write(&buf)
		prop = decode[assessments.IntakeProposal](t, f.upload(&risk, path+"/intake", "answers.xlsx", buf.Bytes()))
		if len(prop.Pairs) != 1 || prop.Pairs[0].Match == nil || prop.Pairs[0].Match.By != "id" || prop.Pairs[0].SourceRef != "Sheet1!C4" ||
			string(prop.Pairs[0].Parsed.Value) != `"no"` || prop.Pairs[0].Parsed.Comment != "rolling out" {
			t.Fatalf("workbook proposal %+v", prop.Pairs)
		}

		// Files the intake does not take.
		if r := f.upload(&risk, path+"/intake", "big.md", bytes.Repeat([]byte("a"), assessments.IntakeLimit+1)); r.Code != 413 {
			t.Errorf("oversize: %d", r.Code)
		}
		if r := f.upload(&risk, path+"/intake", "x.md", []byte("just some prose, no questions")); r.Code != 422 || r.problem().Errors[0].Field != "file" {
			t.Errorf("no pairs: %d %s", r.Code, r.Body)
		}
		if r := f.upload(&risk, path+"/intake", "x.bin", []byte("\x00\x01\x02garbage")); r.Code != 422 {
			t.Errorf("binary: %d %s", r.Code, r.Body)
		}
		auditor := f.as(models.RoleAuditor)
		if r := f.upload(&auditor, path+"/intake", "acme.md", []byte(vendorAnswersMD)); r.Code != 403 {
			t.Errorf("auditor intake: %d", r.Code)
		}
		// Once the vendor submits, the answers are theirs.
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		if r := f.upload(&risk, path+"/intake", "acme.md", []byte(vendorAnswersMD)); r.Code != 422 {
			t.Errorf("intake after submission: %d", r.Code)
		}
		if r := f.call(&risk, "POST", path+"/intake/confirm", `{"matches":[{"question_key":"IAM-03","value":"x"}]}`); r.Code != 422 {
			t.Errorf("confirm after submission: %d", r.Code)
		}
	})
}

func TestReuseAnswersFromAnotherQuestionnaire(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		yn := []questionnaire.Choice{{Value: "y", Label: "Yes", Score: fp(100)}, {Value: "n", Label: "No", Score: fp(0)}}
		c := questionnaire.Content{Sections: []questionnaire.Section{{Key: "s", Title: "Security", Questions: []questionnaire.Question{
			{Key: "SEC-1", Text: "Do you enforce multi-factor authentication (MFA)?", Type: questionnaire.YesNoNA, Choices: yn, Weight: 1},
			{Key: "SEC-2", Text: "Where is the office?", Type: questionnaire.ShortText, Weight: 1},
		}}}}
		b, _ := json.Marshal(c)
		now := time.Now().UTC()
		old := &models.QuestionnaireTemplate{Key: "old", Name: "Old questionnaire", Revision: 1, Status: "published", Content: string(b), QuestionCount: 2, PublishedAt: &now}
		if _, err := models.UpsertBuiltinTemplate(context.Background(), db.Gorm, old); err != nil {
			t.Fatal(err)
		}
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Reuse Vendor","category":"saas"}`))
		other := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Other Reuse Vendor","category":"saas"}`))
		first := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+old.ID+`"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+first.ID+"/send", `{"version":1,"contact_email":"c@v.test"}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/SEC-1", `{"value":"y","comment":"hardware keys"}`)
		f.call(nil, "PUT", portal+"/answers/SEC-2", `{"value":"Lisbon"}`)

		second := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`"}`))
		path := "/api/v1/assessments/" + second.ID
		if r := f.call(&risk, "POST", path+"/intake/reuse", `{"from_assessment_id":"`+first.ID+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "from_assessment_id" {
			t.Fatalf("reuse of unsubmitted answers: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		elsewhere := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+other.ID+`","template_id":"`+tpl.ID+`"}`))
		if r := f.call(&risk, "POST", "/api/v1/assessments/"+elsewhere.ID+"/intake/reuse", `{"from_assessment_id":"`+first.ID+`"}`); r.Code != 422 {
			t.Fatalf("reuse across vendors: %d %s", r.Code, r.Body)
		}
		r := f.call(&risk, "POST", path+"/intake/reuse", `{"from_assessment_id":"`+first.ID+`"}`)
		prop := decode[assessments.IntakeProposal](t, r)
		if r.Code != 200 || prop.Origin != "reuse" || !strings.HasPrefix(prop.Source, "Carried over from Old questionnaire — Reuse Vendor, submitted ") || len(prop.Pairs) != 2 {
			t.Fatalf("reuse proposal: %d %s", r.Code, r.Body)
		}
		p := prop.Pairs[0]
		if p.Match == nil || p.Match.QuestionKey != "IAM-01" || string(p.Parsed.Value) != `"yes"` || p.Parsed.Comment != "hardware keys" || prop.Pairs[1].Match != nil {
			t.Fatalf("reuse pairs %+v", prop.Pairs)
		}
		body, _ := json.Marshal(map[string]any{"origin": "reuse", "from_assessment_id": first.ID, "matches": []map[string]any{
			{"question_key": "IAM-01", "value": p.Parsed.Value, "comment": p.Parsed.Comment, "source_quote": p.SourceQuote}}})
		if r := f.call(&risk, "POST", path+"/intake/confirm", string(body)); r.Code != 200 {
			t.Fatalf("confirm reuse: %d %s", r.Code, r.Body)
		}
		got := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if src := got.Answers["IAM-01"].Source; !strings.HasPrefix(src, prop.Source+": “SEC-1 Do you enforce") {
			t.Fatalf("source %q", src)
		}
	})
}
