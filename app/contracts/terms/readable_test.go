package terms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnreadable(t *testing.T) {
	de := strings.Repeat("Der Vertrag beginnt am 1. Januar 2026 und läuft für die Dauer von zwölf Monaten. Er verlängert sich automatisch um ein Jahr, wenn er nicht mit einer Frist von drei Monaten gekündigt wird. ", 5)
	fr := strings.Repeat("Le présent contrat entre en vigueur le 1er janvier 2026 pour une durée de douze mois. Il est renouvelé par tacite reconduction sauf dénonciation par lettre recommandée. ", 5)
	zh := strings.Repeat("本合同自二零二六年一月一日起生效 有效期十二个月 期满自动续期一年 ", 10) + strings.Repeat("条款 ", 40)
	for text, want := range map[string]string{de: "German", fr: "French", zh: "not written in English", "Short text.": "too little text"} {
		if got := Unreadable(text); !strings.Contains(got, want) {
			t.Errorf("%q…: %q, want %q", text[:20], got, want)
		}
	}
	// Every English fixture the rules are tested on reads.
	paths, _ := filepath.Glob("testdata/*/*.txt")
	if len(paths) == 0 {
		paths, _ = filepath.Glob("testdata/*.txt")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := Unreadable(string(data)); got != "" && len(strings.Fields(string(data))) >= 30 {
			t.Errorf("%s: %q", p, got)
		}
	}
}
