package assessments

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// MaxOrgName caps the company's name: it heads the portal and mail
// subjects, so one line of a reasonable length.
const MaxOrgName = 200

// CheckOrgName returns name trimmed, or a ValidationError on "name" when it
// is empty, too long, more than one line or not text.
func CheckOrgName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	// JSON decoding turns a lone surrogate escape into U+FFFD: a name that
	// holds one was not valid text when it was sent.
	case !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError):
		return "", models.Invalid("name", "must be valid UTF-8 text")
	case name == "":
		return "", models.Invalid("name", "is required")
	case strings.ContainsAny(name, "\r\n\v\f\u0085\u2028\u2029"):
		return "", models.Invalid("name", "must be one line")
	case strings.ContainsFunc(name, unicode.IsControl):
		return "", models.Invalid("name", "must not contain control characters")
	case utf8.RuneCountInString(name) > MaxOrgName:
		return "", models.Invalid("name", "must be at most 200 characters long")
	}
	return name, nil
}

// SetOrgName stores the company's name vendors see, if the settings are
// still at version; on a stale version it returns the stored settings with
// ErrConflict.
func SetOrgName(ctx context.Context, db *gorm.DB, p *auth.Principal, version int64, name string, o auth.Origin) (*models.Organization, error) {
	name, err := CheckOrgName(name)
	if err != nil {
		return nil, err
	}
	var out *models.Organization
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetOrganization(ctx, tx)
		if err != nil {
			return err
		}
		out, err = models.SaveOrganizationName(ctx, tx, version, name, p.User.ID)
		if err != nil {
			return err
		}
		b, a := models.AuditDiff(map[string]any{"name": before.Name}, map[string]any{"name": out.Name})
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "organization.update", ObjectType: "settings", ObjectID: "organization",
			BeforeData: b, AfterData: a})
	})
	return out, err
}
