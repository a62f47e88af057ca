package cuadeval

// Adjudication overrules CUAD's label for one contract and key, after
// reading the contract: CUAD's category is broader than the key (its cap
// category also marks exclusions of damages and time limits on claims,
// its audit category audits of the licensee), or an annotator missed or
// misread a clause. Positive is what the key's definition says. Each
// entry here is listed with its reason in docs/contract-extraction.md;
// the contracts whose cap category holds no cap are in
// adjudications_cap.go, each with its reason, and the docs say how they
// were chosen.
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
	{"ArcaUsTreasuryFund_20200207_N-2_EX-99.K5_11971930_EX-99.K5_Development Agreement.pdf", "termination_for_convenience", true,
		"\"may be terminated at any time, without the payment of any penalty, upon 60 days' written notice\" by the Fund's vote or Trustees or by the Administrator: a right to end the agreement without cause; CUAD's list is empty"},
	{"FEDERATEDGOVERNMENTINCOMESECURITIESINC_04_28_2020-EX-99.SERV AGREE-SERVICES AGREEMENT.PDF", "termination_for_convenience", true,
		"\"may be terminated at any time without the payment of any penalty by the Board ... on 60 days' written notice to the Adviser\": a right to end the agreement without cause; CUAD's list is empty"},
	{"PhasebioPharmaceuticalsInc_20200330_10-K_EX-10.21_12086810_EX-10.21_Development Agreement.pdf", "termination_for_convenience", true,
		"section 14.2.2 \"At-Will Termination by PB\": PB may terminate at any time in a stated window upon prior written notice, no cause required; CUAD's list is empty"},
	{"TICKETSCOMINC_06_22_1999-EX-10.22-SPONSORSHIP AGREEMENT.PDF", "audit_rights", true,
		"\"Tickets shall have the right to audit MP3.com's records in this regard\" (the impression counts it pays on); CUAD's list is empty"},
}

func adjudication(contract, key string) (Adjudication, bool) {
	for _, a := range Adjudications {
		if a.Contract == contract && a.Key == key {
			return a, true
		}
	}
	return Adjudication{}, false
}
