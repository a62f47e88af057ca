package terms

import (
	"regexp"
	"slices"
	"strings"
)

var (
	deleteRe   = regexp.MustCompile(`\b(delete[sd]?|deletion|destroy(?:s|ed)?|destruction|erase[sd]?|erasure|purge[sd]?|return(?:s|ed)?|return or delete|return and delete)\b`)
	dataWordRe = regexp.MustCompile(`\b(data|personal information|phi|protected health information|content|customer materials|backups?|backup sets?)\b`)
	endWordRe  = regexp.MustCompile(`terminat|expir|end of (?:the |this )?(?:[a-z]+ )?(?:agreement|contract|services?|term|subscription|provision|engagement|relationship)|\b(?:account|subscription|agreement|contract|services?) (?:closes|is closed|ends|expires|terminates)\b|cessation|conclusion of|\b(?:agreement|subscription|contract|services?) (?:ends|has ended|ended)\b`)
)

func dataReturnDeletion(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "delet", "destr", "eras", "purg", "return") {
			continue
		}
		m := deleteRe.FindStringIndex(s)
		label := fieldLabel(s)
		if m == nil || !dataWordRe.MatchString(s) && !has(label, "retention", "deletion", "return") {
			continue
		}
		if !endWordRe.MatchString(s) && !has(st.heading, "return", "delet", "terminat") {
			continue
		}
		if ok, _ := v.vendorDuty(s, m[0]); !ok {
			continue
		}
		ds, blank := valued(durations(s), "days", "business_days", "weeks", "months")
		d, ok := nearest(ds, m[0], "days", "business_days", "weeks", "months")
		if !ok {
			f.mention(i, blank)
			continue
		}
		f.add(d.String()+" after termination", d.normalized(), 0.85, i)
	}
	return f
}

var (
	notifyRe   = regexp.MustCompile(`\b(notify|notifies|notified|notification|inform|informs|informed|report|reports|reported|alert|notice|tell|tells|advise|advises|let [a-z]+ know)\b`)
	incidentRe = regexp.MustCompile(`\b(?:personal data breach|data breach|security breach|breach of security|security incident|privacy incident|data incident|cyber incident|unauthori[sz]ed (?:access|disclosure|use|acquisition)|breach of (?:unsecured )?(?:phi|protected health information|personal data|customer data)|compromise)`)
)

func breachNotification(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "notif", "inform", "report", "alert", "notice", "tell", "advise", " know") {
			continue
		}
		label := fieldLabel(s)
		bare := strings.Contains(s, "incident") && has(s, "security", "data", "personal", "unauthori", "cyber", "phi", "health information")
		if !bare && !incidentRe.MatchString(s) && !(strings.Contains(s, "breach") && has(s, "data", "security", "personal") && !has(s, "material breach")) &&
			!(strings.Contains(label, "breach") && has(label, "notif", "report")) {
			continue
		}
		verb := notifyRe.FindStringIndex(s)
		if verb == nil {
			continue
		}
		ok, named := v.vendorDuty(s, verb[0])
		if !ok {
			continue // the customer's duty to tell the vendor
		}
		ds, blank := valued(durations(s[verb[0]:]), "hours", "days", "business_days")
		if len(ds) == 0 {
			f.mention(i, blank)
			continue
		}
		d := ds[0]
		conf := 0.9
		if !named {
			conf = 0.75
		}
		f.add("within "+d.String(), d.normalized(), conf, i)
	}
	return f
}

