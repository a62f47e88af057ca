package offboarding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/scoring"
	"rampart/app/vendors"
	"rampart/models"
)

// MaxText caps a reason or a note.
const MaxText = 2000

// Service starts, works, signs off and cancels offboardings, recording
// each step in the audit trail in the same transaction.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Item is a checklist item as readers see it: its stored state with what
// is computed live (close_findings and contract_exit complete themselves).
type Item struct {
	models.OffboardingItem
	// Effective is the status that counts: the stored one, or done when
	// the item completed itself (Auto).
	Effective string
	Auto      bool
	Overdue   bool
	// OpenFindings and OpenExceptions are live counts (close_findings).
	OpenFindings, OpenExceptions int64
	// ContractStatus is the linked contract's status now (contract_exit, data_return).
	ContractStatus string
}

// View is an offboarding with its items and progress.
type View struct {
	models.Offboarding
	Items []Item
	Done  int // items done or waived
	// Ready is true when every item but the sign-off is done or waived.
	Ready bool
	// Blocking names the items still open (sign-off excepted).
	Blocking []string
}

// ItemChange is what a client sets on an item; nil fields are unchanged.
type ItemChange struct {
	Status, Reason, Note, EvidenceID *string
}

// Get returns the vendor's latest offboarding (ErrNotFound when it never had one).
func (s *Service) Get(ctx context.Context, vendorID string) (*View, error) {
	if _, err := models.GetVendor(ctx, s.DB, vendorID); err != nil {
		return nil, err
	}
	return s.Latest(ctx, vendorID)
}

// Latest is Get for a caller that has just read the vendor itself, as
// the vendor's page does: reading it again cost as much as the rest of
// the page.
func (s *Service) Latest(ctx context.Context, vendorID string) (*View, error) {
	o, err := models.LatestOffboarding(ctx, s.DB, vendorID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, s.DB, o)
}

// Start moves the vendor to offboarding and builds its checklist. A
// vendor with an open checklist, or one that may not move to offboarding
// (terminated, proposed...), is refused (422 on status). A vendor already
// set to offboarding by hand or import, with no checklist, gets one.
func (s *Service) Start(ctx context.Context, p *auth.Principal, vendorID string, o auth.Origin) (*View, error) {
	var out *View
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := models.GetVendor(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if v.ArchivedAt != nil {
			return models.Invalid("archived", "the vendor is archived; restore it before offboarding")
		}
		if _, err := models.OpenOffboarding(ctx, tx, vendorID); err == nil {
			return models.Invalid("status", "the vendor is already being offboarded")
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if v.Status != "offboarding" && !vendors.CanMove(v.Status, "offboarding") {
			return models.Invalid("status", fmt.Sprintf("a vendor that is %s cannot be offboarded; allowed from: approved, active", v.Status))
		}
		var cs []models.Contract
		if err := tx.Where("vendor_id = ? AND archived_at IS NULL", vendorID).Order("urgency, id").Find(&cs).Error; err != nil {
			return err
		}
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		terms, err := models.TermsOfContracts(ctx, tx, ids)
		if err != nil {
			return err
		}
		now := s.now()
		items := Plan(Source{Vendor: v.Vendor, Contracts: cs, Terms: terms, Start: now})
		ob := &models.Offboarding{VendorID: vendorID, Status: Open, PreviousStatus: v.Status, StartedBy: p.User.ID, StartedAt: now, Version: 1}
		if err := models.CreateOffboarding(ctx, tx, ob, items); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("status", "the vendor is already being offboarded")
			}
			return err
		}
		if v.Status != "offboarding" {
			if err := s.setVendorStatus(ctx, tx, p, v, "offboarding", "offboarding started", o); err != nil {
				return err
			}
		}
		kinds := make([]string, len(items))
		for i, it := range items {
			kinds[i] = it.Kind
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "offboarding.start", ObjectType: "vendor", ObjectID: vendorID,
			AfterData: models.AuditJSON(map[string]any{"offboarding_id": ob.ID, "previous_status": v.Status, "items": kinds})}); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, ob)
		return err
	})
	return out, err
}

