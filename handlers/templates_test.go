package handlers

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

const draftJSON = `{"name":"Cloud vendors","description":"For IaaS suppliers","sections":[{"key":"iam","title":"Access","description":"Who gets in",
"questions":[{"key":"IAM-01","text":"Is MFA enforced for every administrator?","help":"Say how.","type":"yes_no_na","required":true,"weight":5,
"choices":[{"value":"yes","label":"Yes","score":100},{"value":"no","label":"No","score":0}],"expected":["yes"],"show_if":null,"frameworks":["ISO 27001:2022 A.8.5"]}]}]}`

func TestTemplateBuilderLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		if _, err := seeds.InstallQuestionnaires(t.Context(), db.Gorm); err != nil {
			t.Fatal(err)
		}
		risk := f.as(models.RoleRiskManager)
		legal := f.as(models.RoleLegal)
		if r := f.call(&legal, "POST", "/api/v1/questionnaire-templates", draftJSON); r.Code != 403 {
			t.Fatalf("legal creates a template: %d", r.Code)
		}
		// A draft with a problem: the expected answer is not a choice.
		broken := strings.Replace(draftJSON, `"expected":["yes"]`, `"expected":["always"]`, 1)
		r := f.call(&risk, "POST", "/api/v1/questionnaire-templates", broken)
		if r.Code != 201 {
			t.Fatalf("create draft: %d %s", r.Code, r.Body)
		}
		d := decode[templateDetail](t, r)
		if d.Key != "cloud-vendors" || d.Status != "draft" || d.Revision != 1 || len(d.Problems) != 1 || d.Problems[0].Question != "IAM-01" {
			t.Fatalf("draft %+v", d)
		}
		path := "/api/v1/questionnaire-templates/" + d.ID
		r = f.call(&risk, "POST", path+"/publish", `{"version":1}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "questions.IAM-01" {
			t.Fatalf("publish with a problem: %d %s", r.Code, r.Body)
		}
		sections := draftJSON[strings.Index(draftJSON, `"sections":`)+len(`"sections":`) : len(draftJSON)-1]
		r = f.call(&risk, "PATCH", path, `{"version":1,"sections":`+sections+`}`)
		if r.Code != 200 || len(decode[templateDetail](t, r).Problems) != 0 {
			t.Fatalf("fix draft: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "POST", path+"/publish", `{"version":2}`)
		if r.Code != 200 || decode[templateDetail](t, r).Status != "published" {
			t.Fatalf("publish: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", path, `{"version":3,"name":"Changed"}`); r.Code != 422 {
			t.Fatalf("editing a published revision: %d", r.Code)
		}

		// An assessment sent with revision 1 keeps it when revision 2 is published.
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Cloudy","category":"cloud_infrastructure"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+d.ID+`"}`))
		r = f.call(&risk, "POST", path+"/revise", "")
		rev := decode[templateDetail](t, r)
		if r.Code != 201 || rev.Revision != 2 || rev.Status != "draft" || rev.Key != "cloud-vendors" {
			t.Fatalf("revise: %d %+v", r.Code, rev)
		}
		if r := f.call(&risk, "POST", path+"/revise", ""); r.Code != 422 {
			t.Fatalf("second draft: %d", r.Code)
		}
		f.call(&risk, "PATCH", "/api/v1/questionnaire-templates/"+rev.ID, `{"version":1,"name":"Cloud vendors (2027)"}`)
		if r := f.call(&risk, "POST", "/api/v1/questionnaire-templates/"+rev.ID+"/publish", `{"version":2}`); r.Code != 200 {
			t.Fatalf("publish revision 2: %d %s", r.Code, r.Body)
		}
		old := decode[templateDetail](t, f.call(&risk, "GET", path, ""))
		got := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+a.ID, ""))
		if old.Status != "retired" || got.Template.ID != d.ID || got.Template.Revision != 1 {
			t.Fatalf("old revision %s, assessment's template %s r%d", old.Status, got.Template.ID, got.Template.Revision)
		}
		if r := f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+d.ID+`"}`); r.Code != 422 {
			t.Fatalf("new assessment from a retired revision: %d", r.Code)
		}
		list := decode[listResponse[templateSummary]](t, f.call(&risk, "GET", "/api/v1/questionnaire-templates", ""))
		if list.Total != 3 {
			t.Fatalf("templates listed: %+v", list)
		}

		// Export to XLSX: one row per question.
		for _, tpl := range list.Items {
			if tpl.Key != "rampart-lite" {
				continue
			}
			r := f.call(&risk, "GET", "/api/v1/questionnaire-templates/"+tpl.ID+"/export.xlsx", "")
			x, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
			if err != nil {
				t.Fatalf("export: %d %v", r.Code, err)
			}
			rows, _ := x.GetRows("Questionnaire")
			about, _ := x.GetRows("About")
			if len(rows) != int(tpl.QuestionCount)+1 || rows[0][4] != "question" || len(about) != 5 || about[3][1] != tpl.Name {
				t.Fatalf("exported %d rows for %d questions", len(rows), tpl.QuestionCount)
			}
		}
	})
}

