// Package intake runs requests for new tools: who may move a request to
// which status, the timeline, comments, assignment, and turning a request
// into a vendor in the register.
package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/storage"
	"rampart/app/vendors"
	"rampart/models"
)

// Statuses of a request, in lifecycle order.
var Statuses = []string{"submitted", "triage", "security_review", "legal_review", "approved", "approved_with_conditions", "rejected", "withdrawn"}

// Decisions end a request.
var Decisions = []string{"approved", "approved_with_conditions", "rejected"}

// Terminal reports whether no further move is possible.
func Terminal(status string) bool {
	return slices.Contains(Decisions, status) || status == "withdrawn"
}

var (
	staff   = []models.Role{models.RoleAdmin, models.RoleRiskManager}
	withLaw = []models.Role{models.RoleAdmin, models.RoleRiskManager, models.RoleLegal}
)

// moves lists, per status, where a request may go and which roles may
// move it there. Withdrawal is the requester's own right and is checked
// separately.
var moves = map[string]map[string][]models.Role{
	"submitted": {"triage": staff, "rejected": staff},
	"triage": {"security_review": staff, "legal_review": staff, "approved": staff,
		"approved_with_conditions": staff, "rejected": staff},
	"security_review": {"triage": staff, "legal_review": staff, "approved": staff,
		"approved_with_conditions": staff, "rejected": staff},
	"legal_review": {"security_review": withLaw, "approved": withLaw,
		"approved_with_conditions": withLaw, "rejected": withLaw},
}

