package handlers

import (
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

func TestContractsDatesAndCalendar(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		f.clock.t = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Contracted","category":"saas"}`))

		// 12 months from 2026-03-01 ends 2027-02-28; 3 months' notice: 2026-11-28.
		r := f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Master services agreement","type":"msa","effective_date":"2026-03-01",
			"initial_term_months":12,"auto_renewal":true,"renewal_term_months":12,"notice_period":3,"notice_unit":"months","value":24000,"currency":"eur"}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		msa := decode[contractResponse](t, r)
		if msa.EndDate != "2027-02-28" || msa.CurrentTermEnd != "2027-02-28" || msa.CancelBy != "2026-11-28" || msa.Currency != "EUR" {
			t.Fatalf("msa dates %+v", msa)
		}
		// A DPA under it, past its first term and auto-renewed: 2024-06-30 -> 2027-06-30; 30 days' notice.
		r = f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","parent_id":"`+msa.ID+`","title":"Data processing agreement","type":"dpa",
			"end_date":"2024-06-30","auto_renewal":true,"renewal_term_months":12,"notice_period":30}`)
		dpa := decode[contractResponse](t, r)
		if r.Code != 201 || dpa.CurrentTermEnd != "2027-06-30" || dpa.CancelBy != "2027-05-31" || *dpa.ParentID != msa.ID {
			t.Fatalf("dpa %d %+v", r.Code, dpa)
		}
		// No auto-renewal: no cancel-by.
		nda := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"NDA","type":"nda","effective_date":"2028-02-29","initial_term_months":12}`))
		if nda.EndDate != "2029-02-28" || nda.CancelBy != "" {
			t.Fatalf("nda %+v", nda)
		}
		for body, field := range map[string]string{
			`{"vendor_id":"` + v.ID + `","title":"X","type":"lease"}`:                "type",
			`{"vendor_id":"` + v.ID + `","title":"X","effective_date":"2026-02-30"}`: "effective_date",
			`{"vendor_id":"` + v.ID + `","title":"X","notice_period":-1}`:            "notice_period",
			`{"vendor_id":"` + v.ID + `","title":"X","parent_id":"` + v.ID + `"}`:    "parent_id",
			`{"title":"X"}`: "vendor_id",
			`{"vendor_id":"` + v.ID + `","title":"X","value":100}`: "currency",
		} {
			if r := f.call(&legal, "POST", "/api/v1/contracts", body); r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		// Editing the notice recomputes the cancel-by date; a stale version is refused.
		r = f.call(&legal, "PATCH", "/api/v1/contracts/"+msa.ID, `{"version":1,"notice_period":60,"notice_unit":"days"}`)
		if r.Code != 200 || decode[contractResponse](t, r).CancelBy != "2026-12-30" {
			t.Fatalf("edit notice: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "PATCH", "/api/v1/contracts/"+msa.ID, `{"version":1,"title":"Stale"}`); r.Code != 409 {
			t.Fatalf("stale edit: %d", r.Code)
		}
		head := f.as(models.RoleRequester)
		if r := f.call(&head, "GET", "/api/v1/contracts", ""); r.Code != 403 {
			t.Fatalf("requester lists contracts: %d", r.Code)
		}
		list := decode[listResponse[contractResponse]](t, f.call(&legal, "GET", "/api/v1/contracts?cancel_by_before=2027-01-31", ""))
		if list.Total != 1 || list.Items[0].ID != msa.ID {
			t.Fatalf("cancel-by filter %+v", list)
		}
		cal := decode[map[string][]calendarEvent](t, f.call(&legal, "GET", "/api/v1/calendar?from=2026-11-24&to=2027-07-31", ""))
		var kinds []string
		for _, e := range cal["items"] {
			if e.ObjectType == "contract" {
				kinds = append(kinds, e.Date+" "+e.Kind)
			}
		}
		if strings.Join(kinds, ",") != "2026-12-30 cancel_by,2027-02-28 term_end,2027-05-31 cancel_by,2027-06-30 term_end" {
			t.Fatalf("calendar %v", kinds)
		}
	})
}

func TestCalendarFeed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Feed Vendor","category":"saas"}`))
		end := f.clock.now().AddDate(0, 3, 0).Format(time.DateOnly)
		f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Hosting order form","end_date":"`+end+`","auto_renewal":true,"renewal_term_months":12,"notice_period":30}`)
		// Ended ten days ago: not in the feed.
		past := f.clock.now().AddDate(0, 0, -10).Format(time.DateOnly)
		f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Old pilot","end_date":"`+past+`"}`)
		if st := decode[feedStatus](t, f.call(&legal, "GET", "/api/v1/calendar/feed", "")); st.Active {
			t.Fatalf("feed active before one was made: %+v", st)
		}
		r := f.call(&legal, "POST", "/api/v1/calendar/feed", "")
		feed := decode[feedResponse](t, r)
		if st := decode[feedStatus](t, f.call(&legal, "GET", "/api/v1/calendar/feed", "")); !st.Active || st.CreatedAt == nil {
			t.Fatalf("feed status after making one: %+v", st)
		}
		if r.Code != 201 || !strings.Contains(feed.URL, "/api/v1/calendar/feed/rcf_") {
			t.Fatalf("feed: %d %+v", r.Code, feed)
		}
		path := feed.URL[strings.Index(feed.URL, "/api/v1/"):]
		r = f.call(nil, "GET", path, "")
		body := r.Body.String()
		if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/calendar") || !strings.Contains(body, "BEGIN:VCALENDAR") ||
			!strings.Contains(body, "SUMMARY:Cancel-by: Hosting order form (Feed Vendor)") || !strings.Contains(body, "DTSTART;VALUE=DATE:") || r.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("ics: %d %v\n%s", r.Code, r.Header(), body)
		}
		// RFC 5545: every line ends with CRLF; each event says what it is,
		// links to Rampart and reminds ahead; the past is left out.
		if strings.Count(body, "\n") != strings.Count(body, "\r\n") {
			t.Errorf("lines end with LF only:\n%q", body)
		}
		unfolded := strings.ReplaceAll(body, "\r\n ", "")
		for _, want := range []string{
			`DESCRIPTION:Last day to give notice so that the contract does not renew on its own.\nVendor: Feed Vendor\nOpen in Rampart: http://localhost:8080/contracts/`,
			"BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P14D",
		} {
			if !strings.Contains(unfolded, want) {
				t.Errorf("feed lacks %q:\n%s", want, unfolded)
			}
		}
		if strings.Contains(body, "Old pilot") {
			t.Errorf("a past deadline is in the feed:\n%s", body)
		}
		// A new URL ends the old one; revoking ends the new one.
		second := decode[feedResponse](t, f.call(&legal, "POST", "/api/v1/calendar/feed", ""))
		if r := f.call(nil, "GET", path, ""); r.Code != 404 {
			t.Fatalf("replaced feed: %d", r.Code)
		}
		f.call(&legal, "DELETE", "/api/v1/calendar/feed", "")
		if st := decode[feedStatus](t, f.call(&legal, "GET", "/api/v1/calendar/feed", "")); st.Active {
			t.Fatalf("feed active after revoking: %+v", st)
		}
		if r := f.call(nil, "GET", second.URL[strings.Index(second.URL, "/api/v1/"):], ""); r.Code != 404 {
			t.Fatalf("revoked feed: %d", r.Code)
		}
		if r := f.call(nil, "GET", "/api/v1/calendar/feed/rcf_forged.ics", ""); r.Code != 404 {
			t.Fatalf("forged feed: %d", r.Code)
		}
	})
}
