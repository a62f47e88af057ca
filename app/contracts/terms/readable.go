package terms

import (
	"strings"
	"unicode"
)

// The rules read English contract language. A document in another
// language, or with almost no text, is not read at all: proposing 17
// "not found" terms would look like a contract that says nothing.

// commonWords are frequent short words of languages contracts arrive in;
// the share of a text's words they make up tells the language apart.
var commonWords = map[string][]string{
	"English": {"the", "and", "of", "to", "in", "or", "by", "for", "shall", "any", "this", "be", "with", "is", "such", "as", "that", "on", "not", "party"},
	"German":  {"der", "die", "und", "das", "des", "nicht", "ist", "mit", "von", "den", "dem", "zu", "im", "eine", "oder", "wird", "auf", "für", "vertrag", "sich"},
	"French":  {"le", "la", "les", "des", "et", "du", "une", "est", "pour", "dans", "au", "par", "sur", "qui", "aux", "ou", "ne", "pas", "contrat", "sont"},
	"Spanish": {"el", "la", "los", "las", "y", "de", "que", "en", "del", "por", "con", "para", "una", "se", "al", "o", "su", "sus", "contrato", "lo"},
	"Dutch":   {"de", "het", "een", "van", "en", "is", "op", "te", "voor", "met", "zijn", "niet", "aan", "door", "wordt", "bij", "deze", "worden", "overeenkomst", "dat"},
	"Italian": {"il", "di", "che", "la", "e", "per", "del", "della", "un", "una", "con", "non", "le", "dei", "alla", "sono", "nel", "si", "contratto", "al"},
}

// Unreadable says why the terms of text cannot be read, or "" when they
// can: too little text, a script other than Latin, or a language other
// than English (named when it is recognised).
func Unreadable(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) < 12 {
		return "the document has too little text to read terms from"
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
		return "the document is not written in English (Rampart reads contract terms in English); its terms were not proposed"
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
		return ""
	}
	best, lang := share["English"], "English"
	for l, s := range share {
		if s > best {
			best, lang = s, l
		}
	}
	if lang == "English" {
		return ""
	}
	return "the document seems to be in " + lang + " (Rampart reads contract terms in English); its terms were not proposed"
}
