package terms

import (
	"regexp"
	"strconv"
	"strings"
)

// duration is a period read from a sentence: N units, where unit is one
// of hours, days, business_days, weeks, months, years.
type duration struct {
	n        float64
	unit     string
	pos, end int  // byte offsets of the unit word in the sentence
	blank    bool // a template blank ("[__] days", "{{notice}} days")
}

func (d duration) normalized() map[string]any { return map[string]any{d.unit: num(d.n)} }

func (d duration) String() string {
	u := strings.ReplaceAll(d.unit, "_", " ")
	if d.n == 1 {
		u = strings.TrimSuffix(u, "s")
	}
	return strconv.FormatFloat(d.n, 'f', -1, 64) + " " + u
}

// num keeps whole numbers as ints so normalized values compare and print
// as 30, not 30.0.
func num(f float64) any {
	if f == float64(int64(f)) && f < 1e15 && f > -1e15 {
		return int(f)
	}
	return f
}

var unitRe = regexp.MustCompile(`\b(?:(business|working|calendar)[ -])?(hour|day|week|month|year)s?\b`)

// durations finds every "N unit" in a lower-cased sentence: "thirty (30)
// days", "5 business days", "seventy-two hours", "one-year", "48-hour".
func durations(s string) []duration {
	var out []duration
	for _, m := range unitRe.FindAllStringSubmatchIndex(s, -1) {
		unit := s[m[4]:m[5]] + "s"
		if m[2] >= 0 {
			switch s[m[2]:m[3]] {
			case "business", "working":
				unit = "business_days"
				if s[m[4]:m[5]] != "day" {
					continue
				}
			}
		}
		n, blank, ok := numberBefore(s, m[0])
		if !ok && !blank {
			continue
		}
		out = append(out, duration{n: n, unit: unit, pos: m[0], end: m[1], blank: blank})
	}
	return out
}

// numberBefore reads the number that ends just before position i:
// "thirty (30)", "30", "(30)", "seventy-two", "one hundred eighty". It
// reports a template blank when the slot is "[__]", "{{x}}", "___" or
// "[NUMBER]".
func numberBefore(s string, i int) (float64, bool, bool) {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '-') {
		j--
	}
	if j == 0 {
		return 0, false, false
	}
	switch s[j-1] {
	case ']', '}', '_', '*':
		return 0, true, false
	case ')':
		k := strings.LastIndexByte(s[:j-1], '(')
		if k < 0 || j-1-k > 12 {
			return 0, false, false
		}
		inner := strings.TrimSpace(s[k+1 : j-1])
		if f, ok := parseDigits(inner); ok {
			return f, false, true
		}
		if strings.Trim(inner, "_ x#.") == "" || inner == "number" || inner == "n" {
			return 0, true, false
		}
		return 0, false, false
	}
	k := j
	for k > 0 && (s[k-1] >= '0' && s[k-1] <= '9' || s[k-1] == ',' || s[k-1] == '.') {
		k--
	}
	if k < j {
		if k > 0 && (s[k-1] == '[' || s[k-1] == '{' || s[k-1] == '$' || s[k-1] == '<') {
			return 0, true, false
		}
		f, ok := parseDigits(s[k:j])
		return f, false, ok
	}
	// number words, read backwards: "one hundred eighty", "seventy-two"
	words := strings.FieldsFunc(s[max(0, j-40):j], func(r rune) bool { return r == ' ' || r == '-' })
	var got []string
	for w := len(words) - 1; w >= 0; w-- {
		if _, ok := numberWords[words[w]]; !ok && words[w] != "hundred" && !(words[w] == "and" && len(got) > 0) {
			break
		}
		got = append([]string{words[w]}, got...)
	}
	for len(got) > 1 && got[0] == "another" {
		got = got[1:] // "another thirty days" is thirty
	}
	for len(got) > 0 && got[0] == "and" {
		got = got[1:]
	}
	if len(got) == 0 {
		return 0, false, false
	}
	total, cur := 0.0, 0.0
	for _, w := range got {
		switch w {
		case "and":
		case "hundred":
			if cur == 0 {
				cur = 1
			}
			cur *= 100
		default:
			cur += numberWords[w]
		}
	}
	total += cur
	return total, false, total > 0
}

func parseDigits(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 15 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

var numberWords = map[string]float64{"another": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

var percentRe = regexp.MustCompile(`(\d{1,3}(?:\.\d+)?) ?(?:%|percent\b|per cent\b)`)

// percents finds "99.9%", "99.95 percent".
func percents(s string) []float64 {
	var out []float64
	for _, m := range percentRe.FindAllStringSubmatch(s, -1) {
		if f, err := strconv.ParseFloat(m[1], 64); err == nil && f <= 100 {
			out = append(out, f)
		}
	}
	return out
}

// money is an amount with its currency.
type money struct {
	amount   float64
	currency string
}

func (m money) String() string {
	return m.currency + " " + commas(int64(m.amount))
}

func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var (
	moneyBeforeRe = regexp.MustCompile(`(usd|eur|gbp|chf|cad|aud|us ?\$|c\$|a\$|\$|\x{20ac}|\x{a3}|\(pounds\))\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(million|m|mm|thousand|k)\b)?`)
	moneyAfterRe  = regexp.MustCompile(`\b(\d[\d,]*(?:\.\d+)?)\s?(million|thousand)?\s?(?:u\.?s\.? )?(dollars|euros?|pounds|usd|eur|gbp|chf)\b`)
	moneyWordsRe  = regexp.MustCompile(`\b([a-z]+(?:-[a-z]+)?)\s(million|thousand)\s(?:u\.?s\.? )?(dollars|euros?|pounds)`)
)

var currencies = map[string]string{"usd": "USD", "us$": "USD", "us $": "USD", "$": "USD", "dollars": "USD", "eur": "EUR",
	"euro": "EUR", "euros": "EUR", "\u20ac": "EUR", "gbp": "GBP", "pounds": "GBP", "\u00a3": "GBP", "(pounds)": "GBP", "chf": "CHF",
	"cad": "CAD", "c$": "CAD", "aud": "AUD", "a$": "AUD"}

func scale(word string) float64 {
	switch word {
	case "million", "m", "mm":
		return 1e6
	case "thousand", "k":
		return 1e3
	}
	return 1
}

// amounts finds "$5,000,000", "USD 2 million", "EUR 500,000", "1,000,000
// euros", "two million dollars".
func amounts(s string) []money {
	var out []money
	for _, m := range moneyBeforeRe.FindAllStringSubmatch(s, -1) {
		if f, ok := parseDigits(m[2]); ok {
			out = append(out, money{f * scale(m[3]), currencies[m[1]]})
		}
	}
	for _, m := range moneyAfterRe.FindAllStringSubmatch(s, -1) {
		if f, ok := parseDigits(m[1]); ok {
			out = append(out, money{f * scale(m[2]), currencies[m[3]]})
		}
	}
	// "two million dollars", "fifteen million dollars", "one hundred
	// thousand dollars", "twenty-five million dollars"
	for _, m := range moneyWordsRe.FindAllStringSubmatch(s, -1) {
		n := 0.0
		for _, w := range strings.Split(m[1], "-") {
			n += numberWords[w]
		}
		if n > 0 {
			out = append(out, money{n * scale(m[2]), currencies[m[3]]})
		}
	}
	return out
}
