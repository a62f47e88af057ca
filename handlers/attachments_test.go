package handlers

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"rampart/app/storage"
	"rampart/app/storage/s3test"
	"rampart/models"
	"rampart/models/testdb"
)

// testFiles is the file store of a test server: a fresh local folder, or,
// with RAMPART_TEST_STORAGE=s3 (make test runs the upload, download and
// permission tests a second time so), a fresh prefix of a real
// S3-compatible bucket (see s3test).
func testFiles(t testing.TB) storage.Backend {
	t.Helper()
	switch v := os.Getenv("RAMPART_TEST_STORAGE"); v {
	case "", "local":
		return storage.Local{Dir: t.TempDir()}
	case "s3":
		return s3test.Store(t, "")
	default:
		t.Fatalf("RAMPART_TEST_STORAGE=%q: want local or s3", v)
		return nil
	}
}

func (f *fixture) uploadNamed(s *session, path, filename string, body io.Reader) response {
	f.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, _ := mw.CreateFormFile("file", filename)
		if _, err := io.Copy(fw, body); err != nil {
			pw.CloseWithError(err)
			return
		}
		mw.Close()
		pw.Close()
	}()
	req := httptest.NewRequest("POST", path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
	req.Header.Set("X-CSRF-Token", s.csrf)
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

type brokenReader struct{ left int }

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, bytes.Repeat([]byte("%PDF-1.7\n"), 100))
	b.left -= n
	return n, nil
}

// countFiles counts the files in a test's store.
func countFiles(t testing.TB, files storage.Backend) int {
	t.Helper()
	n := 0
	if err := files.List(context.Background(), func(string) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRequestAttachments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) { d.Files = files })
		head := f.as(models.RoleRequester)
		req := decode[requestDetail](t, f.call(&head, "POST", "/api/v1/requests", toolRequest))
		path := "/api/v1/requests/" + req.ID + "/attachments"

		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
		r := f.uploadNamed(&head, path, `..\..\evil"quote.pdf`, strings.NewReader(pdf))
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		a := decode[attachmentResponse](t, r)
		if a.ContentType != "application/pdf" || a.Filename != "evilquote.pdf" || a.Size != int64(len(pdf)) {
			t.Fatalf("attachment %+v", a)
		}
		d := decode[requestDetail](t, f.call(&head, "GET", "/api/v1/requests/"+req.ID, ""))
		if len(d.Attachments) != 1 || d.Timeline[len(d.Timeline)-1].Kind != "attachment" {
			t.Fatalf("detail %+v", d)
		}
		dl := f.call(&head, "GET", a.URL, "")
		if dl.Code != 200 || dl.Body.String() != pdf || !strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment") ||
			!strings.Contains(dl.Header().Get("Content-Security-Policy"), "sandbox") || dl.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download: %d %v", dl.Code, dl.Header())
		}

		// Content decides the type, not the name.
		for name, body := range map[string]string{
			"page.pdf":    "<!doctype html><script>alert(1)</script>",
			"invoice.pdf": "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
			"empty.pdf":   "",
		} {
			r := f.uploadNamed(&head, path, name, strings.NewReader(body))
			if r.Code != 422 || r.problem().Errors[0].Field != "file" {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if r := f.uploadNamed(&head, path, "big.pdf", io.MultiReader(strings.NewReader("%PDF-1.4\n"), bytes.NewReader(make([]byte, 21<<20)))); r.Code != 413 && r.Code != 422 {
			t.Errorf("21 MB file: %d", r.Code)
		}
		if r := f.uploadNamed(&head, path, "cut.pdf", &brokenReader{left: 200000}); r.Code < 400 {
			t.Errorf("aborted upload: %d", r.Code)
		}
		var rows int64
		db.Gorm.Model(&models.RequestAttachment{}).Count(&rows)
		if rows != 1 || countFiles(t, files) != 1 {
			t.Fatalf("after refused and aborted uploads: %d rows, %d files", rows, countFiles(t, files))
		}

		// Others: a second requester cannot see or add; staff can read.
		other := &models.User{Email: "head3@corp.test", Name: "Other", Role: models.RoleRequester, Active: true, PasswordHash: testHash()}
		models.CreateUser(t.Context(), db.Gorm, other)
		head3, _ := f.signIn("head3@corp.test", testPassword)
		if r := f.call(&head3, "GET", a.URL, ""); r.Code != 404 || strings.Contains(r.Body.String(), "PDF") {
			t.Errorf("other requester downloads: %d", r.Code)
		}
		if r := f.uploadNamed(&head3, path, "x.pdf", strings.NewReader(pdf)); r.Code != 404 {
			t.Errorf("other requester uploads: %d", r.Code)
		}
		risk := f.as(models.RoleRiskManager)
		if r := f.call(&risk, "GET", a.URL, ""); r.Code != 200 {
			t.Errorf("risk manager downloads: %d", r.Code)
		}
		if r := f.call(&risk, "GET", "/api/v1/requests/"+req.ID+"/attachments/"+req.ID, ""); r.Code != 404 {
			t.Errorf("wrong attachment id: %d", r.Code)
		}
	})
}
