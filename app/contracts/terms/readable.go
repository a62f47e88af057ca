package terms

import "rampart/app/textlang"

// The rules read English contract language. A document in another
// language, or with almost no text, is not read at all: proposing 17
// "not found" terms would look like a contract that says nothing.

// Unreadable says why the terms of text cannot be read, or "" when they
// can: too little text, a script other than Latin, or a language other
// than English (named when it is recognised).
func Unreadable(text string) string {
	switch p, lang := textlang.Check(text); p {
	case textlang.TooShort:
		return "the document has too little text to read terms from"
	case textlang.NotLatin:
		return "the document is not written in English (Rampart reads contract terms in English); its terms were not proposed"
	case textlang.OtherLanguage:
		return "the document seems to be in " + lang + " (Rampart reads contract terms in English); its terms were not proposed"
	}
	return ""
}