var (
	auditYesRe = regexp.MustCompile(`right to (?:audit|inspect|conduct (?:an )?(?:audit|inspection))|right to (?:have|cause) (?:an? )?audits? (?:conducted|performed|made)|(?:review|reviewing|verify|verifying|check|checking)[^.]{0,60}(?:through|by means of|by way of|via) (?:an? )?(?:audits?|inspections?)|(?:may|can|is entitled to) (?:verify|check|review|monitor)[^.]{0,80}(?:audits?|inspections?)|(?:may|can|shall) be (?:audited|inspected) by (?:the )?(?:customer|client|controller|covered entity|licensee)|(?:may|can) request (?:an? )?(?:audit|inspection)|(?:may|can), [^.,]{1,50}, (?:audit|inspect)|(?:may|can|shall be entitled to|is entitled to|are entitled to)(?: itself| directly)?(?: or through [^.]{0,60}?)?(?: conduct| carry out| perform)? (?:an? )?(?:on-?site )?(?:audit|inspect)|allow for and contribute to audits|(?:permit|allow|submit to|cooperate with|contribute to|facilitate)[^.]{0,60}(?:audits?|inspections?)|audits?(?:, including inspections,)? (?:conducted|performed|carried out) by (?:the )?(?:customer|controller|client|covered entity)|on-?site (?:audit|inspection)`)
	auditNoRe  = regexp.MustCompile(`(?:no|not have (?:any|a|the)?|not be entitled to (?:any|a)?|waives? (?:any|its)?) ?(?:right to (?:audit|inspect)|audit rights?)|(?:in lieu of|instead of|in place of)[^.]{0,60}audit|audit rights? (?:are|is|shall be) (?:limited to|satisfied by)|(?:shall|will|may) not (?:audit|inspect|conduct (?:an )?audit)`)
	taxRe      = regexp.MustCompile(`\b(tax|taxes|revenue (?:service|authorit|agenc)|inland revenue|irs|hmrc|financial statements|statutory audit|governmental|regulatory (?:agenc|authorit)|the secretary|insurers|health and safety executive|authorities)`)
	// the vendor checking the customer's use: only when the customer is
	// the one audited ("Vendor may audit Customer's use of the Software")
	licenceUseRe = regexp.MustCompile(`\b(license compliance|licence compliance|usage|use of the (?:software|service|licensed)|royalt)`)

	// a right to look at the other side's books, records or premises:
	// "shall have the right, upon reasonable notice, to inspect and/or
	// audit Licensor's books and records", "either party shall have the
	// right to audit the books and records of the other", "permit such
	// records to be examined by", "make its books available for
	// inspection", "cause an independent accountant to inspect"
	recordsRe     = `(?:books|records|accounts|ledgers|premises|facilit(?:y|ies)|offices|plants?|sites?|documentation|manufacturing process)`
	auditRecordRe = regexp.MustCompile(`(?:\bright\b|\bentitled\b|\bmay\b|\bpermit|\ballow|\bafford|\bengage|\bcause|\bopportunity)[^.;]*?\b(?:inspect|audit|examine|review|enter upon)\b[^.;]{0,80}?\b` + recordsRe +
		`|\b(?:permit|allow|afford|provide|give)\b[^.;]{0,60}?\baccess\b[^.;]{0,60}?\bto\b[^.;]{0,60}?\b(?:books|records|accounts)\b` +
		`|\b(?:` + recordsRe[3:len(recordsRe)-1] + `|information)\b[^.;]{0,160}?\b(?:(?:available|open|accessible)\b[^.;]{0,120}?\b(?:for|to) (?:the )?(?:[a-z']+ ){0,2}?(?:inspection|audit|examination|review)|subject to (?:inspection|audit|examination))` +
		`|\b` + recordsRe + `\b[^.;]{0,40}? to be (?:examined|inspected|audited)` +
		`|\bmake\b[^.;]{0,60}?\b(?:books|records|accounts|ledgers)\b[^.;]{0,80}?\bavailable\b` +
		`|\bmake available\b[^.;]{0,80}?\b(?:for )?(?:inspection|audit|examination)\b[^.;]{0,60}?\b` + recordsRe +
		`|\bmake available\b[^.;]{0,120}?\b(?:books|records|accounts|ledgers)\b` +
		`|\b(?:engage|cause|appoint|retain)\b[^.;]{0,60}?\b(?:accountant|accounting firm|auditor)s?\b[^.;]{0,40}?\bto (?:inspect|audit|examine|review)`)
	// "inspect" of goods, samples, advertising or work is quality control
	recordsWordRe = regexp.MustCompile(`\b` + recordsRe + `\b`)
)

