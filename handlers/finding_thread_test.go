package handlers

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestOnePendingExceptionPerFinding: a finding's pending request is found
// again by finding, a second one is refused with a field message (also
// when two race), and each exception says whether the caller may decide it
// by the rule the decide endpoint enforces.
func TestOnePendingExceptionPerFinding(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, admin, legal := f.as(models.RoleRiskManager), f.as(models.RoleAdmin), f.as(models.RoleLegal)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Pending Vendor","category":"saas"}`))
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Shared admin account","severity":"high"}`))
		expires := f.clock.now().AddDate(0, 1, 0).Format(time.DateOnly)
		ask := `{"finding_id":"` + fd.ID + `","justification":"Vendor fixes it next quarter","expires_on":"` + expires + `"}`
		r := f.call(&risk, "POST", "/api/v1/exceptions", ask)
		if r.Code != 201 {
			t.Fatalf("request: %d %s", r.Code, r.Body)
		}
		ex := decode[exceptionResponse](t, r)
		if ex.CanDecide {
			t.Fatal("the requester is told they may decide their own exception")
		}
		r = f.call(&legal, "POST", "/api/v1/exceptions", ask)
		if r.Code != 422 || r.problem().Errors[0].Field != "finding_id" || !strings.Contains(r.Body.String(), "waiting for a decision") {
			t.Fatalf("second pending request: %d %s", r.Code, r.Body)
		}

		// The finding's exceptions, for each reader: only the admin may decide.
		for role, want := range map[models.Role]bool{models.RoleRiskManager: false, models.RoleAdmin: true, models.RoleLegal: false, models.RoleAuditor: false} {
			s := f.as(role)
			l := decode[listResponse[exceptionResponse]](t, f.call(&s, "GET", "/api/v1/exceptions?finding_id="+fd.ID, ""))
			if l.Total != 1 || l.Items[0].ID != ex.ID || l.Items[0].CanDecide != want {
				t.Errorf("%s: %+v, want can_decide %v", role, l, want)
			}
		}
		if l := decode[listResponse[exceptionResponse]](t, f.call(&risk, "GET", "/api/v1/exceptions?finding_id="+v.ID, "")); l.Total != 0 {
			t.Errorf("another id's exceptions: %+v", l)
		}

		// Once decided, the finding may be asked about again.
		r = f.call(&admin, "POST", "/api/v1/exceptions/"+ex.ID+"/decide", `{"version":1,"decision":"reject"}`)
		if r.Code != 200 || decode[exceptionResponse](t, r).CanDecide {
			t.Fatalf("reject: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", "/api/v1/exceptions", ask); r.Code != 201 {
			t.Fatalf("request after the rejection: %d %s", r.Code, r.Body)
		}

		// Racing requests: exactly one is taken.
		fd2 := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Raced","severity":"low"}`))
		race := strings.Replace(ask, fd.ID, fd2.ID, 1)
		var wg sync.WaitGroup
		codes := make([]int, 6)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = f.call(&risk, "POST", "/api/v1/exceptions", race).Code
			}()
		}
		wg.Wait()
		created := 0
		for _, c := range codes {
			switch c {
			case 201:
				created++
			case 422:
			default:
				t.Errorf("racing request: %d", c)
			}
		}
		if created != 1 {
			t.Fatalf("racing requests created %d pending exceptions: %v", created, codes)
		}
		// The database itself refuses a second pending row.
		err := models.CreateException(t.Context(), db.Gorm, &models.RiskException{VendorID: v.ID, FindingID: &fd2.ID, Justification: "x",
			Status: "requested", RequestedBy: f.users[models.RoleRiskManager].ID, ExpiresOn: expires})
		if !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second pending row straight into the table: %v", err)
		}
	})
}

