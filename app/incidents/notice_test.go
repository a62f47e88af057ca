package incidents

import (
	"strings"
	"testing"
	"time"
)

func TestCheckNotice(t *testing.T) {
	occurred := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) // a Monday
	at := func(h int) *time.Time { v := occurred.Add(time.Duration(h) * time.Hour); return &v }
	msa := NoticeTerm{ContractID: "c1", ContractTitle: "Master services agreement", Hours: 72, Quote: "within seventy-two (72) hours"}
	dpa := NoticeTerm{ContractID: "c2", ContractTitle: "DPA", Hours: 48, Quote: "within 48 hours"}

	if c := CheckNotice(occurred, nil, at(96), occurred, nil); c != nil {
		t.Fatalf("no term gave a verdict: %+v", c)
	}
	late := CheckNotice(occurred, nil, at(96), occurred, []NoticeTerm{msa})
	if !late.Late || *late.ActualHours != 96 || late.AllowedHours != 72 || late.Quote != msa.Quote ||
		late.Message != "Notice late: 96 h against 72 h in Master services agreement" || late.ClockFrom != "occurred_at" {
		t.Fatalf("late: %+v", late)
	}
	onTime := CheckNotice(occurred, nil, at(72), occurred, []NoticeTerm{msa})
	if onTime.Late || *onTime.ActualHours != 72 || !strings.HasPrefix(onTime.Message, "Notice on time") {
		t.Fatalf("exactly at the deadline is on time: %+v", onTime)
	}
	// The clock starts when the vendor became aware, when known.
	if c := CheckNotice(occurred, at(30), at(96), occurred, []NoticeTerm{msa}); c.Late || *c.ActualHours != 66 || c.ClockFrom != "detected_at" {
		t.Fatalf("from detection: %+v", c)
	}
	// The strictest term governs.
	if c := CheckNotice(occurred, nil, at(60), occurred, []NoticeTerm{msa, dpa}); !c.Late || c.ContractID != "c2" || c.AllowedHours != 48 {
		t.Fatalf("strictest: %+v", c)
	}
	// Not notified yet: late once the deadline has passed.
	if c := CheckNotice(occurred, nil, nil, *at(10), []NoticeTerm{msa}); c.Late || c.ActualHours != nil {
		t.Fatalf("pending: %+v", c)
	}
	if c := CheckNotice(occurred, nil, nil, *at(100), []NoticeTerm{msa}); !c.Late || !strings.Contains(c.Message, "not yet notified") {
		t.Fatalf("overdue: %+v", c)
	}
	// Business days skip the weekend: Friday 09:00 + 1 business day is Monday 09:00.
	friday := time.Date(2026, 11, 6, 9, 0, 0, 0, time.UTC)
	bd := NoticeTerm{ContractTitle: "SLA", BusinessDays: 1}
	mon := friday.Add(72 * time.Hour)
	if c := CheckNotice(friday, nil, &mon, friday, []NoticeTerm{bd}); c.Late || c.AllowedHours != 72 || c.AllowedText != "1 business day" {
		t.Fatalf("business days: %+v", c)
	}
}

func TestParseNoticeTerm(t *testing.T) {
	for _, c := range []struct {
		normalized string
		ok         bool
		want       string
	}{
		{`{"hours":72}`, true, "72 h"}, {`{"days":3}`, true, "3 days"}, {`{"business_days":5}`, true, "5 business days"},
		{`null`, false, ""}, {`{"present":true}`, false, ""}, {`not json`, false, ""},
	} {
		got, ok := ParseNoticeTerm("c", "T", c.normalized, `[{"quote":"within 72 hours","start":1,"end":2}]`)
		if ok != c.ok || (ok && (got.Allowed() != c.want || got.Quote != "within 72 hours")) {
			t.Errorf("%s: %+v %v", c.normalized, got, ok)
		}
	}
}
