package questionnaire

import (
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// Question text and help may carry a small, safe subset of HTML, because
// published questionnaires use it (CAIQ and HECVAT cells with <i>, <b>,
// <br> and links). Everything else is removed on import; the web app
// sanitises again before it renders, so stored text is never trusted as
// markup.
var richPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("b", "strong", "i", "em", "u", "br", "p", "ul", "ol", "li", "code", "sub", "sup")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("https", "http", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

var (
	tagRE   = regexp.MustCompile(`(?i)</?[a-z][a-z0-9]*(\s[^<>]*)?/?>`)
	breakRE = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</li>`)
)

// HasMarkup reports whether s holds an HTML tag (not just a "<" in prose,
// as in "fewer than 10 < 20").
func HasMarkup(s string) bool { return tagRE.MatchString(s) }

// CleanText prepares text from an imported questionnaire: markup is
// reduced to the safe subset, and plain text has its HTML entities
// (&amp;, &mdash;) decoded so that it reads as published.
func CleanText(s string) string {
	s = strings.TrimSpace(s)
	if !HasMarkup(s) {
		return html.UnescapeString(s)
	}
	return strings.TrimSpace(richPolicy.Sanitize(s))
}

// PlainText is s without markup, for spreadsheets, matching and search.
func PlainText(s string) string {
	if !HasMarkup(s) {
		return s
	}
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}
