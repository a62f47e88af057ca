package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// organizationID is the one row of organization.
const organizationID = "organization"

// Organization names the asking company to vendors (portal and mails),
// set in Settings. An empty Name means it was never set.
type Organization struct {
	Base
	Name      string `gorm:"not null;default:''"`
	UpdatedBy *string
	Version   int64 `gorm:"not null;default:1"`
}

// TableName keeps the plural-free name of the one-row table.
func (Organization) TableName() string { return "organization" }

// GetOrganization returns the company's settings; before any save the
// name is empty at version 1.
func GetOrganization(ctx context.Context, db *gorm.DB) (*Organization, error) {
	var o Organization
	if err := db.WithContext(ctx).Where("id = ?", organizationID).Limit(1).Find(&o).Error; err != nil {
		return nil, err
	}
	if o.ID == "" {
		return &Organization{Base: Base{ID: organizationID}, Version: 1}, nil
	}
	return &o, nil
}

// SaveOrganizationName stores name, set by userID, if the settings are
// still at version; otherwise ErrConflict with the stored settings.
func SaveOrganizationName(ctx context.Context, db *gorm.DB, version int64, name, userID string) (*Organization, error) {
	db = db.WithContext(ctx)
	now := time.Now().UTC()
	// The row appears on first save; a concurrent first save loses on the
	// primary key and is a conflict like any other.
	if err := db.Exec(`INSERT INTO organization (id, version, created_at, updated_at) VALUES (?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
		organizationID, now, now).Error; err != nil {
		return nil, err
	}
	var by *string
	if userID != "" {
		by = &userID
	}
	return updateVersioned[Organization](ctx, db, organizationID, version, map[string]any{"name": name, "updated_by": by}, true)
}
