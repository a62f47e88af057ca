package dora

import (
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// Code is one value of a closed set: the code written in the register and
// its label for people.
type Code struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// CodeList is a closed set of the register (the ESAs' drop-down lists).
type CodeList []Code

// Has reports whether code is in the list.
func (l CodeList) Has(code string) bool {
	for _, c := range l {
		if c.Code == code {
			return true
		}
	}
	return false
}

// The closed sets, as the EBA's register of information template lists
// them (see docs/dora.md for the source). Prefixed codes are written to
// the CSV files as they are.
var (
	// ICTServiceTypes is Annex III of the ITS; the register writes
	// "eba_TA:" and the identifier.
	ICTServiceTypes = CodeList{
		{"S01", "ICT project management"}, {"S02", "ICT Development"}, {"S03", "ICT help desk and first level support"},
		{"S04", "ICT security management services"}, {"S05", "Provision of data"}, {"S06", "Data analysis"},
		{"S07", "ICT, facilities and hosting services (excluding Cloud services)"}, {"S08", "Computation"},
		{"S09", "Non-Cloud Data storage"}, {"S10", "Telecom carrier"}, {"S11", "Network infrastructure"},
		{"S12", "Hardware and physical devices"}, {"S13", "Software licencing (excluding SaaS)"},
		{"S14", "ICT operation management (including maintenance)"}, {"S15", "ICT Consulting"}, {"S16", "ICT Risk management"},
		{"S17", "Cloud services: IaaS"}, {"S18", "Cloud services: PaaS"}, {"S19", "Cloud services: SaaS"},
	}
	EntityTypes = CodeList{
		{"eba_CT:x12", "Credit institutions"}, {"eba_CT:x599", "Investment firms"}, {"eba_CT:x643", "Central counterparties (CCPs)"},
		{"eba_CT:x639", "Asset management companies"}, {"eba_CT:x301", "Account information service providers"},
		{"eba_CT:x302", "Electronic money institutions"}, {"eba_CT:x303", "Crypto-asset service providers"},
		{"eba_CT:x304", "Central security depository"}, {"eba_CT:x305", "Trading venues"}, {"eba_CT:x306", "Trade repositories"},
		{"eba_CT:x300", "Payment institution"}, {"eba_CT:x316", "Other financial entity"}, {"eba_CT:x315", "Securitisation repository"},
		{"eba_CT:x314", "Crowdfunding service providers"}, {"eba_CT:x313", "Administrator of critical benchmarks"},
		{"eba_CT:x312", "Credit rating agency"}, {"eba_CT:x311", "Institutions for occupational retirement provision"},
		{"eba_CT:x320", "Insurance intermediaries, reinsurance intermediaries and ancillary insurance intermediaries"},
		{"eba_CT:x309", "Insurance and reinsurance undertakings"}, {"eba_CT:x308", "Data reporting service providers"},
		{"eba_CT:x307", "Managers of alternative investment funds"},
		{"eba_CT:x318", "Non-financial entity: Other than ICT intra-group service provider"},
		{"eba_CT:x317", "Non-financial entity: ICT intra-group service provider"}, {"eba_CT:x310", "Issuers of asset-referenced tokens"},
	}
	Hierarchies = CodeList{
		{"eba_RP:x53", "Ultimate parent"}, {"eba_RP:x551", "Parent other than ultimate parent"}, {"eba_RP:x56", "Subsidiary"},
		{"eba_RP:x21", "Entities other than entities of the group"}, {"eba_RP:x210", "Outsourcing"},
	}
	TerminationReasons = CodeList{
		{"eba_CO:x4", "Termination not for cause: expired and not renewed"},
		{"eba_CO:x5", "Termination for cause: provider in breach of applicable law, regulations or contractual provisions"},
		{"eba_CO:x6", "Termination for cause: identified impediments of the provider capable of altering the supported function"},
		{"eba_CO:x7", "Termination for cause: provider's weaknesses regarding the management and security of sensitive data or information"},
		{"eba_CO:x8", "Termination: as requested by the competent authority"}, {"eba_CO:x9", "Other reasons for termination"},
	}
	YesNo             = CodeList{{"eba_BT:x28", "Yes"}, {"eba_BT:x29", "No"}}
	YesNoNotAssessed  = CodeList{{"eba_BT:x28", "Yes"}, {"eba_BT:x29", "No"}, {"eba_BT:x21", "Assessment not performed"}}
	Sensitiveness     = CodeList{{"eba_ZZ:x791", "Low"}, {"eba_ZZ:x792", "Medium"}, {"eba_ZZ:x793", "High"}}
	RelianceLevels    = CodeList{{"eba_ZZ:x794", "Not significant"}, {"eba_ZZ:x795", "Low reliance"}, {"eba_ZZ:x796", "Material reliance"}, {"eba_ZZ:x797", "Full reliance"}}
	PersonTypes       = CodeList{{"eba_CT:x212", "Legal person, excluding individual acting in a business capacity"}, {"eba_CT:x213", "Individual acting in a business capacity"}}
	Impacts           = CodeList{{"eba_ZZ:x791", "Low"}, {"eba_ZZ:x792", "Medium"}, {"eba_ZZ:x793", "High"}, {"eba_ZZ:x799", "Assessment not performed"}}
	Substitutability  = CodeList{{"eba_ZZ:x959", "Not substitutable"}, {"eba_ZZ:x960", "Highly complex substitutability"}, {"eba_ZZ:x961", "Medium complexity in terms of substitutability"}, {"eba_ZZ:x962", "Easily substitutable"}}
	SubstituteReasons = CodeList{{"eba_ZZ:x963", "Lack of real alternatives"}, {"eba_ZZ:x964", "Difficulties in migrating or reintegrating"}, {"eba_ZZ:x965", "Lack of real alternatives and difficulties in migrating or reintegrating"}}
	Reintegration     = CodeList{{"eba_ZZ:x798", "Easy"}, {"eba_ZZ:x966", "Difficult"}, {"eba_ZZ:x967", "Highly complex"}}
	// LicensedActivities is a sample of LIST0601020 (the activities of
	// banks, payment and e-money institutions and investment firms);
	// docs/dora.md says so.
	LicensedActivities = CodeList{
		{"eba_TA:x162", "Taking deposits and other repayable funds"}, {"eba_TA:x163", "Lending activities"},
		{"eba_TA:x164", "Financial leasing"}, {"eba_TA:x165", "Issuing and administering other means of payment"},
		{"eba_TA:x166", "Guarantees and commitments"}, {"eba_TA:x168", "Trading for own account or for account of customers"},
		{"eba_TA:x28", "Payment services"}, {"eba_TA:x180", "Issuing electronic money"},
		{"eba_TA:x222", "Execution of payment transactions"}, {"eba_TA:x224", "Issuing of payment instruments and/or acquiring of payment transactions"},
		{"eba_TA:x225", "Money remittance"}, {"eba_TA:x226", "Payment initiation services"}, {"eba_TA:x227", "Account information services"},
		{"eba_TA:x133", "Reception and transmission of orders"}, {"eba_TA:x134", "Execution of orders on behalf of clients"},
		{"eba_TA:x136", "Portfolio management"}, {"eba_TA:x137", "Investment advice"},
		{"eba_TA:x174", "Safekeeping and administration of securities"}, {"eba_TA:x179", "Credit reference services"},
		{"eba_TA:x250", "Providing regulatory reporting"}, {"eba_TA:x252", "Providing IT services"}, {"eba_TA:x260", "Risk management"},
		{"eba_TA:x262", "Customer inquiries"}, {"eba_TA:x264", "Regulatory compliance monitoring"},
	}
)

// ValidCountry reports whether s is an ISO 3166-1 alpha-2 country code
// (capital letters, a country rather than a region like EU or 419).
func ValidCountry(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	if reserved[s] {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry() && r.String() == s
}

// reserved are ISO 3166-1's exceptionally reserved codes, which the
// language package knows as regions but the standard assigns to no
// country (UK is GB in the register).
var reserved = map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "EU": true, "EZ": true, "FX": true,
	"IC": true, "SU": true, "TA": true, "UK": true, "UN": true}

// ValidCurrency reports whether s is an ISO 4217 currency code.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	u, err := currency.ParseISO(s)
	return err == nil && u.String() == s
}
