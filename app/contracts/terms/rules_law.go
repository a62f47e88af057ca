package terms

import (
	"regexp"
	"strings"
)

var (
	// the verbs that choose a law: "governed by", "construed in accordance
	// with", "controlled by", "determined in accordance with", "the law of
	// X applies", "requires application of the laws of"
	govRe = regexp.MustCompile(`\b(govern(?:ed|s|ing)?|construed|interpreted|controlled by|subject to)\b|\b(?:laws?|legislation) of [^.;]{1,60}? (?:shall )?appl(?:y|ies)\b|` + weakGov)
	// weaker verbs choose a law only when the law follows at once
	weakGovRe = regexp.MustCompile(weakGov)
	weakGov   = `\b(?:in accordance with|pursuant to|application of) (?:the )?(?:internal |substantive |published )?(?:laws?|legislation)\b`
	// a body of law on one subject is no choice of the contract's law
	subjectLawRe = regexp.MustCompile(`\b(?:patent|inventorship|securities|tax|copyright|trademark|export|employment|labou?r|environmental|bankruptcy|corporate|antitrust|competition|privacy|data protection)\s+$`)
	// "laws of", also with words between: "laws and decisions of", "laws,
	// other than choice of law rules, of", "internal laws, and not by the
	// laws regarding conflicts of laws, of"
	lawsOfRe   = regexp.MustCompile(`\b(?:laws?|legislation|regulations)(?: and (?:decisions|regulations|statutes|rules|case law))?(?:, [^.;]{1,70}?,)? (?:in force )?(?:of|in) (?:the )?(?:state of |commonwealth of |province of |republic of |federal republic of |kingdom of |grand duchy of |hong kong special administrative region of (?:the )?)?([a-z][a-z .'&,-]{1,40})`)
	lawFieldRe = regexp.MustCompile(`governing law(?::| ?\.{3,})? (?:is |shall be )?(?:the laws of )?(?:the )?(?:state of |commonwealth of |province of )?([a-z][a-z .'&,-]{1,40})`)
	adjLawRe   = regexp.MustCompile(`\b(english|german|french|irish|swiss|dutch|swedish|scots|scottish|austrian|spanish|italian|belgian|danish|finnish|norwegian|polish|portuguese|luxembourg|singapore|japanese|australian|canadian|indian|chinese|korean|israeli)\b (?:substantive )?law\b`)
	adjectives = map[string]string{"english": "England and Wales", "german": "Germany", "french": "France", "irish": "Ireland",
		"swiss": "Switzerland", "dutch": "Netherlands", "swedish": "Sweden", "scots": "Scotland", "scottish": "Scotland",
		"austrian": "Austria", "spanish": "Spain", "italian": "Italy", "belgian": "Belgium", "danish": "Denmark",
		"finnish": "Finland", "norwegian": "Norway", "polish": "Poland", "portuguese": "Portugal", "luxembourg": "Luxembourg",
		"singapore": "Singapore", "japanese": "Japan", "australian": "Australia", "canadian": "Canada", "indian": "India",
		"chinese": "China", "korean": "South Korea", "israeli": "Israel"}
	// "the laws thereof", "the laws of that State", "the laws of such
	// state": the jurisdiction is named earlier in the sentence
	backRefRe = regexp.MustCompile(`\blaws? (?:thereof|of (?:that|such|said|the said) (?:state|country|province|commonwealth|jurisdiction))\b`)
	// the company is organised under a law; that chooses no law for the contract
	incorporatedRe = regexp.MustCompile(`\b(?:organi[sz]ed|incorporated|existing|formed|registered|chartered)\b[^.;]{0,30}$`)
	// a legal opinion or export controls name laws without choosing them
	notChoiceRe = regexp.MustCompile(`\b(?:opinion|export|import|sanctions)\b`)
)

