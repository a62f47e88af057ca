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
var Adjudications = []Adjudication{
	{"NETGEAR,INC_04_21_2003-EX-10.16-AMENDMENT TO THE DISTRIBUTOR AGREEMENT BETWEEN INGRAM MICRO AND NETGEAR-.pdf", "governing_law", true,
		"the entire-agreement clause says the agreement \"is governed by the laws of the State of California\"; CUAD's list is empty"},
}

func adjudication(contract, key string) (Adjudication, bool) {
	for _, a := range Adjudications {
		if a.Contract == contract && a.Key == key {
			return a, true
		}
	}
	return Adjudication{}, false
}
