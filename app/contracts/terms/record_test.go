package terms

import (
	"strings"
	"testing"
)

func TestRecordProposals(t *testing.T) {
	text := `MASTER SUBSCRIPTION AGREEMENT

This Master Subscription Agreement is entered into as of March 15, 2026 (the "Effective Date") between Acme Corp. and Fleet Cloud Ltd.

1. Term. This Agreement shall commence on the Effective Date and continue for an initial term of three (3) years. Thereafter it shall renew automatically for successive renewal terms of twelve (12) months each, unless either party gives written notice of non-renewal at least sixty (60) days prior to the end of the then-current term.

2. Fees. The total contract value is USD 120,000, payable annually in advance.
`
	got := map[string]Proposal{}
	for _, p := range Record(text, nil, Extract(text, nil)) {
		got[p.Field] = p
	}
	for field, want := range map[string]string{"effective_date": "2026-03-15", "initial_term": "3 years", "auto_renewal": "Renews automatically", "renewal_term": "1 year", "notice": "60 days", "value": "USD 120,000"} {
		if got[field].Value != want {
			t.Errorf("%s: %q, want %q (%+v)", field, got[field].Value, want, got[field])
		}
		if got[field].Evidence.Quote == "" || !strings.Contains(text, got[field].Evidence.Quote) {
			t.Errorf("%s: quote %q", field, got[field].Evidence.Quote)
		}
	}
	if got["initial_term"].Set["initial_term_months"] != 36 || got["notice"].Set["notice_unit"] != "days" || got["value"].Set["currency"] != "USD" {
		t.Errorf("set %+v %+v %+v", got["initial_term"].Set, got["notice"].Set, got["value"].Set)
	}
	// Nothing the text does not say is proposed.
	if ps := Record("The parties agree to cooperate in good faith.", nil, Extract("The parties agree to cooperate in good faith.", nil)); len(ps) != 0 {
		t.Errorf("proposals from nothing: %+v", ps)
	}
	for _, s := range []string{"dated as of the 1st day of February, 2027", "effective as of 2027-02-01", "made on 1 February 2027"} {
		if ps := Record("This Agreement is "+s+".", nil, nil); len(ps) != 1 || ps[0].Value != "2027-02-01" {
			t.Errorf("%q: %+v", s, ps)
		}
	}
	if ps := Record("This Agreement is effective as of February 30, 2027.", nil, nil); len(ps) != 0 {
		t.Errorf("an impossible date: %+v", ps)
	}
}
