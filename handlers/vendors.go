package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/vendors"
	"rampart/models"
)

type ownerRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type contactDTO struct {
	ID    string `json:"id,omitempty" readOnly:"true"`
	Name  string `json:"name" validate:"required,max=200"`
	Email string `json:"email" validate:"omitempty,email,max=254"`
	Role  string `json:"role" validate:"max=100"`
	Phone string `json:"phone" validate:"max=50"`
}

type subprocessorDTO struct {
	ID       string  `json:"id,omitempty" readOnly:"true"`
	VendorID *string `json:"vendor_id" validate:"omitempty,max=64"`
	Name     string  `json:"name" validate:"max=200"`
	Purpose  string  `json:"purpose" validate:"max=500" description:"the services it provides to this vendor"`
	// Nil on input leaves nothing recorded; on output always a list.
	DataTypes []string `json:"data_types" description:"the kinds of data it handles for this vendor (the vendor data type vocabulary); empty when not recorded"`
	Locations []string `json:"locations" description:"where it handles them (countries or regions, as for hosting_regions); empty when not recorded"`
}

// vendorSummary is a vendor in a list.
type vendorSummary struct {
	ID                 string         `json:"id"`
	Name               string         `json:"name"`
	LegalName          string         `json:"legal_name"`
	Website            string         `json:"website"`
	Domain             string         `json:"domain"`
	Category           string         `json:"category"`
	Status             string         `json:"status"`
	Owner              *ownerRef      `json:"owner"`
	Department         string         `json:"department"`
	DataTypes          []string       `json:"data_types"`
	AccessLevel        string         `json:"access_level"`
	IntegrationMethods []string       `json:"integration_methods"`
	HostingRegions     []string       `json:"hosting_regions"`
	AnnualSpend        int64          `json:"annual_spend"`
	Currency           string         `json:"currency"`
	InternalUsers      int64          `json:"internal_users"`
	Criticality        string         `json:"criticality"`
	Tags               []string       `json:"tags"`
	ExternalID         *string        `json:"external_id"`
	Tier               int64          `json:"tier" minimum:"1" maximum:"4" description:"the effective tier: a manual override while in force, else computed_tier"`
	ComputedTier       int64          `json:"computed_tier" minimum:"1" maximum:"4" description:"the tier the risk model gives"`
	TierOverrideUntil  string         `json:"tier_override_until" description:"last day (YYYY-MM-DD) of the manual tier in force; empty when none"`
	NextReviewOn       string         `json:"next_review_on"`
	EvidenceGaps       int64          `json:"evidence_gaps" description:"required evidence kinds of the tier missing or expired"`
	CustomFields       map[string]any `json:"custom_fields" description:"custom field values by key (see /settings/custom-fields): a string, a number, or a list of options; keys without a value are absent"`
	InherentScore      int64          `json:"inherent_score"`
	ResidualScore      int64          `json:"residual_score"`
	ArchivedAt         *time.Time     `json:"archived_at"`
	BusinessUnitIDs    []string       `json:"business_unit_ids" description:"the business units the vendor belongs to"`
	Version            int64          `json:"version"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
}

// vendorResponse is one vendor in full.
type vendorResponse struct {
	vendorSummary
	Description   string            `json:"description"`
	NextStatuses  []string          `json:"next_statuses"`
	Contacts      []contactDTO      `json:"contacts"`
	Subprocessors []subprocessorDTO `json:"subprocessors"`
	// Offboarding summarises the vendor's latest offboarding; only
	// GET /vendors/{id} fills it (null elsewhere and when none).
	Offboarding *offboardingSummary `json:"offboarding" description:"the latest offboarding's status and progress (GET only; null when never offboarded)"`
	// The DORA register's fields (PATCH /vendors/{id}/dora changes them).
	LEI            string `json:"lei"`
	DORACountry    string `json:"dora_country"`
	DORAPersonType string `json:"dora_person_type"`
	DORAParentLEI  string `json:"dora_parent_lei"`
	DORAIntraGroup bool   `json:"dora_intra_group" description:"an ICT intra-group service provider (its arrangements are in B_03.03)"`
}

// offboardingSummary is a vendor's latest offboarding in brief.
type offboardingSummary struct {
	ID     string `json:"id"`
	Status string `json:"status" enum:"open,completed,cancelled"`
	Done   int    `json:"done"`
	Total  int    `json:"total"`
	Ready  bool   `json:"ready"`
}

func toVendorSummary(r *models.VendorRecord) vendorSummary { return vendorSummaryOn(r, time.Now()) }

// vendorSummaryOn summarises r with the tier in force on now's day.
func vendorSummaryOn(r *models.VendorRecord, now time.Time) vendorSummary {
	v := vendorSummary{
		ID: r.ID, Name: r.Name, LegalName: r.LegalName, Website: r.Website, Domain: r.Domain, Category: r.Category,
		Status: r.Status, Department: r.Department, DataTypes: r.DataTypes, AccessLevel: r.AccessLevel,
		IntegrationMethods: r.IntegrationMethods, HostingRegions: r.HostingRegions, AnnualSpend: r.AnnualSpend,
		Currency: r.Currency, InternalUsers: r.InternalUsers, Criticality: vendors.CriticalityName(int(r.Criticality)),
		Tags: r.Tags, ExternalID: r.ExternalID, ComputedTier: r.Tier, NextReviewOn: r.NextReviewOn, EvidenceGaps: r.EvidenceGaps, InherentScore: r.InherentScore, ResidualScore: r.ResidualScore, ArchivedAt: r.ArchivedAt, BusinessUnitIDs: orEmpty(r.UnitIDs), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		CustomFields: customValuesOut(r.CustomFields),
	}
	if r.Owner != nil {
		v.Owner = &ownerRef{ID: r.Owner.ID, Name: r.Owner.Name, Email: r.Owner.Email}
	}
	day := now.UTC().Format(time.DateOnly)
	v.Tier = r.EffectiveTier(day)
	if r.OverrideInForce(day) {
		v.TierOverrideUntil = r.OverrideUntil
	}
	if v.IntegrationMethods == nil {
		v.IntegrationMethods = []string{}
	}
	if v.HostingRegions == nil {
		v.HostingRegions = []string{}
	}
	return v
}

// orEmpty makes a list not recorded a JSON [] rather than null.
func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func toVendorResponse(r *models.VendorRecord) vendorResponse {
	out := vendorResponse{vendorSummary: toVendorSummary(r), Description: r.Description,
		NextStatuses: vendors.NextStatuses(r.Status), Contacts: []contactDTO{}, Subprocessors: []subprocessorDTO{},
		LEI: r.LEI, DORACountry: r.DORA.Country, DORAPersonType: r.DORA.PersonType, DORAParentLEI: r.DORA.ParentLEI,
		DORAIntraGroup: r.DORA.IntraGroup}
	for _, c := range r.Contacts {
		out.Contacts = append(out.Contacts, contactDTO{ID: c.ID, Name: c.Name, Email: c.Email, Role: c.Role, Phone: c.Phone})
	}
	for _, sp := range r.Subprocessors {
		out.Subprocessors = append(out.Subprocessors, subprocessorDTO{ID: sp.ID, VendorID: sp.LinkedVendorID, Name: sp.Name, Purpose: sp.Purpose,
			DataTypes: orEmpty(sp.DataTypes), Locations: orEmpty(sp.Locations)})
	}
	return out
}

// vendorFields are the editable fields of a vendor; absent fields are
// left as they are.
type vendorFields struct {
	Name               *string            `json:"name" validate:"omitempty,max=200"`
	LegalName          *string            `json:"legal_name" validate:"omitempty,max=200"`
	Website            *string            `json:"website" validate:"omitempty,max=500,weburl" description:"http(s) URL; empty clears it"`
	Description        *string            `json:"description" validate:"omitempty,max=5000"`
	Category           *string            `json:"category" enum:"saas,cloud_infrastructure,professional_services,hardware,data_processor,payment,other"`
	Status             *string            `json:"status" enum:"proposed,in_review,approved,active,offboarding,terminated,rejected"`
	OwnerID            *string            `json:"owner_id" validate:"omitempty,max=64"`
	Department         *string            `json:"department" validate:"omitempty,max=100"`
	Contacts           *[]contactDTO      `json:"contacts" validate:"omitempty,dive"`
	DataTypes          *[]string          `json:"data_types"`
	AccessLevel        *string            `json:"access_level" enum:"none,read_only,read_write,administrative,network"`
	IntegrationMethods *[]string          `json:"integration_methods"`
	HostingRegions     *[]string          `json:"hosting_regions"`
	AnnualSpend        *int64             `json:"annual_spend" validate:"omitempty,gte=0,lte=1000000000000000"`
	Currency           *string            `json:"currency" validate:"omitempty,max=3"`
	InternalUsers      *int64             `json:"internal_users" validate:"omitempty,gte=0,lte=100000000"`
	Criticality        *string            `json:"criticality" enum:"low,medium,high,critical"`
	Tags               *[]string          `json:"tags"`
	Subprocessors      *[]subprocessorDTO `json:"subprocessors" validate:"omitempty,dive"`
	ExternalID         *string            `json:"external_id" validate:"omitempty,max=100"`
	BusinessUnitIDs    *[]string          `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"the business units the vendor belongs to; a person scoped to units may give only their own (the others the vendor has are kept). On create, absent means the creator's own units (none for an unscoped person). Changing them leaves the vendor's contracts, assessments and findings in their own units"`
	CustomFields       customValuesDTO    `json:"custom_fields" description:"custom field values by key: a string, a number, or a list of options (multiple choice); null or \"\" clears one; keys not sent stay as they are. Required fields are enforced on create and when custom_fields is sent"`
}

func (f vendorFields) input() vendors.Input {
	in := vendors.Input{
		Name: f.Name, LegalName: f.LegalName, Website: f.Website, Description: f.Description, Category: f.Category,
		Status: f.Status, Department: f.Department, AccessLevel: f.AccessLevel, Criticality: f.Criticality,
		Currency: f.Currency, OwnerID: f.OwnerID, ExternalID: f.ExternalID, AnnualSpend: f.AnnualSpend,
		InternalUsers: f.InternalUsers, IntegrationMethods: f.IntegrationMethods, HostingRegions: f.HostingRegions,
		Tags: f.Tags, DataTypes: f.DataTypes, BusinessUnitIDs: f.BusinessUnitIDs, CustomFields: f.CustomFields,
	}
	if f.Contacts != nil {
		cs := make([]models.VendorContact, len(*f.Contacts))
		for i, c := range *f.Contacts {
			cs[i] = models.VendorContact{Name: strings.TrimSpace(c.Name), Email: strings.TrimSpace(c.Email), Role: strings.TrimSpace(c.Role), Phone: strings.TrimSpace(c.Phone)}
		}
		in.Contacts = &cs
	}
	if f.Subprocessors != nil {
		sps := make([]models.VendorSubprocessor, len(*f.Subprocessors))
		for i, sp := range *f.Subprocessors {
			sps[i] = models.VendorSubprocessor{LinkedVendorID: sp.VendorID, Name: sp.Name, Purpose: strings.TrimSpace(sp.Purpose),
				DataTypes: sp.DataTypes, Locations: sp.Locations}
		}
		in.Subprocessors = &sps
	}
	return in
}

type createVendorRequest struct {
	vendorFields
	// ConfirmDuplicate creates the vendor even if a similar one exists.
	ConfirmDuplicate bool `json:"confirm_duplicate"`
}

type updateVendorRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	vendorFields
}

type versionRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

type vendorIDParam struct {
	ID string `path:"id"`
}

func (s *Server) vendorService() *vendors.Service { return &vendors.Service{DB: s.deps.DB.Gorm} }

func (s *Server) createVendor(c echo.Context) error {
	var req createVendorRequest
	err := bindJSON(c, &req)
	req.CustomFields = req.CustomFields.given()
	if err != nil {
		return withDomainRules(err, func() error {
			return s.vendorService().Check(c.Request().Context(), req.input(), true)
		})
	}
	rec, err := s.vendorService().Create(c.Request().Context(), principalOf(c), req.input(), req.ConfirmDuplicate, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toVendorResponse(rec))
}

func (s *Server) getVendor(c echo.Context) error {
	rec, err := models.GetVendor(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := toVendorResponse(rec)
	ob, err := s.offboardingService().Latest(c.Request().Context(), rec.ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if ob != nil {
		out.Offboarding = &offboardingSummary{ID: ob.ID, Status: ob.Status, Done: ob.Done, Total: len(ob.Items), Ready: ob.Ready}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updateVendor(c echo.Context) error {
	var req updateVendorRequest
	if err := bindJSON(c, &req); err != nil {
		return withDomainRules(err, func() error {
			return s.vendorService().Check(c.Request().Context(), req.input(), false)
		})
	}
	rec, err := s.vendorService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.input(), s.origin(c))
	return s.vendorResult(c, rec, err)
}

func (s *Server) archiveVendor(c echo.Context) error { return s.setArchived(c, true) }
func (s *Server) restoreVendor(c echo.Context) error { return s.setArchived(c, false) }

func (s *Server) setArchived(c echo.Context, archived bool) error {
	var req versionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	rec, err := s.vendorService().SetArchived(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, archived, s.origin(c))
	return s.vendorResult(c, rec, err)
}

func (s *Server) vendorResult(c echo.Context, rec *models.VendorRecord, err error) error {
	if err != nil {
		if rec != nil {
			return conflictWith(err, toVendorResponse(rec))
		}
		return err
	}
	return c.JSON(http.StatusOK, toVendorResponse(rec))
}

type vendorsQuery struct {
	Q           string `query:"q" description:"matches name, legal name, website and description"`
	Status      string `query:"status" description:"one or more statuses, comma-separated"`
	Category    string `query:"category" description:"one or more categories, comma-separated"`
	Department  string `query:"department"`
	OwnerID     string `query:"owner_id"`
	Tag         string `query:"tag"`
	DataType    string `query:"data_type"`
	Criticality string `query:"criticality" enum:"low,medium,high,critical"`
	Tier        string `query:"tier" description:"one or more tiers (1-4), comma-separated"`
	Likelihood  string `query:"likelihood" enum:"1,2,3,4,5" description:"residual risk matrix row"`
	Impact      string `query:"impact" enum:"1,2,3,4,5" description:"residual risk matrix column"`
	Review      string `query:"review" enum:"overdue,due_soon" description:"reassessment due: overdue, or within 30 days"`
	Evidence    string `query:"evidence" enum:"gaps" description:"gaps: vendors missing required evidence of their tier, or holding it only expired"`
	Archived    string `query:"archived" enum:"true,false"`
	Unit        string `query:"unit" description:"a business unit's id: only its vendors"`
	Sort        string `query:"sort" description:"name, status, category, department, criticality, tier, residual_score, next_review_on (never-assessed vendors, with no date, sort first), annual_spend, internal_users, created_at, updated_at, or cf.<key> for a custom field (vendors without a value first); prefix - for descending. Custom field filters: cf.<key>=value (a number or date field also takes a range from..to, either end optional)"`
	Limit       int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor      string `query:"cursor"`
}

// vendorFilter reads the list's filters but the custom field ones.
func vendorFilter(c echo.Context) (models.VendorFilter, error) {
	f, q := parseVendorFilter(c)
	return f, q.err()
}

// vendorListFilter reads every filter of the vendor list.
func (s *Server) vendorListFilter(c echo.Context) (models.VendorFilter, error) {
	f, q := parseVendorFilter(c)
	if err := q.err(); err != nil {
		return f, err
	}
	var err error
	f.Custom, f.CustomSort, err = s.customListParams(c, q, "vendor")
	return f, err
}

func parseVendorFilter(c echo.Context) (models.VendorFilter, *query) {
	q := parseQuery(c, "q", "status", "category", "department", "owner_id", "tag", "data_type", "criticality", "archived", "tier", "review", "likelihood", "impact", "evidence", "unit", "cf.*")
	f := models.VendorFilter{
		Q: q.str("q", 200), Statuses: q.list("status", vendors.Statuses), Categories: q.list("category", vendors.Categories),
		Department: q.str("department", 100), OwnerID: q.str("owner_id", 64), Tag: strings.ToLower(q.str("tag", 60)),
		DataType: q.oneOf("data_type", vendors.DataTypes...), Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit(),
	}
	f.UnitID = q.str("unit", 64)
	f.Review = q.oneOf("review", "overdue", "due_soon")
	f.EvidenceGaps = q.oneOf("evidence", "gaps") == "gaps"
	f.Today = time.Now().UTC()
	for _, t := range q.list("tier", []string{"1", "2", "3", "4"}) {
		f.Tiers = append(f.Tiers, int64(t[0]-'0'))
	}
	if l := q.oneOf("likelihood", "1", "2", "3", "4", "5"); l != "" {
		f.Likelihood = int64(l[0] - '0')
	}
	if i := q.oneOf("impact", "1", "2", "3", "4", "5"); i != "" {
		f.Impact = int64(i[0] - '0')
	}
	if crit := q.oneOf("criticality", vendors.Criticalities...); crit != "" {
		f.Criticality = int64(vendors.CriticalityRank(crit))
	}
	if a := q.boolean("archived"); a != nil {
		f.Archived = *a
	}
	return f, q
}

func (s *Server) listVendors(c echo.Context) error {
	f, err := s.vendorListFilter(c)
	if err != nil {
		return err
	}
	// One clock for the tier filter and the tiers shown, so a listed
	// vendor always shows the tier it was filtered by.
	now := s.deps.Now()
	f.Today = now.UTC()
	page, err := models.ListVendorSummaries(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(r *models.VendorRecord) vendorSummary { return vendorSummaryOn(r, now) }))
}

type vendorOptionsResponse struct {
	Categories         []string            `json:"categories"`
	Statuses           []string            `json:"statuses"`
	Transitions        map[string][]string `json:"transitions"`
	DataTypes          []string            `json:"data_types"`
	AccessLevels       []string            `json:"access_levels"`
	IntegrationMethods []string            `json:"integration_methods"`
	Criticalities      []string            `json:"criticalities"`
	// Departments and Tags are the values current vendors use.
	Departments []string `json:"departments"`
	Tags        []string `json:"tags"`
}

func (s *Server) vendorOptions(c echo.Context) error {
	depts, tags, err := models.VendorFacets(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	tr := map[string][]string{}
	for _, st := range vendors.Statuses {
		tr[st] = vendors.NextStatuses(st)
	}
	return c.JSON(http.StatusOK, vendorOptionsResponse{
		Categories: vendors.Categories, Statuses: vendors.Statuses, Transitions: tr, DataTypes: vendors.DataTypes,
		AccessLevels: vendors.AccessLevels, IntegrationMethods: vendors.IntegrationMethods, Criticalities: vendors.Criticalities,
		Departments: depts, Tags: tags,
	})
}

type duplicatesQuery struct {
	Name      string `query:"name"`
	Website   string `query:"website"`
	ExcludeID string `query:"exclude_id"`
}

type vendorRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Website string `json:"website"`
}

// vendorDuplicates lets the form warn while the user types.
func (s *Server) vendorDuplicates(c echo.Context) error {
	q := parseQuery(c, "name", "website", "exclude_id")
	name, website, exclude := q.str("name", 200), q.str("website", 500), q.str("exclude_id", 64)
	if err := q.err(); err != nil {
		return err
	}
	out := []vendorRef{}
	key, domain := vendors.NameKey(name), vendors.Domain(website)
	if key != "" || domain != "" {
		if key == "" {
			key = "\x00" // match on domain only
		}
		dups, err := models.VendorDuplicates(c.Request().Context(), s.deps.DB.Gorm, key, domain, exclude)
		if err != nil {
			return err
		}
		out = refsOf(dups)
	}
	return c.JSON(http.StatusOK, map[string][]vendorRef{"items": out})
}

func refsOf(vs []models.Vendor) []vendorRef {
	out := make([]vendorRef, 0, len(vs))
	for _, v := range vs {
		out = append(out, vendorRef{ID: v.ID, Name: v.Name, Website: v.Website})
	}
	return out
}

type activityQuery struct {
	ID     string `path:"id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

// vendorActivity is the vendor's own slice of the audit trail, readable by
// everyone who may read the vendor.
func (s *Server) vendorActivity(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	if f.ActorID != "" || f.Action != "" || f.ObjectType != "" || f.ObjectID != "" {
		return models.Invalid("object_id", "is fixed to this vendor")
	}
	f.ObjectType, f.ObjectID = "vendor", c.Param("id")
	return s.writeAuditPage(c, f)
}
