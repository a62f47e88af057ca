package vendors

import "testing"

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"Acme, Inc.":               "acme",
		"ACME":                     "acme",
		"Acme Corporation":         "acme",
		"Zürich Datenwerk GmbH":    "zurich datenwerk",
		"Co":                       "co",
		"Northwind & Partners LLP": "northwind partners",
		"  Blue   Sky  Ltd ":       "blue sky",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDomain(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Acme.com/about":        "acme.com",
		"acme.com":                          "acme.com",
		"http://portal.acme.co.uk:8443/x?y": "portal.acme.co.uk",
		"":                                  "",
		"https://10.0.0.1/":                 "10.0.0.1",
		"WWW.EXAMPLE.ORG.":                  "example.org",
	} {
		if got := Domain(in); got != want {
			t.Errorf("Domain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		from, to string
		ok       bool
	}{
		{"proposed", "in_review", true},
		{"proposed", "active", false},
		{"in_review", "approved", true},
		{"approved", "active", true},
		{"active", "terminated", false},
		{"active", "offboarding", true},
		{"offboarding", "terminated", true},
		{"terminated", "active", false},
		{"rejected", "proposed", true},
		{"active", "active", true},
	}
	for _, c := range cases {
		if CanMove(c.from, c.to) != c.ok {
			t.Errorf("%s -> %s: got %v", c.from, c.to, !c.ok)
		}
	}
	for _, s := range Statuses {
		if _, ok := transitions[s]; !ok {
			t.Errorf("status %s has no transitions entry", s)
		}
		for _, to := range NextStatuses(s) {
			if !CanMove(s, to) {
				t.Errorf("NextStatuses(%s) lists %s", s, to)
			}
		}
	}
	if CriticalityName(CriticalityRank("high")) != "high" || CriticalityRank("extreme") != 0 {
		t.Error("criticality rank round trip")
	}
}
