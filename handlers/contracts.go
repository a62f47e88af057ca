package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/contracts"
	"rampart/models"
)

type contractResponse struct {
	ID                string         `json:"id"`
	BusinessUnitIDs   []string       `json:"business_unit_ids,omitempty" description:"its business units (GET by id only)"`
	VendorID          string         `json:"vendor_id"`
	ParentID          *string        `json:"parent_id"`
	Title             string         `json:"title"`
	Type              string         `json:"type" enum:"msa,dpa,sla,order_form,nda,baa,other"`
	Status            string         `json:"status" enum:"draft,legal_review,approved,signed,expired,terminated"`
	EffectiveDate     string         `json:"effective_date"`
	InitialTermMonths int64          `json:"initial_term_months"`
	EndDate           string         `json:"end_date"`
	AutoRenewal       bool           `json:"auto_renewal"`
	RenewalRecorded   bool           `json:"renewal_recorded" description:"false: nobody has said whether it renews (auto_renewal false then means unknown)"`
	RenewalTermMonths int64          `json:"renewal_term_months"`
	NoticePeriod      int64          `json:"notice_period"`
	NoticeUnit        string         `json:"notice_unit" enum:"days,months"`
	CurrentTermEnd    string         `json:"current_term_end" description:"end of the term running today (auto-renewals rolled over)"`
	CancelBy          string         `json:"cancel_by" description:"last day to give notice so the contract does not renew (computed)"`
	Value             int64          `json:"value"`
	Currency          string         `json:"currency"`
	OwnerID           *string        `json:"owner_id"`
	ReviewStatus      string         `json:"review_status" enum:"none,pending,signed_off" description:"legal's review of the key terms: none (no document yet), pending, signed_off (terms locked)"`
	SignedOffBy       *string        `json:"signed_off_by"`
	SignedOffAt       *time.Time     `json:"signed_off_at"`
	Version           int64          `json:"version"`
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
	CustomFields      map[string]any `json:"custom_fields" description:"custom field values by key (see /settings/custom-fields): a string, a number, or a list of options; keys without a value are absent"`
	// Lists and the detail: the vendor's name; lists: the playbook verdicts.
	VendorName string                  `json:"vendor_name,omitempty"`
	Playbook   *contracts.CheckSummary `json:"playbook,omitempty" description:"lists only: how the contract's terms compare with the playbook"`
	// DORA is the contract as an ICT arrangement of the DORA register.
	DORA contractDORA `json:"dora"`
}

func toContract(c *models.Contract) contractResponse {
	return contractResponse{ID: c.ID, VendorID: c.VendorID, ParentID: c.ParentID, Title: c.Title, Type: c.Type, Status: c.Status,
		EffectiveDate: c.EffectiveDate, InitialTermMonths: c.InitialTermMonths, EndDate: c.EndDate, AutoRenewal: c.AutoRenewal, RenewalRecorded: !c.RenewalUnknown,
		RenewalTermMonths: c.RenewalTermMonths, NoticePeriod: c.NoticePeriod, NoticeUnit: c.NoticeUnit, CurrentTermEnd: c.CurrentTermEnd,
		CancelBy: c.CancelBy, Value: c.Value, Currency: c.Currency, OwnerID: c.OwnerID, ReviewStatus: c.ReviewStatus, SignedOffBy: c.SignedOffBy,
		SignedOffAt: c.SignedOffAt, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, DORA: toContractDORA(c.DORA),
		CustomFields: customValuesOut(c.CustomFields)}
}

