package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
)

// optionalTemplate has no required question, so an assessment can be
// submitted straight from "sent" (the state an answer save used to move
// back to "in_progress").
func optionalTemplate(t *testing.T, db *models.DB) *models.QuestionnaireTemplate {
	t.Helper()
	c := questionnaire.Content{Sections: []questionnaire.Section{{Key: "s", Title: "Section", Questions: []questionnaire.Question{
		{Key: "T-01", Text: "Tell us more", Type: questionnaire.LongText, Weight: 1},
		{Key: "T-02", Text: "And more", Type: questionnaire.LongText, Weight: 1},
		{Key: "EV-01", Text: "Attach evidence", Type: questionnaire.File, Weight: 1},
	}}}}
	b, _ := json.Marshal(c)
	now := time.Now().UTC()
	tpl := &models.QuestionnaireTemplate{Key: "optional", Name: "Optional questionnaire", Revision: 1, Status: "published", Content: string(b), QuestionCount: 3, PublishedAt: &now}
	if _, err := models.UpsertBuiltinTemplate(context.Background(), db.Gorm, tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// sentAssessment creates and sends an assessment and returns its id and
// portal path.
func (f *fixture) sentAssessment(risk *session, vendorID, templateID string) (string, string) {
	f.t.Helper()
	r := f.call(risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendorID+`","template_id":"`+templateID+`","contact_email":"sec@vendor.test"}`)
	if r.Code != 201 {
		f.t.Fatalf("create assessment: %d %s", r.Code, r.Body)
	}
	a := decode[assessmentDetail](f.t, r)
	r = f.call(risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`)
	if r.Code != 200 {
		f.t.Fatalf("send: %d %s", r.Code, r.Body)
	}
	url := decode[sendResponse](f.t, r).PortalURL
	return a.ID, "/api/v1/portal/" + url[strings.LastIndex(url, "/")+1:]
}

// portalCall is a vendor request from client address ip, safe to use from
// several goroutines (the portal is rate limited per address).
func (f *fixture) portalCall(ip, method, path, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = ip + ":40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return rec
}

func evidenceForm(key, name string, content []byte) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("question_key", key)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

// TestPortalAnswersRaceSubmit races 12 answer saves against the submission,
// 20 rounds on each database. The submitted questionnaire must never be
// reopened, and the answers stored must be exactly those the submission
// recorded: no save may land after it.
func TestPortalAnswersRaceSubmit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := optionalTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Race Vendor","category":"saas"}`))
		ctx := context.Background()
		for round := range 20 {
			id, portal := f.sentAssessment(&risk, vendor.ID, tpl.ID)
			ip := fmt.Sprintf("10.1.%d.1", round)
			codes := make([]int, 13)
			var submitted *httptest.ResponseRecorder
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range 13 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if i == 6 {
						submitted = f.portalCall(ip, "POST", portal+"/submit", "", nil)
						codes[i] = submitted.Code
						return
					}
					key := []string{"T-01", "T-02"}[i%2]
					rec := f.portalCall(ip, "PUT", portal+"/answers/"+key, "application/json", []byte(fmt.Sprintf(`{"value":"answer %d"}`, i)))
					codes[i] = rec.Code
				}()
			}
			close(start)
			wg.Wait()
			if submitted.Code != 200 {
				t.Fatalf("round %d: submit: %d %s", round, submitted.Code, submitted.Body)
			}
			for i, c := range codes {
				// 403: the save read the questionnaire already submitted;
				// 409: the submission landed while it was being saved.
				if c != 200 && c != 403 && c != 409 {
					t.Fatalf("round %d: request %d: %d", round, i, c)
				}
			}
			a, err := models.GetAssessment(ctx, db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != "submitted" || a.SubmittedAt == nil {
				t.Fatalf("round %d: the submitted questionnaire was reopened: status %s", round, a.Status)
			}
			var view portalResponse
			if err := json.Unmarshal(submitted.Body.Bytes(), &view); err != nil {
				t.Fatal(err)
			}
			stored, err := models.Answers(ctx, db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range view.Sections[0].Questions {
				want := "null"
				if s := stored[q.Key]; s != nil {
					want = s.Value
				}
				if string(q.Answer) != want {
					t.Fatalf("round %d: %s was %s at submission but %s is stored", round, q.Key, q.Answer, want)
				}
			}
			var events []models.AuditEvent
			if err := db.Gorm.Where("object_type = ? AND object_id = ?", "assessment", id).Order("seq").Find(&events).Error; err != nil {
				t.Fatal(err)
			}
			for i, e := range events {
				if e.Action == "assessment.submit" {
					for _, later := range events[i+1:] {
						if later.Action == "assessment.answer" {
							t.Fatalf("round %d: an answer was saved after the submission", round)
						}
					}
				}
			}
		}
	})
}

