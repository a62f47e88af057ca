package vendors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/customfields"
	"rampart/app/scoring"
	"rampart/models"
)

// Input is a vendor as a client sends it; nil fields are not given (on
// update: left unchanged).
type Input struct {
	Name, LegalName, Website, Description *string
	Category, Status, Department          *string
	AccessLevel, Criticality, Currency    *string
	OwnerID                               *string // "" clears the owner
	ExternalID                            *string // "" clears it
	AnnualSpend, InternalUsers            *int64
	IntegrationMethods, HostingRegions    *[]string
	Tags, DataTypes                       *[]string
	Contacts                              *[]models.VendorContact
	Subprocessors                         *[]models.VendorSubprocessor
	// BusinessUnitIDs, when given, are the vendor's units (a scoped
	// person's edit keeps the units they do not hold).
	BusinessUnitIDs *[]string
	// CustomFields are custom field values by key (nil: not given; a
	// null value clears one). Required fields are enforced when it is not
	// nil: a person's create or edit, never a vendor made by the app.
	CustomFields map[string]json.RawMessage
}

// DuplicateError means a vendor with the same normalised name or website
// domain exists; the client may confirm and create it anyway.
type DuplicateError struct{ Matches []models.Vendor }

func (e *DuplicateError) Error() string { return "a similar vendor already exists" }

// Service creates and changes vendors, recording each change in the audit
// trail in the same transaction.
type Service struct {
	DB *gorm.DB
	// activeUsers, when set, answers "is this an active user?" without a
	// query per row (import).
	activeUsers map[string]bool
	custom      *customfields.Checker
}

// Create adds a vendor. Unless confirmed, a vendor whose normalised name
// or website domain matches an existing one is refused with DuplicateError.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in Input, confirmed bool, o auth.Origin) (*models.VendorRecord, error) {
	rec, err := s.checkNew(ctx, in)
	if err != nil {
		return nil, err
	}
	if !confirmed {
		dups, err := models.VendorDuplicates(ctx, s.DB, rec.NameKey, rec.Domain, "")
		if err != nil {
			return nil, err
		}
		if len(dups) > 0 {
			return nil, &DuplicateError{Matches: dups}
		}
	}
	if in.BusinessUnitIDs == nil {
		if rec.UnitIDs, err = models.DefaultUnits(ctx, s.DB, ""); err != nil {
			return nil, err
		}
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateVendor(ctx, tx, rec); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("external_id", "is already used by another vendor")
			}
			return err
		}
		// Before anything reads the vendor back: a scoped creator sees it
		// only through these links.
		if err := models.SetUnits(ctx, tx, models.UnitVendor, rec.ID, rec.UnitIDs); err != nil {
			return err
		}
		if err := s.saveCustom(ctx, tx, rec, in.CustomFields != nil); err != nil {
			return err
		}
		if _, err := scoring.Recompute(ctx, tx, rec.ID, scoring.CauseCreated); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "vendor.create", ObjectType: "vendor", ObjectID: rec.ID,
			AfterData: models.AuditJSON(ViewOf(rec))})
	})
	if err != nil {
		return nil, err
	}
	return models.GetVendor(ctx, s.DB, rec.ID)
}

// checkNew validates a new vendor's input and returns the record it makes,
// reporting every problem at once: the missing fields and the rest.
func (s *Service) checkNew(ctx context.Context, in Input) (*models.VendorRecord, error) {
	var missing []models.FieldError
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		missing = append(missing, models.FieldError{Field: "name", Message: "is required"})
		in.Name = nil
	}
	if in.Category == nil || *in.Category == "" {
		missing = append(missing, models.FieldError{Field: "category", Message: "is required"})
		in.Category = nil
	}
	rec := newRecord()
	if err := s.apply(ctx, s.DB, rec, in, true); err != nil || len(missing) > 0 {
		var ve *models.ValidationError
		if err != nil && !errors.As(err, &ve) {
			return nil, err
		}
		all := missing
		if ve != nil {
			all = append(all, ve.Errors...)
		}
		return nil, &models.ValidationError{Errors: all}
	}
	return rec, nil
}

// Check reports what is wrong with in (required fields when creating,
// vocabularies, owner, linked vendors) without writing anything, so a
// request whose shape is already refused can name these fields too.
func (s *Service) Check(ctx context.Context, in Input, creating bool) error {
	if creating {
		_, err := s.checkNew(ctx, in)
		return err
	}
	return s.apply(ctx, s.DB, newRecord(), in, false)
}

