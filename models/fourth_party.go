package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// FourthParty is one subprocessor as the register depends on it: a vendor
// of the register that others name as their subprocessor, or a name given
// as free text (the same name, whatever its case or surrounding spaces, is
// one fourth party). Only current vendors count: neither archived, nor
// terminated, nor rejected.
type FourthParty struct {
	// ID is the linked vendor's id, or "name:" and the lowercased name.
	ID                 string
	Name               string
	VendorID           *string
	VendorTier         *int64
	Dependents         int64
	CriticalDependents int64
	// Filled for the page's items only.
	DataTypes []string    `gorm:"-"`
	Locations []string    `gorm:"-"`
	Purposes  []string    `gorm:"-"`
	Vendors   []Dependent `gorm:"-"`
}

// Dependent is a vendor that names the fourth party as a subprocessor.
type Dependent struct {
	FourthPartyID string
	ID            string
	Name          string
	Tier          int64
	Criticality   int64
	Purpose       string
}

// MaxDependentsShown caps the dependents listed with each fourth party
// (Dependents counts them all): the most critical first.
const MaxDependentsShown = 25

// FourthPartyFilter narrows and orders the concentration list.
type FourthPartyFilter struct {
	// MinDependents keeps the fourth parties at least this many current
	// vendors depend on.
	MinDependents int64
	Sort          string
	Cursor        string
	Limit         int
}

var fourthPartySorts = map[string]SortColumn{
	"dependents":          {Column: "dependents", Kind: SortNumber},
	"critical_dependents": {Column: "critical_dependents", Kind: SortNumber},
	"name":                {Column: "name", Kind: SortText},
}

// fourthPartyKey groups a subprocessor row: its linked vendor, else its
// name as typed, lowercased and trimmed.
const fourthPartyKey = "COALESCE(sp.linked_vendor_id, 'name:' || LOWER(TRIM(sp.name)))"

// currentDependents joins subprocessor rows to the current vendors that
// name them.
func currentDependents(db *gorm.DB) *gorm.DB {
	return db.Table("vendor_subprocessors sp").
		Joins("JOIN vendors v ON v.id = sp.vendor_id AND v.archived_at IS NULL AND v.status NOT IN ('terminated', 'rejected')")
}

// ListFourthParties lists the fourth parties the register depends on, the
// most depended on first, with the data types and critical vendors
// exposed through each. The whole subprocessor table is grouped on every
// call (no index helps a grouping by expression); it has one row per
// named subprocessor, a few per vendor.
func ListFourthParties(ctx context.Context, db *gorm.DB, f FourthPartyFilter) (Page[FourthParty], error) {
	db = db.WithContext(ctx)
	grouped := currentDependents(db).
		Select(fourthPartyKey + " AS id, MIN(COALESCE(lv.name, sp.name)) AS name, MAX(sp.linked_vendor_id) AS vendor_id, MAX(lv.tier) AS vendor_tier, " +
			"COUNT(DISTINCT sp.vendor_id) AS dependents, " +
			"COUNT(DISTINCT CASE WHEN v.tier = 1 OR v.criticality = 4 THEN v.id END) AS critical_dependents").
		Joins("LEFT JOIN vendors lv ON lv.id = sp.linked_vendor_id").
		Group(fourthPartyKey)
	if f.MinDependents > 1 {
		grouped = grouped.Having("COUNT(DISTINCT sp.vendor_id) >= ?", f.MinDependents)
	}
	q := db.Table("(?) AS fp", grouped)
	page, err := paginate[FourthParty](q, fourthPartySorts, f.Sort, "-dependents", f.Cursor, f.Limit)
	if err != nil || len(page.Items) == 0 {
		return page, err
	}
	ids := make([]string, len(page.Items))
	byID := make(map[string]*FourthParty, len(page.Items))
	for i := range page.Items {
		ids[i] = page.Items[i].ID
		byID[ids[i]] = &page.Items[i]
		page.Items[i].DataTypes, page.Items[i].Locations, page.Items[i].Purposes, page.Items[i].Vendors = []string{}, []string{}, []string{}, []Dependent{}
	}
	var deps []Dependent
	ranked := currentDependents(db).
		Select(fourthPartyKey+" AS fourth_party_id, v.id, v.name, v.tier, v.criticality, sp.purpose, "+
			"ROW_NUMBER() OVER (PARTITION BY "+fourthPartyKey+" ORDER BY v.tier, v.criticality DESC, v.name, v.id) AS n").
		Where(fourthPartyKey+" IN ?", ids)
	if err := db.Table("(?) AS d", ranked).Where("n <= ?", MaxDependentsShown).Order("fourth_party_id, n").Find(&deps).Error; err != nil {
		return page, err
	}
	for _, d := range deps {
		byID[d.FourthPartyID].Vendors = append(byID[d.FourthPartyID].Vendors, d)
	}
	if err := exposure(db, ids, byID); err != nil {
		return page, err
	}
	var purposes []struct{ FourthPartyID, Value string }
	if err := currentDependents(db).Distinct(fourthPartyKey+" AS fourth_party_id", "sp.purpose AS value").
		Where(fourthPartyKey+" IN ? AND sp.purpose <> ''", ids).Order("fourth_party_id, value").Find(&purposes).Error; err != nil {
		return page, err
	}
	for _, p := range purposes {
		byID[p.FourthPartyID].Purposes = append(byID[p.FourthPartyID].Purposes, p.Value)
	}
	return page, nil
}

// exposure fills the data types exposed through each fourth party and the
// places they are handled: a link that records its data types exposes
// those, one that does not exposes all its dependent's (the most it can
// be). Two queries for the page, never one per link.
func exposure(db *gorm.DB, ids []string, byID map[string]*FourthParty) error {
	var links []struct {
		FourthPartyID, VendorID string
		DataTypes, Locations    StringList
	}
	if err := currentDependents(db).Select(fourthPartyKey+" AS fourth_party_id", "sp.vendor_id", "sp.data_types", "sp.locations").
		Where(fourthPartyKey+" IN ?", ids).Find(&links).Error; err != nil {
		return err
	}
	var unrecorded []string
	for _, l := range links {
		if len(l.DataTypes) == 0 {
			unrecorded = append(unrecorded, l.VendorID)
		}
	}
	own := map[string][]string{}
	if len(unrecorded) > 0 {
		var dts []VendorDataType
		if err := db.Where("vendor_id IN ?", unrecorded).Find(&dts).Error; err != nil {
			return err
		}
		for _, d := range dts {
			own[d.VendorID] = append(own[d.VendorID], d.DataType)
		}
	}
	add := func(list *[]string, vs []string) {
		for _, v := range vs {
			if v != "none" && !slices.Contains(*list, v) {
				*list = append(*list, v)
			}
		}
	}
	for _, l := range links {
		fp := byID[l.FourthPartyID]
		if len(l.DataTypes) > 0 {
			add(&fp.DataTypes, l.DataTypes)
		} else {
			add(&fp.DataTypes, own[l.VendorID])
		}
		add(&fp.Locations, l.Locations)
	}
	for _, fp := range byID {
		slices.Sort(fp.DataTypes)
		slices.Sort(fp.Locations)
	}
	return nil
}
