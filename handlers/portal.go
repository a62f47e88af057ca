package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/models"
)

// The vendor portal: a link holder sees exactly one questionnaire and
// nothing about scores, expected answers or internal review notes.

type portalQuestion struct {
	Key      string                `json:"key"`
	Text     string                `json:"text"`
	Help     string                `json:"help"`
	Type     string                `json:"type"`
	Required bool                  `json:"required"`
	Choices  []portalChoice        `json:"choices"`
	ShowIf   *questionnaire.ShowIf `json:"show_if"`
	Answer   json.RawMessage       `json:"answer"`
	Comment  string                `json:"comment"`
	Files    []portalFile          `json:"files"`
	Editable bool                  `json:"editable"`
	// FollowUp is the reviewer's request when the question was sent back.
	FollowUp string `json:"follow_up,omitempty"`
	// Prefilled marks an answer carried over from the last assessment that
	// the vendor has yet to confirm or change.
	Prefilled bool `json:"prefilled"`
	// Messages is the conversation on the question with the reviewers.
	Messages []portalMessage `json:"messages"`
	// AnsweredBy is the contact whose link last saved the answer; null
	// when nobody answered through the portal.
	AnsweredBy *answeredBy `json:"answered_by"`
}

// answeredBy names the portal contact who last saved an answer.
type answeredBy struct {
	Name  string     `json:"name"`
	Email string     `json:"email"`
	At    *time.Time `json:"at"`
}

func toAnsweredBy(a *models.AssessmentAnswer) *answeredBy {
	if a == nil || a.AnsweredInvitationID == nil {
		return nil
	}
	return &answeredBy{Name: a.AnsweredByName, Email: a.AnsweredByEmail, At: a.AnsweredAt}
}

// portalDelegated is, on a delegated link, who shared which sections.
type portalDelegated struct {
	ByName   string         `json:"by_name"`
	ByEmail  string         `json:"by_email"`
	Name     string         `json:"name"`
	Email    string         `json:"email"`
	Message  string         `json:"message"`
	Sections []portalChoice `json:"sections" description:"the shared sections: key (value) and title (label)"`
}

type portalChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

type portalFile struct {
	ID       string `json:"id"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	// Removable: the vendor attached it, so may take it back while the
	// answer can change.
	Removable bool `json:"removable"`
}

type portalSection struct {
	Key         string           `json:"key"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Questions   []portalQuestion `json:"questions"`
}

type portalResponse struct {
	Title      string `json:"title"`
	VendorName string `json:"vendor_name"`
	// AskedBy is the company asking (its name from Settings, else --org-name); Contact is the
	// person there to turn to: the reviewer, else whoever created it.
	AskedBy string `json:"asked_by"`
	// Logo says the asking company has a logo, at GET /portal/{token}/logo.
	Logo      bool            `json:"logo"`
	Contact   *portalContact  `json:"contact"`
	Status    string          `json:"status" enum:"sent,in_progress,submitted,in_review,completed"`
	DueDate   string          `json:"due_date"`
	Submitted bool            `json:"submitted"`
	Progress  progressView    `json:"progress"`
	Sections  []portalSection `json:"sections"`
	// Delegated is set on a link a colleague shared: it sees and answers
	// Sections only, and neither shares further nor submits.
	Delegated *portalDelegated `json:"delegated"`
	// CanDelegate and CanSubmit: the main link while the vendor answers.
	CanDelegate bool `json:"can_delegate"`
	CanSubmit   bool `json:"can_submit"`
	// AllSections lists every section (key and title) for sharing; empty
	// on a delegated link.
	AllSections []portalChoice `json:"all_sections"`
}

type portalContact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type portalToken struct {
	Token string `path:"token"`
}