// innerDots replaces a full stop between two letters or digits ("2.12",
// "e.piphany") with "_", keeping the length.
func innerDots(s string) string {
	var b []byte
	for i := 1; i+1 < len(s); i++ {
		if s[i] == '.' && isAlnum(s[i-1]) && isAlnum(s[i+1]) {
			if b == nil {
				b = []byte(s)
			}
			b[i] = '_'
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func auditRights(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "audit", "inspect", "examin", "access", "review", "available") {
			continue
		}
		if taxRe.MatchString(s) {
			continue // an audit by a tax authority or a regulator
		}
		// "Section 2.12(a)" and "E.piphany" are no sentence ends for the
		// patterns below, which stop at a full stop
		s = innerDots(s)
		if auditNoRe.MatchString(s) {
			val, n := yesNo(false)
			f.add(val, n, 0.8, i)
			continue
		}
		m := auditYesRe.FindStringIndex(s)
		if m != nil && !strings.Contains(s[m[0]:m[1]], "audit") && !recordsWordRe.MatchString(s) {
			m = nil // "the right to inspect the advertising": quality control, not an audit
		}
		if m == nil {
			if r := auditRecordRe.FindStringIndex(s); r != nil {
				if who, ok := v.recordAuditor(s, r); ok && v.auditedIn(s) != customerSide {
					if who != vendorSide && !(licenceUseRe.MatchString(s) && who == unknown && v.auditedIn(s) == customerSide) {
						val, n := yesNo(true)
						f.add(val, n, 0.75, i)
					}
				}
			}
			continue
		}
		if licenceUseRe.MatchString(s) && v.auditedIn(s) != vendorSide {
			continue // the vendor auditing licence use
		}
		phrase := s[m[0]:m[1]]
		who := v.actor(s, m[0])
		customerAudits := has(phrase, "may", "can", "entitled", "right to", "review", "verif", "check")
		if has(phrase, "be audited by", "be inspected by") {
			who, customerAudits = unknown, false // the customer is named as the auditor
		}
		if customerAudits && who == vendorSide {
			continue // the vendor auditing the customer
		}
		if !customerAudits && who == customerSide {
			continue
		}
		val, n := yesNo(true)
		f.add(val, n, 0.85, i)
	}
	return f
}

// recordAuditor says who looks at the records in an audit-of-records
// sentence, and false when it is the customer's own records the vendor
// looks at.
func (v *view) recordAuditor(s string, r []int) (party, bool) {
	phrase := s[r[0]:r[1]]
	if strings.HasPrefix(phrase, "right") || strings.HasPrefix(phrase, "entitled") || strings.HasPrefix(phrase, "may") || strings.HasPrefix(phrase, "engage") || strings.HasPrefix(phrase, "cause") {
		who := v.actor(s, r[0])
		return who, who != vendorSide
	}
	// "Distributor shall make its records available for audit by the
	// Supplier", "permit the Customer to inspect": the one who permits
	// or makes available is the one audited
	audited := v.actor(s, r[0])
	switch audited {
	case customerSide:
		return vendorSide, false
	case vendorSide:
		return customerSide, true
	}
	return audited, true
}

// auditedIn: whose records or use are audited ("Customer's use", "books
// of the Licensee").
func (v *view) auditedIn(s string) party {
	if m := auditedRe.FindStringSubmatch(s); m != nil {
		return v.subjectIn(m[1])
	}
	return unknown
}

var auditedRe = regexp.MustCompile(`(?:audit|inspect|examine|review|verify)[a-z]*(?: [a-z]+){0,3}? ([a-z]+'s|(?:the )?(?:books|records|use) of (?:the )?[a-z]+)`)

var (
	subprocRe = regexp.MustCompile(`sub-?processor|sub processor|subcontract`)
	objectRe  = regexp.MustCompile(`\bobject(?:s|ion|ions|ing)?\b|\b(?:right to|may) (?:reject|oppose|veto)`)
	noObjRe   = regexp.MustCompile(`(?:no|not have (?:a|any|the)?|without (?:a|any)?) ?right to object|may not object|(?:shall|will) not (?:be entitled to )?object`)
)

func subprocessorChanges(v *view) finding {
	var f finding
	type notice struct {
		d    duration
		sent int
	}
	var notices []notice
	objection, noObjection, told, lastSub := -1, -1, -1, -10
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !subprocRe.MatchString(s) && !(subprocRe.MatchString(st.heading) && has(s, "object", "notice", "notif")) {
			// "If Customer objects within that period, ..." right after
			// the sentence about new sub-processors
			if i-lastSub <= 2 && objectRe.MatchString(s) && objection < 0 && !noObjRe.MatchString(s) {
				objection = i
			}
			continue
		}
		lastSub = i
		if isDefinition(s) || st.isHeading {
			continue
		}
		if noObjRe.MatchString(s) {
			noObjection = i
		} else if objectRe.MatchString(s) && objection < 0 {
			objection = i
		}
		if !has(s, "notif", "notice", "inform", "advance", "prior", "update", "tell", "post", "publish", "announce", "email") {
			continue
		}
		label := fieldLabel(s)
		if told < 0 && has(s, "new", "add", "chang", "replac", "engag", "appoint") {
			told = i
		}
		ds, blank := valued(durations(s), "days", "business_days", "weeks", "months")
		for _, d := range ds {
			after := s[d.end:min(len(s), d.end+60)]
			before := s[max(0, d.pos-40):d.pos]
			if has(after, "in advance", "prior", "before", "notice", "ahead") || has(before, "at least", "not less than", "no less than", "minimum of") ||
				strings.Contains(label, "notice") {
				notices = append(notices, notice{d, i})
				break
			}
		}
		if len(ds) == 0 && blank {
			f.mention(i, true)
		}
	}
	obj := objection >= 0 && noObjection < 0
	objSent := objection
	if noObjection >= 0 {
		objSent = noObjection
	}
	describe := func(d *duration) (string, map[string]any) {
		n := map[string]any{"objection_right": obj}
		val := "no notice period stated"
		if d != nil {
			for k, x := range d.normalized() {
				n[k] = x
			}
			val = d.String() + " notice"
		}
		if obj {
			val += "; customer may object"
		} else {
			val += "; no objection right"
		}
		return val, n
	}
	for _, nt := range notices {
		val, n := describe(&nt.d)
		sents := []int{nt.sent}
		if objSent >= 0 && objSent != nt.sent {
			sents = append(sents, objSent)
		}
		f.add(val, n, 0.85, sents...)
	}
	if len(notices) == 0 && (objSent >= 0 || told >= 0) {
		val, n := describe(nil)
		main := objSent
		if main < 0 {
			main = told
		}
		f.add(val, n, 0.6, main)
	}
	return f
}