// NextStatuses lists where user may move r.
func NextStatuses(r *models.ToolRequest, u *models.User) []string {
	out := []string{}
	for _, to := range Statuses {
		if checkMove(r, u, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

func checkMove(r *models.ToolRequest, u *models.User, to string) error {
	if !slices.Contains(Statuses, to) {
		return models.Invalid("to", "must be one of: "+strings.Join(Statuses, ", "))
	}
	if Terminal(r.Status) {
		return models.Invalid("to", "the request is "+r.Status+" and cannot change any more")
	}
	if to == "withdrawn" {
		if r.RequesterID != u.ID {
			return &models.ForbiddenError{Reason: "Only the person who filed a request can withdraw it."}
		}
		return nil
	}
	roles, ok := moves[r.Status][to]
	if !ok {
		return models.Invalid("to", fmt.Sprintf("a request cannot go from %s to %s", r.Status, to))
	}
	if !slices.Contains(roles, u.Role) {
		return &models.ForbiddenError{Reason: "Your role cannot move a request from " + r.Status + " to " + to + "."}
	}
	if slices.Contains(Decisions, to) && r.RequesterID == u.ID {
		return &models.ForbiddenError{Reason: "You cannot decide on your own request; another reviewer must.", SelfApproval: "request"}
	}
	return nil
}

// Scope is what a user may see: requesters see only their own requests.
func Scope(u *models.User) models.RequestScope {
	if u.Role == models.RoleRequester {
		return models.RequestScope{RequesterID: u.ID}
	}
	return models.RequestScope{}
}

// Service changes requests, with timeline entries and audit events in the
// same transaction.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Notify writes notices with the changes; nil: none.
	Notify *notify.Notifier
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Fields are a request's editable fields; nil is not given.
type Fields struct {
	Title, VendorName, VendorWebsite, Purpose, Currency, NeededBy, Alternatives *string
	Departments, DataTypes, IntegrationMethods                                  *[]string
	UserCount, AnnualCost                                                       *int64
}

func (f Fields) apply(r *models.ToolRequest) error {
	var errs []models.FieldError
	set := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	set(f.Title, &r.Title)
	set(f.VendorName, &r.VendorName)
	set(f.VendorWebsite, &r.VendorWebsite)
	if r.VendorWebsite != "" && !vendors.ValidWebURL(r.VendorWebsite) {
		errs = append(errs, models.FieldError{Field: "vendor_website", Message: "must be a valid URL starting with http:// or https://"})
	}
	set(f.Purpose, &r.Purpose)
	set(f.Alternatives, &r.Alternatives)
	if f.Currency != nil {
		r.Currency = strings.ToUpper(strings.TrimSpace(*f.Currency))
	}
	if f.NeededBy != nil {
		r.NeededBy = strings.TrimSpace(*f.NeededBy)
		if r.NeededBy != "" {
			if _, err := time.Parse(time.DateOnly, r.NeededBy); err != nil {
				errs = append(errs, models.FieldError{Field: "needed_by", Message: "must be a date such as 2027-03-31"})
			}
		}
	}
	if f.UserCount != nil {
		r.UserCount = *f.UserCount
	}
	if f.AnnualCost != nil {
		r.AnnualCost = *f.AnnualCost
	}
	if f.Departments != nil {
		r.Departments = cleanList(*f.Departments)
	}
	for _, l := range []struct {
		field string
		in    *[]string
		dst   *models.StringList
		vocab []string
	}{{"data_types", f.DataTypes, &r.DataTypes, vendors.DataTypes}, {"integration_methods", f.IntegrationMethods, &r.IntegrationMethods, vendors.IntegrationMethods}} {
		if l.in == nil {
			continue
		}
		for _, v := range *l.in {
			if !slices.Contains(l.vocab, v) {
				errs = append(errs, models.FieldError{Field: l.field, Message: "has " + fmt.Sprintf("%q", v) + "; allowed: " + strings.Join(l.vocab, ", ")})
			}
		}
		*l.dst = cleanList(*l.in)
	}
	for field, v := range map[string]string{"title": r.Title, "vendor_name": r.VendorName, "purpose": r.Purpose} {
		if v == "" {
			errs = append(errs, models.FieldError{Field: field, Message: "is required"})
		}
	}
	if r.AnnualCost > 0 && len(r.Currency) != 3 {
		errs = append(errs, models.FieldError{Field: "currency", Message: "must be a three-letter ISO 4217 code when annual_cost is given"})
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b models.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return &models.ValidationError{Errors: errs}
	}
	return nil
}

func cleanList(in []string) models.StringList {
	out := models.StringList{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// View is what the audit trail records of a request.
type View struct {
	Title      string   `json:"title"`
	VendorName string   `json:"vendor_name"`
	Purpose    string   `json:"purpose"`
	Status     string   `json:"status"`
	AssigneeID string   `json:"assignee_id"`
	VendorID   string   `json:"vendor_id"`
	Conditions string   `json:"conditions"`
	DataTypes  []string `json:"data_types"`
	AnnualCost int64    `json:"annual_cost"`
}

func viewOf(r *models.ToolRequest) View {
	v := View{Title: r.Title, VendorName: r.VendorName, Purpose: r.Purpose, Status: r.Status, Conditions: r.Conditions,
		DataTypes: r.DataTypes, AnnualCost: r.AnnualCost}
	if r.AssigneeID != nil {
		v.AssigneeID = *r.AssigneeID
	}
	if r.VendorID != nil {
		v.VendorID = *r.VendorID
	}
	return v
}

// Create files a request for the principal.
func (s *Service) Create(ctx context.Context, p *auth.Principal, f Fields, o auth.Origin) (*models.RequestRecord, error) {
	r := &models.ToolRequest{Status: "submitted", RequesterID: p.User.ID, Departments: models.StringList{},
		DataTypes: models.StringList{}, IntegrationMethods: models.StringList{}}
	if p.User.Department != "" {
		r.Departments = models.StringList{p.User.Department}
	}
	if err := f.apply(r); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateToolRequest(ctx, tx, r); err != nil {
			return err
		}
		if err := s.noticeAwaiting(ctx, tx, p, r); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "request.create", ObjectType: "request", ObjectID: r.ID,
			AfterData: models.AuditJSON(viewOf(r))})
	})
	if err != nil {
		return nil, err
	}
	return models.GetToolRequest(ctx, s.DB, models.RequestScope{}, r.ID)
}

// change loads the request the principal may see, checks the version,
// runs fn to compute the update, stores it with a timeline entry and an
// audit event, and returns the stored record.
func (s *Service) change(ctx context.Context, p *auth.Principal, id string, version int64, o auth.Origin,
	fn func(r *models.ToolRequest) (set map[string]any, ev *models.ToolRequestEvent, action string, err error)) (*models.RequestRecord, error) {
	var stale bool
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.GetToolRequest(ctx, tx, Scope(p.User), id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			stale = true
			return models.ErrConflict
		}
		next := cur.ToolRequest
		set, ev, action, err := fn(&next)
		if err != nil {
			return err
		}
		after, err := models.UpdateToolRequest(ctx, tx, id, version, set)
		if err != nil {
			stale = errors.Is(err, models.ErrConflict)
			return err
		}
		if ev != nil {
			ev.RequestID, ev.ActorID = id, p.User.ID
			if err := models.AddRequestEvent(ctx, tx, ev); err != nil {
				return err
			}
		}
		if err := s.noticeChange(ctx, tx, p, &cur.ToolRequest, after); err != nil {
			return err
		}
		b, a := models.AuditDiff(viewOf(&cur.ToolRequest), viewOf(after))
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "request", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if err != nil {
		if stale {
			cur, gerr := models.GetToolRequest(ctx, s.DB, Scope(p.User), id)
			if gerr == nil {
				return cur, models.ErrConflict
			}
		}
		return nil, err
	}
	return models.GetToolRequest(ctx, s.DB, models.RequestScope{}, id)
}

// Edit lets the requester correct their request before review starts,
// and reviewers correct it at any time before the decision.
func (s *Service) Edit(ctx context.Context, p *auth.Principal, id string, version int64, f Fields, o auth.Origin) (*models.RequestRecord, error) {
	return s.change(ctx, p, id, version, o, func(r *models.ToolRequest) (map[string]any, *models.ToolRequestEvent, string, error) {
		staffer := slices.Contains(staff, p.User.Role)
		switch {
		case Terminal(r.Status):
			return nil, nil, "", models.Invalid("status", "a decided or withdrawn request cannot be edited")
		case !staffer && r.RequesterID != p.User.ID:
			return nil, nil, "", &models.ForbiddenError{Reason: "Only the requester or the risk team can edit a request."}
		case !staffer && r.Status != "submitted" && r.Status != "triage":
			return nil, nil, "", &models.ForbiddenError{Reason: "The request is under review; answer in the comments instead."}
		}
		if err := f.apply(r); err != nil {
			return nil, nil, "", err
		}
		set := map[string]any{"title": r.Title, "vendor_name": r.VendorName, "vendor_website": r.VendorWebsite, "purpose": r.Purpose,
			"departments": r.Departments, "user_count": r.UserCount, "data_types": r.DataTypes, "integration_methods": r.IntegrationMethods,
			"annual_cost": r.AnnualCost, "currency": r.Currency, "needed_by": r.NeededBy, "alternatives": r.Alternatives}
		return set, &models.ToolRequestEvent{Kind: "edited"}, "request.update", nil
	})
}

// Transition moves a request to another status. A decision records the
// decider and, for approval with conditions, the conditions.
func (s *Service) Transition(ctx context.Context, p *auth.Principal, id string, version int64, to, conditions, comment string, o auth.Origin) (*models.RequestRecord, error) {
	var out *models.RequestRecord
	// One transaction: the vendor is approved only if the decision is stored.
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rec, err := (&Service{DB: tx, Now: s.Now, Notify: s.Notify}).transition(ctx, p, id, version, to, conditions, comment, o)
		out = rec
		if err != nil {
			return err
		}
		out, err = approveVendor(ctx, tx, p, rec, o)
		return err
	})
	if errors.Is(err, models.ErrConflict) && out != nil {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// approveVendor moves the vendor linked to an approved request to
// approved, so the register agrees with the decision without a second
// edit by hand.
// It returns the request as re-read, so its vendor shows the new status.
func approveVendor(ctx context.Context, tx *gorm.DB, p *auth.Principal, rec *models.RequestRecord, o auth.Origin) (*models.RequestRecord, error) {
	if rec.VendorID == nil || (rec.Status != "approved" && rec.Status != "approved_with_conditions") {
		return rec, nil
	}
	detail := fmt.Sprintf("request %q approved", rec.Title)
	if err := (&vendors.Service{DB: tx}).ApproveForRequest(ctx, p, *rec.VendorID, detail, o); err != nil {
		return nil, err
	}
	return models.GetToolRequest(ctx, tx, models.RequestScope{}, rec.ID)
}

func (s *Service) transition(ctx context.Context, p *auth.Principal, id string, version int64, to, conditions, comment string, o auth.Origin) (*models.RequestRecord, error) {
	return s.change(ctx, p, id, version, o, func(r *models.ToolRequest) (map[string]any, *models.ToolRequestEvent, string, error) {
		if err := checkMove(r, p.User, to); err != nil {
			return nil, nil, "", err
		}
		conditions = strings.TrimSpace(conditions)
		if to == "approved_with_conditions" && conditions == "" {
			return nil, nil, "", models.Invalid("conditions", "are required to approve with conditions")
		}
		set := map[string]any{"status": to}
		if slices.Contains(Decisions, to) {
			now := s.now()
			set["decided_by_id"], set["decided_at"], set["conditions"] = p.User.ID, now, conditions
		}
		action := "request.status_change"
		if slices.Contains(Decisions, to) {
			action = "request.decide"
		}
		body := strings.TrimSpace(comment)
		if to == "approved_with_conditions" {
			body = strings.TrimSpace("Conditions: " + conditions + "\n" + body)
		}
		return set, &models.ToolRequestEvent{Kind: "status", FromStatus: r.Status, ToStatus: to, Body: body}, action, nil
	})
}

// Assign gives the request to a reviewer (or nobody).
func (s *Service) Assign(ctx context.Context, p *auth.Principal, id string, version int64, assigneeID string, o auth.Origin) (*models.RequestRecord, error) {
	return s.change(ctx, p, id, version, o, func(r *models.ToolRequest) (map[string]any, *models.ToolRequestEvent, string, error) {
		if Terminal(r.Status) {
			return nil, nil, "", models.Invalid("assignee_id", "a decided or withdrawn request is not assigned any more")
		}
		if assigneeID == "" {
			return map[string]any{"assignee_id": nil}, &models.ToolRequestEvent{Kind: "assigned", Body: "unassigned"}, "request.assign", nil
		}
		u, err := models.UserByID(ctx, s.DB, assigneeID)
		if err != nil || !u.Active || !slices.Contains(withLaw, u.Role) {
			return nil, nil, "", models.Invalid("assignee_id", "must be an active risk manager, legal reviewer or administrator")
		}
		return map[string]any{"assignee_id": u.ID}, &models.ToolRequestEvent{Kind: "assigned", Body: u.Name}, "request.assign", nil
	})
}

// LinkVendor ties the request to a vendor in the register. With vendorID
// empty, a new vendor (status proposed) is created from the request; a
// likely duplicate is refused with vendors.DuplicateError so the reviewer
// can link the existing one instead.
func (s *Service) LinkVendor(ctx context.Context, p *auth.Principal, id string, version int64, vendorID string, confirmDuplicate bool, o auth.Origin) (*models.RequestRecord, error) {
	var out *models.RequestRecord
	// One transaction: a vendor created here exists only if the link does.
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inner := &Service{DB: tx, Now: s.Now, Notify: s.Notify}
		if vendorID == "" {
			cur, err := models.GetToolRequest(ctx, tx, Scope(p.User), id)
			if err != nil {
				return err
			}
			if cur.Version != version {
				out = cur
				return models.ErrConflict
			}
			v, err := (&vendors.Service{DB: tx}).Create(ctx, p, vendorInput(cur), confirmDuplicate, o)
			if err != nil {
				return err
			}
			vendorID = v.ID
		}
		rec, err := inner.change(ctx, p, id, version, o, func(r *models.ToolRequest) (map[string]any, *models.ToolRequestEvent, string, error) {
			names, err := models.VendorNames(ctx, tx, []string{vendorID})
			if err != nil {
				return nil, nil, "", err
			}
			if names[vendorID] == "" {
				return nil, nil, "", models.Invalid("vendor_id", "is not a vendor")
			}
			return map[string]any{"vendor_id": vendorID}, &models.ToolRequestEvent{Kind: "vendor_linked", Body: names[vendorID]}, "request.link_vendor", nil
		})
		out = rec
		if err != nil {
			return err
		}
		// Linked after the decision: the approval still applies to the vendor.
		out, err = approveVendor(ctx, tx, p, rec, o)
		return err
	})
	if errors.Is(err, models.ErrConflict) && out != nil {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// vendorInput prefills a proposed vendor from a request.
func vendorInput(r *models.RequestRecord) vendors.Input {
	in := vendors.Input{Name: &r.VendorName, Website: &r.VendorWebsite, Description: ptr(r.Purpose),
		Category: ptr("saas"), Status: ptr("proposed"), DataTypes: ptr([]string(r.DataTypes)),
		IntegrationMethods: ptr([]string(r.IntegrationMethods)), InternalUsers: &r.UserCount, AnnualSpend: &r.AnnualCost,
		Currency: &r.Currency, OwnerID: &r.RequesterID}
	if len(r.Departments) > 0 {
		in.Department = &r.Departments[0]
	}
	return in
}

// Comment adds to the request's thread; the requester and reviewers may.
func (s *Service) Comment(ctx context.Context, p *auth.Principal, id, body string, o auth.Origin) (*models.ToolRequestEvent, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, models.Invalid("body", "is required")
	}
	var ev *models.ToolRequestEvent
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := models.GetToolRequest(ctx, tx, Scope(p.User), id); err != nil {
			return err
		}
		ev = &models.ToolRequestEvent{RequestID: id, ActorID: p.User.ID, Kind: "comment", Body: body}
		if err := models.AddRequestEvent(ctx, tx, ev); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "request.comment", ObjectType: "request", ObjectID: id})
	})
	return ev, err
}

