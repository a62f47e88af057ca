package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"rampart/app/vendors"
	"rampart/models"
)

type fourthPartiesQuery struct {
	MinDependents int    `query:"min_dependents" minimum:"1" maximum:"100000" description:"keep the fourth parties at least this many current vendors depend on (default 1)"`
	Sort          string `query:"sort" description:"dependents (default, descending), critical_dependents or name; prefix - for descending"`
	Limit         int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor        string `query:"cursor"`
}

type fourthPartyView struct {
	ID   string `json:"id" description:"the vendor id of a fourth party in the register, else name: and its name lowercased"`
	Name string `json:"name"`
	// VendorID and VendorTier: the fourth party's own record, when it is in the register.
	VendorID           *string         `json:"vendor_id"`
	VendorTier         *int64          `json:"vendor_tier"`
	Dependents         int64           `json:"dependents" description:"current vendors (not archived, terminated or rejected) naming it as a subprocessor"`
	CriticalDependents int64           `json:"critical_dependents" description:"of those, the tier 1 or critical ones"`
	DataTypes          []string        `json:"data_types" description:"the data types exposed through it: those each link records, else all its dependent handles"`
	Locations          []string        `json:"locations" description:"where it handles them, as the links record it"`
	Purposes           []string        `json:"purposes" description:"what the dependents use it for, as they wrote it"`
	Vendors            []dependentView `json:"vendors" description:"the dependents, most critical first (at most 25)"`
}

type dependentView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Tier        int64  `json:"tier"`
	Criticality string `json:"criticality"`
	Purpose     string `json:"purpose"`
}

func (s *Server) listFourthParties(c echo.Context) error {
	q := parseQuery(c, "min_dependents")
	f := models.FourthPartyFilter{Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if v := q.values.Get("min_dependents"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > 100000 {
			q.fail("min_dependents", "must be a whole number from 1 to 100000")
		}
		f.MinDependents = n
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListFourthParties(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(fp *models.FourthParty) fourthPartyView {
		v := fourthPartyView{ID: fp.ID, Name: fp.Name, VendorID: fp.VendorID, VendorTier: fp.VendorTier, Dependents: fp.Dependents,
			CriticalDependents: fp.CriticalDependents, DataTypes: fp.DataTypes, Locations: fp.Locations, Purposes: fp.Purposes, Vendors: make([]dependentView, 0, len(fp.Vendors))}
		for _, d := range fp.Vendors {
			v.Vendors = append(v.Vendors, dependentView{ID: d.ID, Name: d.Name, Tier: d.Tier, Criticality: vendors.CriticalityName(int(d.Criticality)), Purpose: d.Purpose})
		}
		return v
	}))
}

type supplyChainQuery struct {
	ID      string `path:"id"`
	MaxRank int    `query:"max_rank" minimum:"2" maximum:"6" description:"how deep to follow (default 4): 2 is the vendor's own subprocessors"`
}

type chainLinkView struct {
	Rank           int      `json:"rank" description:"2 for the vendor's own subprocessors (the vendor is rank 1), 3 for theirs, …"`
	ParentID       string   `json:"parent_id" description:"the vendor that names this subprocessor"`
	Name           string   `json:"name"`
	Purpose        string   `json:"purpose"`
	VendorID       *string  `json:"vendor_id" description:"set when the subprocessor is a vendor of the register"`
	Status         string   `json:"status" description:"the linked vendor's status"`
	DataTypes      []string `json:"data_types" description:"the data it handles for its parent, as the link records it; else the linked vendor's own (data_types_from_record)"`
	HostingRegions []string `json:"hosting_regions" description:"where it handles it, as the link records it (locations); else the linked vendor's hosting regions (hosting_regions_from_record)"`
	// The link records nothing of its own here: the value is the linked
	// vendor's record, which may say more than this parent sends it.
	DataTypesFromRecord      bool `json:"data_types_from_record"`
	HostingRegionsFromRecord bool `json:"hosting_regions_from_record"`
	Repeat                   bool `json:"repeat" description:"this vendor is already in the chain: listed, not followed again (so a cycle ends)"`
}

type supplyChainResponse struct {
	VendorID string          `json:"vendor_id"`
	MaxRank  int             `json:"max_rank"`
	Links    []chainLinkView `json:"links" description:"rank by rank, each parent's subprocessors in their order"`
}

func (s *Server) supplyChain(c echo.Context) error {
	ctx := c.Request().Context()
	q := parseQuery(c, "max_rank")
	maxRank := 4
	if v := q.values.Get("max_rank"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > models.MaxChainRank {
			q.fail("max_rank", "must be a whole number from 2 to "+strconv.Itoa(models.MaxChainRank))
		}
		maxRank = n
	}
	if err := q.err(); err != nil {
		return err
	}
	if _, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	links, err := models.SupplyChain(ctx, s.deps.DB.Gorm, c.Param("id"), maxRank)
	if err != nil {
		return err
	}
	out := supplyChainResponse{VendorID: c.Param("id"), MaxRank: maxRank, Links: []chainLinkView{}}
	for _, l := range links {
		v := chainLinkView{Rank: l.Rank, ParentID: l.ParentID, Name: l.Name, Purpose: l.Purpose, VendorID: l.VendorID, Status: l.Status,
			DataTypes: orEmpty(l.DataTypes), HostingRegions: orEmpty(l.HostingRegions), Repeat: l.Repeat,
			DataTypesFromRecord: l.DataTypesFromRecord, HostingRegionsFromRecord: l.HostingRegionsFromRecord}
		out.Links = append(out.Links, v)
	}
	return c.JSON(http.StatusOK, out)
}
