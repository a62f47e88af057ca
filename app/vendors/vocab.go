// Package vendors holds the vendor register's rules that are neither HTTP
// nor storage: the vocabularies, the status lifecycle, and the
// normalisation used to spot duplicates.
package vendors

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"rampart/app/risk"
)

// Vocabularies. The API speaks these snake_case values; the web app
// labels them.
var (
	Categories         = []string{"saas", "cloud_infrastructure", "professional_services", "hardware", "data_processor", "payment", "other"}
	Statuses           = []string{"proposed", "in_review", "approved", "active", "offboarding", "terminated", "rejected"}
	DataTypes          = []string{"none", "internal", "confidential", "personal_data", "sensitive_personal_data", "health_data", "payment_card_data", "credentials_secrets", "customer_data"}
	AccessLevels       = []string{"none", "read_only", "read_write", "administrative", "network"}
	IntegrationMethods = []string{"sso", "api", "file_transfer", "agent", "none"}
	Criticalities      = risk.Criticalities
)

// transitions lists, for each status, the statuses a vendor may move to.
var transitions = map[string][]string{
	"proposed":    {"in_review", "rejected"},
	"in_review":   {"approved", "rejected", "proposed"},
	"approved":    {"active", "offboarding", "rejected"},
	"active":      {"offboarding"},
	"offboarding": {"terminated", "active"},
	"terminated":  {"proposed"},
	"rejected":    {"proposed"},
}

// CanMove reports whether a vendor may go from one status to another.
func CanMove(from, to string) bool {
	return from == to || slices.Contains(transitions[from], to)
}

// NextStatuses lists where a vendor in status may go.
func NextStatuses(status string) []string {
	out := slices.Clone(transitions[status])
	if out == nil {
		out = []string{}
	}
	return out
}

// CriticalityRank and CriticalityName convert between names and stored ranks.
var (
	CriticalityRank = risk.CriticalityRank
	CriticalityName = risk.CriticalityName
)

var legalSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "ltd": true, "limited": true, "gmbh": true, "ag": true,
	"sa": true, "sas": true, "sarl": true, "bv": true, "nv": true, "plc": true, "corp": true, "corporation": true,
	"co": true, "company": true, "lp": true, "llp": true, "pty": true, "oy": true, "ab": true, "as": true, "srl": true, "spa": true,
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// NameKey is the form of a vendor name used to spot duplicates: case,
// accents, punctuation and legal suffixes ("Inc.", "GmbH") removed, so
// "Acme, Inc." and "ACME" match.
func NameKey(name string) string {
	s := strings.ToLower(norm.NFKD.String(name))
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
	words := strings.Fields(nonWord.ReplaceAllString(s, " "))
	for len(words) > 1 && legalSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// Domain is the host of a website without "www.", lower-cased, or "" if
// the website has none ("https://www.Acme.com/about" -> "acme.com").
func Domain(website string) string {
	w := strings.TrimSpace(website)
	if w == "" {
		return ""
	}
	if !strings.Contains(w, "://") {
		w = "https://" + w
	}
	u, err := url.Parse(w)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if net.ParseIP(host) == nil {
		host = strings.TrimPrefix(host, "www.")
	}
	return strings.TrimSuffix(host, ".")
}