// TestFindingCommentsAndEvidence: the thread and the files of a finding,
// who may add and read them, hostile input, and the audit trail.
func TestFindingCommentsAndEvidence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) { d.Files = files })
		risk, legal, auditor := f.as(models.RoleRiskManager), f.as(models.RoleLegal), f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Thread Vendor","category":"saas"}`))
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"No backups tested","severity":"medium"}`))
		base := "/api/v1/findings/" + fd.ID

		hostile := `<img src=x onerror=alert(1)> Restore test booked for <b>May</b>`
		r := f.call(&legal, "POST", base+"/comments", `{"body":"`+strings.ReplaceAll(hostile, `"`, `\"`)+`"}`)
		if r.Code != 201 {
			t.Fatalf("comment: %d %s", r.Code, r.Body)
		}
		if c := decode[findingCommentResponse](t, r); c.Body != hostile || c.AuthorName != f.users[models.RoleLegal].Name {
			t.Fatalf("comment %+v", c)
		}
		f.call(&risk, "POST", base+"/comments", `{"body":"Second"}`)
		l := decode[map[string][]findingCommentResponse](t, f.call(&auditor, "GET", base+"/comments", ""))["items"]
		if len(l) != 2 || l[0].Body != hostile || l[1].Body != "Second" || l[1].AuthorName != f.users[models.RoleRiskManager].Name {
			t.Fatalf("thread, oldest first: %+v", l)
		}
		if r := f.call(&auditor, "POST", base+"/comments", `{"body":"Auditors read only"}`); r.Code != 403 {
			t.Errorf("auditor comments: %d", r.Code)
		}
		for body, want := range map[string]int{`{"body":"   "}`: 422, `{"body":"` + strings.Repeat("x", 10001) + `"}`: 422, `{"body":`: 400} {
			if r := f.call(&risk, "POST", base+"/comments", body); r.Code != want {
				t.Errorf("comment %.20s: %d, want %d", body, r.Code, want)
			} else if want == 422 && r.problem().Errors[0].Field != "body" {
				t.Errorf("comment %.20s: %s", body, r.Body)
			}
		}

		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
		r = f.uploadNamed(&legal, base+"/attachments", `restore<script>.pdf`, strings.NewReader(pdf))
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		a := decode[findingAttachmentResponse](t, r)
		if a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) || a.UploadedByName != f.users[models.RoleLegal].Name {
			t.Fatalf("attachment %+v", a)
		}
		as := decode[map[string][]findingAttachmentResponse](t, f.call(&auditor, "GET", base+"/attachments", ""))["items"]
		if len(as) != 1 || as[0].ID != a.ID || as[0].URL != a.URL {
			t.Fatalf("attachments: %+v", as)
		}
		dl := f.call(&auditor, "GET", a.URL, "")
		if dl.Code != 200 || dl.Body.String() != pdf || !strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment") ||
			!strings.Contains(dl.Header().Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("download: %d %v", dl.Code, dl.Header())
		}
		if r := f.uploadNamed(&auditor, base+"/attachments", "x.pdf", strings.NewReader(pdf)); r.Code != 403 {
			t.Errorf("auditor uploads: %d", r.Code)
		}
		for name, body := range map[string]io.Reader{
			"page.pdf":  strings.NewReader("<!doctype html><script>alert(1)</script>"),
			"tool.pdf":  strings.NewReader("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
			"empty.pdf": strings.NewReader(""),
			"big.pdf":   io.MultiReader(strings.NewReader("%PDF-1.4\n"), bytes.NewReader(make([]byte, 20<<20))),
		} {
			if r := f.uploadNamed(&risk, base+"/attachments", name, body); r.Code != 422 || r.problem().Errors[0].Field != "file" {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if r := f.uploadNamed(&risk, base+"/attachments", "huge.pdf", io.MultiReader(strings.NewReader("%PDF-1.4\n"), bytes.NewReader(make([]byte, 21<<20)))); r.Code != 413 && r.Code != 422 {
			t.Errorf("21 MB body: %d", r.Code)
		}
		var rows int64
		db.Gorm.Model(&models.FindingAttachment{}).Count(&rows)
		if rows != 1 || countFiles(t, files) != 1 {
			t.Fatalf("after refused uploads: %d rows, %d files", rows, countFiles(t, files))
		}

		// Unknown findings and another finding's file: 404.
		other := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Other","severity":"low"}`))
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/api/v1/findings/nope/comments", ""},
			{"POST", "/api/v1/findings/nope/comments", `{"body":"x"}`},
			{"GET", "/api/v1/findings/nope/attachments", ""},
			{"GET", "/api/v1/findings/nope/attachments/" + a.ID, ""},
			{"GET", "/api/v1/findings/" + other.ID + "/attachments/" + a.ID, ""},
		} {
			if r := f.call(&risk, c.method, c.path, c.body); r.Code != 404 {
				t.Errorf("%s %s: %d", c.method, c.path, r.Code)
			}
		}
		if r := f.uploadNamed(&risk, "/api/v1/findings/nope/attachments", "x.pdf", strings.NewReader(pdf)); r.Code != 404 {
			t.Errorf("upload to an unknown finding: %d", r.Code)
		}
		if r := f.call(&risk, "GET", "/api/v1/findings/"+other.ID+"/comments", ""); r.Code != 200 || !strings.Contains(r.Body.String(), `"items":[]`) {
			t.Errorf("an empty thread: %d %s", r.Code, r.Body)
		}

		var audited []models.AuditEvent
		db.Gorm.Where("object_id = ? AND action IN ?", fd.ID, []string{"finding.comment", "finding.attach"}).Order("seq").Find(&audited)
		if len(audited) != 3 || audited[0].Action != "finding.comment" || audited[2].Action != "finding.attach" || audited[2].ActorID == "" {
			t.Fatalf("audit trail: %+v", audited)
		}
	})
}
