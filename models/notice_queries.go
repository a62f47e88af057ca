package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ActiveUserIDsByRole lists the active users holding any of roles, by id.
func ActiveUserIDsByRole(ctx context.Context, db *gorm.DB, roles ...Role) ([]string, error) {
	out := []string{}
	err := db.WithContext(ctx).Model(&User{}).Where("active = ? AND role IN ?", true, roles).Order("id").Pluck("id", &out).Error
	return out, err
}

// scanLimit bounds one round of a scan; what it leaves is taken by the
// next round, since notices already written are skipped by their keys.
const scanLimit = 5000

// Chased is an assessment waiting for the vendor, with the invitation
// that opened its mail thread.
type Chased struct {
	Assessment Assessment
	Invitation PortalInvitation
}

// AwaitingVendor lists assessments sent to a vendor and not yet
// submitted, with a due date on or before lastDue, each with its newest
// invitation (the reminders thread under it).
func AwaitingVendor(ctx context.Context, db *gorm.DB, lastDue string) ([]Chased, error) {
	var as []Assessment
	if err := db.WithContext(ctx).Where("status IN ? AND due_date <> '' AND due_date <= ?", []string{"sent", "in_progress"}, lastDue).
		Order("due_date, id").Limit(scanLimit).Find(&as).Error; err != nil {
		return nil, err
	}
	out := make([]Chased, 0, len(as))
	for _, a := range as {
		var inv PortalInvitation
		if err := db.WithContext(ctx).Where("assessment_id = ? AND delegated_by IS NULL", a.ID).Order("created_at DESC, id DESC").Limit(1).Find(&inv).Error; err != nil {
			return nil, err
		}
		if inv.ID != "" {
			out = append(out, Chased{Assessment: a, Invitation: inv})
		}
	}
	return out, nil
}

// OwnedFindingsDue lists findings still open or in remediation that have
// an owner and a due date in [from, to].
func OwnedFindingsDue(ctx context.Context, db *gorm.DB, from, to string) ([]Finding, error) {
	var out []Finding
	err := db.WithContext(ctx).Where("status IN ? AND owner_id IS NOT NULL AND due_date <> '' AND due_date >= ? AND due_date <= ?",
		[]string{"open", "in_progress"}, from, to).Order("due_date, id").Limit(scanLimit).Find(&out).Error
	return out, err
}

// ExceptionsExpiring lists approved exceptions ending in [from, to].
func ExceptionsExpiring(ctx context.Context, db *gorm.DB, from, to string) ([]RiskException, error) {
	var out []RiskException
	err := db.WithContext(ctx).Where("status = ? AND expires_on >= ? AND expires_on <= ?", "approved", from, to).
		Order("expires_on, id").Limit(scanLimit).Find(&out).Error
	return out, err
}

// ContractsCancelBy lists current contracts whose cancel-by date falls in
// [from, to].
func ContractsCancelBy(ctx context.Context, db *gorm.DB, from, to string) ([]Contract, error) {
	var out []Contract
	err := db.WithContext(ctx).Where("archived_at IS NULL AND status NOT IN ?", []string{"expired", "terminated"}).
		Where("cancel_by <> '' AND cancel_by >= ? AND cancel_by <= ?", from, to).Order("cancel_by, id").Limit(scanLimit).Find(&out).Error
	return out, err
}

// VendorsForReview lists vendors in use (not archived, not ended or
// turned down) that were assessed before and whose next review falls on
// or before to.
func VendorsForReview(ctx context.Context, db *gorm.DB, to string) ([]Vendor, error) {
	var out []Vendor
	err := db.WithContext(ctx).Where("archived_at IS NULL AND status NOT IN ?", []string{"offboarding", "terminated", "rejected"}).
		Where("next_review_on <> '' AND next_review_on <= ?", to).
		Where("EXISTS (SELECT 1 FROM assessments a WHERE a.vendor_id = vendors.id AND a.status = ?)", "completed").
		Order("next_review_on, id").Limit(scanLimit).Find(&out).Error
	return out, err
}

// OpenAssessment returns a vendor's assessment still under way (from
// draft to review), if any: a review already started needs no other.
func OpenAssessment(ctx context.Context, db *gorm.DB, vendorID string) (*Assessment, error) {
	var a Assessment
	err := db.WithContext(ctx).Where("vendor_id = ? AND status IN ?", vendorID, []string{"draft", "sent", "in_progress", "submitted", "in_review"}).
		Order("created_at DESC").Limit(1).Find(&a).Error
	if err != nil || a.ID == "" {
		return nil, err
	}
	return &a, nil
}

// LockVendor holds a vendor's row until the transaction ends, so two
// writers deciding on the same vendor take turns (PostgreSQL locks the
// row; SQLite's immediate transactions hold the write lock already).
func LockVendor(ctx context.Context, tx *gorm.DB, id string) (*Vendor, error) {
	var v Vendor
	if err := tx.WithContext(ctx).Clauses(lockForUpdate(tx)...).Where("id = ?", id).Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// PendingDigest is the notices waiting for each person's daily digest
// (oldest first), by user id.
func PendingDigest(ctx context.Context, db *gorm.DB) (map[string][]Notification, error) {
	var ns []Notification
	if err := db.WithContext(ctx).Where("digest = ? AND digested_at IS NULL", true).Order("user_id, created_at, id").Limit(scanLimit).Find(&ns).Error; err != nil {
		return nil, err
	}
	out := map[string][]Notification{}
	for _, n := range ns {
		out[n.UserID] = append(out[n.UserID], n)
	}
	return out, nil
}

// MarkDigested records that notices went out in a digest.
func MarkDigested(ctx context.Context, db *gorm.DB, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return db.WithContext(ctx).Model(&Notification{}).Where("id IN ? AND digested_at IS NULL", ids).
		Updates(map[string]any{"digested_at": at, "updated_at": at}).Error
}

// QueueMailOnce stores one outbox message unless its (event, address) is
// already there, and reports whether it stored it.
func QueueMailOnce(ctx context.Context, db *gorm.DB, m *MailMessage) (bool, error) {
	res := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(m)
	return res.RowsAffected == 1, res.Error
}
