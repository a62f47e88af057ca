package contracts

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/customfields"
	"rampart/models"
)

// Vocabularies.
var (
	Types    = []string{"msa", "dpa", "sla", "order_form", "nda", "baa", "other"}
	Statuses = []string{"draft", "legal_review", "approved", "signed", "expired", "terminated"}
)

// Fields are a contract's editable fields; nil is not given.
type Fields struct {
	VendorID, ParentID, Title, Type, Status, EffectiveDate, EndDate, NoticeUnit, Currency, OwnerID *string
	InitialTermMonths, RenewalTermMonths, NoticePeriod, Value                                      *int64
	AutoRenewal                                                                                    *bool
	// BusinessUnitIDs, when given, replace the vendor's units as the
	// contract's on create; on update they are what a person sets them to
	// (a scoped editor's other units are kept: models.MergeUnits).
	BusinessUnitIDs *[]string
	// CustomFields are custom field values by key; see vendors.Input.
	CustomFields map[string]json.RawMessage
}

// Service creates and changes contracts.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
}

func (s *Service) today() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	y, m, d := now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// apply validates f onto c and computes the end, the current term and the
// cancel-by date: an end date given wins over one computed from the
// effective date and the initial term.
func (s *Service) apply(ctx context.Context, db *gorm.DB, c *models.Contract, f Fields) error {
	var errs []models.FieldError
	bad := func(field, msg string) { errs = append(errs, models.FieldError{Field: field, Message: msg}) }
	str := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	str(f.Title, &c.Title)
	str(f.Currency, &c.Currency)
	c.Currency = strings.ToUpper(c.Currency)
	for _, v := range []struct {
		field   string
		in      *string
		dst     *string
		allowed []string
	}{{"type", f.Type, &c.Type, Types}, {"status", f.Status, &c.Status, Statuses}, {"notice_unit", f.NoticeUnit, &c.NoticeUnit, []string{"days", "months"}}} {
		if v.in == nil {
			continue
		}
		if !slices.Contains(v.allowed, *v.in) {
			bad(v.field, "must be one of: "+strings.Join(v.allowed, ", "))
			continue
		}
		*v.dst = *v.in
	}
	for _, d := range []struct {
		field string
		in    *string
		dst   *string
	}{{"effective_date", f.EffectiveDate, &c.EffectiveDate}, {"end_date", f.EndDate, &c.EndDate}} {
		if d.in == nil {
			continue
		}
		if *d.in != "" {
			if _, err := time.Parse(time.DateOnly, *d.in); err != nil {
				bad(d.field, "must be a date such as 2027-01-31")
				continue
			}
		}
		*d.dst = *d.in
	}
	for _, n := range []struct {
		field string
		in    *int64
		dst   *int64
		max   int64
	}{{"initial_term_months", f.InitialTermMonths, &c.InitialTermMonths, 240}, {"renewal_term_months", f.RenewalTermMonths, &c.RenewalTermMonths, 120},
		{"notice_period", f.NoticePeriod, &c.NoticePeriod, 3650}, {"value", f.Value, &c.Value, 1e15}} {
		if n.in == nil {
			continue
		}
		if *n.in < 0 || *n.in > n.max {
			bad(n.field, "must be between 0 and "+strconv.FormatInt(n.max, 10))
			continue
		}
		*n.dst = *n.in
	}
	if f.AutoRenewal != nil {
		c.AutoRenewal, c.RenewalUnknown = *f.AutoRenewal, false
	}
	if f.VendorID != nil {
		if _, err := models.GetVendor(ctx, db, *f.VendorID); err != nil {
			bad("vendor_id", "is not a vendor")
		} else {
			c.VendorID = *f.VendorID
		}
	}
	if f.ParentID != nil {
		if *f.ParentID == "" {
			c.ParentID = nil
		} else if p, err := models.GetContract(ctx, db, *f.ParentID); err != nil || p.VendorID != c.VendorID || p.ID == c.ID {
			bad("parent_id", "must be another contract with the same vendor")
		} else {
			c.ParentID = &p.ID
		}
	}
	if f.OwnerID != nil {
		if *f.OwnerID == "" {
			c.OwnerID = nil
		} else if u, err := models.UserByID(ctx, db, *f.OwnerID); err != nil || !u.Active {
			bad("owner_id", "is not an active user")
		} else {
			c.OwnerID = &u.ID
		}
	}
	if c.Title == "" {
		bad("title", "is required")
	}
	if c.Value > 0 && len(c.Currency) != 3 {
		bad("currency", "must be a three-letter ISO 4217 code when value is given")
	}
	if err := applyCustom(ctx, db, c, f.CustomFields, &errs); err != nil {
		return err
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	var ts map[string]models.ContractTerm
	if c.ID != "" {
		var err error
		if ts, err = models.ContractTerms(ctx, db, c.ID); err != nil {
			return err
		}
	}
	s.computeDates(c, ts)
	return nil
}

// computeDates fills the end date (from the effective date and initial
// term when no end date is given), the current term's end and the
// cancel-by date. Where legal has confirmed the renewal, renewal term or
// notice in the document, those govern the dates, not the record's
// fields: the document is what binds the parties.
func (s *Service) computeDates(c *models.Contract, confirmed map[string]models.ContractTerm) {
	defer c.SetUrgency()
	r := governing(c, confirmed)
	end, err := time.Parse(time.DateOnly, c.EndDate)
	if err != nil {
		if start, serr := time.Parse(time.DateOnly, c.EffectiveDate); serr == nil && c.InitialTermMonths > 0 {
			end = TermEnd(start, int(c.InitialTermMonths))
			c.EndDate = end.Format(time.DateOnly)
		} else {
			c.CurrentTermEnd, c.CancelBy = "", ""
			return
		}
	}
	cur, running := CurrentTerm(end, r.autoRenewal, r.renewalMonths, s.today())
	c.CurrentTermEnd = cur.Format(time.DateOnly)
	c.CancelBy = ""
	if running && r.autoRenewal {
		c.CancelBy = CancelBy(cur, r.notice).Format(time.DateOnly)
	}
}

// applyCustom checks the custom field values given onto c.
func applyCustom(ctx context.Context, db *gorm.DB, c *models.Contract, raw map[string]json.RawMessage, errs *[]models.FieldError) error {
	if raw == nil {
		return nil
	}
	k, err := customfields.NewChecker(ctx, db, "contract")
	if err != nil {
		return err
	}
	checked, err := k.Check(ctx, raw, c.CustomFields, false)
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		*errs = append(*errs, ve.Errors...)
	case err != nil:
		return err
	case checked != nil:
		c.CustomFields = checked.Values
	}
	return nil
}

