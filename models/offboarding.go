package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Offboarding is one run of a vendor's exit checklist. At most one per
// vendor is open; completed and cancelled ones stay as history.
type Offboarding struct {
	Base
	VendorID       string     `gorm:"not null"`
	Status         string     `gorm:"not null;default:'open'"`
	PreviousStatus string     `gorm:"not null"`
	StartedBy      string     `gorm:"not null"`
	StartedAt      time.Time  `gorm:"not null"`
	SignedOffBy    *string    ``
	SignedOffAt    *time.Time ``
	CancelledBy    *string    ``
	CancelledAt    *time.Time ``
	Version        int64      `gorm:"not null;default:1"`
}

// TableName keeps the table's name explicit.
func (Offboarding) TableName() string { return "vendor_offboardings" }

// OffboardingItem is one step of an offboarding checklist.
type OffboardingItem struct {
	Base
	OffboardingID string     `gorm:"not null"`
	Position      int64      `gorm:"not null"`
	Kind          string     `gorm:"not null"`
	Title         string     `gorm:"not null"`
	Detail        string     `gorm:"not null;default:''"`
	DueOn         string     `gorm:"not null;default:''"`
	DueRule       string     `gorm:"not null;default:''"`
	Flag          string     `gorm:"not null;default:''"`
	TermQuote     string     `gorm:"not null;default:''"`
	ContractID    *string    ``
	EvidenceID    *string    ``
	Status        string     `gorm:"not null;default:'open'"`
	WaivedReason  string     `gorm:"not null;default:''"`
	Note          string     `gorm:"not null;default:''"`
	DoneBy        *string    ``
	DoneAt        *time.Time ``
	Version       int64      `gorm:"not null;default:1"`
}

// CreateOffboarding stores an offboarding with its items. The open-per-
// vendor unique index turns a concurrent second start into ErrConflict.
func CreateOffboarding(ctx context.Context, db *gorm.DB, o *Offboarding, items []OffboardingItem) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(o).Error; err != nil {
			return translate(err)
		}
		for i := range items {
			items[i].OffboardingID, items[i].Position = o.ID, int64(i+1)
			if items[i].Version == 0 {
				items[i].Version = 1
			}
		}
		if len(items) == 0 {
			return nil
		}
		return tx.Create(&items).Error
	})
}

// LatestOffboarding returns the vendor's newest offboarding, of any status.
func LatestOffboarding(ctx context.Context, db *gorm.DB, vendorID string) (*Offboarding, error) {
	var o Offboarding
	if err := db.WithContext(ctx).Where("vendor_id = ?", vendorID).Order("created_at DESC, id DESC").Take(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// OpenOffboarding returns the vendor's open offboarding (ErrNotFound when none).
func OpenOffboarding(ctx context.Context, db *gorm.DB, vendorID string) (*Offboarding, error) {
	var o Offboarding
	if err := db.WithContext(ctx).Where("vendor_id = ? AND status = ?", vendorID, "open").Take(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// OpenOffboardingVendors says which of the vendors have an open
// offboarding, in one query.
func OpenOffboardingVendors(ctx context.Context, db *gorm.DB, vendorIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(vendorIDs) == 0 {
		return out, nil
	}
	var ids []string
	if err := db.WithContext(ctx).Model(&Offboarding{}).Where("vendor_id IN ? AND status = ?", vendorIDs, "open").Pluck("vendor_id", &ids).Error; err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// UpdateOffboarding applies set if the offboarding is still at version.
func UpdateOffboarding(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Offboarding, error) {
	return updateVersioned[Offboarding](ctx, db, id, version, set, true)
}

// OffboardingItems lists an offboarding's items in checklist order.
func OffboardingItems(ctx context.Context, db *gorm.DB, offboardingID string) ([]OffboardingItem, error) {
	out := []OffboardingItem{}
	err := db.WithContext(ctx).Where("offboarding_id = ?", offboardingID).Order("position").Find(&out).Error
	return out, err
}

// GetOffboardingItem returns one item of an offboarding.
func GetOffboardingItem(ctx context.Context, db *gorm.DB, offboardingID, id string) (*OffboardingItem, error) {
	var it OffboardingItem
	if err := db.WithContext(ctx).Where("offboarding_id = ? AND id = ?", offboardingID, id).Take(&it).Error; err != nil {
		return nil, translate(err)
	}
	return &it, nil
}

// UpdateOffboardingItem applies set if the item is still at version.
func UpdateOffboardingItem(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*OffboardingItem, error) {
	return updateVersioned[OffboardingItem](ctx, db, id, version, set, true)
}

// ExitContracts are the vendor's current contracts that still have to be
// ended: not archived, not expired or terminated.
func ExitContracts(ctx context.Context, db *gorm.DB, vendorID string) ([]Contract, error) {
	out := []Contract{}
	err := db.WithContext(ctx).Where("vendor_id = ? AND archived_at IS NULL AND status NOT IN ?", vendorID, []string{"expired", "terminated"}).
		Order("urgency, id").Find(&out).Error
	return out, err
}

// ContractsByID returns the contracts with the given ids, keyed by id.
func ContractsByID(ctx context.Context, db *gorm.DB, ids []string) (map[string]Contract, error) {
	out := map[string]Contract{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []Contract
	if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return nil, err
	}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// OpenFindingStatuses and OpenExceptionStatuses are what offboarding
// counts as still open: findings not resolved or accepted, exceptions
// awaiting a decision or in force.
var (
	OpenFindingStatuses   = []string{"open", "in_progress"}
	OpenExceptionStatuses = []string{"requested", "approved"}
)

// OpenFindingsAndExceptions counts the vendor's open findings and exceptions.
func OpenFindingsAndExceptions(ctx context.Context, db *gorm.DB, vendorID string) (findings, exceptions int64, err error) {
	db = db.WithContext(ctx)
	if err = db.Model(&Finding{}).Where("vendor_id = ? AND status IN ?", vendorID, OpenFindingStatuses).Count(&findings).Error; err != nil {
		return 0, 0, err
	}
	err = db.Model(&RiskException{}).Where("vendor_id = ? AND status IN ?", vendorID, OpenExceptionStatuses).Count(&exceptions).Error
	return findings, exceptions, err
}
