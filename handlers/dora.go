package handlers

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"rampart/app/dora"
	"rampart/models"
)

func (s *Server) doraService() *dora.Service { return &dora.Service{DB: s.deps.DB.Gorm} }

// --- our entity (Settings) ---

type doraSettingsResponse struct {
	Enabled            bool   `json:"enabled" description:"shows the register's fields on vendors and contracts"`
	LEI                string `json:"lei"`
	Name               string `json:"name"`
	Country            string `json:"country" description:"ISO 3166-1 alpha-2"`
	EntityType         string `json:"entity_type" description:"code of the register's list of entity types (eba_CT:...)"`
	Hierarchy          string `json:"hierarchy" description:"eba_RP:... code"`
	ParentLEI          string `json:"parent_lei" description:"LEI of the direct parent undertaking; empty for an ultimate parent"`
	CompetentAuthority string `json:"competent_authority"`
	Currency           string `json:"currency" description:"ISO 4217"`
	TotalAssets        int64  `json:"total_assets"`
	// Branches are our entity's branches (B_01.03).
	Branches []models.DORABranch `json:"branches" description:"our entity's branches (B_01.03): identification code (unique), name, ISO 3166-1 alpha-2 country; the head office is our entity"`
	Version  int64               `json:"version"`
}

func toDORASettings(st *models.DORASettings) doraSettingsResponse {
	return doraSettingsResponse{Enabled: st.Enabled, LEI: st.LEI, Name: st.Name, Country: st.Country, EntityType: st.EntityType,
		Hierarchy: st.Hierarchy, ParentLEI: st.ParentLEI, CompetentAuthority: st.CompetentAuthority, Currency: st.Currency,
		TotalAssets: st.TotalAssets, Branches: st.BranchList(), Version: st.Version}
}

type doraSettingsRequest struct {
	Version            int64   `json:"version" validate:"required,gte=1"`
	Enabled            *bool   `json:"enabled"`
	LEI                *string `json:"lei" description:"ISO 17442: 20 characters with valid check digits; empty clears it"`
	Name               *string `json:"name"`
	Country            *string `json:"country"`
	EntityType         *string `json:"entity_type"`
	Hierarchy          *string `json:"hierarchy"`
	ParentLEI          *string `json:"parent_lei"`
	CompetentAuthority *string `json:"competent_authority"`
	Currency           *string `json:"currency"`
	TotalAssets        *int64  `json:"total_assets"`
	// Branches replaces the whole list when given.
	Branches *[]models.DORABranch `json:"branches" description:"replaces the list of branches; each needs a code unique among them, a name and an ISO 3166-1 alpha-2 country (422 names branches[i].field)"`
}

func (r doraSettingsRequest) fields() map[string]any {
	m := map[string]any{}
	putBool(m, "enabled", r.Enabled)
	putStr(m, "lei", r.LEI)
	putStr(m, "name", r.Name)
	putStr(m, "country", r.Country)
	putStr(m, "entity_type", r.EntityType)
	putStr(m, "hierarchy", r.Hierarchy)
	putStr(m, "parent_lei", r.ParentLEI)
	putStr(m, "competent_authority", r.CompetentAuthority)
	putStr(m, "currency", r.Currency)
	putInt(m, "total_assets", r.TotalAssets)
	if r.Branches != nil {
		m["branches"] = *r.Branches
	}
	return m
}

func putStr(m map[string]any, k string, v *string) {
	if v != nil {
		m[k] = *v
	}
}

func putInt(m map[string]any, k string, v *int64) {
	if v != nil {
		m[k] = *v
	}
}

func putBool(m map[string]any, k string, v *bool) {
	if v != nil {
		m[k] = *v
	}
}

func (s *Server) getDORASettings(c echo.Context) error {
	st, err := models.GetDORASettings(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDORASettings(st))
}

func (s *Server) saveDORASettings(c echo.Context) error {
	var req doraSettingsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.doraService().SaveSettings(c.Request().Context(), principalOf(c), req.Version, req.fields(), s.origin(c))
	if err != nil {
		if st != nil {
			return conflictWith(err, toDORASettings(st))
		}
		return err
	}
	return c.JSON(http.StatusOK, toDORASettings(st))
}

// --- vendors and contracts ---