// TestPortalAnswerAfterSubmitIsRefused: once submitted, a save that read
// the questionnaire still open is a 409 and leaves the answers alone.
func TestPortalAnswerAfterSubmitIsRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := optionalTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Late Vendor","category":"saas"}`))
		_, portal := f.sentAssessment(&risk, vendor.ID, tpl.ID)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		r := f.call(nil, "PUT", portal+"/answers/T-01", `{"value":"late"}`)
		if r.Code != 403 || r.Header().Get("Content-Type") != problemJSON {
			t.Fatalf("answer after submit: %d %s", r.Code, r.Body)
		}
		if p := problemFor(assessments.ErrChangedMeanwhile); p.Status != 409 || p.Type != typeConflict || !strings.Contains(p.Detail, "submitted") {
			t.Fatalf("a save overtaken by the submission: %+v", p)
		}
	})
}

// TestPortalUploadQuota: the per-assessment count and size limits hold for
// uploads one after another and for concurrent ones, which must not pass
// them together; refused uploads leave no file behind.
func TestPortalUploadQuota(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) {
			d.PortalQuota = assessments.Quota{MaxFiles: 5, MaxBytes: 1000}
			d.Files = files
		})
		tpl := optionalTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Quota Vendor","category":"saas"}`))
		upload := func(ip, portal string, size int) *httptest.ResponseRecorder {
			ct, body := evidenceForm("EV-01", "notes.txt", bytes.Repeat([]byte("evidence "), size/9))
			return f.portalCall(ip, "POST", portal+"/files", ct, body)
		}

		// One after another: the sixth file is refused, naming the limit.
		_, portal := f.sentAssessment(&risk, vendor.ID, tpl.ID)
		for i := range 5 {
			if r := upload("10.2.0.1", portal, 99); r.Code != 201 {
				t.Fatalf("upload %d: %d %s", i, r.Code, r.Body)
			}
		}
		r := upload("10.2.0.1", portal, 99)
		if r.Code != 422 || r.Header().Get("Content-Type") != problemJSON || !strings.Contains(r.Body.String(), "already has 5 uploaded files") {
			t.Fatalf("sixth upload: %d %s", r.Code, r.Body)
		}
		// The size limit: 3 x 297 bytes fit in 1000, a fourth does not.
		_, portal = f.sentAssessment(&risk, vendor.ID, tpl.ID)
		for i := range 3 {
			if r := upload("10.2.0.2", portal, 297); r.Code != 201 {
				t.Fatalf("upload %d: %d %s", i, r.Code, r.Body)
			}
		}
		if r := upload("10.2.0.2", portal, 297); r.Code != 422 || !strings.Contains(r.Body.String(), "past 1000 B") {
			t.Fatalf("upload past the size limit: %d %s", r.Code, r.Body)
		}

		// Concurrent uploads: exactly as many as fit are accepted.
		for round, c := range []struct{ size, fit int }{{99, 5}, {297, 3}} {
			id, portal := f.sentAssessment(&risk, vendor.ID, tpl.ID)
			var wg sync.WaitGroup
			codes := make([]int, 12)
			start := make(chan struct{})
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					codes[i] = upload(fmt.Sprintf("10.3.%d.1", round), portal, c.size).Code
				}()
			}
			close(start)
			wg.Wait()
			accepted := 0
			for _, code := range codes {
				switch code {
				case 201:
					accepted++
				case 422:
				default:
					t.Fatalf("concurrent upload: %d", code)
				}
			}
			n, total, err := models.PortalUploads(context.Background(), db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			if accepted != c.fit || n != int64(c.fit) || total > 1000 {
				t.Fatalf("concurrent uploads of %d bytes: %d accepted, %d stored (%d bytes); want %d", c.size, accepted, n, total, c.fit)
			}
		}
		var rows int64
		db.Gorm.Model(&models.AssessmentFile{}).Count(&rows)
		if got := countFiles(t, files); got != int(rows) {
			t.Fatalf("%d files stored for %d rows: refused uploads left files behind", got, rows)
		}
	})
}