// setVendorStatus changes the vendor's status, rescores it and records
// the change as vendor.status_change, as a profile edit does.
func (s *Service) setVendorStatus(ctx context.Context, tx *gorm.DB, p *auth.Principal, before *models.VendorRecord, status, detail string, o auth.Origin) error {
	after, err := models.UpdateVendor(ctx, tx, before.ID, before.Version, map[string]any{"status": status}, models.VendorChildren{})
	if err != nil {
		return err
	}
	if _, err := scoring.Recompute(ctx, tx, before.ID, scoring.CauseProfileEdit); err != nil {
		return err
	}
	b, a := models.AuditDiff(vendors.ViewOf(before), vendors.ViewOf(after))
	return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "vendor.status_change", ObjectType: "vendor", ObjectID: before.ID,
		BeforeData: b, AfterData: a, Detail: detail})
}

// openOf returns the vendor's open offboarding, or a 422 saying there is none.
func openOf(ctx context.Context, tx *gorm.DB, vendorID string) (*models.Offboarding, error) {
	if _, err := models.GetVendor(ctx, tx, vendorID); err != nil {
		return nil, err
	}
	ob, err := models.OpenOffboarding(ctx, tx, vendorID)
	if errors.Is(err, models.ErrNotFound) {
		if _, lerr := models.LatestOffboarding(ctx, tx, vendorID); lerr != nil {
			return nil, lerr // never offboarded: 404
		}
		return nil, models.Invalid("status", "the offboarding is no longer open")
	}
	return ob, err
}

// UpdateItem completes, waives (a reason is required), reopens or notes
// an item still at version. A stale version returns the current view with
// models.ErrConflict.
func (s *Service) UpdateItem(ctx context.Context, p *auth.Principal, vendorID, itemID string, version int64, ch ItemChange, o auth.Origin) (*View, error) {
	var out *View
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ob, err := openOf(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		before, err := models.GetOffboardingItem(ctx, tx, ob.ID, itemID)
		if err != nil {
			return err
		}
		if before.Version != version {
			out, _ = s.view(ctx, tx, ob)
			return models.ErrConflict
		}
		cur, err := s.item(ctx, tx, ob.VendorID, *before)
		if err != nil {
			return err
		}
		set, action, err := s.change(ctx, tx, p, ob.VendorID, cur, ch)
		if err != nil {
			return err
		}
		after, err := models.UpdateOffboardingItem(ctx, tx, itemID, version, set)
		if err != nil {
			if errors.Is(err, models.ErrConflict) {
				out, _ = s.view(ctx, tx, ob)
			}
			return err
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: ob.VendorID,
			BeforeData: models.AuditJSON(itemAudit(before)), AfterData: models.AuditJSON(itemAudit(after)), Detail: after.Title}); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, ob)
		return err
	})
	return out, err
}