type vendorDORARequest struct {
	ID             string  `json:"-" path:"id"`
	Version        int64   `json:"version" validate:"required,gte=1"`
	LEI            *string `json:"lei" description:"ISO 17442: 20 characters with valid check digits; empty clears it"`
	DORACountry    *string `json:"dora_country" description:"headquarters, ISO 3166-1 alpha-2"`
	DORAPersonType *string `json:"dora_person_type" description:"eba_CT:x212 (legal person) or eba_CT:x213 (individual)"`
	DORAParentLEI  *string `json:"dora_parent_lei" description:"ultimate parent undertaking's LEI; empty when the vendor is its own ultimate parent"`
	DORAIntraGroup *bool   `json:"dora_intra_group" description:"an ICT intra-group service provider: its arrangements are listed in B_03.03"`
}

func (s *Server) updateVendorDORA(c echo.Context) error {
	var req vendorDORARequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	m := map[string]any{}
	putStr(m, "lei", req.LEI)
	putStr(m, "dora_country", req.DORACountry)
	putStr(m, "dora_person_type", req.DORAPersonType)
	putStr(m, "dora_parent_lei", req.DORAParentLEI)
	putBool(m, "dora_intra_group", req.DORAIntraGroup)
	ctx := c.Request().Context()
	_, err := s.doraService().UpdateVendor(ctx, principalOf(c), c.Param("id"), req.Version, m, s.origin(c))
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return err
	}
	rec, gerr := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id"))
	if gerr != nil {
		return gerr
	}
	return s.vendorResult(c, rec, err)
}

// contractDORA is a contract's register fields (the JSON names are those
// PATCH /contracts/{id}/dora takes).
type contractDORA struct {
	InScope               bool   `json:"dora_in_scope" description:"an ICT arrangement of the DORA register"`
	Reference             string `json:"dora_reference" description:"contractual arrangement reference number"`
	GoverningLaw          string `json:"dora_governing_law" description:"ISO 3166-1 alpha-2"`
	ProviderNoticeDays    int64  `json:"dora_provider_notice_days"`
	TerminationReason     string `json:"dora_termination_reason" description:"eba_CO:x4..x9"`
	ICTServiceType        string `json:"dora_ict_service_type" description:"S01..S19 (ITS Annex III)"`
	FunctionID            string `json:"dora_function_id"`
	FunctionName          string `json:"dora_function_name"`
	LicensedActivity      string `json:"dora_licensed_activity" description:"eba_TA:... code"`
	Criticality           string `json:"dora_criticality" description:"eba_BT:x28 yes, x29 no, x21 not assessed"`
	CriticalityReason     string `json:"dora_criticality_reason"`
	CriticalityAssessedOn string `json:"dora_criticality_assessed_on" description:"YYYY-MM-DD"`
	RTOHours              int64  `json:"dora_rto_hours"`
	RPOHours              int64  `json:"dora_rpo_hours"`
	FunctionImpact        string `json:"dora_function_impact" description:"eba_ZZ:x791..x793, x799"`
	StoresData            string `json:"dora_stores_data" description:"eba_BT:x28 or x29"`
	StorageLocation       string `json:"dora_storage_location" description:"ISO 3166-1 alpha-2"`
	ProcessingLocation    string `json:"dora_processing_location" description:"ISO 3166-1 alpha-2"`
	DataSensitiveness     string `json:"dora_data_sensitiveness" description:"eba_ZZ:x791..x793"`
	Reliance              string `json:"dora_reliance" description:"eba_ZZ:x794..x797"`
	Substitutability      string `json:"dora_substitutability" description:"eba_ZZ:x959..x962"`
	SubstitutionReason    string `json:"dora_substitution_reason" description:"eba_ZZ:x963..x965"`
	LastAudit             string `json:"dora_last_audit" description:"YYYY-MM-DD"`
	ExitPlan              string `json:"dora_exit_plan" description:"eba_BT:x28 or x29"`
	Reintegration         string `json:"dora_reintegration" description:"eba_ZZ:x798, x966, x967"`
	DiscontinuingImpact   string `json:"dora_discontinuing_impact" description:"eba_ZZ:x791..x793, x799"`
	Alternatives          string `json:"dora_alternatives" description:"eba_BT:x28, x29 or x21"`
	AlternativeProviders  string `json:"dora_alternative_providers"`
}

