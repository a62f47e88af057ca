package handlers

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/authz"
	"rampart/app/evidence"
	"rampart/app/notify"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/app/storage"
	"rampart/models"
)

type templateSummary struct {
	ID            string     `json:"id"`
	Key           string     `json:"key"`
	Name          string     `json:"name"`
	Description   string     `json:"description"`
	Revision      int64      `json:"revision"`
	Status        string     `json:"status" enum:"draft,published,retired"`
	Builtin       bool       `json:"builtin"`
	QuestionCount int64      `json:"question_count"`
	PublishedAt   *time.Time `json:"published_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

type templateResponse struct {
	templateSummary
	Sections []questionnaire.Section `json:"sections"`
}

func toTemplateSummary(t *models.QuestionnaireTemplate) templateSummary {
	return templateSummary{ID: t.ID, Key: t.Key, Name: t.Name, Description: t.Description, Revision: t.Revision, Status: t.Status,
		Builtin: t.Builtin, QuestionCount: t.QuestionCount, PublishedAt: t.PublishedAt, UpdatedAt: t.UpdatedAt}
}

func (s *Server) listTemplates(c echo.Context) error {
	if err := parseQuery(c).err(); err != nil {
		return err
	}
	ts, err := models.ListTemplates(c.Request().Context(), s.deps.DB.Gorm, false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(models.Page[models.QuestionnaireTemplate]{Items: ts, Total: int64(len(ts))}, toTemplateSummary))
}

type templateIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getTemplate(c echo.Context) error {
	t, err := models.GetTemplate(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusOK, t)
}

func (s *Server) assessmentService() *assessments.Service {
	return &assessments.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now, Quota: s.deps.PortalQuota, Notify: s.deps.Notify, BaseURL: s.deps.BaseURL}
}

type assessmentSummary struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Status        string     `json:"status" enum:"draft,sent,in_progress,submitted,in_review,completed,cancelled,expired"`
	VendorID      string     `json:"vendor_id"`
	VendorName    string     `json:"vendor_name"`
	TemplateID    string     `json:"template_id"`
	DueDate       string     `json:"due_date"`
	ReviewerID    *string    `json:"reviewer_id"`
	ReviewerName  string     `json:"reviewer_name"`
	ContactName   string     `json:"contact_name"`
	ContactEmail  string     `json:"contact_email"`
	PreviousID    *string    `json:"previous_id"`
	Effectiveness *float64   `json:"effectiveness"`
	SentAt        *time.Time `json:"sent_at"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	CompletedAt   *time.Time `json:"completed_at"`
	Version       int64      `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

func toAssessmentRecord(r *models.AssessmentRecord) assessmentSummary {
	out := toAssessmentSummary(&r.Assessment)
	out.VendorName, out.ReviewerName = r.VendorName, r.ReviewerName
	return out
}

func toAssessmentSummary(a *models.Assessment) assessmentSummary {
	return assessmentSummary{ID: a.ID, Title: a.Title, Status: a.Status, VendorID: a.VendorID, TemplateID: a.TemplateID, DueDate: a.DueDate,
		ReviewerID: a.ReviewerID, ContactName: a.ContactName, ContactEmail: a.ContactEmail, PreviousID: a.PreviousID, Effectiveness: a.Effectiveness,
		SentAt: a.SentAt, SubmittedAt: a.SubmittedAt, CompletedAt: a.CompletedAt, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// answerView is an answer as the reviewer sees it: value, score, review.
type answerView struct {
	Value         json.RawMessage `json:"value"`
	Comment       string          `json:"comment"`
	Score         *float64        `json:"score"`
	Visible       bool            `json:"visible"`
	ReviewStatus  string          `json:"review_status" enum:",accepted,follow_up,finding"`
	ReviewComment string          `json:"review_comment"`
	Reopened      bool            `json:"reopened"`
	Files         []fileView      `json:"files"`
	// Previous is the answer in the assessment this one reassesses; Changed
	// says the vendor gave a different answer this time.
	Previous json.RawMessage `json:"previous"`
	Changed  bool            `json:"changed"`
	// BeforeFollowUp is the answer as it stood when the reviewer asked
	// for a follow-up, when the vendor has since changed it; else null.
	BeforeFollowUp json.RawMessage `json:"before_follow_up"`
	Confirmed      bool            `json:"confirmed"`
	// Source says where a reviewer brought the answer in from: the
	// vendor's own questionnaire or an earlier assessment, with a quote.
	Source string `json:"source"`
	// Evidence is the library document a file question's answer stands
	// on; its review scores the answer.
	Evidence *answerEvidenceView `json:"evidence"`
	// Thread counts the conversation on the question: every message, and
	// the vendor's messages the caller has not read.
	Thread models.ThreadCount `json:"thread"`
	// AnsweredBy is the portal contact whose link last saved the answer.
	AnsweredBy *answeredBy `json:"answered_by"`
}

type answerEvidenceView struct {
	DocumentID string `json:"document_id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Status     string `json:"status" enum:"received,in_review,accepted,rejected" description:"the review of the document's current version"`
	ExpiresOn  string `json:"expires_on"`
	Expiry     string `json:"expiry" enum:",expiring,expired"`
}

