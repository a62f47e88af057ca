package cuadeval

// Adjudications made in the third round, after reading each contract.
// Each says why CUAD's label is outside the key's definition (or why
// CUAD missed a clause that is inside it). Definitions are in
// docs/contract-extraction.md.
var round3 = []Adjudication{
	// termination_for_convenience: a right to end the contract itself,
	// with no reason asked. An evergreen term that runs until a party
	// ends it by notice is, by the project's definition (fixtures
	// colocation and heldout-telecoms-contract, issue 13), an automatic
	// renewal with a non-renewal notice, not a termination right.
	{"UnionDentalHoldingsInc_20050204_8-KA_EX-10_3345577_EX-10_Affiliate Agreement.pdf", "termination_for_convenience", false,
		"an evergreen term: \"shall continue in effect until either Party informs the other Party with thirty (30) day prior written notice of termination\" is auto_renewal with a non_renewal_notice by the key's definition"},
	{"FTENETWORKS,INC_02_18_2016-EX-99.4-STRATEGIC ALLIANCE AGREEMENT.PDF", "termination_for_convenience", false,
		"an evergreen term: \"After the Initial Term, this Agreement shall continue on a month to month basis until terminated by either party upon thirty (30) days prior written notice\" is auto_renewal with a non_renewal_notice by the key's definition"},
	{"ENERGYXXILTD_05_08_2015-EX-10.13-Transportation AGREEMENT.PDF", "termination_for_convenience", false,
		"an evergreen term: \"shall remain in effect until terminated by either Party upon thirty (30) days' prior written notice\" is auto_renewal with a non_renewal_notice by the key's definition"},
	{"CcRealEstateIncomeFundadv_20181205_POS 8C_EX-99.(H)(3)_11447739_EX-99.(H)(3)_Marketing Agreement.pdf", "termination_for_convenience", false,
		"an evergreen term: the term \"shall end on the 60th day following a written notice from one party to the other of its decision to terminate\"; by the key's definition that is a non-renewal notice of an open-ended term"},
	{"PfHospitalityGroupInc_20150923_10-12G_EX-10.1_9266710_EX-10.1_Franchise Agreement1.pdf", "termination_for_convenience", false,
		"CUAD marks only a right to stop serving one Major Account customer (\"terminate your right to provide products and services to a Major Account customer\"); the franchise agreement itself cannot be ended without cause"},
	{"ParatekPharmaceuticalsInc_20170505_10-KA_EX-10.29_10323872_EX-10.29_Outsourcing Agreement.pdf", "termination_for_convenience", false,
		"CUAD marks a right to terminate a Scope of Work \"(without terminating this Agreement)\": by its own words not a right to end the agreement"},
	{"BONTONSTORESINC_04_20_2018-EX-99.3-AGENCY AGREEMENT.PDF", "termination_for_convenience", false,
		"CUAD marks the Agent's option \"to terminate the use of the E-Commerce Platform\" in the sale; the agency agreement itself is not ended"},
	{"BLUEROCKRESIDENTIALGROWTHREIT,INC_06_01_2016-EX-1.1-AGENCY AGREEMENT.PDF", "termination_for_convenience", false,
		"CUAD marks \"may be terminated by the Agent ... if (i) the Company shall have failed ... (ii) any other condition ... is not fulfilled\": a right that depends on listed events, not one without cause"},
	{"LEJUHOLDINGSLTD_03_12_2014-EX-10.34-INTERNET CHANNEL COOPERATION AGREEMENT.PDF", "termination_for_convenience", true,
		"section 10.1: within three months before the 4th anniversary Party B \"may elect to continue performing or terminate this Agreement\" by written notice, no cause required (like PhasebioPharmaceuticals' at-will window); CUAD's list is empty"},
}

func init() { Adjudications = append(Adjudications, round3...) }