func toContractDORA(d models.ContractDORA) contractDORA {
	return contractDORA{InScope: d.InScope, Reference: d.Reference, GoverningLaw: d.GoverningLaw, ProviderNoticeDays: d.ProviderNoticeDays,
		TerminationReason: d.TerminationReason, ICTServiceType: d.ICTServiceType, FunctionID: d.FunctionID, FunctionName: d.FunctionName,
		LicensedActivity: d.LicensedActivity, Criticality: d.Criticality, CriticalityReason: d.CriticalityReason,
		CriticalityAssessedOn: d.CriticalityAssessed, RTOHours: d.RTOHours, RPOHours: d.RPOHours, FunctionImpact: d.FunctionImpact,
		StoresData: d.StoresData, StorageLocation: d.StorageLocation, ProcessingLocation: d.ProcessingLocation,
		DataSensitiveness: d.DataSensitiveness, Reliance: d.Reliance, Substitutability: d.Substitutability,
		SubstitutionReason: d.SubstitutionReason, LastAudit: d.LastAudit, ExitPlan: d.ExitPlan, Reintegration: d.Reintegration,
		DiscontinuingImpact: d.DiscontinuingImpact, Alternatives: d.Alternatives, AlternativeProviders: d.AlternativeProviders}
}

type contractDORARequest struct {
	ID                    string  `json:"-" path:"id"`
	Version               int64   `json:"version" validate:"required,gte=1"`
	InScope               *bool   `json:"dora_in_scope"`
	Reference             *string `json:"dora_reference"`
	GoverningLaw          *string `json:"dora_governing_law"`
	ProviderNoticeDays    *int64  `json:"dora_provider_notice_days"`
	TerminationReason     *string `json:"dora_termination_reason"`
	ICTServiceType        *string `json:"dora_ict_service_type"`
	FunctionID            *string `json:"dora_function_id"`
	FunctionName          *string `json:"dora_function_name"`
	LicensedActivity      *string `json:"dora_licensed_activity"`
	Criticality           *string `json:"dora_criticality"`
	CriticalityReason     *string `json:"dora_criticality_reason"`
	CriticalityAssessedOn *string `json:"dora_criticality_assessed_on"`
	RTOHours              *int64  `json:"dora_rto_hours"`
	RPOHours              *int64  `json:"dora_rpo_hours"`
	FunctionImpact        *string `json:"dora_function_impact"`
	StoresData            *string `json:"dora_stores_data"`
	StorageLocation       *string `json:"dora_storage_location"`
	ProcessingLocation    *string `json:"dora_processing_location"`
	DataSensitiveness     *string `json:"dora_data_sensitiveness"`
	Reliance              *string `json:"dora_reliance"`
	Substitutability      *string `json:"dora_substitutability"`
	SubstitutionReason    *string `json:"dora_substitution_reason"`
	LastAudit             *string `json:"dora_last_audit"`
	ExitPlan              *string `json:"dora_exit_plan"`
	Reintegration         *string `json:"dora_reintegration"`
	DiscontinuingImpact   *string `json:"dora_discontinuing_impact"`
	Alternatives          *string `json:"dora_alternatives"`
	AlternativeProviders  *string `json:"dora_alternative_providers"`
}

func (r contractDORARequest) fields() map[string]any {
	m := map[string]any{}
	putBool(m, "dora_in_scope", r.InScope)
	for k, v := range map[string]*string{"dora_reference": r.Reference, "dora_governing_law": r.GoverningLaw,
		"dora_termination_reason": r.TerminationReason, "dora_ict_service_type": r.ICTServiceType, "dora_function_id": r.FunctionID,
		"dora_function_name": r.FunctionName, "dora_licensed_activity": r.LicensedActivity, "dora_criticality": r.Criticality,
		"dora_criticality_reason": r.CriticalityReason, "dora_criticality_assessed_on": r.CriticalityAssessedOn,
		"dora_function_impact": r.FunctionImpact, "dora_stores_data": r.StoresData, "dora_storage_location": r.StorageLocation,
		"dora_processing_location": r.ProcessingLocation, "dora_data_sensitiveness": r.DataSensitiveness, "dora_reliance": r.Reliance,
		"dora_substitutability": r.Substitutability, "dora_substitution_reason": r.SubstitutionReason, "dora_last_audit": r.LastAudit,
		"dora_exit_plan": r.ExitPlan, "dora_reintegration": r.Reintegration, "dora_discontinuing_impact": r.DiscontinuingImpact,
		"dora_alternatives": r.Alternatives, "dora_alternative_providers": r.AlternativeProviders} {
		putStr(m, k, v)
	}
	putInt(m, "dora_provider_notice_days", r.ProviderNoticeDays)
	putInt(m, "dora_rto_hours", r.RTOHours)
	putInt(m, "dora_rpo_hours", r.RPOHours)
	return m
}

