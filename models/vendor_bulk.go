package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// inChunk bounds the ids of one IN list, well under both databases'
// bound-parameter limits.
const inChunk = 1000

// chunks calls fn with consecutive slices of ids of at most inChunk.
func chunks(ids []string, fn func([]string) error) error {
	for start := 0; start < len(ids); start += inChunk {
		if err := fn(ids[start:min(start+inChunk, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// GetVendors loads many vendors with owners, lists, contacts and
// subprocessors in a few queries per thousand ids; ids that are not
// vendors are left out.
func GetVendors(ctx context.Context, db *gorm.DB, ids []string) (map[string]*VendorRecord, error) {
	db = db.WithContext(ctx)
	out := make(map[string]*VendorRecord, len(ids))
	err := chunks(ids, func(part []string) error {
		var vs []Vendor
		if err := db.Where("id IN ?", part).Find(&vs).Error; err != nil {
			return err
		}
		recs, err := loadVendorLists(db, vs)
		if err != nil {
			return err
		}
		for i := range recs {
			out[recs[i].ID] = &recs[i]
		}
		var contacts []VendorContact
		if err := db.Where("vendor_id IN ?", part).Order("vendor_id, position").Find(&contacts).Error; err != nil {
			return err
		}
		for _, c := range contacts {
			if r := out[c.VendorID]; r != nil {
				r.Contacts = append(r.Contacts, c)
			}
		}
		var subs []VendorSubprocessor
		if err := db.Where("vendor_id IN ?", part).Order("vendor_id, position").Find(&subs).Error; err != nil {
			return err
		}
		for _, s := range subs {
			if r := out[s.VendorID]; r != nil {
				r.Subprocessors = append(r.Subprocessors, s)
			}
		}
		return nil
	})
	return out, err
}

// ScoringInputs are what scoring reads besides the vendor itself, for
// many vendors at once.
type ScoringInputs struct {
	LatestCompleted map[string]*Assessment        // by vendor id; absent: never assessed
	OpenFindings    map[string]map[string]int     // by vendor id, then severity
	LatestRisk      map[string]*VendorRiskHistory // by vendor id; absent: never scored
	Evidence        map[string]HeldEvidence       // by vendor id; absent: holds none
	OpenIncidents   map[string]map[string]int     // by vendor id, then severity
}

// LoadScoringInputs reads, for every one of ids, what LatestCompleted,
// OpenFindingCounts and LatestRisk read for one vendor, in three queries
// per thousand ids.
func LoadScoringInputs(ctx context.Context, db *gorm.DB, ids []string, today string) (ScoringInputs, error) {
	db = db.WithContext(ctx)
	in := ScoringInputs{LatestCompleted: map[string]*Assessment{}, OpenFindings: map[string]map[string]int{},
		LatestRisk: map[string]*VendorRiskHistory{}, Evidence: map[string]HeldEvidence{}, OpenIncidents: map[string]map[string]int{}}
	err := chunks(ids, func(part []string) error {
		var done []Assessment
		if err := db.Raw("SELECT * FROM (SELECT a.*, ROW_NUMBER() OVER (PARTITION BY vendor_id ORDER BY completed_at DESC) AS rn "+
			"FROM assessments a WHERE vendor_id IN ? AND status = ?) latest WHERE rn = 1", part, "completed").Scan(&done).Error; err != nil {
			return err
		}
		for i := range done {
			in.LatestCompleted[done[i].VendorID] = &done[i]
		}
		var counts []struct {
			VendorID, Severity string
			N                  int
		}
		if err := db.Model(&Finding{}).Select("vendor_id, severity, COUNT(*) AS n").
			Where("vendor_id IN ? AND status IN ?", part, []string{"open", "in_progress"}).
			Where("NOT EXISTS (SELECT 1 FROM risk_exceptions e WHERE e.finding_id = findings.id AND e.status = ? AND e.expires_on >= ?)", "approved", today).
			Group("vendor_id, severity").Scan(&counts).Error; err != nil {
			return err
		}
		for _, c := range counts {
			if in.OpenFindings[c.VendorID] == nil {
				in.OpenFindings[c.VendorID] = map[string]int{}
			}
			in.OpenFindings[c.VendorID][c.Severity] = c.N
		}
		counts = counts[:0]
		if err := db.Model(&Incident{}).Select("vendor_id, severity, COUNT(*) AS n").
			Where("vendor_id IN ? AND status IN ?", part, OpenIncidentStatuses).
			Group("vendor_id, severity").Scan(&counts).Error; err != nil {
			return err
		}
		for _, c := range counts {
			if in.OpenIncidents[c.VendorID] == nil {
				in.OpenIncidents[c.VendorID] = map[string]int{}
			}
			in.OpenIncidents[c.VendorID][c.Severity] = c.N
		}
		var hist []VendorRiskHistory
		if err := db.Raw("SELECT * FROM (SELECT h.*, ROW_NUMBER() OVER (PARTITION BY vendor_id ORDER BY created_at DESC, id DESC) AS rn "+
			"FROM vendor_risk_history h WHERE vendor_id IN ?) latest WHERE rn = 1", part).Scan(&hist).Error; err != nil {
			return err
		}
		for i := range hist {
			in.LatestRisk[hist[i].VendorID] = &hist[i]
		}
		var held []struct{ VendorID, Kind, ExpiresOn string }
		if err := db.Table("evidence_documents AS d").Select("d.vendor_id, d.kind, v.expires_on").
			Joins("JOIN evidence_versions v ON v.document_id = d.id AND v.number = d.current_version").
			Where("d.vendor_id IN ? AND v.status = ?", part, "accepted").Scan(&held).Error; err != nil {
			return err
		}
		for _, h := range held {
			e := in.Evidence[h.VendorID]
			e.add(h.Kind, h.ExpiresOn, today)
			in.Evidence[h.VendorID] = e
		}
		reviews, err := SOCReviewSummaries(ctx, db, part)
		if err != nil {
			return err
		}
		for id, r := range reviews {
			e := in.Evidence[id]
			e.SOCReview = r
			in.Evidence[id] = e
		}
		return nil
	})
	return in, err
}

// ErrVendorsChanged is the conflict of a bulk update whose vendors are no
// longer all at the versions read: someone edited one meanwhile.
var ErrVendorsChanged = fmt.Errorf("%w: a vendor was changed by someone else meanwhile", ErrConflict)

// VendorChange is one vendor a bulk write updates: its new state, the
// version it was read at, and which lists to replace.
type VendorChange struct {
	Record    *VendorRecord
	Version   int64
	Tags      bool
	DataTypes bool
}

// vendorUpdateColumns are the columns a bulk update sets, in the order
// of the VALUES rows after id and version.
var vendorUpdateColumns = []struct {
	name    string
	integer bool
	value   func(v *Vendor) any
}{
	{"name", false, func(v *Vendor) any { return v.Name }},
	{"name_key", false, func(v *Vendor) any { return v.NameKey }},
	{"legal_name", false, func(v *Vendor) any { return v.LegalName }},
	{"website", false, func(v *Vendor) any { return v.Website }},
	{"domain", false, func(v *Vendor) any { return v.Domain }},
	{"description", false, func(v *Vendor) any { return v.Description }},
	{"category", false, func(v *Vendor) any { return v.Category }},
	{"status", false, func(v *Vendor) any { return v.Status }},
	{"owner_id", false, func(v *Vendor) any { return v.OwnerID }},
	{"department", false, func(v *Vendor) any { return v.Department }},
	{"access_level", false, func(v *Vendor) any { return v.AccessLevel }},
	{"integration_methods", false, func(v *Vendor) any { return v.IntegrationMethods }},
	{"hosting_regions", false, func(v *Vendor) any { return v.HostingRegions }},
	{"annual_spend", true, func(v *Vendor) any { return v.AnnualSpend }},
	{"currency", false, func(v *Vendor) any { return v.Currency }},
	{"internal_users", true, func(v *Vendor) any { return v.InternalUsers }},
	{"criticality", true, func(v *Vendor) any { return v.Criticality }},
	{"external_id", false, func(v *Vendor) any { return v.ExternalID }},
	{"search_text", false, func(v *Vendor) any { return SearchTextOf(v) }},
	{"inherent_score", true, func(v *Vendor) any { return v.InherentScore }},
	{"tier", true, func(v *Vendor) any { return v.Tier }},
	{"residual_score", true, func(v *Vendor) any { return v.ResidualScore }},
	{"likelihood", true, func(v *Vendor) any { return v.Likelihood }},
	{"impact", true, func(v *Vendor) any { return v.Impact }},
	{"risk_model_version", true, func(v *Vendor) any { return v.RiskModelVersion }},
	{"next_review_on", false, func(v *Vendor) any { return v.NextReviewOn }},
	{"evidence_gaps", true, func(v *Vendor) any { return v.EvidenceGaps }},
}

// WriteVendorsBulk inserts creates and applies changes inside tx with
// multi-row statements: a few dozen statements for 20,000 vendors
// instead of twenty per vendor. A change whose vendor is no longer at its
// version fails the whole write with ErrConflict; a taken external id is
// ErrConflict too. Contacts and subprocessors are not touched.
func WriteVendorsBulk(ctx context.Context, tx *gorm.DB, creates []*VendorRecord, changes []VendorChange) error {
	tx = tx.WithContext(ctx)
	now := time.Now().UTC()
	var vs []Vendor
	var tags []VendorTag
	var types []VendorDataType
	for _, r := range creates {
		if r.ID == "" {
			r.ID = NewID()
		}
		r.SearchText, r.Version, r.CreatedAt, r.UpdatedAt = SearchTextOf(&r.Vendor), 1, now, now
		vs = append(vs, r.Vendor)
		for _, t := range r.Tags {
			tags = append(tags, VendorTag{VendorID: r.ID, Tag: t})
		}
		for _, d := range r.DataTypes {
			types = append(types, VendorDataType{VendorID: r.ID, DataType: d})
		}
	}
	if err := InsertBulk(ctx, tx, vs); err != nil {
		return translate(err)
	}
	if err := updateVendorsBulk(tx, changes, now); err != nil {
		return err
	}
	var tagged, typed []string
	for _, c := range changes {
		if c.Tags {
			tagged = append(tagged, c.Record.ID)
			for _, t := range c.Record.Tags {
				tags = append(tags, VendorTag{VendorID: c.Record.ID, Tag: t})
			}
		}
		if c.DataTypes {
			typed = append(typed, c.Record.ID)
			for _, d := range c.Record.DataTypes {
				types = append(types, VendorDataType{VendorID: c.Record.ID, DataType: d})
			}
		}
	}
	err := chunks(tagged, func(part []string) error { return tx.Where("vendor_id IN ?", part).Delete(&VendorTag{}).Error })
	if err != nil {
		return err
	}
	if err := chunks(typed, func(part []string) error { return tx.Where("vendor_id IN ?", part).Delete(&VendorDataType{}).Error }); err != nil {
		return err
	}
	if err := InsertBulk(ctx, tx, tags); err != nil {
		return err
	}
	return InsertBulk(ctx, tx, types)
}

// updateVendorsBulk updates many vendors per statement, each to its own
// values: UPDATE ... FROM (VALUES ...), which both databases accept when
// the VALUES columns keep their default names (column1, column2, ...).
// Numbers are cast because PostgreSQL types untyped parameters as text.
func updateVendorsBulk(tx *gorm.DB, changes []VendorChange, now time.Time) error {
	if len(changes) == 0 {
		return nil
	}
	width := len(vendorUpdateColumns) + 2
	batch := max(1, boundParams(tx)/width)
	var set strings.Builder
	for i, c := range vendorUpdateColumns {
		fmt.Fprintf(&set, "%s = v.column%d, ", c.name, i+3)
	}
	placeholders := make([]string, width)
	placeholders[0], placeholders[1] = "?", "CAST(? AS BIGINT)"
	for i, c := range vendorUpdateColumns {
		placeholders[i+2] = "?"
		if c.integer {
			placeholders[i+2] = "CAST(? AS BIGINT)"
		}
	}
	row := "(" + strings.Join(placeholders, ", ") + ")"
	for start := 0; start < len(changes); start += batch {
		part := changes[start:min(start+batch, len(changes))]
		args := make([]any, 0, len(part)*width+1)
		args = append(args, now)
		rows := make([]string, len(part))
		for i, c := range part {
			rows[i] = row
			args = append(args, c.Record.ID, c.Version)
			for _, col := range vendorUpdateColumns {
				args = append(args, col.value(&c.Record.Vendor))
			}
		}
		sql := "UPDATE vendors SET " + set.String() + "updated_at = ?, version = vendors.version + 1 FROM (VALUES " +
			strings.Join(rows, ", ") + ") AS v WHERE vendors.id = v.column1 AND vendors.version = v.column2"
		res := tx.Exec(sql, args...)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected != int64(len(part)) {
			return ErrVendorsChanged
		}
	}
	return nil
}