// change checks ch against the item and returns the columns to set and
// the audit action, reporting every field at fault at once.
func (s *Service) change(ctx context.Context, tx *gorm.DB, p *auth.Principal, vendorID string, cur Item, ch ItemChange) (map[string]any, string, error) {
	var errs []models.FieldError
	bad := func(field, msg string) { errs = append(errs, models.FieldError{Field: field, Message: msg}) }
	set := map[string]any{}
	action := "offboarding.item_note"
	status := cur.Status
	if ch.Status != nil {
		status = *ch.Status
		if !slices.Contains(ItemStatuses, status) {
			bad("status", "must be one of "+strings.Join(ItemStatuses, ", "))
		}
	}
	reason := ""
	if ch.Reason != nil {
		reason = strings.TrimSpace(*ch.Reason)
	}
	switch {
	case len(reason) > MaxText:
		bad("reason", fmt.Sprintf("must be at most %d characters", MaxText))
	case status == ItemWaived && ch.Status != nil && reason == "":
		bad("reason", "is required: say why this step is waived")
	}
	if ch.Note != nil {
		if len(*ch.Note) > MaxText {
			bad("note", fmt.Sprintf("must be at most %d characters", MaxText))
		}
		set["note"] = strings.TrimSpace(*ch.Note)
	}
	evidenceID := cur.EvidenceID
	if ch.EvidenceID != nil {
		switch {
		case cur.Kind != KindDestruction:
			bad("evidence_id", "only the certificate of destruction links to evidence")
		case *ch.EvidenceID == "":
			evidenceID = nil
		default:
			if _, err := models.GetEvidence(ctx, tx, vendorID, *ch.EvidenceID); errors.Is(err, models.ErrNotFound) {
				bad("evidence_id", "is not a document in this vendor's evidence")
			} else if err != nil {
				return nil, "", err
			}
			evidenceID = ch.EvidenceID
		}
		set["evidence_id"] = evidenceID
	}
	if ch.Status != nil && status != cur.Status {
		switch {
		case cur.Kind == KindSignOff:
			bad("status", "the final step is done by signing off the offboarding")
		case status == ItemDone && cur.Kind == KindCloseFindings && cur.OpenFindings+cur.OpenExceptions > 0:
			bad("status", fmt.Sprintf("%d open findings and %d open exceptions remain: close them, or waive this step with a reason", cur.OpenFindings, cur.OpenExceptions))
		case status == ItemDone && cur.Kind == KindDestruction && evidenceID == nil:
			bad("evidence_id", "link the certificate of destruction from the vendor's evidence first")
		}
	}
	if len(errs) > 0 {
		return nil, "", &models.ValidationError{Errors: errs}
	}
	if ch.Status != nil && status != cur.Status {
		set["status"] = status
		switch status {
		case ItemDone:
			action = "offboarding.item_complete"
			set["done_by"], set["done_at"], set["waived_reason"] = p.User.ID, s.now(), ""
		case ItemWaived:
			action = "offboarding.item_waive"
			set["done_by"], set["done_at"], set["waived_reason"] = p.User.ID, s.now(), reason
		default:
			action = "offboarding.item_reopen"
			set["done_by"], set["done_at"], set["waived_reason"] = nil, nil, ""
		}
	} else if ch.Reason != nil && cur.Status == ItemWaived && reason != "" {
		set["waived_reason"] = reason
	}
	if len(set) == 0 {
		return nil, "", models.Invalid("status", "nothing to change: give status, reason, note or evidence_id")
	}
	return set, action, nil
}

func itemAudit(it *models.OffboardingItem) map[string]any {
	m := map[string]any{"item_id": it.ID, "kind": it.Kind, "title": it.Title, "status": it.Status, "waived_reason": it.WaivedReason, "note": it.Note}
	if it.EvidenceID != nil {
		m["evidence_id"] = *it.EvidenceID
	}
	return m
}

// SignOff completes an offboarding whose items are all done or waived
// (the final step aside) and terminates the vendor; otherwise 422 names
// the open items.
func (s *Service) SignOff(ctx context.Context, p *auth.Principal, vendorID string, version int64, o auth.Origin) (*View, error) {
	var out *View
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ob, err := openOf(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if ob.Version != version {
			out, _ = s.view(ctx, tx, ob)
			return models.ErrConflict
		}
		cur, err := s.view(ctx, tx, ob)
		if err != nil {
			return err
		}
		if !cur.Ready {
			return models.Invalid("items", fmt.Sprintf("%d %s still open: %s", len(cur.Blocking), plural(len(cur.Blocking), "step is", "steps are"), strings.Join(cur.Blocking, "; ")))
		}
		v, err := models.GetVendor(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if !vendors.CanMove(v.Status, "terminated") {
			return models.Invalid("status", fmt.Sprintf("the vendor is %s and cannot be terminated; cancel the offboarding instead", v.Status))
		}
		now := s.now()
		for _, it := range cur.Items {
			if it.Kind == KindSignOff {
				if _, err := models.UpdateOffboardingItem(ctx, tx, it.ID, it.Version, map[string]any{"status": ItemDone, "done_by": p.User.ID, "done_at": now}); err != nil {
					return err
				}
			}
		}
		after, err := models.UpdateOffboarding(ctx, tx, ob.ID, version, map[string]any{"status": Completed, "signed_off_by": p.User.ID, "signed_off_at": now})
		if err != nil {
			out = nil
			return err
		}
		if err := s.setVendorStatus(ctx, tx, p, v, "terminated", "offboarding signed off", o); err != nil {
			return err
		}
		waived := []string{}
		for _, it := range cur.Items {
			if it.Effective == ItemWaived {
				waived = append(waived, it.Title+": "+it.WaivedReason)
			}
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "offboarding.sign_off", ObjectType: "vendor", ObjectID: vendorID,
			AfterData: models.AuditJSON(map[string]any{"offboarding_id": ob.ID, "status": Completed, "vendor_status": "terminated", "waived": waived})}); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, after)
		return err
	})
	return out, err
}

