package dora

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// A fieldRule checks and normalises one editable field; the field's name
// is its JSON name and its column.
type fieldRule func(v any) (any, string)

func textRule(max int) fieldRule {
	return func(v any) (any, string) {
		s, ok := v.(string)
		if !ok {
			return nil, "must be text"
		}
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) > max {
			return nil, fmt.Sprintf("must be at most %d characters", max)
		}
		return s, ""
	}
}

func checked(normal func(string) string, ok func(string) bool, msg string) fieldRule {
	return func(v any) (any, string) {
		s, isText := v.(string)
		if !isText {
			return nil, "must be text"
		}
		s = normal(strings.TrimSpace(s))
		if s != "" && !ok(s) {
			return nil, msg
		}
		return s, ""
	}
}

var (
	leiRule = func(v any) (any, string) {
		s, ok := v.(string)
		if !ok {
			return nil, "must be text"
		}
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" {
			return s, ""
		}
		if err := CheckLEI(s); err != nil {
			return nil, "LEI " + err.Error()
		}
		return s, ""
	}
	countryRule  = checked(strings.ToUpper, ValidCountry, "must be an ISO 3166-1 alpha-2 country code, like DE")
	currencyRule = checked(strings.ToUpper, ValidCurrency, "must be an ISO 4217 currency code, like EUR")
	dateRule     = checked(func(s string) string { return s }, func(s string) bool {
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	}, "must be a date, YYYY-MM-DD")
	countRule = func(v any) (any, string) {
		n, ok := v.(int64)
		if !ok || n < 0 || n > 1_000_000 {
			return nil, "must be a whole number from 0 to 1000000"
		}
		return n, ""
	}
	amountRule = func(v any) (any, string) {
		n, ok := v.(int64)
		if !ok || n < 0 || n > 1_000_000_000_000_000 {
			return nil, "must be a whole number, at least 0"
		}
		return n, ""
	}
	boolRule = func(v any) (any, string) {
		b, ok := v.(bool)
		if !ok {
			return nil, "must be true or false"
		}
		return b, ""
	}
)

func codeRule(l CodeList) fieldRule {
	return checked(func(s string) string { return s }, l.Has, "must be one of the register's codes: "+l.codes())
}

func (l CodeList) codes() string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}

// SettingsFields, VendorFields and ContractFields are the editable fields
// of each record, by JSON name (which is also the column).
var (
	SettingsFields = map[string]fieldRule{
		"enabled": boolRule, "lei": leiRule, "name": textRule(300), "country": countryRule,
		"entity_type": codeRule(EntityTypes), "hierarchy": codeRule(Hierarchies), "parent_lei": leiRule,
		"competent_authority": textRule(300), "currency": currencyRule, "total_assets": amountRule,
		// branches is checked by checkBranches, which names the branch and
		// its field in each error.
		"branches": nil,
	}
	VendorFields = map[string]fieldRule{
		"lei": leiRule, "dora_country": countryRule, "dora_person_type": codeRule(PersonTypes), "dora_parent_lei": leiRule,
		"dora_intra_group": boolRule,
	}
	ContractFields = map[string]fieldRule{
		"dora_in_scope": boolRule, "dora_reference": textRule(100), "dora_governing_law": countryRule,
		"dora_provider_notice_days": countRule, "dora_termination_reason": codeRule(TerminationReasons),
		"dora_ict_service_type": codeRule(ICTServiceTypes), "dora_function_id": textRule(100), "dora_function_name": textRule(300),
		"dora_licensed_activity": codeRule(LicensedActivities), "dora_criticality": codeRule(YesNoNotAssessed),
		"dora_criticality_reason": textRule(300), "dora_criticality_assessed_on": dateRule,
		"dora_rto_hours": countRule, "dora_rpo_hours": countRule, "dora_function_impact": codeRule(Impacts),
		"dora_stores_data": codeRule(YesNo), "dora_storage_location": countryRule, "dora_processing_location": countryRule,
		"dora_data_sensitiveness": codeRule(Sensitiveness), "dora_reliance": codeRule(RelianceLevels),
		"dora_substitutability": codeRule(Substitutability), "dora_substitution_reason": codeRule(SubstituteReasons),
		"dora_last_audit": dateRule, "dora_exit_plan": codeRule(YesNo), "dora_reintegration": codeRule(Reintegration),
		"dora_discontinuing_impact": codeRule(Impacts), "dora_alternatives": codeRule(YesNoNotAssessed),
		"dora_alternative_providers": textRule(1000),
	}
)