// newRecord is a vendor with the defaults a new one starts from.
func newRecord() *models.VendorRecord {
	return &models.VendorRecord{Vendor: models.Vendor{Status: "proposed", AccessLevel: "none", Criticality: 2,
		IntegrationMethods: models.StringList{}, HostingRegions: models.StringList{}},
		Tags: []string{}, DataTypes: []string{}, Contacts: []models.VendorContact{}, Subprocessors: []models.VendorSubprocessor{}}
}

// Update applies in to the vendor if it is still at version. Status
// changes follow the lifecycle. A stale version returns the stored record
// with models.ErrConflict.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, in Input, o auth.Origin) (*models.VendorRecord, error) {
	var out *models.VendorRecord
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetVendor(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return models.Invalid("archived", "the vendor is archived; restore it before editing")
		}
		if before.Version != version {
			out = before
			return models.ErrConflict
		}
		next := *before
		next.Tags, next.DataTypes, next.UnitIDs = slices.Clone(before.Tags), slices.Clone(before.DataTypes), slices.Clone(before.UnitIDs)
		if err := s.apply(ctx, tx, &next, in, false); err != nil {
			return err
		}
		if in.Status != nil && !CanMove(before.Status, *in.Status) {
			return models.Invalid("status", fmt.Sprintf("cannot change from %s to %s; allowed: %s",
				before.Status, *in.Status, strings.Join(NextStatuses(before.Status), ", ")))
		}
		if in.Status != nil && *in.Status != before.Status {
			if err := refuseWhileOffboarding(ctx, tx, id, *in.Status); err != nil {
				return err
			}
		}
		set := map[string]any{
			"name": next.Name, "name_key": next.NameKey, "legal_name": next.LegalName, "website": next.Website, "domain": next.Domain,
			"description": next.Description, "category": next.Category, "status": next.Status, "owner_id": next.OwnerID,
			"department": next.Department, "access_level": next.AccessLevel, "integration_methods": next.IntegrationMethods,
			"hosting_regions": next.HostingRegions, "annual_spend": next.AnnualSpend, "currency": next.Currency,
			"internal_users": next.InternalUsers, "criticality": next.Criticality, "external_id": next.ExternalID,
		}
		children := models.VendorChildren{Tags: in.Tags, DataTypes: in.DataTypes, Contacts: in.Contacts, Subprocessors: in.Subprocessors}
		if in.Tags != nil {
			children.Tags = &next.Tags
		}
		if in.DataTypes != nil {
			children.DataTypes = &next.DataTypes
		}
		// As checked: a linked vendor's name filled in, details normalised.
		if in.Subprocessors != nil {
			children.Subprocessors = &next.Subprocessors
		}
		if err := s.saveCustom(ctx, tx, &next, in.CustomFields != nil); err != nil {
			return err
		}
		after, err := models.UpdateVendor(ctx, tx, id, version, set, children)
		if err != nil {
			out = after
			if errors.Is(err, models.ErrConflict) && after != nil && after.Version == version {
				return models.Invalid("external_id", "is already used by another vendor")
			}
			return err
		}
		// The vendor's own units only: its contracts, assessments and
		// findings keep theirs (docs/business-units.md).
		if in.BusinessUnitIDs != nil {
			if err := models.SetUnits(ctx, tx, models.UnitVendor, id, next.UnitIDs); err != nil {
				return err
			}
		}
		if _, err := scoring.Recompute(ctx, tx, id, scoring.CauseProfileEdit); err != nil {
			return err
		}
		if after, err = models.GetVendor(ctx, tx, id); err != nil {
			return err
		}
		out = after
		action := "vendor.update"
		if before.Status != after.Status {
			action = "vendor.status_change"
		}
		b, a := models.AuditDiff(ViewOf(before), ViewOf(after))
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if errors.Is(err, models.ErrConflict) {
		if out == nil {
			out, _ = models.GetVendor(ctx, s.DB, id)
		}
		return out, models.ErrConflict
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetArchived archives (soft-deletes) or restores a vendor.
func (s *Service) SetArchived(ctx context.Context, p *auth.Principal, id string, version int64, archived bool, o auth.Origin) (*models.VendorRecord, error) {
	var at any
	action := "vendor.restore"
	if archived {
		at, action = time.Now().UTC(), "vendor.archive"
	}
	var out *models.VendorRecord
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		after, err := models.UpdateVendor(ctx, tx, id, version, map[string]any{"archived_at": at}, models.VendorChildren{})
		out = after
		if err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: id})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

