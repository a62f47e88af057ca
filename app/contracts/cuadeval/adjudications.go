package cuadeval

// Adjudication overrules CUAD's label for one contract and key, after
// reading the contract: CUAD's category is broader than the key (its cap
// category also marks exclusions of damages and time limits on claims,
// its audit category audits of the licensee), or an annotator missed or
// misread a clause. Positive is what the key's definition says. Each
// entry is listed with its reason in docs/contract-extraction.md.
type Adjudication struct {
	Contract string // the CSV's Filename
	Key      string
	Positive bool
	Reason   string
}

// Adjudications are kept short and specific: a rule is never bent to one.
var Adjudications = []Adjudication{}

func adjudication(contract, key string) (Adjudication, bool) {
	for _, a := range Adjudications {
		if a.Contract == contract && a.Key == key {
			return a, true
		}
	}
	return Adjudication{}, false
}
