package models

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// portalLogoID is the one row of portal_logos.
const portalLogoID = "portal"

// PortalLogo is the image the vendor portal shows beside the asking
// company's name.
type PortalLogo struct {
	Base
	UploadedBy  string `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"column:sha256;not null"`
	StorageKey  string `gorm:"not null"`
}

// GetPortalLogo returns the portal's logo, or nil when none is set.
func GetPortalLogo(ctx context.Context, db *gorm.DB) (*PortalLogo, error) {
	var out []PortalLogo
	if err := db.WithContext(ctx).Where("id = ?", portalLogoID).Limit(1).Find(&out).Error; err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// SetPortalLogo stores l as the portal's logo, replacing any earlier one.
func SetPortalLogo(ctx context.Context, db *gorm.DB, l *PortalLogo) error {
	l.ID = portalLogoID
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"uploaded_by", "filename", "content_type", "size", "sha256", "storage_key", "updated_at"}),
	}).Create(l).Error
}

// DeletePortalLogo removes the portal's logo row; it reports whether there
// was one.
func DeletePortalLogo(ctx context.Context, db *gorm.DB) (bool, error) {
	res := db.WithContext(ctx).Where("id = ?", portalLogoID).Delete(&PortalLogo{})
	return res.RowsAffected > 0, res.Error
}