type fileView struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Sha256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

type invitationView struct {
	ID           string     `json:"id"`
	ContactEmail string     `json:"contact_email"`
	ExpiresAt    time.Time  `json:"expires_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
	LastUsedAt   *time.Time `json:"last_used_at"`
	CreatedAt    time.Time  `json:"created_at"`
	// Delegated marks a link the main contact shared with a colleague.
	Delegated bool `json:"delegated"`
}

type assessmentDetail struct {
	assessmentSummary
	BusinessUnitIDs []string                                `json:"business_unit_ids,omitempty" description:"its business units (GET by id only)"`
	Template        templateResponse                        `json:"template"`
	Answers         map[string]answerView                   `json:"answers"`
	Result          questionnaire.Result                    `json:"result"`
	Progress        progressView                            `json:"progress"`
	Invitations     []invitationView                        `json:"invitations"`
	FollowUps       []string                                `json:"follow_ups"`
	Questions       map[string]questionnaire.QuestionResult `json:"-"`
}

type progressView struct {
	Answered        int `json:"answered"`
	Visible         int `json:"visible"`
	MissingRequired int `json:"missing_required"`
}

func (s *Server) assessmentDetail(c echo.Context, st *assessments.State) (assessmentDetail, error) {
	ctx := c.Request().Context()
	files, err := models.AssessmentFiles(ctx, s.deps.DB.Gorm, st.Assessment.ID)
	if err != nil {
		return assessmentDetail{}, err
	}
	invs, err := models.Invitations(ctx, s.deps.DB.Gorm, st.Assessment.ID)
	if err != nil {
		return assessmentDetail{}, err
	}
	reader := ""
	if p := principalOf(c); p != nil && p.User != nil {
		reader = p.User.ID
	}
	threads, err := models.ThreadCounts(ctx, s.deps.DB.Gorm, st.Assessment.ID, reader)
	if err != nil {
		return assessmentDetail{}, err
	}
	rec := models.AssessmentRecord{Assessment: *st.Assessment}
	if v, err := models.GetVendor(ctx, s.deps.DB.Gorm, st.Assessment.VendorID); err == nil {
		rec.VendorName = v.Name
	}
	if st.Assessment.ReviewerID != nil {
		if u, err := models.UserByID(ctx, s.deps.DB.Gorm, *st.Assessment.ReviewerID); err == nil {
			rec.ReviewerName = u.Name
		}
	}
	d := assessmentDetail{
		assessmentSummary: toAssessmentRecord(&rec),
		Template:          templateResponse{templateSummary: toTemplateSummary(st.Template), Sections: st.Content.Sections},
		Answers:           map[string]answerView{}, Result: st.Result, Invitations: []invitationView{}, FollowUps: st.FollowUps(),
		Progress: progressView{Answered: st.Result.Answered, Visible: st.Result.Visible, MissingRequired: st.Result.MissingRequired},
	}
	if d.FollowUps == nil {
		d.FollowUps = []string{}
	}
	for _, q := range st.Content.Questions() {
		qr := st.Result.Questions[q.Key]
		v := answerView{Value: json.RawMessage("null"), Previous: json.RawMessage("null"), BeforeFollowUp: json.RawMessage("null"), Score: qr.Score, Visible: qr.Visible, Files: []fileView{},
			Thread: threads[q.Key]}
		if a := st.Answers[q.Key]; a != nil {
			v.Value, v.Comment, v.ReviewStatus, v.ReviewComment, v.Reopened = json.RawMessage(a.Value), a.Comment, a.ReviewStatus, a.ReviewComment, a.Reopened
			v.Confirmed, v.Source, v.AnsweredBy = a.Confirmed, a.Source, toAnsweredBy(a)
			if a.PreviousValue != nil {
				v.Previous, v.Changed = json.RawMessage(*a.PreviousValue), *a.PreviousValue != a.Value
			}
			if a.BeforeFollowUp != nil && *a.BeforeFollowUp != a.Value {
				v.BeforeFollowUp = json.RawMessage(*a.BeforeFollowUp)
			}
			if a.EvidenceDocumentID != nil {
				if doc, ok := st.Evidence[*a.EvidenceDocumentID]; ok {
					v.Evidence = &answerEvidenceView{DocumentID: doc.ID, Kind: doc.Kind, Title: doc.Title, Status: doc.Current.Status,
						ExpiresOn: doc.Current.ExpiresOn, Expiry: expiry(doc.Current.ExpiresOn, s.deps.Now())}
				}
			}
		}
		d.Answers[q.Key] = v
	}
	for _, f := range files {
		v := d.Answers[f.QuestionKey]
		v.Files = append(v.Files, fileView{ID: f.ID, Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, Sha256: f.Sha256, CreatedAt: f.CreatedAt})
		d.Answers[f.QuestionKey] = v
	}
	for _, inv := range invs {
		d.Invitations = append(d.Invitations, invitationView{ID: inv.ID, ContactEmail: inv.ContactEmail, ExpiresAt: inv.ExpiresAt,
			RevokedAt: inv.RevokedAt, LastUsedAt: inv.LastUsedAt, CreatedAt: inv.CreatedAt, Delegated: inv.DelegatedBy != nil})
	}
	return d, nil
}

func (s *Server) writeAssessment(c echo.Context, status int, st *assessments.State, err error) error {
	if err != nil {
		if st != nil {
			return conflictWith(err, toAssessmentSummary(st.Assessment))
		}
		return err
	}
	d, err := s.assessmentDetail(c, st)
	if err != nil {
		return err
	}
	if d.BusinessUnitIDs, err = models.UnitIDsOf(c.Request().Context(), s.deps.DB.Gorm, models.UnitAssessment, st.Assessment.ID); err != nil {
		return err
	}
	return c.JSON(status, d)
}

type assessmentsQuery struct {
	VendorID   string `query:"vendor_id"`
	Status     string `query:"status" description:"one or more statuses, comma-separated"`
	ReviewerID string `query:"reviewer_id"`
	Template   string `query:"template" description:"a questionnaire's key (every revision), e.g. rampart-lite"`
	Due        string `query:"due" enum:"overdue,due_soon" description:"assessments still waiting for the vendor (draft, sent, in progress) past their due date, or due within 30 days"`
	Sort       string `query:"sort" description:"created_at, updated_at, due_date or status; prefix - for descending (default -created_at)"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor     string `query:"cursor"`
}