// check validates the given fields against rules and returns the columns
// to set, or the field errors (422).
func check(rules map[string]fieldRule, in map[string]any) (map[string]any, error) {
	set := map[string]any{}
	var errs []models.FieldError
	for name, v := range in {
		rule, ok := rules[name]
		if !ok {
			errs = append(errs, models.FieldError{Field: name, Message: "is not a field of the register"})
			continue
		}
		if name == "branches" {
			js, bad := checkBranches(v)
			errs = append(errs, bad...)
			if len(bad) == 0 {
				set[name] = js
			}
			continue
		}
		out, msg := rule(v)
		if msg != "" {
			errs = append(errs, models.FieldError{Field: name, Message: msg})
			continue
		}
		set[name] = out
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	return set, nil
}

// MaxBranches bounds the branches of our entity kept in the settings.
const MaxBranches = 200

// checkBranches checks our entity's branches (a []models.DORABranch): each
// has an identification code, unique among them, a name and a country;
// it answers them as the JSON the settings keep.
func checkBranches(v any) (string, []models.FieldError) {
	in, ok := v.([]models.DORABranch)
	if !ok {
		return "", []models.FieldError{{Field: "branches", Message: "must be a list of branches"}}
	}
	if len(in) > MaxBranches {
		return "", []models.FieldError{{Field: "branches", Message: fmt.Sprintf("must be at most %d branches", MaxBranches)}}
	}
	var errs []models.FieldError
	bad := func(i int, field, msg string) {
		errs = append(errs, models.FieldError{Field: fmt.Sprintf("branches[%d].%s", i, field), Message: msg})
	}
	seen := map[string]bool{}
	out := make([]models.DORABranch, 0, len(in))
	for i, b := range in {
		b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
		b.Country = strings.ToUpper(strings.TrimSpace(b.Country))
		switch {
		case b.Code == "":
			bad(i, "code", "is required")
		case utf8.RuneCountInString(b.Code) > 100:
			bad(i, "code", "must be at most 100 characters")
		case seen[strings.ToUpper(b.Code)]:
			bad(i, "code", fmt.Sprintf("%q is the code of another branch", b.Code))
		}
		seen[strings.ToUpper(b.Code)] = true
		if b.Name == "" {
			bad(i, "name", "is required")
		} else if utf8.RuneCountInString(b.Name) > 300 {
			bad(i, "name", "must be at most 300 characters")
		}
		if !ValidCountry(b.Country) {
			bad(i, "country", "must be an ISO 3166-1 alpha-2 country code, like LU")
		}
		out = append(out, b)
	}
	if len(errs) > 0 {
		return "", errs
	}
	js, err := json.Marshal(out)
	if err != nil {
		return "", []models.FieldError{{Field: "branches", Message: err.Error()}}
	}
	return string(js), nil
}

// Service changes the register's records, auditing each change.
type Service struct {
	DB *gorm.DB
}

// SaveSettings changes our entity's settings at version; a stale version
// is ErrConflict with the stored settings.
func (s *Service) SaveSettings(ctx context.Context, p *auth.Principal, version int64, in map[string]any, o auth.Origin) (*models.DORASettings, error) {
	set, err := check(SettingsFields, in)
	if err != nil {
		return nil, err
	}
	var out *models.DORASettings
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetDORASettings(ctx, tx)
		if err != nil {
			return err
		}
		after, err := models.SaveDORASettings(ctx, tx, version, set)
		out = after
		if err != nil {
			return err
		}
		e := models.AuditEvent{Action: "dora.settings_update", ObjectType: "dora_settings", ObjectID: after.ID}
		e.BeforeData, e.AfterData = models.AuditDiff(*before, *after)
		return auth.Record(ctx, tx, p, o, e)
	})
	return out, err
}

// UpdateVendor changes a vendor's register fields at version.
func (s *Service) UpdateVendor(ctx context.Context, p *auth.Principal, id string, version int64, in map[string]any, o auth.Origin) (*models.Vendor, error) {
	set, err := check(VendorFields, in)
	if err != nil {
		return nil, err
	}
	var out *models.Vendor
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before models.Vendor
		if err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&before).Error; err != nil {
			return models.ErrNotFound
		}
		after, err := models.UpdateVendorFields(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		e := models.AuditEvent{Action: "vendor.dora_update", ObjectType: "vendor", ObjectID: id}
		e.BeforeData, e.AfterData = models.AuditDiff(vendorView(&before), vendorView(after))
		return auth.Record(ctx, tx, p, o, e)
	})
	return out, err
}

// UpdateContract changes a contract's register fields at version.
func (s *Service) UpdateContract(ctx context.Context, p *auth.Principal, id string, version int64, in map[string]any, o auth.Origin) (*models.Contract, error) {
	set, err := check(ContractFields, in)
	if err != nil {
		return nil, err
	}
	var out *models.Contract
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetContract(ctx, tx, id)
		if err != nil {
			return err
		}
		after, err := models.UpdateContract(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		e := models.AuditEvent{Action: "contract.dora_update", ObjectType: "contract", ObjectID: id}
		e.BeforeData, e.AfterData = models.AuditDiff(before.DORA, after.DORA)
		return auth.Record(ctx, tx, p, o, e)
	})
	return out, err
}

func vendorView(v *models.Vendor) map[string]any {
	return map[string]any{"lei": v.LEI, "dora_country": v.DORA.Country, "dora_person_type": v.DORA.PersonType, "dora_parent_lei": v.DORA.ParentLEI,
		"dora_intra_group": v.DORA.IntraGroup}
}

// Load builds the register from the database as of now.
func (s *Service) Load(ctx context.Context, now time.Time) (*Register, error) {
	d, err := models.LoadDORARegister(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	return Build(d, now), nil
}
