package contracts

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"rampart/app/auth"
	"rampart/app/contracts/terms"
	"rampart/models"
)

// The contract record keeps its own fields (dates, renewal, notice,
// value) for lists, the calendar and the cancel-by date; its document
// says what was agreed. This file keeps the two in step: what the latest
// document says is proposed for the record field by field, and where the
// record disagrees with terms legal has confirmed, the confirmed terms
// govern the dates and sign-off asks for a reason.

// recordLabels name the record fields for people.
var recordLabels = map[string]string{"effective_date": "Effective date", "initial_term": "Initial term", "auto_renewal": "Renewal",
	"renewal_term": "Renewal term", "notice": "Notice to cancel", "value": "Value"}

// RecordField compares one field of the record with the latest document.
type RecordField struct {
	Field  string `json:"field"`
	Label  string `json:"label"`
	Record string `json:"record" description:"what the record says, \"\" when it says nothing"`
	// Document is what the latest document says, nil when it is silent.
	Document *terms.Proposal `json:"document"`
	Differs  bool            `json:"differs" description:"the document states a value the record does not hold"`
}

// Disagreement is a record field that contradicts a term legal confirmed.
type Disagreement struct {
	Field     string `json:"field"`
	Label     string `json:"label"`
	Record    string `json:"record"`
	Confirmed string `json:"confirmed"`
}

// RecordCheck is the record beside its latest document and its confirmed
// terms.
type RecordCheck struct {
	DocumentNumber int64          `json:"document_number" description:"the document read; 0 when there is none with text"`
	Fields         []RecordField  `json:"fields"`
	Disagreements  []Disagreement `json:"disagreements"`
}

// recordValue is what the record says about a field, as people read it;
// "" when it says nothing.
func recordValue(c *models.Contract, field string) string {
	switch field {
	case "effective_date":
		return c.EffectiveDate
	case "initial_term":
		if c.InitialTermMonths > 0 {
			return monthsText(c.InitialTermMonths)
		}
	case "auto_renewal":
		switch {
		case c.RenewalUnknown:
		case c.AutoRenewal:
			return "Renews automatically"
		default:
			return "Does not renew automatically"
		}
	case "renewal_term":
		if c.RenewalTermMonths > 0 {
			return monthsText(c.RenewalTermMonths)
		}
	case "notice":
		if c.NoticePeriod > 0 {
			return strconv.FormatInt(c.NoticePeriod, 10) + " " + c.NoticeUnit
		}
	case "value":
		if c.Value > 0 {
			return c.Currency + " " + commas(c.Value)
		}
	}
	return ""
}

func monthsText(n int64) string {
	switch {
	case n == 12:
		return "1 year"
	case n%12 == 0:
		return strconv.FormatInt(n/12, 10) + " years"
	case n == 1:
		return "1 month"
	}
	return strconv.FormatInt(n, 10) + " months"
}

func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// latestProposals reads the newest document that has text.
func (s *Service) latestProposals(ctx context.Context, id string) (int64, []terms.Proposal, error) {
	docs, err := models.ContractDocuments(ctx, s.DB, id)
	if err != nil {
		return 0, nil, err
	}
	for _, d := range docs {
		if d.NeedsOCR {
			continue
		}
		doc, err := models.GetContractDocument(ctx, s.DB, id, d.ID)
		if err != nil {
			return 0, nil, err
		}
		var starts []int
		_ = json.Unmarshal([]byte(doc.PageStarts), &starts)
		return doc.Number, terms.Record(doc.Text, starts, terms.Extract(doc.Text, starts)), nil
	}
	return 0, nil, nil
}

