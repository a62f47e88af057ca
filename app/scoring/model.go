package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/risk"
	"rampart/models"
)

// TierChange is a vendor whose inherent score or tier a model change
// would move: both sides of each, so the preview compares now with after.
type TierChange struct {
	VendorID  string `json:"vendor_id"`
	Name      string `json:"name"`
	From      int64  `json:"from"`       // tier now
	To        int    `json:"to"`         // tier under the new model
	FromScore int64  `json:"from_score"` // inherent score now
	ToScore   int    `json:"to_score"`   // inherent score under the new model
}

// Preview is what publishing a model would do.
type Preview struct {
	Vendors  int          `json:"vendors"`
	Changes  int          `json:"changes"`  // vendors whose tier changes
	Affected int          `json:"affected"` // vendors whose tier or inherent score changes
	Sample   []TierChange `json:"sample"`   // the first 200 affected vendors, by name
}

// forEachVendor walks every current vendor in pages, with its lists.
func forEachVendor(ctx context.Context, db *gorm.DB, fn func(v *models.VendorRecord) error) error {
	f := models.VendorFilter{Sort: "name", Limit: models.MaxLimit}
	for {
		page, err := models.ListVendors(ctx, db, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			if err := fn(&page.Items[i]); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// PreviewModel reports which vendors would change tier under m, without
// changing anything.
func PreviewModel(ctx context.Context, db *gorm.DB, m *risk.Model) (*Preview, error) {
	if err := m.Validate(); err != nil {
		return nil, models.Invalid("model", err.Error())
	}
	p := &Preview{Sample: []TierChange{}}
	err := forEachVendor(ctx, db, func(v *models.VendorRecord) error {
		p.Vendors++
		in := m.Inherent(ProfileOf(v))
		if int64(in.Tier) != v.Tier {
			p.Changes++
		}
		if int64(in.Tier) == v.Tier && int64(in.Score) == v.InherentScore {
			return nil
		}
		p.Affected++
		if len(p.Sample) < 200 {
			p.Sample = append(p.Sample, TierChange{VendorID: v.ID, Name: v.Name, From: v.Tier, To: in.Tier, FromScore: v.InherentScore, ToScore: in.Score})
		}
		return nil
	})
	return p, err
}

// MaxChangeNote is the longest change note a model version takes.
const MaxChangeNote = 2000

// CheckChangeNote refuses a missing or overlong change note.
func CheckChangeNote(note string) *models.ValidationError {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return models.Invalid("change_note", "is required: say what changed and why")
	case utf8.RuneCountInString(note) > MaxChangeNote:
		return models.Invalid("change_note", fmt.Sprintf("must be at most %d characters", MaxChangeNote))
	}
	return nil
}

// publishNote is what the publish event records beyond the actor: the
// risk_models table has no column for the note, so the audit trail keeps
// it and Versions reads it back from there.
type publishNote struct {
	Version int64  `json:"version"`
	Note    string `json:"note"`
}

// PublishModel stores m as the next version, retires the previous one and
// rescores every vendor (cause model_change), all in one transaction. The
// change note says why, for whoever reads the version history.
func PublishModel(ctx context.Context, db *gorm.DB, p *auth.Principal, m *risk.Model, content []byte, note string, o auth.Origin) (int64, int, error) {
	note = strings.TrimSpace(note)
	if err := CheckChangeNote(note); err != nil {
		return 0, 0, err
	}
	if err := m.Validate(); err != nil {
		return 0, 0, models.Invalid("model", err.Error())
	}
	var version int64
	rescored := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.PublishedRiskModel(ctx, tx)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		version = 1
		if cur != nil {
			version = cur.Version + 1
			if err := tx.Model(&models.RiskModel{}).Where("id = ?", cur.ID).Update("status", "retired").Error; err != nil {
				return err
			}
		}
		now := time.Now().UTC()
		row := &models.RiskModel{Version: version, Status: "published", Content: string(content), CreatedBy: &p.User.ID, PublishedAt: &now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		err = forEachVendor(ctx, tx, func(v *models.VendorRecord) error {
			h, err := Recompute(ctx, tx, v.ID, CauseModelChange)
			if h != nil {
				rescored++
			}
			return err
		})
		if err != nil {
			return err
		}
		after, err := json.Marshal(publishNote{Version: version, Note: note})
		if err != nil {
			return err
		}
		a := string(after)
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "risk_model.publish", ObjectType: "risk_model", ObjectID: row.ID,
			AfterData: &a, Detail: fmt.Sprintf("version %d; %d vendors rescored", version, rescored)})
	})
	return version, rescored, err
}

// ModelVersion is one published version of the risk model, newest first in
// Versions.
type ModelVersion struct {
	Version     int64      `json:"version"`
	Status      string     `json:"status"` // published (in force) or retired
	PublishedAt *time.Time `json:"published_at"`
	PublishedBy string     `json:"published_by"` // the publisher's name; empty for the built-in version
	Note        string     `json:"note"`         // empty for the built-in first version and those published before notes
}

// Versions lists the model's versions with who published each and their
// change notes, read from the publish events of the audit trail.
func Versions(ctx context.Context, db *gorm.DB) ([]ModelVersion, error) {
	var rows []models.RiskModel
	if err := db.WithContext(ctx).Order("version DESC").Limit(500).Find(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	var authors []string
	for i, r := range rows {
		ids[i] = r.ID
		if r.CreatedBy != nil {
			authors = append(authors, *r.CreatedBy)
		}
	}
	names, err := models.UserNames(ctx, db, authors)
	if err != nil {
		return nil, err
	}
	var events []models.AuditEvent
	if len(ids) > 0 {
		err := db.WithContext(ctx).Where("action = ? AND object_type = ? AND object_id IN ?", "risk_model.publish", "risk_model", ids).
			Find(&events).Error
		if err != nil {
			return nil, err
		}
	}
	byModel := make(map[string]models.AuditEvent, len(events))
	for _, e := range events {
		byModel[e.ObjectID] = e
	}
	out := make([]ModelVersion, 0, len(rows))
	for _, r := range rows {
		v := ModelVersion{Version: r.Version, Status: r.Status, PublishedAt: r.PublishedAt}
		if r.CreatedBy != nil {
			v.PublishedBy = names[*r.CreatedBy]
		}
		if e, ok := byModel[r.ID]; ok {
			var n publishNote
			if e.AfterData != nil && json.Unmarshal([]byte(*e.AfterData), &n) == nil {
				v.Note = n.Note
			}
		}
		out = append(out, v)
	}
	return out, nil
}