type contractFields struct {
	VendorID          *string         `json:"vendor_id" validate:"omitempty,max=64"`
	ParentID          *string         `json:"parent_id" validate:"omitempty,max=64"`
	Title             *string         `json:"title" validate:"omitempty,max=300"`
	Type              *string         `json:"type" enum:"msa,dpa,sla,order_form,nda,baa,other"`
	Status            *string         `json:"status" enum:"draft,legal_review,approved,signed,expired,terminated"`
	EffectiveDate     *string         `json:"effective_date" validate:"omitempty,max=10"`
	InitialTermMonths *int64          `json:"initial_term_months"`
	EndDate           *string         `json:"end_date" validate:"omitempty,max=10" description:"given, or computed from effective_date and initial_term_months"`
	AutoRenewal       *bool           `json:"auto_renewal"`
	RenewalTermMonths *int64          `json:"renewal_term_months"`
	NoticePeriod      *int64          `json:"notice_period"`
	NoticeUnit        *string         `json:"notice_unit" enum:"days,months"`
	Value             *int64          `json:"value"`
	Currency          *string         `json:"currency" validate:"omitempty,max=3"`
	OwnerID           *string         `json:"owner_id" validate:"omitempty,max=64"`
	CustomFields      customValuesDTO `json:"custom_fields" description:"custom field values by key: a string, a number, or a list of options (multiple choice); null or \"\" clears one; keys not sent stay as they are. Required fields are enforced on create and when custom_fields is sent"`
}

func (f contractFields) fields() contracts.Fields {
	return contracts.Fields{VendorID: f.VendorID, ParentID: f.ParentID, Title: f.Title, Type: f.Type, Status: f.Status,
		EffectiveDate: f.EffectiveDate, EndDate: f.EndDate, NoticeUnit: f.NoticeUnit, Currency: f.Currency, OwnerID: f.OwnerID,
		InitialTermMonths: f.InitialTermMonths, RenewalTermMonths: f.RenewalTermMonths, NoticePeriod: f.NoticePeriod, Value: f.Value, AutoRenewal: f.AutoRenewal,
		CustomFields: f.CustomFields}
}

type updateContractRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	contractFields
	BusinessUnitIDs *[]string `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"its business units; absent: unchanged. A person scoped to units may name only their own; the contract's units they do not hold are kept"`
}

type contractIDParam struct {
	ID string `path:"id"`
}

func (s *Server) contractService() *contracts.Service {
	return &contracts.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now}
}

type createContractRequest struct {
	contractFields
	BusinessUnitIDs *[]string `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"its business units; absent: the vendor's. A person scoped to units may name only their own"`
}

func (s *Server) createContract(c echo.Context) error {
	var req createContractRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	req.CustomFields = req.CustomFields.given()
	fields := req.fields()
	fields.BusinessUnitIDs = req.BusinessUnitIDs
	ct, err := s.contractService().Create(c.Request().Context(), principalOf(c), fields, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toContract(ct))
}

