package textlang

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	en := strings.Repeat("The service auditor examined the description of the system and the suitability of the design of controls. ", 3)
	nl := strings.Repeat("De accountant heeft de beschrijving van het systeem en de opzet van de beheersmaatregelen onderzocht voor de periode. ", 3)
	ru := strings.Repeat("Аудитор проверил описание системы и пригодность дизайна контрольных процедур за период. ", 3)
	for _, c := range []struct {
		text string
		want Problem
		lang string
	}{
		{en, OK, ""},
		{nl, OtherLanguage, "Dutch"},
		{ru, NotLatin, ""},
		{"Too short to tell.", TooShort, ""},
	} {
		p, lang := Check(c.text)
		if p != c.want || lang != c.lang {
			t.Errorf("%.20q: %v %q, want %v %q", c.text, p, lang, c.want, c.lang)
		}
	}
}