// jurisdictions, longest names first so "new south wales" wins over "wales".
var jurisdictions = []struct{ name, canon string }{
	{"england and wales", "England and Wales"}, {"district of columbia", "District of Columbia"},
	{"new south wales", "New South Wales"}, {"british columbia", "British Columbia"}, {"united kingdom", "United Kingdom"},
	{"united states of america", "United States"}, {"united states", "United States"}, {"northern ireland", "Northern Ireland"},
	{"the netherlands", "Netherlands"}, {"netherlands", "Netherlands"}, {"new york", "New York"}, {"new jersey", "New Jersey"},
	{"new hampshire", "New Hampshire"}, {"new mexico", "New Mexico"}, {"north carolina", "North Carolina"},
	{"south carolina", "South Carolina"}, {"north dakota", "North Dakota"}, {"south dakota", "South Dakota"},
	{"west virginia", "West Virginia"}, {"rhode island", "Rhode Island"}, {"hong kong", "Hong Kong"}, {"new zealand", "New Zealand"},
	{"england", "England and Wales"}, {"scotland", "Scotland"}, {"ireland", "Ireland"}, {"germany", "Germany"},
	{"france", "France"}, {"switzerland", "Switzerland"}, {"sweden", "Sweden"}, {"spain", "Spain"}, {"italy", "Italy"},
	{"belgium", "Belgium"}, {"austria", "Austria"}, {"denmark", "Denmark"}, {"finland", "Finland"}, {"norway", "Norway"},
	{"poland", "Poland"}, {"portugal", "Portugal"}, {"luxembourg", "Luxembourg"}, {"canada", "Canada"}, {"ontario", "Ontario"},
	{"quebec", "Quebec"}, {"australia", "Australia"}, {"victoria", "Victoria"}, {"singapore", "Singapore"}, {"japan", "Japan"},
	{"india", "India"}, {"israel", "Israel"}, {"brazil", "Brazil"}, {"mexico", "Mexico"},
	{"people's republic of china", "China"}, {"peoples republic of china", "China"}, {"mainland china", "China"},
	{"china", "China"}, {"prc", "China"}, {"taiwan", "Taiwan"}, {"south korea", "South Korea"},
	{"republic of korea", "South Korea"}, {"korea", "South Korea"}, {"south africa", "South Africa"},
	{"nova scotia", "Nova Scotia"}, {"new brunswick", "New Brunswick"}, {"prince edward island", "Prince Edward Island"},
	{"newfoundland", "Newfoundland and Labrador"}, {"alberta", "Alberta"}, {"manitoba", "Manitoba"},
	{"saskatchewan", "Saskatchewan"}, {"cayman islands", "Cayman Islands"}, {"british virgin islands", "British Virgin Islands"},
	{"bermuda", "Bermuda"}, {"bahamas", "Bahamas"}, {"malaysia", "Malaysia"}, {"philippines", "Philippines"},
	{"thailand", "Thailand"}, {"vietnam", "Vietnam"}, {"indonesia", "Indonesia"}, {"argentina", "Argentina"},
	{"chile", "Chile"}, {"colombia", "Colombia"}, {"peru", "Peru"}, {"kazakhstan", "Kazakhstan"}, {"russia", "Russia"},
	{"russian federation", "Russia"}, {"ukraine", "Ukraine"}, {"cyprus", "Cyprus"}, {"greece", "Greece"},
	{"czech republic", "Czech Republic"}, {"hungary", "Hungary"}, {"romania", "Romania"}, {"turkey", "Turkey"},
	{"united arab emirates", "United Arab Emirates"}, {"papua new guinea", "Papua New Guinea"}, {"puerto rico", "Puerto Rico"},
	{"alabama", "Alabama"}, {"alaska", "Alaska"}, {"arizona", "Arizona"}, {"arkansas", "Arkansas"}, {"california", "California"},
	{"colorado", "Colorado"}, {"connecticut", "Connecticut"}, {"delaware", "Delaware"}, {"florida", "Florida"},
	{"georgia", "Georgia"}, {"hawaii", "Hawaii"}, {"idaho", "Idaho"}, {"illinois", "Illinois"}, {"indiana", "Indiana"},
	{"iowa", "Iowa"}, {"kansas", "Kansas"}, {"kentucky", "Kentucky"}, {"louisiana", "Louisiana"}, {"maine", "Maine"},
	{"maryland", "Maryland"}, {"massachusetts", "Massachusetts"}, {"michigan", "Michigan"}, {"minnesota", "Minnesota"},
	{"mississippi", "Mississippi"}, {"missouri", "Missouri"}, {"montana", "Montana"}, {"nebraska", "Nebraska"},
	{"nevada", "Nevada"}, {"ohio", "Ohio"}, {"oklahoma", "Oklahoma"}, {"oregon", "Oregon"}, {"pennsylvania", "Pennsylvania"},
	{"tennessee", "Tennessee"}, {"texas", "Texas"}, {"utah", "Utah"}, {"vermont", "Vermont"}, {"virginia", "Virginia"},
	{"washington", "Washington"}, {"wisconsin", "Wisconsin"}, {"wyoming", "Wyoming"},
}