func (s *Server) updateContractDORA(c echo.Context) error {
	var req contractDORARequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ct, err := s.doraService().UpdateContract(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.fields(), s.origin(c))
	if err != nil {
		if ct != nil {
			return conflictWith(err, toContract(ct))
		}
		return err
	}
	return c.JSON(http.StatusOK, toContract(ct))
}

// --- the register ---

type doraCodesResponse struct {
	Enabled            bool          `json:"enabled" description:"the register is on in Settings: the web app shows the DORA sections of vendors and contracts"`
	ICTServiceTypes    dora.CodeList `json:"ict_service_types"`
	EntityTypes        dora.CodeList `json:"entity_types"`
	Hierarchies        dora.CodeList `json:"hierarchies"`
	TerminationReasons dora.CodeList `json:"termination_reasons"`
	YesNo              dora.CodeList `json:"yes_no"`
	YesNoNotAssessed   dora.CodeList `json:"yes_no_not_assessed"`
	Sensitiveness      dora.CodeList `json:"sensitiveness"`
	Reliance           dora.CodeList `json:"reliance"`
	PersonTypes        dora.CodeList `json:"person_types"`
	Impacts            dora.CodeList `json:"impacts"`
	Substitutability   dora.CodeList `json:"substitutability"`
	SubstituteReasons  dora.CodeList `json:"substitution_reasons"`
	Reintegration      dora.CodeList `json:"reintegration"`
	LicensedActivities dora.CodeList `json:"licensed_activities"`
}

func (s *Server) doraCodes(c echo.Context) error {
	st, err := models.GetDORASettings(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, doraCodesResponse{Enabled: st.Enabled, ICTServiceTypes: dora.ICTServiceTypes, EntityTypes: dora.EntityTypes, Hierarchies: dora.Hierarchies,
		TerminationReasons: dora.TerminationReasons, YesNo: dora.YesNo, YesNoNotAssessed: dora.YesNoNotAssessed, Sensitiveness: dora.Sensitiveness,
		Reliance: dora.RelianceLevels, PersonTypes: dora.PersonTypes, Impacts: dora.Impacts, Substitutability: dora.Substitutability,
		SubstituteReasons: dora.SubstituteReasons, Reintegration: dora.Reintegration, LicensedActivities: dora.LicensedActivities})
}

func (s *Server) doraValidation(c echo.Context) error {
	reg, err := s.doraService().Load(c.Request().Context(), s.deps.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reg.Report())
}

type doraExportQuery struct {
	Force string `query:"force" enum:"true" description:"export even when the validation report has issues; the ZIP then holds validation-report.json beside the package folder"`
}

// doraRegister answers the register as an xBRL-CSV report package (the
// EBA's DORA taxonomy, module dora 4.0), named as supervisors' portals
// expect; a register with issues is refused (422 with the report) unless
// force=true, so nobody files an incomplete register by accident.
func (s *Server) doraRegister(c echo.Context) error {
	q := parseQuery(c, "force")
	force := q.boolean("force")
	if err := q.err(); err != nil {
		return err
	}
	reg, err := s.doraService().Load(c.Request().Context(), s.deps.Now())
	if err != nil {
		return err
	}
	if !reg.Valid() && (force == nil || !*force) {
		return &dora.InvalidError{Report: reg.Report()}
	}
	var buf bytes.Buffer
	now := s.deps.Now()
	if err := reg.WriteZIP(&buf, now); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+reg.PackageName(now)+`.zip"`)
	return c.Blob(http.StatusOK, "application/zip", buf.Bytes())
}