// Cancel stops an open offboarding and returns the vendor to the status
// it had before (the checklist stays as history).
func (s *Service) Cancel(ctx context.Context, p *auth.Principal, vendorID string, version int64, o auth.Origin) (*View, error) {
	var out *View
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ob, err := openOf(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if ob.Version != version {
			out, _ = s.view(ctx, tx, ob)
			return models.ErrConflict
		}
		after, err := models.UpdateOffboarding(ctx, tx, ob.ID, version, map[string]any{"status": Cancelled, "cancelled_by": p.User.ID, "cancelled_at": s.now()})
		if err != nil {
			return err
		}
		v, err := models.GetVendor(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if v.Status == "offboarding" && ob.PreviousStatus != "offboarding" {
			if err := s.setVendorStatus(ctx, tx, p, v, ob.PreviousStatus, "offboarding cancelled", o); err != nil {
				return err
			}
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "offboarding.cancel", ObjectType: "vendor", ObjectID: vendorID,
			AfterData: models.AuditJSON(map[string]any{"offboarding_id": ob.ID, "status": Cancelled, "vendor_status": ob.PreviousStatus})}); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, after)
		return err
	})
	return out, err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// view reads an offboarding's items and computes their live state.
func (s *Service) view(ctx context.Context, db *gorm.DB, ob *models.Offboarding) (*View, error) {
	items, err := models.OffboardingItems(ctx, db, ob.ID)
	if err != nil {
		return nil, err
	}
	out := &View{Offboarding: *ob, Items: make([]Item, 0, len(items)), Blocking: []string{}}
	for _, it := range items {
		v, err := s.item(ctx, db, ob.VendorID, it)
		if err != nil {
			return nil, err
		}
		if ob.Status != Open {
			v.Overdue = false
		}
		out.Items = append(out.Items, v)
		if v.Effective != ItemOpen {
			out.Done++
		} else if v.Kind != KindSignOff {
			out.Blocking = append(out.Blocking, v.Title)
		}
	}
	out.Ready = ob.Status == Open && len(out.Blocking) == 0
	return out, nil
}

// item computes one item's live state.
func (s *Service) item(ctx context.Context, db *gorm.DB, vendorID string, it models.OffboardingItem) (Item, error) {
	v := Item{OffboardingItem: it, Effective: it.Status}
	if it.ContractID != nil {
		c, err := models.GetContract(ctx, db, *it.ContractID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return v, err
		}
		if c != nil {
			v.ContractStatus = c.Status
			if it.Kind == KindContractExit && it.Status == ItemOpen && (c.Status == "terminated" || c.Status == "expired" || c.ArchivedAt != nil) {
				v.Effective, v.Auto = ItemDone, true
			}
		}
	}
	if it.Kind == KindCloseFindings {
		f, e, err := models.OpenFindingsAndExceptions(ctx, db, vendorID)
		if err != nil {
			return v, err
		}
		v.OpenFindings, v.OpenExceptions = f, e
		if it.Status == ItemOpen && f+e == 0 {
			v.Effective, v.Auto = ItemDone, true
		}
	}
	v.Overdue = v.Effective == ItemOpen && it.DueOn != "" && it.DueOn < s.now().Format(time.DateOnly)
	return v, nil
}