// saveCustom stores c's custom values when the input gave some.
func saveCustom(ctx context.Context, tx *gorm.DB, c *models.Contract, raw map[string]json.RawMessage) error {
	if raw == nil {
		return nil
	}
	fields, err := models.ListCustomFields(ctx, tx, "contract", false)
	if err != nil {
		return err
	}
	return models.SaveCustomValues(ctx, tx, "contract", c.ID, fields, c.CustomFields)
}

// view is what the audit trail records of a contract; set too, when
// custom_fields is taken out.
func view(c *models.Contract) map[string]any {
	return map[string]any{"custom_fields": map[string]any(c.CustomFields), "title": c.Title, "type": c.Type, "status": c.Status, "effective_date": c.EffectiveDate, "end_date": c.EndDate,
		"auto_renewal": c.AutoRenewal, "renewal_term_months": c.RenewalTermMonths, "notice": c.NoticePeriod, "notice_unit": c.NoticeUnit,
		"cancel_by": c.CancelBy, "value": c.Value, "currency": c.Currency, "renewal_unknown": c.RenewalUnknown}
}

// Create adds a contract.
func (s *Service) Create(ctx context.Context, p *auth.Principal, f Fields, o auth.Origin) (*models.Contract, error) {
	c := &models.Contract{Status: "draft", Type: "other", NoticeUnit: "days", RenewalUnknown: true}
	if f.VendorID == nil || *f.VendorID == "" {
		return nil, models.Invalid("vendor_id", "is required")
	}
	if err := s.apply(ctx, s.DB, c, f); err != nil {
		return nil, err
	}
	var err error
	if c.UnitIDs, err = models.UnitsForNew(ctx, s.DB, f.BusinessUnitIDs); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateContract(ctx, tx, c); err != nil {
			return err
		}
		if err := saveCustom(ctx, tx, c, f.CustomFields); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "contract.create", ObjectType: "contract", ObjectID: c.ID, AfterData: models.AuditJSON(view(c))})
	})
	return c, err
}

// Update changes a contract at version.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, f Fields, o auth.Origin) (*models.Contract, error) {
	return s.update(ctx, p, id, version, f, o, "contract.update", nil)
}

// update changes a contract and records action, with detail (such as the
// quotes accepted values come from) beside the change.
func (s *Service) update(ctx context.Context, p *auth.Principal, id string, version int64, f Fields, o auth.Origin, action string, detail map[string]any) (*models.Contract, error) {
	var out *models.Contract
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetContract(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			out = before
			return models.ErrConflict
		}
		next := *before
		if f.VendorID != nil && *f.VendorID != before.VendorID {
			return models.Invalid("vendor_id", "a contract cannot move to another vendor")
		}
		if f.EndDate == nil && (f.EffectiveDate != nil || f.InitialTermMonths != nil) {
			next.EndDate = "" // recompute from the new start or term
		}
		if err := s.apply(ctx, tx, &next, f); err != nil {
			return err
		}
		var unitsBefore, unitsAfter []string
		if f.BusinessUnitIDs != nil {
			if err := models.CheckUnits(ctx, tx, "business_unit_ids", *f.BusinessUnitIDs); err != nil {
				return err
			}
			if unitsBefore, unitsAfter, err = models.ChangeUnits(ctx, tx, models.UnitContract, id, *f.BusinessUnitIDs); err != nil {
				return err
			}
		}
		if err := saveCustom(ctx, tx, &next, f.CustomFields); err != nil {
			return err
		}
		set := view(&next)
		delete(set, "notice")
		delete(set, "custom_fields")
		set["notice_period"], set["current_term_end"], set["parent_id"], set["owner_id"] = next.NoticePeriod, next.CurrentTermEnd, next.ParentID, next.OwnerID
		set["initial_term_months"], set["urgency"] = next.InitialTermMonths, next.Urgency
		after, err := models.UpdateContract(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		vb, va := view(before), view(after)
		if f.BusinessUnitIDs != nil {
			vb["business_unit_ids"], va["business_unit_ids"] = unitsBefore, unitsAfter
		}
		b, a := models.AuditDiff(vb, va)
		ev := models.AuditEvent{Action: action, ObjectType: "contract", ObjectID: id, BeforeData: b, AfterData: a}
		if j := models.AuditJSON(detail); j != nil {
			ev.Detail = *j
		}
		return auth.Record(ctx, tx, p, o, ev)
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}
