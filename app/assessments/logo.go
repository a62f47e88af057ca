package assessments

import (
	"context"
	"errors"
	"io"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/storage"
	"rampart/models"
)

// MaxLogo caps the portal's logo: a logo, not a photograph.
const MaxLogo = 512 << 10

// logoKinds are the images the portal shows as its logo (no SVG: it can
// carry script).
var logoKinds = map[string]bool{"image/png": true, "image/jpeg": true}

// SetLogo stores the image the vendor portal shows beside the asking
// company's name, replacing any earlier one. The type comes from the
// content; a refused or failed upload leaves nothing behind, and the
// replaced image's bytes go after commit (else the orphan sweep takes them).
func SetLogo(ctx context.Context, db *gorm.DB, files storage.Store, p *auth.Principal, name string, body io.Reader, o auth.Origin) (*models.PortalLogo, error) {
	refuse := storage.Refusal{Name: name, Accepted: "a PNG or JPEG image"}
	typ, rest, err := storage.Sniff(body)
	if err != nil {
		return nil, err
	}
	if typ == "" || typ == "application/x-empty" {
		return nil, models.Invalid("file", refuse.Empty())
	}
	if !logoKinds[typ] {
		return nil, models.Invalid("file", refuse.WrongType(typ))
	}
	key, size, sum, err := files.Put(ctx, rest, MaxLogo)
	if errors.Is(err, storage.ErrTooLarge) {
		return nil, models.Invalid("file", refuse.TooLarge("512 KB"))
	} else if err != nil {
		return nil, err
	}
	l := &models.PortalLogo{UploadedBy: p.User.ID, Filename: storage.CleanName(name), ContentType: typ, Size: size, Sha256: sum, StorageKey: key}
	var old *models.PortalLogo
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if old, err = models.GetPortalLogo(ctx, tx); err != nil {
			return err
		}
		if err := models.SetPortalLogo(ctx, tx, l); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "portal_logo.set", ObjectType: "settings", ObjectID: "portal_logo",
			AfterData: models.AuditJSON(map[string]any{"filename": l.Filename, "content_type": typ, "size": size, "sha256": sum})})
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	if old != nil && old.StorageKey != key {
		_ = files.Delete(context.WithoutCancel(ctx), old.StorageKey)
	}
	return l, nil
}

// RemoveLogo takes the portal's logo away; ErrNotFound when none is set.
func RemoveLogo(ctx context.Context, db *gorm.DB, files storage.Store, p *auth.Principal, o auth.Origin) error {
	var old *models.PortalLogo
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if old, err = models.GetPortalLogo(ctx, tx); err != nil {
			return err
		}
		if old == nil {
			return models.ErrNotFound
		}
		if _, err := models.DeletePortalLogo(ctx, tx); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "portal_logo.remove", ObjectType: "settings", ObjectID: "portal_logo",
			BeforeData: models.AuditJSON(map[string]any{"filename": old.Filename, "content_type": old.ContentType, "size": old.Size, "sha256": old.Sha256})})
	})
	if err != nil {
		return err
	}
	_ = files.Delete(context.WithoutCancel(ctx), old.StorageKey)
	return nil
}