func jurisdictionAt(s string) (string, bool) {
	for _, j := range jurisdictions {
		if strings.HasPrefix(s, j.name) && (len(s) == len(j.name) || !isLetterByte(s[len(j.name)])) {
			return j.canon, true
		}
	}
	return "", false
}

func governingLaw(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "law", "legislation", "regulations") {
			continue
		}
		gov := govRe.FindStringIndex(s)
		if gov == nil && !strings.Contains(st.heading, "governing law") && !strings.Contains(st.heading, "applicable law") {
			continue
		}
		conf := 0.9
		if gov == nil || s[gov[0]:gov[1]] == "subject to" {
			conf = 0.7
		}
		if has(s, "data protection law", "privacy law", "applicable data protection") && !has(s, "this agreement", "this dpa", "this addendum", "these terms") {
			continue
		}
		if notChoiceRe.MatchString(s) {
			continue
		}
		strong := gov != nil && !weakGovRe.MatchString(s[gov[0]:gov[1]])
		got := lawJurisdiction(s, strong)
		if got == "" {
			if gov != nil && has(s, "laws of", "law of", " law") {
				f.mention(i, false)
			}
			continue
		}
		f.add(got, map[string]any{"jurisdiction": got}, conf, i)
	}
	return f
}

var stateOfRe = regexp.MustCompile(`\b(?:state|commonwealth|province) of ([a-z][a-z .'&,-]{1,40})`)

// lawJurisdiction reads the jurisdiction whose law a sentence chooses.
func lawJurisdiction(s string, gov bool) string {
	var found []string
	for _, m := range lawsOfRe.FindAllStringSubmatchIndex(s, -1) {
		if incorporatedRe.MatchString(s[:m[0]]) || subjectLawRe.MatchString(s[max(0, m[0]-20):m[0]]) {
			continue // "a corporation organized under the laws of Delaware", "the patent laws of the United States"
		}
		if j, ok := jurisdictionAt(s[m[2]:m[3]]); ok {
			found = append(found, j)
		}
	}
	if len(found) > 0 && found[0] == "United States" {
		// "the laws of the United States and the State of Florida": federal
		// law applies anyway, the state's is the choice
		for _, m := range stateOfRe.FindAllStringSubmatchIndex(s, -1) {
			if j, ok := jurisdictionAt(s[m[2]:m[3]]); ok && j != "United States" {
				found = append([]string{j}, found...)
				break
			}
		}
		for _, j := range found {
			if j != "United States" {
				return j
			}
		}
	}
	if len(found) > 0 {
		return found[0]
	}
	if m := lawFieldRe.FindStringSubmatchIndex(s); m != nil {
		// "Governing Law: State of Illinois" in an order form
		if j, ok := jurisdictionAt(s[m[2]:m[3]]); ok {
			return j
		}
	}
	if !gov {
		return ""
	}
	if m := backRefRe.FindStringIndex(s); m != nil {
		// "accepted in the State of Nevada and governed by the laws thereof"
		if j := lastJurisdiction(s[:m[0]]); j != "" {
			return j
		}
	}
	if m := adjLawRe.FindStringSubmatch(s); m != nil {
		return adjectives[m[1]]
	}
	// "Nevada law governs this Agreement", "governed by PRC laws"
	for _, j := range jurisdictions {
		if k := strings.Index(s, j.name+" law"); k >= 0 && (k == 0 || !isLetterByte(s[k-1])) {
			return j.canon
		}
	}
	return ""
}

// lastJurisdiction is the jurisdiction named last in s.
func lastJurisdiction(s string) string {
	best, at := "", -1
	for _, j := range jurisdictions {
		k := strings.LastIndex(s, j.name)
		if k > at && (k == 0 || !isLetterByte(s[k-1])) && (k+len(j.name) == len(s) || !isLetterByte(s[k+len(j.name)])) {
			best, at = j.canon, k
		}
	}
	return best
}
