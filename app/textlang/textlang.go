// Package textlang tells whether a document's text is English the
// rule-based readers (contract terms, SOC reports) can read: enough
// words, Latin script, and English rather than another European language
// contracts and reports arrive in.
package textlang

import (
	"strings"
	"unicode"
)

// Problem is why a text cannot be read.
type Problem int

const (
	OK Problem = iota
	// TooShort: fewer than a dozen words.
	TooShort
	// NotLatin: most words are in another script.
	NotLatin
	// OtherLanguage: a recognised language other than English.
	OtherLanguage
)

// commonWords are frequent short words of the languages documents arrive
// in; the share of a text's words they make up tells the language apart.
var commonWords = map[string][]string{
	"English": {"the", "and", "of", "to", "in", "or", "by", "for", "shall", "any", "this", "be", "with", "is", "such", "as", "that", "on", "not", "party"},
	"German":  {"der", "die", "und", "das", "des", "nicht", "ist", "mit", "von", "den", "dem", "zu", "im", "eine", "oder", "wird", "auf", "für", "vertrag", "sich"},
	"French":  {"le", "la", "les", "des", "et", "du", "une", "est", "pour", "dans", "au", "par", "sur", "qui", "aux", "ou", "ne", "pas", "contrat", "sont"},
	"Spanish": {"el", "la", "los", "las", "y", "de", "que", "en", "del", "por", "con", "para", "una", "se", "al", "o", "su", "sus", "contrato", "lo"},
	"Dutch":   {"de", "het", "een", "van", "en", "is", "op", "te", "voor", "met", "zijn", "niet", "aan", "door", "wordt", "bij", "deze", "worden", "overeenkomst", "dat"},
	"Italian": {"il", "di", "che", "la", "e", "per", "del", "della", "un", "una", "con", "non", "le", "dei", "alla", "sono", "nel", "si", "contratto", "al"},
}

// Check reads the first 3,000 words of text; the language is named when
// the problem is OtherLanguage.
func Check(text string) (Problem, string) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) < 12 {
		return TooShort, ""
	}
	if len(words) > 3000 {
		words = words[:3000]
	}
	latin := 0
	for _, w := range words {
		if r := []rune(w)[0]; unicode.In(r, unicode.Latin) {
			latin++
		}
	}
	if latin*2 < len(words) {
		return NotLatin, ""
	}
	share := map[string]float64{}
	for lang, list := range commonWords {
		set := map[string]bool{}
		for _, w := range list {
			set[w] = true
		}
		n := 0
		for _, w := range words {
			if set[w] {
				n++
			}
		}
		share[lang] = float64(n) / float64(len(words))
	}
	if share["English"] >= 0.12 {
		return OK, ""
	}
	best, lang := share["English"], "English"
	for l, s := range share {
		if s > best {
			best, lang = s, l
		}
	}
	if lang == "English" {
		return OK, ""
	}
	return OtherLanguage, lang
}
