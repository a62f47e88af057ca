package handlers

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
)

// TestAssessmentListFilters pages through the assessment list under every
// filter and compares the result with a brute-force selection of the
// assessments the test made; each item carries its vendor's and
// reviewer's names.
func TestAssessmentListFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		lite := testTemplate(t, db)
		other := *lite
		other.ID, other.Key, other.Name = "", "other", "Other questionnaire"
		if _, err := models.UpsertBuiltinTemplate(ctx, db.Gorm, &other); err != nil {
			t.Fatal(err)
		}
		hostile := `Beta <b>Corp</b>' OR 1=1 --`
		va := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Acme Alpha","category":"saas"}`))
		vb := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Beta <b>Corp</b>' OR 1=1 --","category":"saas"}`))
		today := f.clock.now().UTC()
		day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
		rm, admin := f.users[models.RoleRiskManager], f.users[models.RoleAdmin]

		type made struct {
			id, vendor, template, reviewer, status, due string
		}
		var all []made
		statuses := []string{"draft", "completed", "sent", "in_review", "cancelled", "submitted", "in_progress"}
		dues := []string{day(-5), day(-5), day(10), day(29), day(31), "", day(60), day(-1)}
		for i := range 24 {
			m := made{vendor: va.ID, template: lite.ID, reviewer: rm.ID, status: statuses[i%len(statuses)], due: dues[i%len(dues)]}
			if i%2 == 1 {
				m.vendor = vb.ID
			}
			if i%3 == 0 {
				m.template = other.ID
			}
			if i >= 12 {
				m.reviewer = admin.ID
			}
			a := &models.Assessment{VendorID: m.vendor, TemplateID: m.template, Title: "A", Status: m.status, DueDate: m.due, ReviewerID: &m.reviewer, Result: "{}"}
			if err := models.CreateAssessment(ctx, db.Gorm, a); err != nil {
				t.Fatal(err)
			}
			m.id = a.ID
			all = append(all, m)
		}
		// A due date binds the vendor: once submitted, nothing is overdue.
		open := func(m made) bool { return slices.Contains([]string{"draft", "sent", "in_progress"}, m.status) }
		cases := []struct {
			query string
			want  func(m made) bool
		}{
			{"", func(made) bool { return true }},
			{"vendor_id=" + vb.ID, func(m made) bool { return m.vendor == vb.ID }},
			{"status=completed,cancelled", func(m made) bool { return m.status == "completed" || m.status == "cancelled" }},
			{"reviewer_id=" + admin.ID, func(m made) bool { return m.reviewer == admin.ID }},
			{"template=other", func(m made) bool { return m.template == other.ID }},
			{"due=overdue", func(m made) bool { return open(m) && m.due != "" && m.due < day(0) }},
			{"due=due_soon", func(m made) bool { return open(m) && m.due >= day(0) && m.due <= day(30) }},
			{"due=overdue&vendor_id=" + va.ID + "&template=test", func(m made) bool {
				return open(m) && m.due != "" && m.due < day(0) && m.vendor == va.ID && m.template == lite.ID
			}},
			{"template=" + url.QueryEscape("nope' OR 1=1"), func(made) bool { return false }},
		}
		for _, c := range cases {
			var want []string
			for _, m := range all {
				if c.want(m) {
					want = append(want, m.id)
				}
			}
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatalf("%s: more pages than rows", c.query)
				}
				path := "/api/v1/assessments?limit=5&sort=due_date&" + c.query
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				r := f.call(&risk, "GET", path, "")
				if r.Code != 200 {
					t.Fatalf("%s: %d %s", c.query, r.Code, r.Body)
				}
				page := decode[listResponse[assessmentSummary]](t, r)
				if page.Total != int64(len(want)) {
					t.Errorf("%s: total %d, want %d", c.query, page.Total, len(want))
				}
				for _, it := range page.Items {
					got = append(got, it.ID)
					wantName := map[string]string{va.ID: "Acme Alpha", vb.ID: hostile}[it.VendorID]
					if it.VendorName != wantName || it.ReviewerName == "" || (it.ReviewerID != nil && *it.ReviewerID == admin.ID && it.ReviewerName != admin.Name) {
						t.Errorf("%s: item %s has vendor %q reviewer %q", c.query, it.ID, it.VendorName, it.ReviewerName)
					}
				}
				if page.NextCursor == nil {
					break
				}
				cursor = url.QueryEscape(*page.NextCursor)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: got %d assessments, want %d", c.query, len(got), len(want))
			}
		}

		for q, field := range map[string]string{
			"due=later":                               "due",
			"template=" + strings.Repeat("k", 81):     "template",
			"status=open":                             "status",
			"vendor=" + va.ID:                         "vendor",
			"due=overdue&due=due_soon":                "due",
			"template=" + url.QueryEscape("\xff\xfe"): "template",
		} {
			r := f.call(&risk, "GET", "/api/v1/assessments?"+q, "")
			if r.Code != 422 || len(r.problem().Errors) == 0 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", q, r.Code, r.Body)
			}
		}

		// One page costs the same number of queries whatever its size: the
		// names come in one batched query each, not one per row.
		var queries atomic.Int64
		if err := db.Gorm.Callback().Query().Before("gorm:query").Register("h5:count", func(*gorm.DB) { queries.Add(1) }); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = db.Gorm.Callback().Query().Remove("h5:count") }()
		count := func(limit string) int64 {
			queries.Store(0)
			if r := f.call(&risk, "GET", "/api/v1/assessments?limit="+limit, ""); r.Code != 200 {
				t.Fatalf("limit %s: %d", limit, r.Code)
			}
			return queries.Load()
		}
		if small, large := count("2"), count("24"); small != large {
			t.Errorf("a page of 2 took %d queries, a page of 24 took %d", small, large)
		}
	})
}