// CheckRecord sets the record beside its latest document and its
// confirmed terms.
func (s *Service) CheckRecord(ctx context.Context, id string) (*RecordCheck, error) {
	c, err := models.GetContract(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	number, ps, err := s.latestProposals(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &RecordCheck{DocumentNumber: number, Fields: []RecordField{}, Disagreements: []Disagreement{}}
	for _, f := range terms.RecordFields {
		rf := RecordField{Field: f, Label: recordLabels[f], Record: recordValue(c, f)}
		if i := slices.IndexFunc(ps, func(p terms.Proposal) bool { return p.Field == f }); i >= 0 {
			p := ps[i]
			rf.Document = &p
			rf.Differs = !holds(c, p)
		}
		out.Fields = append(out.Fields, rf)
	}
	ts, err := models.ContractTerms(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	out.Disagreements = disagreements(c, ts)
	return out, nil
}

// holds reports whether the record already has every value p proposes.
func holds(c *models.Contract, p terms.Proposal) bool {
	for k, v := range p.Set {
		var got any
		switch k {
		case "effective_date":
			got = c.EffectiveDate
		case "initial_term_months":
			got = int(c.InitialTermMonths)
		case "auto_renewal":
			if c.RenewalUnknown {
				return false
			}
			got = c.AutoRenewal
		case "renewal_term_months":
			got = int(c.RenewalTermMonths)
		case "notice_period":
			got = int(c.NoticePeriod)
		case "notice_unit":
			got = c.NoticeUnit
		case "value":
			got = c.Value
		case "currency":
			got = c.Currency
		}
		if fmt.Sprint(got) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// rules is what governs a contract's dates: the record, with the renewal,
// renewal term and notice legal confirmed in the document in its place.
type rules struct {
	autoRenewal   bool
	renewalMonths int
	notice        Notice
}

func confirmedTerm(ts map[string]models.ContractTerm, key string) (map[string]any, bool) {
	t, ok := ts[key]
	if !ok || (t.ReviewState != TermConfirmed && t.ReviewState != TermCorrected) || !t.Found {
		return nil, false
	}
	var n map[string]any
	if json.Unmarshal([]byte(t.Normalized), &n) != nil || n == nil {
		return nil, false
	}
	return n, true
}

func governing(c *models.Contract, ts map[string]models.ContractTerm) rules {
	r := rules{autoRenewal: c.AutoRenewal, renewalMonths: int(c.RenewalTermMonths), notice: Notice{N: int(c.NoticePeriod), Unit: c.NoticeUnit}}
	if n, ok := confirmedTerm(ts, "auto_renewal"); ok {
		if present, ok := n["present"].(bool); ok {
			r.autoRenewal = present
		}
	}
	if n, ok := confirmedTerm(ts, "renewal_term"); ok {
		if m, ok := termMonths(n); ok {
			r.renewalMonths = m
		}
	}
	if n, ok := confirmedTerm(ts, "non_renewal_notice"); ok {
		if p, unit, ok := termNotice(n); ok {
			r.notice = Notice{N: p, Unit: unit}
		}
	}
	return r
}

func termMonths(n map[string]any) (int, bool) {
	if f, ok := n["months"].(float64); ok && f > 0 {
		return int(f), true
	}
	if f, ok := n["years"].(float64); ok && f > 0 {
		return int(f * 12), true
	}
	return 0, false
}

func termNotice(n map[string]any) (int, string, bool) {
	if f, ok := n["days"].(float64); ok && f > 0 {
		return int(f), "days", true
	}
	if f, ok := n["weeks"].(float64); ok && f > 0 {
		return int(f) * 7, "days", true
	}
	if f, ok := n["months"].(float64); ok && f > 0 {
		return int(f), "months", true
	}
	return 0, "", false
}

// disagreements lists the record fields that contradict confirmed terms.
func disagreements(c *models.Contract, ts map[string]models.ContractTerm) []Disagreement {
	out := []Disagreement{}
	add := func(field, record, confirmed string) {
		out = append(out, Disagreement{Field: field, Label: recordLabels[field], Record: record, Confirmed: confirmed})
	}
	g := governing(c, ts)
	if _, ok := confirmedTerm(ts, "auto_renewal"); ok && (g.autoRenewal != c.AutoRenewal || c.RenewalUnknown) {
		confirmed := "Does not renew automatically"
		if g.autoRenewal {
			confirmed = "Renews automatically"
		}
		add("auto_renewal", orNone(recordValue(c, "auto_renewal")), confirmed)
	}
	if _, ok := confirmedTerm(ts, "renewal_term"); ok && g.renewalMonths != int(c.RenewalTermMonths) {
		add("renewal_term", orNone(recordValue(c, "renewal_term")), monthsText(int64(g.renewalMonths)))
	}
	if _, ok := confirmedTerm(ts, "non_renewal_notice"); ok && (g.notice.N != int(c.NoticePeriod) || g.notice.Unit != c.NoticeUnit) {
		add("notice", orNone(recordValue(c, "notice")), strconv.Itoa(g.notice.N)+" "+g.notice.Unit)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not recorded"
	}
	return s
}

// AcceptRecord copies the chosen fields from the latest document into the
// record, as proposed by the server (never values sent by the client),
// and records the quotes they come from.
func (s *Service) AcceptRecord(ctx context.Context, p *auth.Principal, id string, version int64, fields []string, o auth.Origin) (*models.Contract, error) {
	if len(fields) == 0 {
		return nil, models.Invalid("fields", "choose at least one field to take from the document")
	}
	_, ps, err := s.latestProposals(ctx, id)
	if err != nil {
		return nil, err
	}
	var f Fields
	quotes := map[string]string{}
	var errs []models.FieldError
	for i, field := range fields {
		j := slices.IndexFunc(ps, func(p terms.Proposal) bool { return p.Field == field })
		if j < 0 {
			errs = append(errs, models.FieldError{Field: fmt.Sprintf("fields[%d]", i), Message: fmt.Sprintf("the document does not state %q", field)})
			continue
		}
		for k, v := range ps[j].Set {
			setField(&f, k, v)
		}
		quotes[field] = ps[j].Value + ": " + ps[j].Evidence.Quote
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	return s.update(ctx, p, id, version, f, o, "contract.record.accept", map[string]any{"from_document": quotes})
}

func setField(f *Fields, k string, v any) {
	str := func(x any) *string { s := fmt.Sprint(x); return &s }
	i64 := func(x any) *int64 {
		n, _ := strconv.ParseInt(fmt.Sprint(x), 10, 64)
		return &n
	}
	switch k {
	case "effective_date":
		f.EffectiveDate = str(v)
	case "initial_term_months":
		f.InitialTermMonths = i64(v)
	case "auto_renewal":
		b, _ := v.(bool)
		f.AutoRenewal = &b
	case "renewal_term_months":
		f.RenewalTermMonths = i64(v)
	case "notice_period":
		f.NoticePeriod = i64(v)
	case "notice_unit":
		f.NoticeUnit = str(v)
	case "value":
		f.Value = i64(v)
	case "currency":
		f.Currency = str(strings.ToUpper(fmt.Sprint(v)))
	}
}