func (s *Server) listAssessments(c echo.Context) error {
	q := parseQuery(c, "vendor_id", "status", "reviewer_id", "template", "due")
	f := models.AssessmentFilter{VendorID: q.str("vendor_id", 64), Statuses: q.list("status", assessments.Statuses),
		ReviewerID: q.str("reviewer_id", 64), TemplateKey: q.str("template", 80), Due: q.oneOf("due", models.AssessmentDueFilters...),
		Today: s.deps.Now().UTC().Format(time.DateOnly), Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListAssessments(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, toAssessmentRecord))
}

type createAssessmentRequest struct {
	VendorID        string    `json:"vendor_id" validate:"required,max=64"`
	TemplateID      string    `json:"template_id" validate:"max=64" description:"default: the questionnaire the vendor's tier calls for (Full for tiers 1-2, Lite for 3-4)"`
	DueDate         string    `json:"due_date" validate:"max=10" description:"YYYY-MM-DD"`
	ReviewerID      string    `json:"reviewer_id" validate:"max=64"`
	ContactName     string    `json:"contact_name" validate:"max=200"`
	ContactEmail    string    `json:"contact_email" validate:"omitempty,email,max=254"`
	PreviousID      string    `json:"previous_id" validate:"max=64" description:"reassess: prefill the answers of this earlier assessment of the vendor"`
	BusinessUnitIDs *[]string `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"its business units; absent: the vendor's. A person scoped to units may name only their own"`
}