// View is what the audit trail records of a vendor.
type View struct {
	Name               string         `json:"name"`
	LegalName          string         `json:"legal_name"`
	Website            string         `json:"website"`
	Description        string         `json:"description"`
	Category           string         `json:"category"`
	Status             string         `json:"status"`
	OwnerID            string         `json:"owner_id"`
	BusinessUnitIDs    []string       `json:"business_unit_ids"`
	Department         string         `json:"department"`
	AccessLevel        string         `json:"access_level"`
	IntegrationMethods []string       `json:"integration_methods"`
	HostingRegions     []string       `json:"hosting_regions"`
	AnnualSpend        int64          `json:"annual_spend"`
	Currency           string         `json:"currency"`
	InternalUsers      int64          `json:"internal_users"`
	Criticality        string         `json:"criticality"`
	ExternalID         string         `json:"external_id"`
	Tags               []string       `json:"tags"`
	DataTypes          []string       `json:"data_types"`
	Contacts           []string       `json:"contacts"`
	Subprocessors      []string       `json:"subprocessors"`
	CustomFields       map[string]any `json:"custom_fields"`
}

// ViewOf summarises a vendor for the audit trail.
func ViewOf(r *models.VendorRecord) View {
	v := View{Name: r.Name, LegalName: r.LegalName, Website: r.Website, Description: r.Description, Category: r.Category,
		Status: r.Status, Department: r.Department, AccessLevel: r.AccessLevel, IntegrationMethods: r.IntegrationMethods,
		HostingRegions: r.HostingRegions, AnnualSpend: r.AnnualSpend, Currency: r.Currency, InternalUsers: r.InternalUsers,
		Criticality: CriticalityName(int(r.Criticality)), Tags: r.Tags, DataTypes: r.DataTypes, Contacts: []string{}, Subprocessors: []string{},
		BusinessUnitIDs: r.UnitIDs, CustomFields: map[string]any(r.CustomFields)}
	if r.OwnerID != nil {
		v.OwnerID = *r.OwnerID
	}
	if r.ExternalID != nil {
		v.ExternalID = *r.ExternalID
	}
	for _, c := range r.Contacts {
		v.Contacts = append(v.Contacts, strings.TrimSpace(c.Name+" <"+c.Email+"> "+c.Role))
	}
	for _, sp := range r.Subprocessors {
		v.Subprocessors = append(v.Subprocessors, subprocessorLine(sp))
	}
	return v
}

// subprocessorLine is a subprocessor as the audit trail shows it, so a
// change of what it does or where is visible: "Nimbus — hosting
// [customer_pii] in Germany, Ireland".
func subprocessorLine(sp models.VendorSubprocessor) string {
	line := sp.Name
	if sp.Purpose != "" {
		line += " — " + sp.Purpose
	}
	if len(sp.DataTypes) > 0 {
		line += " [" + strings.Join(sp.DataTypes, ", ") + "]"
	}
	if len(sp.Locations) > 0 {
		line += " in " + strings.Join(sp.Locations, ", ")
	}
	return line
}

// preApproval are the statuses a vendor holds before anyone has approved it.
var preApproval = []string{"proposed", "in_review"}

// ApproveForRequest moves a vendor that has not been approved yet to
// approved because a request for it was approved: the request's review is
// the vendor's review, so a proposed vendor skips in_review. A vendor
// already past approval (active, offboarding...) or archived is left alone,
// since the decision on one request must not undo a later lifecycle step.
// Call it inside the transaction that records the decision.
func (s *Service) ApproveForRequest(ctx context.Context, p *auth.Principal, id, detail string, o auth.Origin) error {
	before, err := models.GetVendor(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if before.ArchivedAt != nil || !slices.Contains(preApproval, before.Status) {
		return nil
	}
	after, err := models.UpdateVendor(ctx, s.DB, id, before.Version, map[string]any{"status": "approved"}, models.VendorChildren{})
	if err != nil {
		return err
	}
	b, a := models.AuditDiff(ViewOf(before), ViewOf(after))
	return auth.Record(ctx, s.DB, p, o, models.AuditEvent{Action: "vendor.status_change", ObjectType: "vendor", ObjectID: id,
		BeforeData: b, AfterData: a, Detail: detail})
}

// refuseWhileOffboarding keeps a vendor with an open offboarding checklist
// from leaving offboarding by a plain edit: signing the checklist off
// terminates it, cancelling the offboarding returns it to its earlier
// status. Without a checklist (a status set by hand or import) the
// lifecycle alone decides.
func refuseWhileOffboarding(ctx context.Context, tx *gorm.DB, id, status string) error {
	if _, err := models.OpenOffboarding(ctx, tx, id); errors.Is(err, models.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if status == "terminated" {
		return models.Invalid("status", "finish the offboarding checklist: signing it off terminates the vendor")
	}
	return models.Invalid("status", "the vendor is being offboarded: cancel the offboarding to change its status")
}