func (s *Server) portalView(c echo.Context, st *assessments.State, inv *models.PortalInvitation) (portalResponse, error) {
	ctx := c.Request().Context()
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, st.Assessment.VendorID)
	if err != nil {
		return portalResponse{}, err
	}
	files, err := models.AssessmentFiles(ctx, s.deps.DB.Gorm, st.Assessment.ID)
	if err != nil {
		return portalResponse{}, err
	}
	logo, err := models.GetPortalLogo(ctx, s.deps.DB.Gorm)
	if err != nil {
		return portalResponse{}, err
	}
	threads, err := assessments.AllMessages(ctx, s.deps.DB.Gorm, st.Assessment.ID)
	if err != nil {
		return portalResponse{}, err
	}
	byKey := map[string][]portalFile{}
	for _, f := range files {
		byKey[f.QuestionKey] = append(byKey[f.QuestionKey], portalFile{ID: f.ID, Filename: f.Filename, Size: f.Size,
			Removable: f.UploadedVia == "portal" && st.Editable(f.QuestionKey)})
	}
	answered, visible, missing := st.ScopedProgress(inv)
	answering := st.Assessment.Status == "sent" || st.Assessment.Status == "in_progress"
	out := portalResponse{Title: st.Template.Name, VendorName: v.Name, AskedBy: s.deps.Notify.Org(ctx, s.deps.DB.Gorm), Logo: logo != nil, Status: st.Assessment.Status, DueDate: st.Assessment.DueDate,
		Submitted:   st.Assessment.SubmittedAt != nil && st.Assessment.Status != "in_progress",
		Progress:    progressView{Answered: answered, Visible: visible, MissingRequired: missing},
		CanDelegate: inv.DelegatedBy == nil && answering, CanSubmit: inv.DelegatedBy == nil && answering, AllSections: []portalChoice{}}
	scope := assessments.Scope(inv)
	if scope != nil {
		byName, byEmail, err := s.assessmentService().Delegator(ctx, st, inv)
		if err != nil {
			return portalResponse{}, err
		}
		out.Delegated = &portalDelegated{ByName: byName, ByEmail: byEmail, Name: inv.ContactName, Email: inv.ContactEmail, Message: inv.Message, Sections: []portalChoice{}}
	}
	if id := st.Assessment.ReviewerID; id != nil || st.Assessment.CreatedBy != nil {
		if id == nil {
			id = st.Assessment.CreatedBy
		}
		if u, err := models.UserByID(ctx, s.deps.DB.Gorm, *id); err == nil && u.Active {
			out.Contact = &portalContact{Name: u.Name, Email: u.Email}
		} else if err != nil && !errors.Is(err, models.ErrNotFound) {
			return portalResponse{}, err
		}
	}
	for _, sec := range st.Content.Sections {
		if scope != nil && !slices.Contains(scope, sec.Key) {
			continue
		}
		if out.Delegated != nil {
			out.Delegated.Sections = append(out.Delegated.Sections, portalChoice{Value: sec.Key, Label: sec.Title})
		} else {
			out.AllSections = append(out.AllSections, portalChoice{Value: sec.Key, Label: sec.Title})
		}
		ps := portalSection{Key: sec.Key, Title: sec.Title, Description: sec.Description, Questions: []portalQuestion{}}
		for _, q := range sec.Questions {
			pq := portalQuestion{Key: q.Key, Text: q.Text, Help: q.Help, Type: q.Type, Required: q.Required, ShowIf: q.ShowIf,
				Choices: []portalChoice{}, Answer: json.RawMessage("null"), Files: byKey[q.Key], Editable: st.Editable(q.Key), Messages: []portalMessage{}}
			for i := range threads[q.Key] {
				pq.Messages = append(pq.Messages, toPortalMessage(&threads[q.Key][i]))
			}
			for _, ch := range q.Choices {
				pq.Choices = append(pq.Choices, portalChoice{Value: ch.Value, Label: ch.Label})
			}
			if pq.Files == nil {
				pq.Files = []portalFile{}
			}
			if a := st.Answers[q.Key]; a != nil {
				pq.Answer, pq.Comment, pq.Prefilled = json.RawMessage(a.Value), a.Comment, !a.Confirmed
				pq.AnsweredBy = toAnsweredBy(a)
				if a.Reopened {
					pq.FollowUp = a.ReviewComment
				}
			}
			ps.Questions = append(ps.Questions, pq)
		}
		out.Sections = append(out.Sections, ps)
	}
	return out, nil
}