func (s *Server) createAssessment(c echo.Context) error {
	var req createAssessmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	svc := s.assessmentService()
	a, err := svc.Create(c.Request().Context(), principalOf(c), assessments.NewAssessment{VendorID: req.VendorID, TemplateID: req.TemplateID,
		DueDate: req.DueDate, ReviewerID: req.ReviewerID, ContactName: req.ContactName, ContactEmail: req.ContactEmail,
		PreviousID: req.PreviousID, BusinessUnitIDs: req.BusinessUnitIDs}, s.origin(c))
	if err != nil {
		return err
	}
	st, err := svc.Load(c.Request().Context(), s.deps.DB.Gorm, a)
	return s.writeAssessment(c, http.StatusCreated, st, err)
}

type assessmentIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getAssessment(c echo.Context) error {
	a, err := models.GetAssessment(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	st, err := s.assessmentService().Load(c.Request().Context(), s.deps.DB.Gorm, a)
	return s.writeAssessment(c, http.StatusOK, st, err)
}

type sendRequest struct {
	ID            string `json:"-" path:"id"`
	Version       int64  `json:"version" validate:"required,gte=1"`
	ContactEmail  string `json:"contact_email" validate:"omitempty,email,max=254"`
	ContactName   string `json:"contact_name" validate:"omitempty,max=200" description:"with contact_email: the contact's name, as the invitation greets them"`
	ExpiresInDays int    `json:"expires_in_days" validate:"omitempty,gte=1,lte=180" description:"default 30"`
}

type sendResponse struct {
	Assessment assessmentSummary `json:"assessment"`
	// PortalURL is the vendor's link. It is shown this once; only a hash
	// of its token is kept. Sending again makes a new link and ends this one.
	PortalURL string    `json:"portal_url"`
	ExpiresAt time.Time `json:"expires_at"`
	// EmailedTo is the address the invitation was mailed (or, in demo
	// mode, held) to; empty when mail is off.
	EmailedTo string `json:"emailed_to"`
	MailMode  string `json:"mail_mode" enum:"off,on,demo"`
}

func (s *Server) sendAssessment(c echo.Context) error {
	var req sendRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	days := req.ExpiresInDays
	if days == 0 {
		days = int(assessments.DefaultLinkLifetime / (24 * time.Hour))
	}
	lifetime := time.Duration(days) * 24 * time.Hour
	a, token, err := s.assessmentService().Send(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.ContactEmail, req.ContactName, lifetime, s.origin(c))
	if err != nil {
		if a != nil {
			return conflictWith(err, toAssessmentSummary(a))
		}
		return err
	}
	out := sendResponse{Assessment: toAssessmentSummary(a), PortalURL: assessments.PortalURL(s.deps.BaseURL, token),
		ExpiresAt: s.deps.Now().UTC().Add(lifetime), MailMode: s.deps.Notify.Mode.String()}
	if s.deps.Notify.Mode != notify.MailOff {
		out.EmailedTo = a.ContactEmail
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) revokeAssessmentLink(c echo.Context) error {
	if err := s.assessmentService().Revoke(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type reviewRequest struct {
	ID      string `json:"-" path:"id"`
	Key     string `json:"-" path:"key" description:"the question key exactly as published, percent-encoded (A%26A-01.1 for A&A-01.1)"`
	Status  string `json:"status" validate:"max=20" enum:",accepted,follow_up,finding"`
	Comment string `json:"comment" validate:"max=5000"`
	// A finding's title as the reviewer edited it.
	FindingTitle string `json:"finding_title" validate:"max=200" description:"finding: its title; default names the problem, e.g. \"IAM-01: answered No — Is MFA enforced…\""`
}

func (s *Server) reviewAnswer(c echo.Context) error {
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	var req reviewRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.assessmentService().Review(c.Request().Context(), principalOf(c), c.Param("id"), key, req.Status, req.Comment, req.FindingTitle, s.origin(c))
	return s.writeAssessment(c, http.StatusOK, st, err)
}

type answerEvidenceRequest struct {
	ID         string `json:"-" path:"id"`
	Key        string `json:"-" path:"key" description:"the file question's key exactly as published, percent-encoded"`
	DocumentID string `json:"document_id" validate:"max=100" description:"a document of the vendor's evidence library; empty takes the link away"`
}

func (s *Server) linkAnswerEvidence(c echo.Context) error {
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	var req answerEvidenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.assessmentService().LinkEvidence(c.Request().Context(), principalOf(c), c.Param("id"), key, req.DocumentID, s.origin(c))
	return s.writeAssessment(c, http.StatusOK, st, err)
}

type fileToEvidenceRequest struct {
	ID     string  `json:"-" path:"id"`
	FileID string  `json:"-" path:"file_id"`
	Kind   string  `json:"kind" validate:"required,max=40" description:"the kind of document (as in the evidence library)"`
	Title  *string `json:"title" validate:"omitempty,max=200" description:"default: from the kind and issuer"`
}

type fileToEvidenceResponse struct {
	assessmentDetail
	DocumentID string `json:"document_id" description:"the new document in the vendor's evidence library"`
}

func (s *Server) fileToEvidence(c echo.Context) error {
	// The route needs assessments.write; adding to the library also needs
	// the library's own permission.
	if !authz.Can(principalOf(c).User.Role, authz.EvidenceManage) {
		return echo.NewHTTPError(http.StatusForbidden, "Your role does not allow this.")
	}
	var req fileToEvidenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, up, err := s.assessmentService().FileIntoLibrary(c.Request().Context(), s.deps.Files, principalOf(c), c.Param("id"), c.Param("file_id"),
		evidence.Meta{Kind: &req.Kind, Title: req.Title}, s.origin(c))
	if err != nil {
		return err
	}
	d, err := s.assessmentDetail(c, st)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fileToEvidenceResponse{assessmentDetail: d, DocumentID: up.Item.ID})
}

type acceptAnswersRequest struct {
	ID   string   `json:"-" path:"id"`
	Keys []string `json:"keys" validate:"required,min=1,max=5000,dive,max=200" description:"the question keys to accept, as published; answers already marked, hidden or not given are skipped"`
}

type acceptAnswersResponse struct {
	assessmentDetail
	Accepted int `json:"accepted" description:"how many answers this call accepted"`
}

func (s *Server) acceptAnswers(c echo.Context) error {
	var req acceptAnswersRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, n, err := s.assessmentService().AcceptAnswers(c.Request().Context(), principalOf(c), c.Param("id"), req.Keys, s.origin(c))
	if err != nil {
		return err
	}
	d, err := s.assessmentDetail(c, st)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, acceptAnswersResponse{assessmentDetail: d, Accepted: n})
}

type assessmentActionRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	Action  string `json:"action" validate:"required" enum:"follow_up,complete,cancel"`
}

func (s *Server) moveAssessment(c echo.Context) error {
	var req assessmentActionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.assessmentService().Move(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Action, s.origin(c))
	return s.writeAssessment(c, http.StatusOK, st, err)
}

type assessmentUnitsRequest struct {
	ID              string   `json:"-" path:"id"`
	Version         int64    `json:"version" validate:"required,gte=1"`
	BusinessUnitIDs []string `json:"business_unit_ids" validate:"required,max=50,dive,max=64" description:"the assessment's business units. A person scoped to units may name only their own, at least one; the assessment's units they do not hold are kept"`
}

func (s *Server) setAssessmentUnits(c echo.Context) error {
	var req assessmentUnitsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.assessmentService().ChangeUnits(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.BusinessUnitIDs, s.origin(c))
	return s.writeAssessment(c, http.StatusOK, st, err)
}

type assessmentFileParam struct {
	ID     string `path:"id"`
	FileID string `path:"file_id"`
}

func (s *Server) downloadEvidence(c echo.Context) error {
	f, err := models.AssessmentFileByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("file_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}

// serveFile sends a stored file as a download, sandboxed should a
// browser render it anyway. The file streams from the store after the
// caller's permission check (docs/decisions/0005); its size and SHA-256
// are checked against the row as it goes, so a damaged or replaced file
// breaks the download off (the client sees it incomplete) and is logged
// instead of being delivered whole.
func (s *Server) serveFile(c echo.Context, key, name, contentType string, size int64, sum string) error {
	rc, err := s.deps.Files.Open(c.Request().Context(), key)
	if err != nil {
		return err
	}
	rc = storage.Verify(rc, size, sum)
	defer rc.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	h.Set(echo.HeaderCacheControl, "private, no-store")
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), rc)
	return err
}

type answersImport struct {
	ID        string                `path:"id"`
	DryRun    string                `query:"dry_run" enum:"true,false" description:"true (default) reports without saving"`
	ValidOnly string                `query:"valid_only" enum:"true,false" description:"true saves the rows that can be taken and leaves out the others; false (default) saves nothing while any row cannot be taken (422 naming the rows). Also accepted as a form field"`
	File      *multipart.FileHeader `formData:"file" description:"XLSX or CSV; every visible sheet with a heading row (in its first 50 rows) naming a question ID column (ID, Question ID, Ref, #) and an answer column (Answer, Response, Vendor Response, CSP CAIQ Answer) is read, with a comment column (Comments, Notes, Additional Information, CSP Implementation Description) when there is one"`
	ValidForm string                `formData:"valid_only" enum:"true,false" description:"as the valid_only query parameter"`
}

// importAnswers reads a vendor's filled-in spreadsheet into the assessment.
func (s *Server) importAnswers(c echo.Context) error {
	q := parseQuery(c, "dry_run", "valid_only")
	dry := q.boolean("dry_run")
	validOnly := q.boolean("valid_only")
	if err := q.err(); err != nil {
		return err
	}
	data, err := uploadedFile(c, "file", importLimit)
	if err != nil {
		return err
	}
	if validOnly == nil {
		if validOnly, err = formBool(c, "valid_only"); err != nil {
			return err
		}
	}
	opt := assessments.ImportOptions{DryRun: dry == nil || *dry, ValidOnly: validOnly != nil && *validOnly}
	res, err := s.assessmentService().ImportAnswers(c.Request().Context(), principalOf(c), c.Param("id"), data, opt, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// formBool reads an optional true/false field of a multipart form the
// handler has already parsed.
func formBool(c echo.Context, name string) (*bool, error) {
	switch v := c.FormValue(name); v {
	case "":
		return nil, nil
	case "true", "false":
		b := v == "true"
		return &b, nil
	}
	return nil, models.Invalid(name, "must be true or false")
}

// exportAssessment writes the questions with their answers, scores and
// review marks as a spreadsheet.
func (s *Server) exportAssessment(c echo.Context) error {
	a, err := models.GetAssessment(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	st, err := s.assessmentService().Load(c.Request().Context(), s.deps.DB.Gorm, a)
	if err != nil {
		return err
	}
	x, err := sheet.NewXLSX("Assessment")
	if err != nil {
		return err
	}
	for _, row := range assessments.ExportRows(st) {
		if err := x.Write(row); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="assessment-`+a.ID+`.xlsx"`)
	c.Response().WriteHeader(http.StatusOK)
	return x.Finish(c.Response())
}
