package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// ChainLink is one subprocessor in a vendor's supply chain: rank 2 is the
// vendor's own subprocessor (the vendor is rank 1), rank 3 a subprocessor
// of a rank-2 vendor of the register, and so on.
type ChainLink struct {
	Rank int
	// ParentID is the vendor that names this subprocessor.
	ParentID string
	Name     string
	Purpose  string
	// VendorID is set when the subprocessor is a vendor of the register;
	// then its status is its record's.
	VendorID *string
	Status   string
	// DataTypes and HostingRegions are what the link records the
	// subprocessor handles for its parent and where; each, when the link
	// records none, is that of the subprocessor's own record (and marked so).
	DataTypes                []string
	HostingRegions           []string
	DataTypesFromRecord      bool
	HostingRegionsFromRecord bool
	// Repeat marks a vendor already met in the chain (higher up, or under
	// another parent): it is listed, not followed again, so a cycle ends.
	Repeat bool
}

// MaxChainRank is how deep SupplyChain follows links.
const MaxChainRank = 6

// SupplyChain walks the subprocessors of vendor id down to maxRank,
// following those that are vendors of the register: one query for the
// subprocessors and one for their vendors per rank, never one per link.
// Links come rank by rank, each parent's in its own order.
func SupplyChain(ctx context.Context, db *gorm.DB, id string, maxRank int) ([]ChainLink, error) {
	db = db.WithContext(ctx)
	seen := map[string]bool{id: true}
	parents := []string{id}
	var out []ChainLink
	for rank := 2; rank <= maxRank && len(parents) > 0; rank++ {
		var subs []VendorSubprocessor
		if err := db.Where("vendor_id IN ?", parents).Find(&subs).Error; err != nil {
			return nil, err
		}
		order := map[string]int{}
		for i, p := range parents {
			order[p] = i
		}
		slices.SortStableFunc(subs, func(a, b VendorSubprocessor) int {
			if d := order[a.VendorID] - order[b.VendorID]; d != 0 {
				return d
			}
			return int(a.Position - b.Position)
		})
		var linked []string
		for _, s := range subs {
			if s.LinkedVendorID != nil && !slices.Contains(linked, *s.LinkedVendorID) {
				linked = append(linked, *s.LinkedVendorID)
			}
		}
		vendors := map[string]Vendor{}
		types := map[string][]string{}
		if len(linked) > 0 {
			var vs []Vendor
			if err := db.Select("id", "name", "status", "hosting_regions").Where("id IN ?", linked).Find(&vs).Error; err != nil {
				return nil, err
			}
			for _, v := range vs {
				vendors[v.ID] = v
			}
			var dts []VendorDataType
			if err := db.Where("vendor_id IN ?", linked).Order("data_type").Find(&dts).Error; err != nil {
				return nil, err
			}
			for _, d := range dts {
				types[d.VendorID] = append(types[d.VendorID], d.DataType)
			}
		}
		var next []string
		for _, s := range subs {
			l := ChainLink{Rank: rank, ParentID: s.VendorID, Name: s.Name, Purpose: s.Purpose, VendorID: s.LinkedVendorID,
				DataTypes: s.DataTypes, HostingRegions: s.Locations}
			if s.LinkedVendorID != nil {
				v := vendors[*s.LinkedVendorID]
				l.Status = v.Status
				if len(l.DataTypes) == 0 {
					l.DataTypes, l.DataTypesFromRecord = types[v.ID], true
				}
				if len(l.HostingRegions) == 0 {
					l.HostingRegions, l.HostingRegionsFromRecord = v.HostingRegions, true
				}
				if v.Name != "" {
					l.Name = v.Name
				}
				if seen[v.ID] {
					l.Repeat = true
				} else {
					seen[v.ID] = true
					next = append(next, v.ID)
				}
			}
			out = append(out, l)
		}
		parents = next
	}
	return out, nil
}