// writePortal answers with the questionnaire as the token's link sees it
// after a change.
func (s *Server) writePortal(c echo.Context, st *assessments.State, err error) error {
	if err != nil {
		return err
	}
	inv := st.Invitation
	if inv == nil {
		if st, inv, err = s.assessmentService().Portal(c.Request().Context(), c.Param("token")); err != nil {
			return err
		}
	}
	v, err := s.portalView(c, st, inv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) portalGet(c echo.Context) error {
	st, inv, err := s.assessmentService().Portal(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	v, err := s.portalView(c, st, inv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type portalAnswerRequest struct {
	Token   string          `json:"-" path:"token"`
	Key     string          `json:"-" path:"key" description:"the question key exactly as published, percent-encoded (A%26A-01.1 for A&A-01.1)"`
	Value   json.RawMessage `json:"value" description:"a choice value, a list of values, a number, a YYYY-MM-DD date, text, or null to clear"`
	Comment *string         `json:"comment" validate:"omitempty,max=5000" description:"the vendor's comment on the answer; absent keeps the saved one"`
}

func (s *Server) portalAnswer(c echo.Context) error {
	key, err := questionKeyParam(c)
	if err != nil {
		return err
	}
	var req portalAnswerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	st, err := s.assessmentService().PortalAnswer(c.Request().Context(), c.Param("token"), key, req.Value, req.Comment, s.origin(c))
	return s.writePortal(c, st, err)
}

func (s *Server) portalSubmit(c echo.Context) error {
	st, err := s.assessmentService().PortalSubmit(c.Request().Context(), c.Param("token"), s.origin(c))
	return s.writePortal(c, st, err)
}

type portalUpload struct {
	Token       string                `path:"token"`
	QuestionKey string                `formData:"question_key" description:"the file question; send this field before the file"`
	File        *multipart.FileHeader `formData:"file" description:"PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 25 MB"`
}

func (s *Server) portalUpload(c echo.Context) error {
	key := ""
	var out *models.AssessmentFile
	err := streamUpload(c, map[string]*string{"question_key": &key}, func(name string, body io.Reader) (err error) {
		out, err = s.assessmentService().PortalUpload(c.Request().Context(), s.deps.Files, c.Param("token"), key, name, body, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, portalFile{ID: out.ID, Filename: out.Filename, Size: out.Size, Removable: true})
}

func (s *Server) portalRemoveFile(c echo.Context) error {
	st, err := s.assessmentService().PortalRemoveFile(c.Request().Context(), s.deps.Files, c.Param("token"), c.Param("file_id"), s.origin(c))
	return s.writePortal(c, st, err)
}

type portalFileParam struct {
	Token  string `path:"token"`
	FileID string `path:"file_id"`
}

func (s *Server) portalDownload(c echo.Context) error {
	st, inv, err := s.assessmentService().Portal(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	f, err := models.AssessmentFileByID(c.Request().Context(), s.deps.DB.Gorm, st.Assessment.ID, c.Param("file_id"))
	if err != nil {
		return err
	}
	if !st.InScope(inv, f.QuestionKey) {
		return models.ErrNotFound
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}

// portalRateLimit limits each client address on the portal, which needs
// no sign-in: 10 requests a second with bursts of 40 (autosave while
// typing stays well below).
func portalRateLimit() echo.MiddlewareFunc {
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(10), Burst: 40, ExpiresIn: 3 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		ErrorHandler:        func(echo.Context, error) error { return echo.ErrForbidden },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return echo.NewHTTPError(http.StatusTooManyRequests, "Too many requests from this address; slow down.")
		},
	})
}
