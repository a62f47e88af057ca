package dora

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"rampart/models"
)

// Record names the record a value comes from, so the report can say what
// to fill and where.
type Record struct {
	Type string `json:"type" enum:"settings,vendor,contract"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Issue is one problem of the register: a cell of a template's row
// (Row counts data rows from 1) and the field of Record that fixes it.
type Issue struct {
	Template   string `json:"template"`
	Row        int    `json:"row"`
	Column     string `json:"column"`
	ColumnName string `json:"column_name"`
	Kind       string `json:"kind" enum:"missing,invalid_lei,invalid_code,invalid_country,invalid_currency,invalid_date,conflict"`
	Message    string `json:"message"`
	Record     Record `json:"record"`
	Field      string `json:"field"`
}

// Table is one template's rows.
type Table struct {
	Template Template
	Rows     [][]string
}

// Register is the register built from the records, with its issues.
type Register struct {
	Tables []Table
	Issues []Issue
	// Date is the reporting date (B_01.01 c0060).
	Date string
	// RefPeriod is the reference date of the report package
	// (parameters.csv): the 31 December before Date.
	RefPeriod string
	// LEI, Country and Currency are our entity's, as the settings hold them
	// (they name the package and fill its parameters).
	LEI, Country, Currency string
}

// Valid reports whether the register has no issue.
func (r *Register) Valid() bool { return len(r.Issues) == 0 }

// Table returns the rows of template code.
func (r *Register) Table(code string) Table {
	for _, t := range r.Tables {
		if t.Template.Code == code {
			return t
		}
	}
	return Table{Template: template(code)}
}

// Rules of a cell, checked on the value before it is written.
type rule int

const (
	text rule = iota
	lei
	country
	currencyCode
	date
	number
)

// cell is one value to write with what it must be.
type cell struct {
	col      string
	value    string
	required bool
	rule     rule
	codes    CodeList
	field    string
	// rec overrides the row's record (a vendor's value in a contract row).
	rec *Record
}

type builder struct {
	reg    *Register
	tables map[string]*Table
}

// row appends a row to template code, checking each cell; values are
// written as the register wants them (prefixed country and currency codes).
func (b *builder) row(code string, rec Record, cells ...cell) {
	t := b.tables[code]
	out := make([]string, len(t.Template.Columns))
	n := len(t.Rows) + 1
	for _, c := range cells {
		i := slices.IndexFunc(t.Template.Columns, func(col Column) bool { return col.Code == c.col })
		r := rec
		if c.rec != nil {
			r = *c.rec
		}
		issue := func(kind, msg string) {
			b.reg.Issues = append(b.reg.Issues, Issue{Template: code, Row: n, Column: c.col, ColumnName: t.Template.Columns[i].Name,
				Kind: kind, Message: msg, Record: r, Field: c.field})
		}
		v := strings.TrimSpace(c.value)
		if v == "" {
			if c.required {
				issue("missing", "is required")
			}
			continue
		}
		switch {
		case c.codes != nil:
			if !c.codes.Has(v) {
				issue("invalid_code", fmt.Sprintf("%q is not one of the register's codes", v))
			}
		case c.rule == lei:
			if err := CheckLEI(v); err != nil {
				issue("invalid_lei", "LEI "+err.Error())
			}
		case c.rule == country:
			if !ValidCountry(v) {
				issue("invalid_country", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", v))
			}
			v = "eba_GA:" + v
		case c.rule == currencyCode:
			if !ValidCurrency(v) {
				issue("invalid_currency", fmt.Sprintf("%q is not an ISO 4217 currency code", v))
			}
			v = "eba_CU:" + v
		case c.rule == date:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				issue("invalid_date", fmt.Sprintf("%q is not a date (YYYY-MM-DD)", v))
			}
		}
		out[i] = v
	}
	t.Rows = append(t.Rows, out)
}

func (b *builder) conflict(code string, row int, col string, rec Record, field, msg string) {
	t := template(code)
	i := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Code == col })
	b.reg.Issues = append(b.reg.Issues, Issue{Template: code, Row: row, Column: col, ColumnName: t.Columns[i].Name,
		Kind: "conflict", Message: msg, Record: rec, Field: field})
}

// Build makes the register of d as of today.
func Build(d *models.DORARegisterData, today time.Time) *Register {
	reg := &Register{Date: today.UTC().Format(time.DateOnly), RefPeriod: RefPeriod(today)}
	b := &builder{reg: reg, tables: map[string]*Table{}}
	for _, t := range Templates {
		b.tables[t.Code] = &Table{Template: t}
	}
	st := d.Settings
	reg.LEI, reg.Country, reg.Currency = st.LEI, st.Country, st.Currency
	self := Record{Type: "settings", ID: st.ID, Name: "Our entity"}
	if st.Name != "" {
		self.Name = st.Name
	}
	entityLEI := cell{value: st.LEI, required: true, rule: lei, field: "lei", rec: &self}
	at := func(col string, c cell) cell { c.col = col; return c }

	b.row("B_01.01", self, at("c0010", entityLEI), cell{col: "c0020", value: st.Name, required: true, field: "name"},
		cell{col: "c0030", value: st.Country, required: true, rule: country, field: "country"},
		cell{col: "c0040", value: st.EntityType, required: true, codes: EntityTypes, field: "entity_type"},
		cell{col: "c0050", value: st.CompetentAuthority, required: true, field: "competent_authority"},
		cell{col: "c0060", value: reg.Date, rule: date})
	parent := st.ParentLEI
	if parent == "" && st.Hierarchy == "eba_RP:x53" {
		// An ultimate parent is its own direct parent in the register.
		parent = st.LEI
	}
	assets := ""
	if st.TotalAssets > 0 {
		assets = strconv.FormatInt(st.TotalAssets, 10)
	}
	b.row("B_01.02", self, at("c0010", entityLEI), cell{col: "c0020", value: st.Name, required: true, field: "name"},
		cell{col: "c0030", value: st.Country, required: true, rule: country, field: "country"},
		cell{col: "c0040", value: st.EntityType, required: true, codes: EntityTypes, field: "entity_type"},
		cell{col: "c0050", value: st.Hierarchy, required: true, codes: Hierarchies, field: "hierarchy"},
		cell{col: "c0060", value: parent, required: true, rule: lei, field: "parent_lei"},
		cell{col: "c0070", value: st.UpdatedAt.UTC().Format(time.DateOnly), rule: date},
		cell{col: "c0080", value: st.CreatedAt.UTC().Format(time.DateOnly), rule: date},
		cell{col: "c0090", value: models.NoDate, rule: date},
		cell{col: "c0100", value: st.Currency, required: true, rule: currencyCode, field: "currency"},
		cell{col: "c0110", value: assets, required: true, field: "total_assets"})
	if st.ID == "" || st.CreatedAt.IsZero() {
		// Never saved: the dates above are meaningless, the fields empty.
		b.tables["B_01.02"].Rows[0][6], b.tables["B_01.02"].Rows[0][7] = reg.Date, reg.Date
	}

	for _, br := range st.BranchList() {
		b.row("B_01.03", self, cell{col: "c0010", value: br.Code, required: true, field: "branches"},
			withCol(entityLEI, "c0020"), cell{col: "c0030", value: br.Name, required: true, field: "branches"},
			cell{col: "c0040", value: br.Country, required: true, rule: country, field: "branches"})
	}

	contracts(b, d, entityLEI)
	for _, t := range Templates {
		reg.Tables = append(reg.Tables, *b.tables[t.Code])
	}
	return reg
}

// contractRecord names a contract with its vendor: many are called
// "Master services agreement".
func contractRecord(c models.Contract, v models.Vendor) Record {
	name := c.Title
	if v.Name != "" {
		name += " with " + v.Name
	}
	return Record{Type: "contract", ID: c.ID, Name: name}
}

func vendorRecord(v models.Vendor) Record { return Record{Type: "vendor", ID: v.ID, Name: v.Name} }

// LEICode is the "type of code" written beside an LEI (the taxonomy's
// eba_qCO:qx2000; docs/dora.md names the sources).
const LEICode = "eba_qCO:qx2000"

// RefPeriod is the reference date of a register filed on today: the
// 31 December of the year before (the annual register is as of year end).
func RefPeriod(today time.Time) string {
	return fmt.Sprintf("%04d-12-31", today.UTC().Year()-1)
}

// providerCells are a provider's identification code and its type: the
// LEI, the only code this register keeps.
func providerCells(v models.Vendor, codeCol, typeCol string) []cell {
	r := vendorRecord(v)
	typ := ""
	if v.LEI != "" {
		typ = LEICode
	}
	return []cell{{col: codeCol, value: v.LEI, required: true, rule: lei, field: "lei", rec: &r}, {col: typeCol, value: typ, rec: &r}}
}

func contracts(b *builder, d *models.DORARegisterData, entityLEI cell) {
	byID := map[string]models.Contract{}
	children := map[string]bool{}
	for _, c := range d.Contracts {
		byID[c.ID] = c
		if c.ParentID != nil {
			children[*c.ParentID] = true
		}
	}
	at := func(col string, c cell) cell { c.col = col; return c }
	refs := map[string]int{}
	type spend struct {
		total      int64
		currencies []string
	}
	spends := map[string]*spend{}
	var providers []string
	type function struct {
		c   models.Contract
		row int
	}
	functions := map[string]function{}
	var functionOrder []string
	for _, c := range d.Contracts {
		v := d.Vendors[c.VendorID]
		rec := contractRecord(c, v)
		x := c.DORA
		ref := cell{value: x.Reference, required: true, field: "dora_reference"}
		if x.Reference != "" {
			refs[x.Reference]++
			if refs[x.Reference] == 2 {
				b.conflict("B_02.01", len(b.tables["B_02.01"].Rows)+1, "c0010", rec, "dora_reference",
					fmt.Sprintf("reference %q is used by another contract in the register", x.Reference))
			}
		}
		kind, over := "eba_CO:x1", ""
		if p, ok := byID[deref(c.ParentID)]; ok {
			kind, over = "eba_CO:x3", p.DORA.Reference
		} else if children[c.ID] {
			kind = "eba_CO:x2"
		}
		value := ""
		if c.Value > 0 {
			value = strconv.FormatInt(c.Value, 10)
		}
		b.row("B_02.01", rec, at("c0010", ref), cell{col: "c0020", value: kind},
			cell{col: "c0030", value: over, required: kind == "eba_CO:x3", field: "dora_reference"},
			cell{col: "c0040", value: c.Currency, required: true, rule: currencyCode, field: "currency"},
			cell{col: "c0050", value: value, required: true, field: "value"})

		critical := x.Criticality == "eba_BT:x28"
		stores := x.StoresData == "eba_BT:x28"
		end := c.EndDate
		if end == "" {
			end = c.CurrentTermEnd
		}
		if end == "" {
			end = models.NoDate
		}
		notice := ""
		if c.NoticePeriod > 0 {
			days := c.NoticePeriod
			if c.NoticeUnit == "months" {
				days *= 30
			}
			notice = strconv.FormatInt(days, 10)
		}
		providerNotice := ""
		if x.ProviderNoticeDays > 0 {
			providerNotice = strconv.FormatInt(x.ProviderNoticeDays, 10)
		}
		ict := ict(x.ICTServiceType)
		vrec := vendorRecord(v)
		cells := []cell{at("c0010", ref), at("c0020", entityLEI)}
		cells = append(cells, providerCells(v, "c0030", "c0040")...)
		cells = append(cells,
			cell{col: "c0050", value: x.FunctionID, required: true, field: "dora_function_id"},
			ict,
			cell{col: "c0070", value: c.EffectiveDate, required: true, rule: date, field: "effective_date"},
			cell{col: "c0080", value: end, required: true, rule: date, field: "end_date"},
			cell{col: "c0090", value: x.TerminationReason, required: c.Status == "terminated", codes: TerminationReasons, field: "dora_termination_reason"},
			cell{col: "c0100", value: notice, required: critical, field: "notice_period"},
			cell{col: "c0110", value: providerNotice, required: critical, field: "dora_provider_notice_days"},
			cell{col: "c0120", value: x.GoverningLaw, required: critical, rule: country, field: "dora_governing_law"},
			cell{col: "c0130", value: v.DORA.Country, required: critical, rule: country, field: "dora_country", rec: &vrec},
			cell{col: "c0140", value: x.StoresData, required: critical, codes: YesNo, field: "dora_stores_data"},
			cell{col: "c0150", value: x.StorageLocation, required: stores, rule: country, field: "dora_storage_location"},
			cell{col: "c0160", value: x.ProcessingLocation, required: critical, rule: country, field: "dora_processing_location"},
			cell{col: "c0170", value: x.DataSensitiveness, required: critical && stores, codes: Sensitiveness, field: "dora_data_sensitiveness"},
			cell{col: "c0180", value: x.Reliance, required: critical, codes: RelianceLevels, field: "dora_reliance"})
		b.row("B_02.02", rec, cells...)

		if kind == "eba_CO:x3" {
			// The link to the overarching arrangement, both in the register.
			b.row("B_02.03", rec, at("c0010", ref), cell{col: "c0020", value: over, required: true, field: "dora_reference"},
				cell{col: "c0030", value: "true"})
		}
		b.row("B_03.01", rec, at("c0010", ref), at("c0020", entityLEI), cell{col: "c0030", value: "true"})
		b.row("B_03.02", rec, append([]cell{at("c0010", ref)}, providerCells(v, "c0020", "c0030")...)...)
		if v.DORA.IntraGroup {
			b.row("B_03.03", rec, at("c0010", ref), cell{col: "c0020", value: v.LEI, required: true, rule: lei, field: "lei", rec: &vrec},
				cell{col: "c0031", value: "true"})
		}
		b.row("B_04.01", rec, at("c0010", ref), at("c0020", entityLEI), cell{col: "c0030", value: "eba_ZZ:x839"})

		s := spends[v.ID]
		if s == nil {
			s = &spend{}
			spends[v.ID] = s
			providers = append(providers, v.ID)
		}
		s.total += c.Value
		if c.Currency != "" && !slices.Contains(s.currencies, c.Currency) {
			s.currencies = append(s.currencies, c.Currency)
		}

		b.row("B_05.02", rec, append([]cell{at("c0010", ref), withCol(ict, "c0020"), {col: "c0050", value: "1"}},
			providerCells(v, "c0030", "c0040")...)...)
		if critical {
			for _, l := range d.Chains[c.VendorID] {
				parent := d.Vendors[l.ParentID]
				cells := []cell{at("c0010", ref), withCol(ict, "c0020"), {col: "c0050", value: strconv.Itoa(l.Rank)}}
				if l.VendorID == nil {
					pr := vendorRecord(parent)
					cells = append(cells, cell{col: "c0030", required: true, field: "subprocessors", rec: &pr})
				} else {
					sub := d.Vendors[*l.VendorID]
					cells = append(cells, providerCells(sub, "c0030", "c0040")...)
					if !slices.Contains(providers, sub.ID) {
						providers = append(providers, sub.ID)
					}
				}
				cells = append(cells, providerCells(parent, "c0060", "c0070")...)
				b.row("B_05.02", rec, cells...)
			}
		}

		if x.FunctionID != "" {
			if f, ok := functions[x.FunctionID]; ok {
				if f.c.DORA.FunctionName != x.FunctionName || f.c.DORA.Criticality != x.Criticality || f.c.DORA.LicensedActivity != x.LicensedActivity {
					b.conflict("B_06.01", f.row, "c0010", rec, "dora_function_id",
						fmt.Sprintf("function %s is described differently on %q (name, licensed activity or criticality)", x.FunctionID, f.c.Title))
				}
			} else {
				functions[x.FunctionID] = function{c: c, row: len(functionOrder) + 1}
				functionOrder = append(functionOrder, x.FunctionID)
			}
		}

		b.row("B_07.01", rec, append(append([]cell{at("c0010", ref)}, providerCells(v, "c0020", "c0030")...),
			withCol(ict, "c0040"),
			cell{col: "c0050", value: x.Substitutability, required: true, codes: Substitutability, field: "dora_substitutability"},
			cell{col: "c0060", value: x.SubstitutionReason, required: x.Substitutability == "eba_ZZ:x959" || x.Substitutability == "eba_ZZ:x960",
				codes: SubstituteReasons, field: "dora_substitution_reason"},
			cell{col: "c0070", value: x.LastAudit, required: critical, rule: date, field: "dora_last_audit"},
			cell{col: "c0080", value: x.ExitPlan, required: true, codes: YesNo, field: "dora_exit_plan"},
			cell{col: "c0090", value: x.Reintegration, required: true, codes: Reintegration, field: "dora_reintegration"},
			cell{col: "c0100", value: x.DiscontinuingImpact, required: true, codes: Impacts, field: "dora_discontinuing_impact"},
			cell{col: "c0110", value: x.Alternatives, required: true, codes: YesNoNotAssessed, field: "dora_alternatives"},
			cell{col: "c0120", value: x.AlternativeProviders})...)
	}

	for _, id := range functionOrder {
		c := functions[id].c
		x := c.DORA
		rec := contractRecord(c, d.Vendors[c.VendorID])
		critical := x.Criticality == "eba_BT:x28"
		hours := func(h int64) string {
			if h <= 0 {
				return ""
			}
			return strconv.FormatInt(h, 10)
		}
		b.row("B_06.01", rec, cell{col: "c0010", value: id},
			cell{col: "c0020", value: x.LicensedActivity, required: true, codes: LicensedActivities, field: "dora_licensed_activity"},
			cell{col: "c0030", value: x.FunctionName, required: true, field: "dora_function_name"},
			withCol(entityLEI, "c0040"),
			cell{col: "c0050", value: x.Criticality, required: true, codes: YesNoNotAssessed, field: "dora_criticality"},
			cell{col: "c0060", value: x.CriticalityReason},
			cell{col: "c0070", value: x.CriticalityAssessed, required: true, rule: date, field: "dora_criticality_assessed_on"},
			cell{col: "c0080", value: hours(x.RTOHours), required: critical, field: "dora_rto_hours"},
			cell{col: "c0090", value: hours(x.RPOHours), required: critical, field: "dora_rpo_hours"},
			cell{col: "c0100", value: x.FunctionImpact, required: true, codes: Impacts, field: "dora_function_impact"})
	}

	for _, id := range providers {
		v := d.Vendors[id]
		rec := vendorRecord(v)
		s := spends[id]
		cur, total := "", ""
		if s != nil {
			total = strconv.FormatInt(s.total, 10)
			if len(s.currencies) > 0 {
				cur = s.currencies[0]
			}
		}
		legal := v.LegalName
		if legal == "" {
			legal = v.Name
		}
		parentType := ""
		if v.DORA.ParentLEI != "" {
			parentType = LEICode
		}
		b.row("B_05.01", rec, append(providerCells(v, "c0010", "c0020"),
			cell{col: "c0050", value: legal, required: true, field: "legal_name"},
			cell{col: "c0060", value: v.Name, required: true, field: "name"},
			cell{col: "c0070", value: v.DORA.PersonType, required: true, codes: PersonTypes, field: "dora_person_type"},
			cell{col: "c0080", value: v.DORA.Country, required: true, rule: country, field: "dora_country"},
			cell{col: "c0090", value: cur, rule: currencyCode},
			cell{col: "c0100", value: total},
			cell{col: "c0110", value: v.DORA.ParentLEI, rule: lei, field: "dora_parent_lei"},
			cell{col: "c0120", value: parentType})...)
		if s != nil && len(s.currencies) > 1 {
			b.conflict("B_05.01", len(b.tables["B_05.01"].Rows), "c0090", rec, "currency",
				fmt.Sprintf("the provider's contracts are in several currencies (%s): the total needs one", strings.Join(s.currencies, ", ")))
		}
	}
}

// ict is the ICT service type cell: stored as S01..S19, written with the
// register's prefix.
func ict(code string) cell {
	c := cell{col: "c0060", value: code, required: true, codes: ICTServiceTypes, field: "dora_ict_service_type"}
	if ICTServiceTypes.Has(code) {
		c.value, c.codes = "eba_TA:"+code, CodeList{{Code: "eba_TA:" + code}}
	}
	return c
}

func withCol(c cell, col string) cell { c.col = col; return c }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
