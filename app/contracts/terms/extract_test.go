package terms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// find returns the term with the key, failing the test if it is missing.
func find(t *testing.T, ts []Term, key string) Term {
	t.Helper()
	for _, x := range ts {
		if x.Key == key {
			return x
		}
	}
	t.Fatalf("no term %s", key)
	return Term{}
}

func TestDurations(t *testing.T) {
	cases := []struct {
		in   string
		want string // "N unit", "blank" or ""
	}{
		{"within thirty (30) days", "30 days"},
		{"within 30 days", "30 days"},
		{"one month", "1 month"},
		{"5 business days", "5 business days"},
		{"ten (10) working days", "10 business days"},
		{"seventy-two (72) hours", "72 hours"},
		{"seventy-two hours", "72 hours"},
		{"within 48 hours", "48 hours"},
		{"a 30-day period", "30 days"},
		{"one hundred and eighty (180) days", "180 days"},
		{"one hundred eighty days", "180 days"},
		{"sixty (60) calendar days", "60 days"},
		{"twelve (12) month period", "12 months"},
		{"another year", "1 year"},
		{"another thirty days", "30 days"},
		{"[__] days", "blank"},
		{"{{notice_period}} days", "blank"},
		{"_____ days", "blank"},
		{"[NUMBER] hours", "blank"},
		{"[30] days", "blank"},
		{"(__) days", "blank"},
		{"several days", ""},
		{"business days", ""},
	}
	for _, c := range cases {
		ds := durations(c.in)
		got := ""
		if len(ds) > 0 {
			got = ds[0].String()
			if ds[0].blank {
				got = "blank"
			}
		}
		if got != c.want {
			t.Errorf("durations(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAmounts(t *testing.T) {
	cases := map[string]string{
		"not less than usd 2,000,000 per claim": "USD 2,000,000",
		"$5,000,000":                            "USD 5,000,000",
		"eur 500,000":                           "EUR 500,000",
		"\u20ac250,000":                         "EUR 250,000",
		"gbp 1,000,000":                         "GBP 1,000,000",
		"usd 10 million":                        "USD 10,000,000",
		"1,000,000 euros":                       "EUR 1,000,000",
		"five million pounds":                   "GBP 5,000,000",
	}
	for in, want := range cases {
		ms := amounts(in)
		if len(ms) == 0 || ms[0].String() != want {
			t.Errorf("amounts(%q) = %v, want %s", in, ms, want)
		}
	}
}

// TestLookAlikes: sentences that look like a term but are not the
// vendor's commitment, and the terms they must not produce.
func TestLookAlikes(t *testing.T) {
	cases := []struct{ text, key string }{
		{"Customer shall notify Vendor within 24 hours of any breach of its account security.", "breach_notification"},
		{"The Client must report any security incident to the Supplier within 2 hours.", "breach_notification"},
		{"Fees are invoiced annually in advance and upon renewal at the then-current rates.", "auto_renewal"},
		{"Supplier shall keep its books for audit by the tax authorities for seven years.", "audit_rights"},
		{"Vendor may audit Customer's use of the Software to verify licence compliance.", "audit_rights"},
		{"Customer shall maintain insurance covering its own premises of USD 1,000,000.", "insurance"},
		{"Customer's total liability shall not exceed the fees payable in the 12 months before the claim.", "liability_cap"},
		{"Payments by credit card incur a surcharge.", "service_credits"},
		{"Each party shall comply with all applicable laws of the United States.", "governing_law"},
		{"\"Standard Contractual Clauses\" means the clauses approved by the European Commission.", "transfer_mechanism"},
		{"This Agreement is governed by the laws of [STATE].", "governing_law"},
		{"Vendor shall notify Customer of a Security Incident within [__] hours.", "breach_notification"},
		{"Vendor will delete Customer Data within {{deletion_days}} days after termination.", "data_return_deletion"},
		{"If Customer fails to pay any invoice within 15 days after notice, Vendor may suspend the Services.", "cure_period"},
		{"You may cancel your subscription at any time, effective at the end of the current billing period.", "termination_for_convenience"},
		// parties known only by the names the preamble gives them
		{"Agreement between Granite Racks Inc. (\"Granite\") and the customer (\"Customer\").\n\nGranite may inspect Customer's cabinet at any time.", "audit_rights"},
		{"Between Ospreay Lifts Ltd (\"Contractor\") and Gullwing plc (\"Owner\").\n\nOwner shall notify Contractor within 24 hours of any incident.", "breach_notification"},
		{"Between Ospreay Lifts Ltd (\"Contractor\") and Gullwing plc (\"Owner\").\n\nOwner's liability shall not exceed GBP 10,000.", "liability_cap"},
		{"Uptime is 99.9%. [Drafting note: the parties to confirm whether service credits apply.]", "service_credits"},
	}
	for _, c := range cases {
		tm := find(t, Extract(c.text, nil), c.key)
		if tm.Found {
			t.Errorf("%q: %s found %v, want not found", c.text, c.key, tm.Normalized)
		}
	}
}

// TestNamedParties: a party known by its company name acts as the side
// the other name does not.
func TestNamedParties(t *testing.T) {
	text := "Agreement between Cobalt Metrics, Inc. (\"Cobalt\") and the customer (\"Customer\").\n\n" +
		"Customer shall insure its own equipment; Cobalt shall maintain cyber insurance of not less than USD 3,000,000.\n\n" +
		"Cobalt will notify Customer of any Security Incident within 48 hours."
	ts := Extract(text, nil)
	if b := find(t, ts, "breach_notification"); b.Normalized["hours"] != 48 || b.Confidence < 0.85 {
		t.Errorf("breach %+v: Cobalt's duty, named", b)
	}
	if i := find(t, ts, "insurance"); i.Normalized["amount"] != 3000000 {
		t.Errorf("insurance %+v", i)
	}
}

func TestGeneralWording(t *testing.T) {
	cases := []struct{ text, key, want string }{
		{"Customer Data is hosted on AWS in eu-west-1 and eu-central-1.", "data_location", `{"regions":["EU"]}`},
		{"Vendor stores Customer Data in Google Cloud region us-central1 only.", "data_location", `{"regions":["US"]}`},
		{"Customer Data is stored in Azure westeurope and uksouth.", "data_location", `{"regions":["EU","UK"]}`},
		{"Personal data is processed in Australia, New Zealand and Singapore.", "data_location", `{"regions":["AU","NZ","SG"]}`},
		{"H.1 Termination for Convenience.\n\nThe Agency (\"Customer\") may terminate this contract for its convenience.", "termination_for_convenience", `{"party":"customer","present":true}`},
		{"We will post new Sub-processors on our website thirty (30) days before they start, and you may object.", "subprocessor_changes", `{"days":30,"objection_right":true}`},
		{"Customer may, on reasonable notice, audit Vendor's compliance with this Agreement.", "audit_rights", `{"present":true}`},
		{"Controller may request an audit of Processor once a year.", "audit_rights", `{"present":true}`},
		{"Vendor shall not be liable in excess of the fees paid in the prior twelve (12) months.", "liability_cap", `{"kind":"fees_multiple","months":12,"multiple":1}`},
		{"The agreement is extended tacitly by one year at a time.", "renewal_term", `{"years":1}`},
		{"Renewal: rolls over for successive 12 month periods", "auto_renewal", `{"present":true}`},
		{"This agreement is for an indefinite period and may be ended by either party on three months' notice.", "termination_for_convenience", `{"party":"either","present":true}`},
		{"Upon termination of this Agreement for any reason, Vendor shall return all Customer Data within 30 days.", "termination_for_convenience", `null`},
		{"Vendor will publish incident reports for any outage within five (5) business days.", "breach_notification", `null`},
		{"Vendor will report any security incident within five (5) business days.", "breach_notification", `{"business_days":5}`},
		{"After the end of the main contract, Processor shall delete the personal data within 30 days.", "data_return_deletion", `{"days":30}`},
	}
	for _, c := range cases {
		tm := find(t, Extract(c.text, nil), c.key)
		if got := canon(t, tm.Normalized); got != c.want {
			t.Errorf("%q: %s = %s, want %s", c.text, c.key, got, c.want)
		}
	}
}

func TestBlankIsLessSureThanSilence(t *testing.T) {
	blank := find(t, Extract("Vendor shall notify Customer of a Security Incident within [__] hours.", nil), "breach_notification")
	silent := find(t, Extract("The parties agree to cooperate in good faith.", nil), "breach_notification")
	if blank.Found || silent.Found || blank.Confidence >= silent.Confidence || len(blank.Evidence) != 1 {
		t.Errorf("blank %+v, silent %+v: a template blank must be reported as not found, less surely, with its quote", blank, silent)
	}
}

func TestConflictBodyAndAnnex(t *testing.T) {
	text := "3. Breaches\n\nProcessor shall notify Controller within seventy-two (72) hours after becoming aware of a Personal Data Breach.\n\n" +
		"ANNEX 2 - SECURITY\n\nProcessor will notify Controller of a Personal Data Breach within 48 hours.\n"
	tm := find(t, Extract(text, nil), "breach_notification")
	if !tm.Found || tm.Normalized["hours"] != 72 || len(tm.Conflicts) != 1 || tm.Conflicts[0].Normalized["hours"] != 48 {
		t.Fatalf("got %+v, want 72 hours with the annex's 48 hours as a conflict", tm)
	}
	if !strings.Contains(tm.Conflicts[0].Evidence.Quote, "48 hours") {
		t.Errorf("conflict quote %q", tm.Conflicts[0].Evidence.Quote)
	}
}

// TestPDFText: phrases broken over lines, hyphenation, non-breaking
// spaces, smart quotes and page breaks still read, and the quote is the
// original text with its line breaks.
func TestPDFText(t *testing.T) {
	text := "1.  SECURITY\n\nSupplier\u00a0shall  notify  Customer  of  any  Security  Incident  within  seventy-\ntwo  (72)\nhours.\n\f" +
		"2.  LAW\n\nThis  \u201cAgreement\u201d  is  governed  by  the  laws  of  the State of New\u00a0York.\n\f3. END\n\nUpon termi-\nnation, Supplier shall delete all Customer Data within sixty (60)\ndays.\n"
	pages := formFeedPages(text)
	ts := Extract(text, pages)
	checkResult(t, "pdf", text, pages, ts)
	b := find(t, ts, "breach_notification")
	if b.Normalized["hours"] != 72 || b.Evidence[0].Page != 1 || !strings.Contains(b.Evidence[0].Quote, "seventy-\ntwo  (72)\nhours") {
		t.Errorf("breach: %+v", b)
	}
	g := find(t, ts, "governing_law")
	if g.Normalized["jurisdiction"] != "New York" || g.Evidence[0].Page != 2 {
		t.Errorf("law: %+v", g)
	}
	d := find(t, ts, "data_return_deletion")
	if d.Normalized["days"] != 60 || d.Evidence[0].Page != 3 || !strings.Contains(d.Evidence[0].Quote, "termi-\nnation") {
		t.Errorf("deletion: %+v", d)
	}
}

// TestOffsetsAreCodePoints: text before the clause with characters of
// several bytes must not shift the offsets.
func TestOffsetsAreCodePoints(t *testing.T) {
	text := "Ünïcödé — “Überschrift” ✓ 日本語\n\nThis Agreement is governed by the laws of Ireland."
	g := find(t, Extract(text, nil), "governing_law")
	r := []rune(text)
	if !g.Found || string(r[g.Evidence[0].Start:g.Evidence[0].End]) != g.Evidence[0].Quote || !strings.HasPrefix(g.Evidence[0].Quote, "This Agreement") {
		t.Fatalf("got %+v", g)
	}
}

func TestEveryKeyAlways(t *testing.T) {
	for _, in := range []string{"", " ", "\n\n\n", "\xff\xfe", strings.Repeat("a", 10000)} {
		ts := Extract(in, nil)
		checkResult(t, "edge", in, nil, ts)
		for _, tm := range ts {
			if tm.Found {
				t.Errorf("%q: %s found", in, tm.Key)
			}
		}
	}
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("seventy-\ntwo (72)\nhours \f[__] days {{x}} \u00a0\u201c\u201d")
	f.Add("12.3 Notice.\n\nANNEX 1\n\f\f\fsection 2. termi-\n")
	f.Fuzz(func(t *testing.T, text string) {
		var pages []int
		if utf8.ValidString(text) {
			pages = formFeedPages(text)
		}
		checkResult(t, "fuzz", text, pages, Extract(text, pages))
	})
}
