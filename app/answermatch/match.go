package answermatch

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Target is one question of our template.
type Target struct {
	Key  string `json:"key"`
	Text string `json:"text"`
	// Upload marks a question answered by uploading a file: a written
	// answer is less likely meant for it (see uploadDiscount).
	Upload bool `json:"-"`
}

// uploadDiscount ranks upload questions below written ones of similar
// wording: "Do you use subprocessors?" is answered in words, and "Upload
// your subprocessor list" shares its one rare word with fewer others. The
// similarity shown stays the undiscounted one.
const uploadDiscount = 0.75

// Match is the template question proposed for a pair, and why.
type Match struct {
	QuestionKey  string  `json:"question_key"`
	QuestionText string  `json:"question_text"`
	Similarity   float64 `json:"similarity"`
	// By is "id" when the vendor's question ID is the template's key, or
	// "text" when the questions' words matched.
	By          string   `json:"by" enum:"id,text"`
	SharedWords []string `json:"shared_words"`
}

// Result is what the matcher made of one pair.
type Result struct {
	Pair  Pair
	Match *Match
	// Note says why a pair has no match: nothing similar enough, or
	// another pair answered its question better.
	Note string
}

// Threshold is the similarity below which a pair is left unmatched. It was
// set on paraphrased questions (see the tests): below it, the shared words
// are the generic ones every security questionnaire uses.
const Threshold = 0.3

// Matcher matches pairs to one template's questions.
type Matcher struct {
	targets []Target
	vecs    []vector
	idf     map[string]float64
	// unseen is the weight of a word no template question uses. It
	// matches nothing, so it only dilutes the similarity; weighing it like
	// the commonest word keeps a paraphrase's own words from sinking it.
	unseen float64
}

type vector struct {
	w     map[string]float64
	norm  float64
	words map[string]string // stem -> a word as written
}

// NewMatcher weighs words by their inverse document frequency over the
// template's questions, so that words every question shares ("you",
// "data", "your") count little and distinctive ones ("encrypted",
// "penetration") much.
func NewMatcher(targets []Target) *Matcher {
	m := &Matcher{targets: targets, idf: map[string]float64{}}
	df := map[string]int{}
	toks := make([]map[string]string, len(targets))
	for i, t := range targets {
		toks[i] = terms(t.Text)
		for s := range toks[i] {
			df[s]++
		}
	}
	n := float64(len(targets))
	for s, d := range df {
		m.idf[s] = math.Log((n+1)/(float64(d)+0.5)) + 1
	}
	m.unseen = 1
	for i := range targets {
		m.vecs = append(m.vecs, m.vector(toks[i]))
	}
	return m
}

func (m *Matcher) weight(stem string) float64 {
	if w, ok := m.idf[stem]; ok {
		return w
	}
	return m.unseen
}

func (m *Matcher) vector(toks map[string]string) vector {
	v := vector{w: map[string]float64{}, words: toks}
	for s := range toks {
		w := m.weight(s)
		v.w[s] = w
		v.norm += w * w
	}
	v.norm = math.Sqrt(v.norm)
	return v
}

// similarity is the cosine of two weighted word sets, and the words they
// share, the weightiest first.
func similarity(a, b vector) (float64, []string) {
	if a.norm == 0 || b.norm == 0 {
		return 0, nil
	}
	var dot float64
	var shared []string
	for s, w := range a.w {
		if w2, ok := b.w[s]; ok {
			dot += w * w2
			shared = append(shared, s)
		}
	}
	sort.Slice(shared, func(i, j int) bool {
		if a.w[shared[i]] != a.w[shared[j]] {
			return a.w[shared[i]] > a.w[shared[j]]
		}
		return shared[i] < shared[j]
	})
	words := make([]string, len(shared))
	for i, s := range shared {
		words[i] = b.words[s]
	}
	return dot / (a.norm * b.norm), words
}

