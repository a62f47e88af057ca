package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rampart/app/assessments"
	"rampart/models"
	"rampart/models/testdb"
)

// Keys as catalogues publish them: an ampersand and dot (CAIQ), a space and
// a slash, another script, and the two characters that end a URL's path.
const (
	keyAmp    = "A&A-01.1"
	keySlash  = "IAM 01/2"
	keyCyr    = "Ключ-1"
	keyQuery  = "DSP-07#a?"
	oddKeysTp = `{"name":"Published keys","sections":[{"key":"main","title":"Main","questions":[
{"key":"A&A-01.1","text":"Is the audit plan <b>approved</b>?","type":"yes_no_na","required":true,"weight":5,
 "choices":[{"value":"yes","label":"Yes","score":100},{"value":"no","label":"No","score":0},{"value":"na","label":"N/A"}],"expected":["yes"]},
{"key":"IAM 01/2","text":"Who has access?","type":"single_choice","weight":3,
 "choices":[{"value":"all","label":"All users","score":100},{"value":"admins","label":"Admins","score":50}],"expected":["all"],
 "show_if":{"question":"A&A-01.1","equals":["yes"]}},
{"key":"Ключ-1","text":"<i>Describe</i> key rotation<br>in detail","help":"See <a href=\"https://example.test/kr\">the guide</a>.","type":"long_text","weight":1},
{"key":"DSP-07#a?","text":"Attach the data flow diagram","type":"file","weight":2}]}]}`
)

// encodeURIComponent is what the web app sends for a key: every byte but
// A-Z a-z 0-9 - _ . ! ~ * ' ( ) percent-encoded in upper-case hex.
func encodeURIComponent(s string) string {
	return strings.NewReplacer("+", "%20", "%21", "!", "%27", "'", "%28", "(", "%29", ")", "%2A", "*", "%7E", "~").Replace(url.QueryEscape(s))
}

