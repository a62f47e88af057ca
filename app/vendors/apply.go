package vendors

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"rampart/app/customfields"
	"rampart/models"
)

// Limits on list fields, so one vendor cannot grow without bound.
const (
	maxTags       = 30
	maxRegions    = 30
	maxContacts   = 50
	maxSubprocess = 200
)

var (
	tagPattern      = regexp.MustCompile(`^[\p{Ll}\p{N}][\p{Ll}\p{N} ._-]{0,39}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

type checker struct{ errs []models.FieldError }

func (c *checker) fail(field, msg string) {
	c.errs = append(c.errs, models.FieldError{Field: field, Message: msg})
}

func (c *checker) oneOf(field, v string, allowed []string) bool {
	if !slices.Contains(allowed, v) {
		c.fail(field, "must be one of: "+strings.Join(allowed, ", "))
		return false
	}
	return true
}

// apply validates in and copies it onto rec. Vocabulary values, owner and
// linked vendors are checked here; shapes (lengths, URLs, emails) are
// checked by the request's validation tags before.
func (s *Service) apply(ctx context.Context, db *gorm.DB, rec *models.VendorRecord, in Input, creating bool) error {
	var c checker
	str := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		c.fail("name", "must not be empty")
	}
	str(in.Name, &rec.Name)
	str(in.LegalName, &rec.LegalName)
	str(in.Website, &rec.Website)
	if rec.Website != "" && !strings.Contains(rec.Website, "://") {
		rec.Website = "https://" + rec.Website // imports often give a bare domain
	}
	if in.Website != nil && rec.Website != "" && !ValidWebURL(rec.Website) {
		c.fail("website", "must be a valid URL starting with http:// or https://")
	}
	str(in.Description, &rec.Description)
	str(in.Department, &rec.Department)
	rec.NameKey, rec.Domain = NameKey(rec.Name), Domain(rec.Website)
	if in.Category != nil && c.oneOf("category", *in.Category, Categories) {
		rec.Category = *in.Category
	}
	if in.Status != nil && c.oneOf("status", *in.Status, Statuses) {
		rec.Status = *in.Status
	}
	if in.AccessLevel != nil && c.oneOf("access_level", *in.AccessLevel, AccessLevels) {
		rec.AccessLevel = *in.AccessLevel
	}
	if in.Criticality != nil && c.oneOf("criticality", *in.Criticality, Criticalities) {
		rec.Criticality = int64(CriticalityRank(*in.Criticality))
	}
	if in.Currency != nil {
		cur := strings.ToUpper(strings.TrimSpace(*in.Currency))
		if cur != "" && !currencyPattern.MatchString(cur) {
			c.fail("currency", "must be a three-letter ISO 4217 code such as EUR or USD")
		}
		rec.Currency = cur
	}
	if in.AnnualSpend != nil {
		rec.AnnualSpend = *in.AnnualSpend
	}
	if in.InternalUsers != nil {
		rec.InternalUsers = *in.InternalUsers
	}
	if rec.AnnualSpend > 0 && rec.Currency == "" {
		c.fail("currency", "is required when annual_spend is given")
	}
	if in.ExternalID != nil {
		if id := strings.TrimSpace(*in.ExternalID); id == "" {
			rec.ExternalID = nil
		} else {
			rec.ExternalID = &id
		}
	}
	if in.IntegrationMethods != nil {
		rec.IntegrationMethods = c.vocabList("integration_methods", *in.IntegrationMethods, IntegrationMethods)
	}
	if in.DataTypes != nil {
		// Sorted: that is how they are stored and read back.
		rec.DataTypes = c.vocabList("data_types", *in.DataTypes, DataTypes)
		slices.Sort(rec.DataTypes)
	}
	if in.HostingRegions != nil {
		rec.HostingRegions = c.freeList("hosting_regions", *in.HostingRegions, maxRegions, nil)
	}
	if in.Tags != nil {
		lower := make([]string, len(*in.Tags))
		for i, t := range *in.Tags {
			lower[i] = strings.ToLower(strings.TrimSpace(t))
		}
		rec.Tags = c.freeList("tags", lower, maxTags, tagPattern)
		slices.Sort(rec.Tags)
	}
	if in.OwnerID != nil {
		if *in.OwnerID == "" {
			rec.OwnerID = nil
		} else if !s.activeUser(ctx, db, *in.OwnerID) {
			c.fail("owner_id", "is not an active user")
		} else {
			id := *in.OwnerID
			rec.OwnerID = &id
		}
	}
	if in.Contacts != nil {
		if len(*in.Contacts) > maxContacts {
			c.fail("contacts", "must have at most 50 items")
		}
		rec.Contacts = *in.Contacts
	}
	if in.Subprocessors != nil {
		if err := c.subprocessors(ctx, db, rec, *in.Subprocessors); err != nil {
			return err
		}
	}
	if in.BusinessUnitIDs != nil {
		var ve *models.ValidationError
		if err := models.CheckUnits(ctx, db, "business_unit_ids", *in.BusinessUnitIDs); errors.As(err, &ve) {
			c.errs = append(c.errs, ve.Errors...)
		} else if err != nil {
			return err
		}
		rec.UnitIDs = models.MergeUnits(ctx, rec.UnitIDs, *in.BusinessUnitIDs)
	}
	if err := s.applyCustom(ctx, db, rec, in.CustomFields, &c); err != nil {
		return err
	}
	if len(c.errs) > 0 {
		return &models.ValidationError{Errors: c.errs}
	}
	return nil
}

// applyCustom checks the custom field values given and sets the record's
// values to what they become.
func (s *Service) applyCustom(ctx context.Context, db *gorm.DB, rec *models.VendorRecord, raw map[string]json.RawMessage, c *checker) error {
	k, err := s.customChecker(ctx, db)
	if err != nil {
		return err
	}
	checked, err := k.Check(ctx, raw, rec.CustomFields, false)
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		c.errs = append(c.errs, ve.Errors...)
	case err != nil:
		return err
	case checked != nil:
		rec.CustomFields = checked.Values
	}
	return nil
}

// customChecker loads the vendor field definitions once per service.
func (s *Service) customChecker(ctx context.Context, db *gorm.DB) (*customfields.Checker, error) {
	if s.custom == nil {
		k, err := customfields.NewChecker(ctx, db, "vendor")
		if err != nil {
			return nil, err
		}
		k.ActiveUser = func(id string) bool { return s.activeUser(ctx, db, id) }
		s.custom = k
	}
	return s.custom, nil
}

// saveCustom stores the record's custom values when the input gave some
// (or the record is new).
func (s *Service) saveCustom(ctx context.Context, tx *gorm.DB, rec *models.VendorRecord, given bool) error {
	if !given {
		return nil
	}
	k, err := s.customChecker(ctx, tx)
	if err != nil {
		return err
	}
	return models.SaveCustomValues(ctx, tx, "vendor", rec.ID, k.Active(), rec.CustomFields)
}

// activeUser reports whether id is an active user: from the set an
// import loaded once, or else from the database.
func (s *Service) activeUser(ctx context.Context, db *gorm.DB, id string) bool {
	if s.activeUsers != nil {
		return s.activeUsers[id]
	}
	u, err := models.UserByID(ctx, db, id)
	return err == nil && u.Active
}

func (c *checker) vocabList(field string, in []string, allowed []string) []string {
	out := []string{}
	for _, v := range in {
		if !slices.Contains(allowed, v) {
			c.fail(field, "has "+quote(v)+"; allowed: "+strings.Join(allowed, ", "))
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (c *checker) freeList(field string, in []string, max int, pattern *regexp.Regexp) []string {
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			continue
		case len(v) > 60:
			c.fail(field, "has an item longer than 60 characters")
			continue
		case pattern != nil && !pattern.MatchString(v):
			c.fail(field, "has "+quote(v)+": use lower-case letters, digits, spaces, dots, dashes or underscores")
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) > max {
		c.fail(field, "must have at most "+strconv.Itoa(max)+" items")
	}
	return out
}

func (c *checker) subprocessors(ctx context.Context, db *gorm.DB, rec *models.VendorRecord, in []models.VendorSubprocessor) error {
	if len(in) > maxSubprocess {
		c.fail("subprocessors", "must have at most 200 items")
		return nil
	}
	var linked []string
	for _, sp := range in {
		if sp.LinkedVendorID != nil && *sp.LinkedVendorID != "" {
			linked = append(linked, *sp.LinkedVendorID)
		}
	}
	names, err := models.VendorNames(ctx, db, linked)
	if err != nil {
		return err
	}
	out := make([]models.VendorSubprocessor, 0, len(in))
	for i, sp := range in {
		field := "subprocessors[" + strconv.Itoa(i) + "]"
		sp.Name = strings.TrimSpace(sp.Name)
		if sp.LinkedVendorID != nil && *sp.LinkedVendorID == "" {
			sp.LinkedVendorID = nil
		}
		switch {
		case sp.LinkedVendorID != nil && *sp.LinkedVendorID == rec.ID && rec.ID != "":
			c.fail(field+".vendor_id", "cannot be the vendor itself")
		case sp.LinkedVendorID != nil && names[*sp.LinkedVendorID] == "":
			c.fail(field+".vendor_id", "is not a vendor")
		case sp.LinkedVendorID == nil && sp.Name == "":
			c.fail(field+".name", "is required when vendor_id is not given")
		case sp.LinkedVendorID != nil:
			sp.Name = names[*sp.LinkedVendorID]
		}
		sp.DataTypes = c.vocabList(field+".data_types", sp.DataTypes, DataTypes)
		slices.Sort(sp.DataTypes)
		sp.Locations = c.freeList(field+".locations", sp.Locations, maxRegions, nil)
		out = append(out, sp)
	}
	rec.Subprocessors = out
	return nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "") + `"`
}

// ValidWebURL accepts absolute http and https URLs with a host.
func ValidWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
