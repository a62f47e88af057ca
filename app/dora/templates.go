package dora

// Column is one column of a template: its code as the CSV header and
// its name in the ITS.
type Column struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Template is one table of the register.
type Template struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

// Templates are B_01.01 to B_07.01 in the ITS's order, with the column
// codes of the ESAs' reporting templates (docs/dora.md names the sources
// and what could not be confirmed).
var Templates = []Template{
	{"B_01.01", "Entity maintaining the register of information", []Column{
		{"c0010", "LEI of the entity maintaining the register of information"}, {"c0020", "Name of the entity"},
		{"c0030", "Country of the entity"}, {"c0040", "Type of entity"}, {"c0050", "Competent Authority"}, {"c0060", "Date of the reporting"}}},
	{"B_01.02", "List of entities within the scope of the register of information", []Column{
		{"c0010", "LEI of the entity"}, {"c0020", "Name of the entity"}, {"c0030", "Country of the entity"}, {"c0040", "Type of entity"},
		{"c0050", "Hierarchy of the entity within the group (where applicable)"}, {"c0060", "LEI of the direct parent undertaking of the entity"},
		{"c0070", "Date of last update"}, {"c0080", "Date of integration in the Register of information"},
		{"c0090", "Date of deletion in the Register of information"}, {"c0100", "Currency"}, {"c0110", "Value of total assets - of the financial entity"}}},
	{"B_01.03", "List of branches", []Column{
		{"c0010", "Identification code of the branch"}, {"c0020", "LEI of the financial entity head office of the branch"},
		{"c0030", "Name of the branch"}, {"c0040", "Country of the branch"}}},
	{"B_02.01", "Contractual arrangements – General information", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "Type of contractual arrangement"},
		{"c0030", "Overarching contractual arrangement reference number"}, {"c0040", "Currency of the amount reported in RT.02.01.0050"},
		{"c0050", "Annual expense or estimated cost of the contractual arrangement for the past year"}}},
	{"B_02.02", "Contractual arrangements – Specific information", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "LEI of the entity making use of the ICT service(s)"},
		{"c0030", "Identification code of the ICT third-party service provider"}, {"c0040", "Type of code to identify the ICT third-party service provider"},
		{"c0050", "Function identifier"}, {"c0060", "Type of ICT services"}, {"c0070", "Start date of the contractual arrangement"},
		{"c0080", "End date of the contractual arrangement"}, {"c0090", "Reason of the termination or ending of the contractual arrangement"},
		{"c0100", "Notice period for the financial entity making use of the ICT service(s)"}, {"c0110", "Notice period for the ICT third-party service provider"},
		{"c0120", "Country of the governing law of the contractual arrangement"}, {"c0130", "Country of provision of the ICT services"},
		{"c0140", "Storage of data"}, {"c0150", "Location of the data at rest (storage)"}, {"c0160", "Location of management of the data (processing)"},
		{"c0170", "Sensitiveness of the data stored by the ICT third-party service provider"}, {"c0180", "Level of reliance on the ICT service supporting the critical or important function."}}},
	{"B_02.03", "List of intra-group contractual arrangements", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "Contractual arrangement linked to the contractual arrangement referred in RT.02.03.0010"},
		{"c0030", "Link"}}},
	{"B_03.01", "Entities signing the Contractual arrangements for receiving ICT service(s) or on behalf of the entities making use of the ICT service(s)", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "LEI of the entity signing the contractual arrangement"}, {"c0030", "Link"}}},
	{"B_03.02", "ICT third-party service providers signing the Contractual arrangements for providing ICT service(s)", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "Identification code of ICT third-party service provider"},
		{"c0030", "Type of code to identify the ICT third-party service provider"}}},
	{"B_03.03", "Entities signing the Contractual arrangements for providing ICT service(s) to other entity within the scope of consolidation", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "LEI of the entity providing ICT services"}, {"c0031", "Link"}}},
	{"B_04.01", "Entities making use of the ICT services", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "LEI of the entity making use of the ICT service(s)"},
		{"c0030", "Nature of the entity making use of the ICT service(s)"}, {"c0040", "Identification code of the branch"}}},
	{"B_05.01", "ICT third-party service providers", []Column{
		{"c0010", "Identification code of ICT third-party service provider"}, {"c0020", "Type of code to identify the ICT third-party service provider"},
		{"c0030", "Additional identification code of ICT third-party service provider"}, {"c0040", "Type of additional identification code to identify the ICT third-party service provider"},
		{"c0050", "Legal name of the ICT third-party service provider"}, {"c0060", "Name of the ICT third-party service provider in Latin alphabet"},
		{"c0070", "Type of person of the ICT third-party service provider"}, {"c0080", "Country of the ICT third-party service provider’s headquarters"},
		{"c0090", "Currency of the amount reported in RT.05.01.0100"}, {"c0100", "Total annual expense or estimated cost of the ICT third-party service provider"},
		{"c0110", "Identification code of the ICT third-party service provider’s ultimate parent undertaking"},
		{"c0120", "Type of code to identify the ICT third-party service provider’s ultimate parent undertaking"}}},
	{"B_05.02", "ICT service supply chains", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "Type of ICT services"},
		{"c0030", "Identification code of the ICT third-party service provider"}, {"c0040", "Type of code to identify the ICT third-party service provider"},
		{"c0050", "Rank"}, {"c0060", "Identification code of the recipient of sub-contracted ICT services"},
		{"c0070", "Type of code to identify the recipient of sub-contracted ICT services"}}},
	{"B_06.01", "Functions identification", []Column{
		{"c0010", "Function Identifier"}, {"c0020", "Licenced activity"}, {"c0030", "Function name"}, {"c0040", "LEI of the financial entity"},
		{"c0050", "Criticality or importance assessment"}, {"c0060", "Reasons for criticality or importance"},
		{"c0070", "Date of the last assessment of criticality or importance"}, {"c0080", "Recovery time objective of the function"},
		{"c0090", "Recovery point objective of the function"}, {"c0100", "Impact of discontinuing the function"}}},
	{"B_07.01", "Assessment of the ICT services", []Column{
		{"c0010", "Contractual arrangement reference number"}, {"c0020", "Identification code of the ICT third-party service provider"},
		{"c0030", "Type of code to identify the ICT third-party service provider"}, {"c0040", "Type of ICT services"},
		{"c0050", "Substitutability of the ICT third-party service provider"}, {"c0060", "Reason if the ICT third-party service provider is considered not substitutable or difficult to be substitutable"},
		{"c0070", "Date of the last audit on the ICT third-party service provider"}, {"c0080", "Existence of an exit plan"},
		{"c0090", "Possibility of reintegration of the contracted ICT service"}, {"c0100", "Impact of discontinuing the ICT services"},
		{"c0110", "Are there alternative ICT third-party service providers identified?"}, {"c0120", "Identification of alternative ICT TPP"}}},
}

// template returns the template of code (one of Templates).
func template(code string) Template {
	for _, t := range Templates {
		if t.Code == code {
			return t
		}
	}
	panic("dora: unknown template " + code)
}