func TestTemplateJSONImport(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	r := f.upload(&risk, "/api/v1/questionnaire-templates/import", "q.json", []byte(strings.Replace(draftJSON, `"Cloud vendors"`, `"Imported"`, 1)))
	if r.Code != 201 || decode[templateDetail](t, r).Key != "imported" {
		t.Fatalf("import: %d %s", r.Code, r.Body)
	}
	for name, c := range map[string]struct{ body, want string }{
		"syntax":        {"{\n  \"name\": \"X\",\n  \"sections\": [\n    {\"key\": \"a\",}\n  ]\n}", "line 4, column"},
		"unknown field": {`{"name":"X","colour":"red","sections":[]}`, `unknown field "colour"`},
		"wrong type":    {`{"name":"X","sections":[{"key":"a","questions":[{"key":"A-01","weight":"heavy"}]}]}`, "weight must be a number"},
		"not json":      {"name,section\nx,y\n", "not valid JSON"},
	} {
		r := f.upload(&risk, "/api/v1/questionnaire-templates/import", name+".json", []byte(c.body))
		if r.Code != 422 || !strings.Contains(r.problem().Errors[0].Message, c.want) {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
}

func (f *fixture) uploadForm(s *session, path string, fields map[string]string, filename string, data []byte) response {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
	req.Header.Set("X-CSRF-Token", s.csrf)
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

func TestTemplateSheetImport(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	csv := "Instructions: fill in column C\n\nRef,Question,Answer type,Options\nAccess,,,\nA.1,Do you enforce MFA?,Yes/No,\nA.2,Which IdP?,Dropdown,Okta;Entra\n"
	r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", nil, "vendor-q.csv", []byte(csv))
	if r.Code != 200 {
		t.Fatalf("preview: %d %s", r.Code, r.Body)
	}
	imp := decode[questionnaire.Import](t, r)
	if len(imp.Content.Questions()) != 2 || imp.Mapping.HeaderRow != 3 || len(imp.Skipped) != 2 {
		t.Fatalf("preview %+v", imp)
	}
	// Import with the mapping the preview proposed.
	m, _ := json.Marshal(imp.Mapping)
	r = f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet?preview=false", map[string]string{"mapping": string(m), "name": "Vendor questionnaire"}, "vendor-q.csv", []byte(csv))
	d := decode[templateDetail](t, r)
	if r.Code != 201 || d.Name != "Vendor questionnaire" || d.Status != "draft" || d.QuestionCount != 2 {
		t.Fatalf("import: %d %+v", r.Code, d)
	}
	// The dropdown names no preferred answer: every choice scores 100, and
	// the report said so.
	if len(d.Problems) != 0 || !slices.ContainsFunc(imp.Changes, func(n questionnaire.Note) bool { return strings.Contains(n.Message, "scores 100") }) {
		t.Fatalf("neutral scoring: problems %v, changes %v", d.Problems, imp.Changes)
	}
	// A heading row without question headings is reported, not refused, so
	// that the columns can be chosen by hand; saving it saves nothing.
	r = f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", map[string]string{"mapping": `{"sheet":"CSV","header_row":1}`}, "q.csv", []byte(csv))
	if imp := decode[questionnaire.Import](t, r); r.Code != 200 || len(imp.Warnings) != 1 || len(imp.Content.Questions()) != 0 || len(imp.Columns) == 0 {
		t.Fatalf("mapping without a question column: %d %+v", r.Code, imp)
	}
	if r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet?preview=false", map[string]string{"mapping": `{"sheet":"CSV","header_row":1}`}, "q.csv", []byte(csv)); r.Code != 422 {
		t.Fatalf("saving a mapping without questions: %d", r.Code)
	}
	if r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", map[string]string{"mapping": `{"sheet":`}, "q.csv", []byte(csv)); r.Code != 422 {
		t.Fatalf("broken mapping JSON: %d", r.Code)
	}
}

// An imported questionnaire keeps the file it came from, and its export
// imports back to the same questions, field by field.
func TestQuestionnaireImportSourceAndRoundTrip(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	csv := "CAIQ v4 as shipped\n\nQuestion ID,Question,CSP CAIQ Answer,CCM Control ID,CCM Domain Title,Show If\n" +
		"A&A-01.1,Are audit policies <i>established</i>?,,A&A-01,Audit & Assurance,\n" +
		"A&A-01.2,Are they reviewed annually?,,A&A-01,Audit & Assurance,A&A-01.1 = Yes\n" +
		"IAM-01.1,Is there an identity policy?,,IAM-01,Identity & Access Management,\n"
	r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet?preview=false", nil, "caiq-v4.csv", []byte(csv))
	if r.Code != 201 {
		t.Fatalf("import: %d %s", r.Code, r.Body)
	}
	first := decode[templateDetail](t, r)
	if first.Source == nil || first.Source.Filename != "caiq-v4.csv" || first.Source.Format != "caiq" || first.Name != "caiq-v4" || len(first.Problems) != 0 {
		t.Fatalf("source %+v, name %q, problems %v", first.Source, first.Name, first.Problems)
	}
	if q := first.Sections[0].Questions[1]; q.Key != "A&A-01.2" || q.ShowIf == nil || q.ShowIf.Question != "A&A-01.1" || !q.Required {
		t.Fatalf("second question %+v", q)
	}
	src := f.call(&risk, "GET", "/api/v1/questionnaire-templates/"+first.ID+"/source", "")
	if src.Code != 200 || src.Body.String() != csv || !strings.Contains(src.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("source download: %d %q", src.Code, src.Header())
	}
	auditor := f.as(models.RoleAuditor)
	if r := f.call(&auditor, "GET", "/api/v1/questionnaire-templates/"+first.ID+"/source", ""); r.Code != 200 {
		t.Fatalf("auditors read the source: %d", r.Code)
	}
	if r := f.call(&risk, "GET", "/api/v1/questionnaire-templates/does-not-exist/source", ""); r.Code != 404 {
		t.Fatalf("unknown template: %d", r.Code)
	}

	x := f.call(&risk, "GET", "/api/v1/questionnaire-templates/"+first.ID+"/export.xlsx", "")
	r = f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", nil, "export.xlsx", x.Body.Bytes())
	if imp := decode[questionnaire.Import](t, r); imp.Format != "rampart" || len(imp.Changes) != 0 {
		t.Fatalf("export preview: %+v", imp)
	}
	r = f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet?preview=false", map[string]string{"name": "CAIQ again"}, "export.xlsx", x.Body.Bytes())
	again := decode[templateDetail](t, r)
	if r.Code != 201 || again.Source.Format != "rampart" {
		t.Fatalf("re-import: %d %s", r.Code, r.Body)
	}
	a, _ := json.Marshal(first.Sections)
	b, _ := json.Marshal(again.Sections)
	if string(a) != string(b) {
		t.Fatalf("export then import changed the questionnaire:\n%s\n%s", a, b)
	}
}

// Published JSON questionnaires go through the same report as workbooks.
func TestQuestionnaireImportJSONFormats(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	for file, format := range map[string]string{"vsaq/vendor_basics.json": "vsaq", "caiq/caiq-v4.json": "caiq"} {
		data, err := os.ReadFile(filepath.Join("..", "app", "questionnaire", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", nil, filepath.Base(file), data)
		imp := decode[questionnaire.Import](t, r)
		if r.Code != 200 || imp.Format != format || len(imp.Content.Questions()) == 0 {
			t.Fatalf("%s: %d format %q, %d questions", file, r.Code, imp.Format, len(imp.Content.Questions()))
		}
		r = f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet?preview=false", nil, filepath.Base(file), data)
		if d := decode[templateDetail](t, r); r.Code != 201 || d.Source == nil || d.Source.Format != format || len(d.Problems) != 0 {
			t.Fatalf("%s: %d %+v", file, r.Code, d.Problems)
		}
	}
	for body, want := range map[string]string{`{"hello": "world"}`: "not a questionnaire Rampart knows", "{\n  \"sections\": [\n    {,\n": "line 3"} {
		r := f.uploadForm(&risk, "/api/v1/questionnaire-templates/import-sheet", nil, "x.json", []byte(body))
		if r.Code != 422 || !strings.Contains(r.Body.String(), want) {
			t.Errorf("%q: %d %s", body, r.Code, r.Body)
		}
	}
}