func normID(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// best finds the template question a pair answers: the one whose key is
// the pair's ID (exactly, then ignoring case and spaces), else the most
// similar question text.
func (m *Matcher) best(p Pair) *Match {
	pv := m.vector(terms(p.Question))
	at := func(i int, by string) *Match {
		sim, shared := similarity(pv, m.vecs[i])
		if by == "id" {
			sim = 1
		}
		return &Match{QuestionKey: m.targets[i].Key, QuestionText: m.targets[i].Text, Similarity: round2(sim), By: by, SharedWords: orEmpty(shared)}
	}
	if p.ID != "" {
		for i, t := range m.targets {
			if t.Key == p.ID {
				return at(i, "id")
			}
		}
		for i, t := range m.targets {
			if normID(t.Key) == normID(p.ID) {
				return at(i, "id")
			}
		}
	}
	bi, bs := -1, 0.0
	for i, t := range m.targets {
		s, _ := similarity(pv, m.vecs[i])
		if t.Upload {
			s *= uploadDiscount
		}
		if s > bs {
			bi, bs = i, s
		}
	}
	if bi < 0 {
		return nil
	}
	return at(bi, "text")
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// Match proposes a template question for each pair. A pair whose best
// question is less similar than Threshold stays unmatched; when several
// pairs want the same question the most similar keeps it (an ID match
// beats any text match) and the others are reported, unmatched, with the
// reason. It also returns the template questions no pair answers.
func (m *Matcher) Match(pairs []Pair) ([]Result, []Target) {
	out := make([]Result, len(pairs))
	winner := map[string]int{}
	for i, p := range pairs {
		out[i].Pair = p
		b := m.best(p)
		if b == nil || b.By == "text" && b.Similarity < Threshold {
			out[i].Note = "no question of this questionnaire is similar enough"
			if b != nil && b.Similarity > 0 {
				out[i].Note += " (the closest, " + b.QuestionKey + ", is " + strconv.Itoa(int(math.Round(b.Similarity*100))) + "% similar)"
			}
			continue
		}
		out[i].Match = b
		if w, ok := winner[b.QuestionKey]; !ok || beats(b, out[w].Match) {
			winner[b.QuestionKey] = i
		}
	}
	for i := range out {
		b := out[i].Match
		if b == nil {
			continue
		}
		if w := winner[b.QuestionKey]; w != i {
			out[i].Note = b.QuestionKey + " is answered by " + out[w].Pair.Ref + ", which matches it better (" +
				strconv.Itoa(int(math.Round(out[w].Match.Similarity*100))) + "% against " + strconv.Itoa(int(math.Round(b.Similarity*100))) + "%)"
			out[i].Match = nil
		}
	}
	var open []Target
	for _, t := range m.targets {
		if _, ok := winner[t.Key]; !ok {
			open = append(open, t)
		}
	}
	return out, orEmptyTargets(open)
}

func beats(a, b *Match) bool {
	if (a.By == "id") != (b.By == "id") {
		return a.By == "id"
	}
	return a.Similarity > b.Similarity
}

func orEmptyTargets(t []Target) []Target {
	if t == nil {
		return []Target{}
	}
	return t
}

// Words so common in questionnaires that they say nothing about which
// question is meant (on top of the IDF weighting, which cannot see how
// common a word is in the vendor's file).
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be been by can could did do does done for from has have how
		if in into is it its of on or our ours shall should so such than that the their them then there these they
		this those to us was we were what when where which while who whom why will with would you your yours
		any all each every other please describe provide explain list`) {
		stopwords[w] = true
	}
}

// synonyms map the abbreviations and spellings vendors use onto one word.
var synonyms = map[string]string{
	"mfa": "multifactor", "2fa": "multifactor", "twofactor": "multifactor", "multifactor": "multifactor",
	"encrypted": "encrypt", "encryption": "encrypt", "encrypting": "encrypt", "encrypts": "encrypt",
	"pentest": "penetration test", "pentests": "penetration test", "pentesting": "penetration test", "pen": "penetration",
	"sso": "singlesignon", "dr": "disaster", "bcp": "continuity", "bc": "continuity",
	"infosec": "security", "isms": "security", "subprocessors": "subprocessor",
	"vulnerabilities": "vulnerability", "vuln": "vulnerability", "vulns": "vulnerability",
	"backups": "backup", "logs": "log", "logging": "log", "logged": "log",
	"staff": "employee", "employees": "employee", "personnel": "employee", "workforce": "employee",
}

// terms turns text into its content words, stemmed (a synonym may stand
// for two words: "pentest" is "penetration test"), each mapped to the
// word as first written (to show which words two questions share).
func terms(text string) map[string]string {
	out := map[string]string{}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	var expanded []string
	for _, w := range words {
		w = strings.Trim(w, "-")
		switch w {
		case "multi-factor", "two-factor", "2-factor":
			expanded = append(expanded, "mfa")
			continue
		case "sub-processor", "sub-processors":
			expanded = append(expanded, "subprocessor")
			continue
		case "single-sign-on":
			expanded = append(expanded, "sso")
			continue
		}
		expanded = append(expanded, strings.Split(w, "-")...)
	}
	for i := 0; i < len(expanded); i++ {
		w := expanded[i]
		// "multi factor" and "two factor" written apart.
		if (w == "multi" || w == "two") && i+1 < len(expanded) && expanded[i+1] == "factor" {
			w = "mfa"
			i++
		}
		if w == "" || stopwords[w] || len(w) < 2 && !unicode.IsDigit(rune(w[0])) {
			continue
		}
		for _, s := range strings.Fields(stem(w)) {
			if _, ok := out[s]; !ok {
				out[s] = w
			}
		}
	}
	return out
}

// stem strips common English endings, enough that "encrypted" meets
// "encryption" and "policies" meets "policy"; both sides go through it,
// so the stems only need to agree, not to be words.
func stem(w string) string {
	if s, ok := synonyms[w]; ok {
		var out []string
		for _, f := range strings.Fields(s) {
			out = append(out, stripSuffix(f))
		}
		return strings.Join(out, " ")
	}
	return stripSuffix(w)
}

func stripSuffix(w string) string {
	if len(w) <= 3 || !isLetters(w) {
		return w
	}
	for _, suf := range []struct{ from, to string }{
		{"ational", "ate"}, {"ization", "ize"}, {"ations", ""}, {"ation", ""}, {"ments", ""}, {"ment", ""},
		{"ities", ""}, {"ity", ""}, {"ies", "y"}, {"ing", ""}, {"ied", "y"}, {"ed", ""}, {"ers", ""}, {"er", ""},
		{"ly", ""}, {"sses", "ss"}, {"es", ""}, {"s", ""},
	} {
		if strings.HasSuffix(w, suf.from) && len(w)-len(suf.from)+len(suf.to) >= 3 {
			if suf.from == "s" && strings.HasSuffix(w, "ss") {
				return w
			}
			w = strings.TrimSuffix(w, suf.from) + suf.to
			break
		}
	}
	w = strings.TrimSuffix(w, "e")
	if n := len(w); n > 3 && w[n-1] == w[n-2] && !slices.Contains([]byte("aeiouls"), w[n-1]) {
		w = w[:n-1]
	}
	return w
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