func ptr[T any](v T) *T { return &v }

// MaxAttachment caps one attached file.
const MaxAttachment = 20 << 20

// Attach stores a file on a request the principal may act on. The type is
// detected from the content; on any failure neither a file nor a record
// is left behind.
func (s *Service) Attach(ctx context.Context, files storage.Store, p *auth.Principal, id, name string, body io.Reader, o auth.Origin) (*models.RequestAttachment, error) {
	cur, err := models.GetToolRequest(ctx, s.DB, Scope(p.User), id)
	if err != nil {
		return nil, err
	}
	if Terminal(cur.Status) {
		return nil, models.Invalid("file", "a decided or withdrawn request takes no more files")
	}
	up, err := storage.PutEvidence(ctx, files, name, body, MaxAttachment)
	if err != nil {
		return nil, err
	}
	a := &models.RequestAttachment{RequestID: id, UploadedBy: p.User.ID, Filename: storage.CleanName(name),
		ContentType: up.Type, Size: up.Size, Sha256: up.Sha256, StorageKey: up.Key}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateRequestAttachment(ctx, tx, a); err != nil {
			return err
		}
		if err := models.AddRequestEvent(ctx, tx, &models.ToolRequestEvent{RequestID: id, ActorID: p.User.ID, Kind: "attachment", Body: a.Filename}); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "request.attach", ObjectType: "request", ObjectID: id,
			AfterData: models.AuditJSON(map[string]any{"filename": a.Filename, "content_type": up.Type, "size": up.Size, "sha256": up.Sha256})})
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), up.Key)
		return nil, err
	}
	return a, nil
}