// TestQuestionKeysWithAnyCharacters answers, reviews, sends back, attaches
// evidence to, exports and imports questions whose keys need
// percent-encoding in a URL, however the client encoded them.
func TestQuestionKeysWithAnyCharacters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		r := f.call(&risk, "POST", "/api/v1/questionnaire-templates", oddKeysTp)
		tpl := decode[templateDetail](t, r)
		if r.Code != 201 || len(tpl.Problems) != 0 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/questionnaire-templates/"+tpl.ID+"/publish", `{"version":1}`); r.Code != 200 {
			t.Fatalf("publish: %d %s", r.Code, r.Body)
		}
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Keyed Vendor","category":"saas"}`))
		id, portal := f.sentAssessment(&risk, vendor.ID, tpl.ID)

		// Each key as the web app encodes it, and the forms other clients send:
		// lower-case hex (Echo then routes on the raw path) and, where the key
		// allows, unencoded.
		answers := []struct{ path, value string }{
			{encodeURIComponent(keyAmp), `"no"`},
			{"A&A-01.1", `"yes"`},
			{encodeURIComponent(keySlash), `"admins"`},
			{strings.ToLower(encodeURIComponent(keyCyr)), `"rotated yearly"`},
			{encodeURIComponent(keyCyr), `"rotated every 90 days"`},
		}
		for _, a := range answers {
			if r := f.call(nil, "PUT", portal+"/answers/"+a.path, `{"value":`+a.value+`}`); r.Code != 200 {
				t.Fatalf("answer %s: %d %s", a.path, r.Code, r.Body)
			}
		}
		if r := f.call(nil, "PUT", portal+"/answers/"+encodeURIComponent(keyQuery), `{"value":"x"}`); r.Code != 422 {
			t.Fatalf("a text answer to the file question %s: %d %s", keyQuery, r.Code, r.Body)
		}
		if r := f.portalUpload(portal, keyQuery, "flow.pdf", "%PDF-1.4\n%%EOF\n"); r.Code != 201 {
			t.Fatalf("evidence for %s: %d %s", keyQuery, r.Code, r.Body)
		}
		pv := decode[portalResponse](t, f.call(nil, "GET", portal, ""))
		got := map[string]string{}
		for _, q := range pv.Sections[0].Questions {
			got[q.Key] = string(q.Answer)
			if q.Key == keyQuery && len(q.Files) != 1 {
				t.Errorf("files of %s: %+v", keyQuery, q.Files)
			}
		}
		want := map[string]string{keyAmp: `"yes"`, keySlash: `"admins"`, keyCyr: `"rotated every 90 days"`, keyQuery: `null`}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("answer to %q: %s, want %s (all: %v)", k, got[k], v, got)
			}
		}
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}

		// Review each key; a finding and a follow-up carry the key through.
		path := "/api/v1/assessments/" + id
		for key, body := range map[string]string{
			keyAmp:   `{"status":"finding","comment":"No approval on record"}`,
			keySlash: `{"status":"follow_up","comment":"Why only administrators?"}`,
			keyCyr:   `{"status":"accepted"}`,
			keyQuery: `{"status":"accepted"}`,
		} {
			if r := f.call(&risk, "PUT", path+"/answers/"+encodeURIComponent(key)+"/review", body); r.Code != 200 {
				t.Fatalf("review %s: %d %s", key, r.Code, r.Body)
			}
		}
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		for key, mark := range map[string]string{keyAmp: "finding", keySlash: "follow_up", keyCyr: "accepted", keyQuery: "accepted"} {
			if det.Answers[key].ReviewStatus != mark {
				t.Errorf("review mark of %s: %q, want %q", key, det.Answers[key].ReviewStatus, mark)
			}
		}
		if len(det.Answers[keyQuery].Files) != 1 || strings.Join(det.FollowUps, ",") != keySlash {
			t.Fatalf("files %+v, follow-ups %v", det.Answers[keyQuery].Files, det.FollowUps)
		}
		fl := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?vendor_id="+vendor.ID, ""))
		if fl.Total != 1 || fl.Items[0].QuestionKey != keyAmp || fl.Items[0].Title != keyAmp+": answered Yes — Is the audit plan approved?" {
			t.Fatalf("finding from %s: %+v", keyAmp, fl.Items)
		}
		r = f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`)
		if r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "PUT", portal+"/answers/"+encodeURIComponent(keyCyr), `{"value":"changed"}`); r.Code != 403 {
			t.Fatalf("a question not sent back: %d", r.Code)
		}
		if r := f.call(nil, "PUT", portal+"/answers/"+encodeURIComponent(keySlash), `{"value":"all"}`); r.Code != 200 {
			t.Fatalf("answer the follow-up on %s: %d %s", keySlash, r.Code, r.Body)
		}

		// Keys no question can have are refused, naming the field, before any lookup.
		for _, bad := range []string{"IAM%0901", "IAM%01", url.PathEscape(strings.Repeat("K", 101)), "%20IAM-01"} {
			for _, p := range []string{portal + "/answers/" + bad, path + "/answers/" + bad + "/review"} {
				s, body := (*session)(nil), `{"value":"yes"}`
				if strings.HasPrefix(p, path) {
					s, body = &risk, `{"status":"accepted"}`
				}
				r := f.call(s, "PUT", p, body)
				if r.Code != 422 || len(r.problem().Errors) != 1 || r.problem().Errors[0].Field != "key" {
					t.Errorf("PUT %.60s: %d %s", p, r.Code, r.Body)
				}
			}
		}
		if r := f.call(nil, "PUT", portal+"/answers/"+url.PathEscape(strings.Repeat("K", 100)), `{"value":"yes"}`); r.Code != 404 {
			t.Errorf("a well-formed key no question has: %d", r.Code)
		}

		// Export and import answers by key, on a fresh assessment of the same questionnaire.
		a2 := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+tpl.ID+`"}`))
		r = f.call(&risk, "GET", "/api/v1/assessments/"+a2.ID+"/export.xlsx", "")
		x, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatalf("export: %d %v", r.Code, err)
		}
		rows, _ := x.GetRows("Assessment")
		if len(rows) != 5 || rows[1][1] != keyAmp || rows[2][1] != keySlash || rows[3][1] != keyCyr || rows[4][1] != keyQuery {
			t.Fatalf("exported keys %v", rows)
		}
		x.SetCellValue("Assessment", "E2", "Yes")
		x.SetCellValue("Assessment", "E3", "All users")
		x.SetCellValue("Assessment", "E4", "Rotated by the KMS")
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		res := decode[assessments.AnswerImport](t, f.upload(&risk, "/api/v1/assessments/"+a2.ID+"/import?dry_run=false", "filled.xlsx", buf.Bytes()))
		imported := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+a2.ID, ""))
		if !res.Committed || res.Matched != 3 || len(res.Unmatched) != 0 || string(imported.Answers[keyAmp].Value) != `"yes"` ||
			string(imported.Answers[keySlash].Value) != `"all"` || string(imported.Answers[keyCyr].Value) != `"Rotated by the KMS"` {
			t.Fatalf("import by key: %+v %+v", res, imported.Answers)
		}
	})
}