var (
	storeRe  = regexp.MustCompile(`\b(stored?|stores|storage|hosted|host|hosting|located|locations?|reside|resides|residency|processed|process|processes|processing|maintained|data cent(?:er|re)s?|transfer(?:red)?)\b`)
	regionRe = regexp.MustCompile(`\b(european economic area|eea|european union|eu|europe|united states(?: of america)?|usa|u\.s\.a?\.?|united kingdom|uk|switzerland|canada|australia|germany|france|ireland|netherlands|japan|singapore|india|brazil|norway|sweden|finland|denmark|spain|italy|austria|belgium|poland|portugal|luxembourg|iceland|china|hong kong|south korea|new zealand|south africa|mexico|united arab emirates|any (?:country|jurisdiction|location|region))\b`)
	regions  = map[string]string{"european economic area": "EU", "eea": "EU", "european union": "EU", "eu": "EU", "europe": "EU",
		"united states": "US", "united states of america": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "u.s": "US", "u.s.a": "US",
		"united kingdom": "UK", "uk": "UK", "switzerland": "CH", "canada": "CA", "australia": "AU", "germany": "DE", "france": "FR",
		"ireland": "IE", "netherlands": "NL", "japan": "JP", "singapore": "SG", "india": "IN", "brazil": "BR",
		"norway": "NO", "sweden": "SE", "finland": "FI", "denmark": "DK", "spain": "ES", "italy": "IT", "austria": "AT",
		"belgium": "BE", "poland": "PL", "portugal": "PT", "luxembourg": "LU", "iceland": "IS", "china": "CN", "hong kong": "HK",
		"south korea": "KR", "new zealand": "NZ", "south africa": "ZA", "mexico": "MX", "united arab emirates": "AE"}
	listGapRe = regexp.MustCompile(`^(?:,|,? and|,? or|/|;)? (?:the |in )?$`)
	locPrepRe = regexp.MustCompile(`\b(?:in|within|inside|outside(?: of)?|to|from)(?: the)? (?:territory of )?(?:the )?$|\blocation(?:s)? of (?:processing|hosting|data|storage)[^.]{0,20}$|(?:processing|hosting|data|storage) locations?:? ?$|data cent(?:er|re)s? (?:located )?in (?:the )?$`)
)

// cloudRegionRe reads cloud providers' region names: AWS "eu-west-1",
// Google "europe-west3", Azure "westeurope".
var cloudRegionRe = regexp.MustCompile(`\b(?:(eu|us|ca|sa)-(?:west|east|central|north|south|northeast|northwest|southeast|southwest)-\d|(europe|us|northamerica|southamerica)-(?:west|east|central|north|south|northeast|southeast|southwest)\d+|(west|north|germany|france|sweden|switzerland|uk|east|central|south)(europe|us|us2|west|north|south|central)\d?)\b`)

var cloudPrefixes = map[string]string{"eu": "EU", "europe": "EU", "us": "US", "northamerica": "US", "ca": "CA", "sa": "BR", "southamerica": "BR"}

func cloudRegion(m []string) string {
	switch {
	case m[1] != "":
		return cloudPrefixes[m[1]]
	case m[2] != "":
		return cloudPrefixes[m[2]]
	}
	switch m[3] + m[4] {
	case "westeurope", "northeurope":
		return "EU"
	case "germanywest", "germanynorth":
		return "DE"
	case "francecentral", "francesouth":
		return "FR"
	case "swedencentral":
		return "SE"
	case "switzerlandnorth", "switzerlandwest":
		return "CH"
	case "uksouth", "ukwest":
		return "UK"
	}
	if strings.HasSuffix(m[4], "us") || strings.HasPrefix(m[4], "us") {
		return "US"
	}
	return ""
}