func (s *Server) getContract(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := models.GetContract(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := toContract(ct)
	names, err := models.VendorNames(ctx, s.deps.DB.Gorm, []string{ct.VendorID})
	if err != nil {
		return err
	}
	out.VendorName = names[ct.VendorID]
	if out.BusinessUnitIDs, err = models.UnitIDsOf(ctx, s.deps.DB.Gorm, models.UnitContract, ct.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// contractWithUnits is a contract as an edit answers it: with its units,
// so that the edit form (and its 409 "current") shows them as they are.
func (s *Server) contractWithUnits(c echo.Context, ct *models.Contract) (contractResponse, error) {
	out := toContract(ct)
	var err error
	out.BusinessUnitIDs, err = models.UnitIDsOf(c.Request().Context(), s.deps.DB.Gorm, models.UnitContract, ct.ID)
	return out, err
}

func (s *Server) updateContract(c echo.Context) error {
	var req updateContractRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	fields := req.fields()
	fields.BusinessUnitIDs = req.BusinessUnitIDs
	ct, err := s.contractService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, fields, s.origin(c))
	if err != nil {
		if ct != nil {
			cur, uerr := s.contractWithUnits(c, ct)
			if uerr != nil {
				return uerr
			}
			return conflictWith(err, cur)
		}
		return err
	}
	out, err := s.contractWithUnits(c, ct)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type contractsQuery struct {
	VendorID       string `query:"vendor_id"`
	Status         string `query:"status" description:"comma-separated"`
	Type           string `query:"type" description:"comma-separated"`
	Review         string `query:"review" description:"comma-separated review states: none, pending, signed_off"`
	AwaitingReview string `query:"awaiting_review" enum:"true" description:"the legal queue: a pending review, or in legal review and not signed off"`
	Q              string `query:"q" description:"matches the title or the text of the latest document"`
	CancelByBefore string `query:"cancel_by_before" description:"YYYY-MM-DD: contracts that must be cancelled by then to stop them renewing"`
	Sort           string `query:"sort" description:"urgency (default: cancel-by date, else term end, undated last), cancel_by, current_term_end, title, status, created_at, or cf.<key> for a custom field; - for descending. Custom field filters: cf.<key>=value (number and date fields: a range from..to too)"`
	Limit          int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor         string `query:"cursor"`
}

// contractListFilter reads the contract list's filters and sort, which
// the export shares.
func (s *Server) contractListFilter(c echo.Context) (models.ContractFilter, error) {
	q := parseQuery(c, "vendor_id", "status", "type", "review", "awaiting_review", "q", "cancel_by_before", "cf.*")
	f := models.ContractFilter{VendorID: q.str("vendor_id", 64), Statuses: q.list("status", contracts.Statuses), Types: q.list("type", contracts.Types),
		ReviewStatuses: q.list("review", contracts.ReviewStatuses), Q: q.str("q", 200), Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if b := q.boolean("awaiting_review"); b != nil && *b {
		f.AwaitingReview = true
	}
	if d := q.time("cancel_by_before"); !d.IsZero() {
		f.CancelByBefore = d.Format(time.DateOnly)
	}
	if err := q.err(); err != nil {
		return f, err
	}
	var err error
	f.Custom, f.CustomSort, err = s.customListParams(c, q, "contract")
	return f, err
}

func (s *Server) listContracts(c echo.Context) error {
	f, err := s.contractListFilter(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := models.ListContracts(ctx, s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	out := newList(page, toContract)
	// Vendor names and playbook verdicts for the whole page: one query each.
	ids := make([]string, 0, len(page.Items))
	for _, ct := range page.Items {
		ids = append(ids, ct.VendorID)
	}
	names, err := models.VendorNames(ctx, s.deps.DB.Gorm, ids)
	if err != nil {
		return err
	}
	evs, err := s.contractService().EvaluateMany(ctx, page.Items)
	if err != nil {
		return err
	}
	for i := range out.Items {
		it := &out.Items[i]
		it.VendorName = names[it.VendorID]
		if ev := evs[it.ID]; ev != nil && len(ev.Terms) > 0 {
			it.Playbook = &ev.Summary
		}
	}
	return c.JSON(http.StatusOK, out)
}

// calendarEvent is one deadline.
type calendarEvent struct {
	Date       string `json:"date"`
	Kind       string `json:"kind" enum:"cancel_by,term_end,review_due,finding_due"`
	Title      string `json:"title"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	VendorID   string `json:"vendor_id"`
	VendorName string `json:"vendor_name"`
}

type calendarQuery struct {
	From string `query:"from" description:"YYYY-MM-DD, default today"`
	To   string `query:"to" description:"YYYY-MM-DD, default 90 days after from; at most a year after from"`
}

// calendar lists the deadlines in a window: cancel-by and term-end dates,
// vendor reviews due and finding due dates.
func (s *Server) calendar(c echo.Context) error {
	q := parseQuery(c, "from", "to")
	from, to := q.time("from"), q.time("to")
	if err := q.err(); err != nil {
		return err
	}
	if from.IsZero() {
		from = s.deps.Now().UTC()
	}
	if to.IsZero() {
		to = from.AddDate(0, 0, 90)
	}
	if to.Before(from) || to.After(from.AddDate(1, 0, 1)) {
		return models.Invalid("to", "must be after from and at most a year later")
	}
	events, err := models.Deadlines(c.Request().Context(), s.deps.DB.Gorm, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return err
	}
	out := make([]calendarEvent, 0, len(events))
	for _, e := range events {
		out = append(out, calendarEvent(e))
	}
	return c.JSON(http.StatusOK, map[string][]calendarEvent{"items": out})
}