// TestQuestionKeyRulesInTemplates refuses, per question and field, keys
// with a control character or past 100 characters.
func TestQuestionKeyRulesInTemplates(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	long := strings.Repeat("K", 101)
	for i, key := range []string{"IAM\t01", "IAM\u000701", long} {
		k, _ := json.Marshal(key)
		body := strings.Replace(oddKeysTp, `"key":"A&A-01.1"`, `"key":`+string(k), 1)
		body = strings.Replace(body, `"question":"A&A-01.1"`, `"question":`+string(k), 1)
		body = strings.Replace(body, `"Published keys"`, fmt.Sprintf(`"Bad key %d"`, i), 1)
		r := f.call(&risk, "POST", "/api/v1/questionnaire-templates", body)
		d := decode[templateDetail](t, r)
		if r.Code != 201 || len(d.Problems) != 1 || d.Problems[0].Question != key || d.Problems[0].Field != "key" {
			t.Fatalf("draft with key %q: %d %+v", key, r.Code, d.Problems)
		}
		r = f.call(&risk, "POST", "/api/v1/questionnaire-templates/"+d.ID+"/publish", `{"version":1}`)
		if r.Code != 422 || len(r.problem().Errors) != 1 || r.problem().Errors[0].Field != "questions."+key {
			t.Fatalf("publish with key %q: %d %s", key, r.Code, r.Body)
		}
	}
	// 100 characters is the most a key may have.
	ok := strings.Replace(oddKeysTp, `"key":"A&A-01.1"`, `"key":"`+long[1:]+`"`, 1)
	ok = strings.Replace(ok, `"question":"A&A-01.1"`, `"question":"`+long[1:]+`"`, 1)
	if d := decode[templateDetail](t, f.call(&risk, "POST", "/api/v1/questionnaire-templates", strings.Replace(ok, `"Published keys"`, `"Long keys"`, 1))); len(d.Problems) != 0 {
		t.Fatalf("a 100-character key: %+v", d.Problems)
	}
}

// TestQuestionTextExportsArePlain keeps markup out of the assessment
// export, a report people read; the template export keeps the safe subset
// as stored, because importing it again must give the same questionnaire.
func TestQuestionTextExportsArePlain(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	tpl := decode[templateDetail](t, f.call(&risk, "POST", "/api/v1/questionnaire-templates", oddKeysTp))
	f.call(&risk, "POST", "/api/v1/questionnaire-templates/"+tpl.ID+"/publish", `{"version":1}`)
	x, err := excelize.OpenReader(bytes.NewReader(f.call(&risk, "GET", "/api/v1/questionnaire-templates/"+tpl.ID+"/export.xlsx", "").Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("Questionnaire")
	if len(rows) != 5 || rows[1][4] != tpl.Sections[0].Questions[0].Text || !strings.Contains(rows[1][4], "<b>approved</b>") {
		t.Fatalf("template export %q", rows)
	}
	vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Plain Vendor","category":"saas"}`))
	a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+tpl.ID+`"}`))
	x, err = excelize.OpenReader(bytes.NewReader(f.call(&risk, "GET", "/api/v1/assessments/"+a.ID+"/export.xlsx", "").Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = x.GetRows("Assessment")
	for _, row := range rows {
		if strings.ContainsAny(row[2], "<>") {
			t.Errorf("markup in the assessment export: %q", row[2])
		}
	}
}