func dataLocation(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "data", "content", "information", "processing", "hosting", "storage") || !storeRe.MatchString(s) {
			continue
		}
		if govRe.MatchString(s) && has(s, "laws of", "law of") {
			continue
		}
		if has(s, "standard contractual", "data privacy framework", "binding corporate") && !has(s, "store", "host", "located") {
			continue // a transfer mechanism sentence, read by its own rule
		}
		var got []string
		lastEnd := -1
		for _, m := range regionRe.FindAllStringSubmatchIndex(s, -1) {
			name := s[m[2]:m[3]]
			listed := lastEnd >= 0 && listGapRe.MatchString(s[lastEnd:m[0]])
			if !listed && !locPrepRe.MatchString(s[max(0, m[0]-40):m[0]]) {
				continue
			}
			lastEnd = m[1]
			r := regions[name]
			if strings.HasPrefix(name, "any ") {
				r = "any"
			}
			if !slices.Contains(got, r) {
				got = append(got, r)
			}
		}
		for _, m := range cloudRegionRe.FindAllStringSubmatch(s, -1) {
			if r := cloudRegion(m); r != "" && !slices.Contains(got, r) {
				got = append(got, r)
			}
		}
		if label := fieldLabel(s); len(got) == 0 && has(label, "hosting", "location", "residency", "storage") {
			// "Data hosting: United Kingdom only"
			for _, m := range regionRe.FindAllStringSubmatch(s[len(label):], -1) {
				if r := regions[m[1]]; r != "" && !slices.Contains(got, r) {
					got = append(got, r)
				}
			}
		}
		if len(got) == 0 {
			continue
		}
		slices.Sort(got)
		list := make([]any, len(got))
		for k, g := range got {
			list[k] = g
		}
		conf := 0.8
		if has(s, "only", "solely", "exclusively", "not transfer", "shall not", "will not") {
			conf = 0.85
		}
		if strings.Contains(s, "outside") && !has(s, "not", "only", "without") {
			continue // "transfers outside the EEA" says where data goes, not where it stays
		}
		f.add(strings.Join(got, ", "), map[string]any{"regions": list}, conf, i)
	}
	return f
}

var mechanisms = []struct {
	re   *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`standard contractual clauses|\bsccs?\b|eu model clauses|model contract clauses`), "SCC"},
	{regexp.MustCompile(`data privacy framework|\bdpf\b`), "DPF"},
	{regexp.MustCompile(`binding corporate rules|\bbcrs?\b`), "BCR"},
	{regexp.MustCompile(`adequacy decision|adequacy regulations|finding of adequacy`), "adequacy"},
	{regexp.MustCompile(`international data transfer (?:agreement|addendum)|\bidta\b|uk addendum`), "UK IDTA"},
}

var mechanismNames = map[string]string{"SCC": "Standard Contractual Clauses", "DPF": "Data Privacy Framework",
	"BCR": "Binding Corporate Rules", "adequacy": "adequacy decision", "UK IDTA": "UK International Data Transfer Addendum"}

var notApplyRe = regexp.MustCompile(`(?:clauses|sccs?|framework|rules|addendum|mechanism) (?:shall|will|do|does) not apply|(?:clauses|sccs?|framework|rules|addendum) (?:are|is) not required|not rely on|no longer rel`)

func transferMechanism(v *view) finding {
	var f finding
	var got []string
	var sents []int
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "clauses", "scc", "framework", "dpf", "binding corporate", "bcr", "adequa", "idta", "addendum", "international data transfer") {
			continue
		}
		if isDefinition(s) || st.isHeading || notApplyRe.MatchString(s) {
			continue
		}
		hit := false
		for _, m := range mechanisms {
			if m.re.MatchString(s) {
				hit = true
				if !slices.Contains(got, m.name) {
					got = append(got, m.name)
				}
			}
		}
		if hit && len(sents) < maxEvidence {
			sents = append(sents, i)
		}
	}
	if len(got) == 0 {
		return f
	}
	slices.Sort(got)
	names := make([]string, len(got))
	list := make([]any, len(got))
	for k, g := range got {
		names[k] = mechanismNames[g]
		list[k] = g
	}
	f.add(strings.Join(names, ", "), map[string]any{"mechanisms": list}, 0.85, sents...)
	return f
}
