package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/contracts"
	"rampart/app/contracts/terms"
	"rampart/models"
)

type contractDocumentResponse struct {
	ID          string    `json:"id"`
	Number      int64     `json:"number" description:"version of the contract's document: 1, 2, ..."`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Format      string    `json:"format" enum:"pdf,docx,txt,md"`
	Size        int64     `json:"size"`
	Sha256      string    `json:"sha256"`
	Pages       int64     `json:"pages" description:"0 when the format has no pages"`
	NeedsOCR    bool      `json:"needs_ocr" description:"the PDF has no text layer: nothing could be extracted"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
	URL         string    `json:"url" description:"downloads the file"`
}

type contractDocumentText struct {
	contractDocumentResponse
	// Unreadable says why this document's terms were not read; "" when
	// they were (or it needs OCR).
	Unreadable string `json:"unreadable"`
	Text       string `json:"text"`
	PageStarts []int  `json:"page_starts" description:"character (code point) offset where page i+1 starts; empty when the format has no pages"`
}

func toContractDocument(d *models.ContractDocument) contractDocumentResponse {
	return contractDocumentResponse{ID: d.ID, Number: d.Number, Filename: d.Filename, ContentType: d.ContentType, Format: d.Format,
		Size: d.Size, Sha256: d.Sha256, Pages: d.Pages, NeedsOCR: d.NeedsOCR, UploadedBy: d.UploadedBy, CreatedAt: d.CreatedAt,
		URL: "/api/v1/contracts/" + d.ContractID + "/documents/" + d.ID + "/file"}
}

type contractDocumentUpload struct {
	ID   string                `path:"id"`
	File *multipart.FileHeader `formData:"file" description:"PDF (with a text layer), Word .docx, plain text or Markdown; at most 25 MB"`
}

type uploadResponse struct {
	Document   contractDocumentResponse `json:"document"`
	Extracted  bool                     `json:"extracted" description:"false when the document had no text to read (a scan needing OCR) or its terms could not be read"`
	Unreadable string                   `json:"unreadable" description:"why the terms of a document with text were not read (too little text, not English); empty when they were"`
	Changed    []string                 `json:"changed" description:"terms whose proposal differs from the previous version's"`
}

// addContractDocument streams the upload, extracts the text and proposes
// the key terms.
func (s *Server) addContractDocument(c echo.Context) error {
	var out *contracts.Upload
	err := streamUpload(c, nil, func(name string, body io.Reader) (err error) {
		out, err = s.contractService().AddDocument(c.Request().Context(), s.deps.Files, principalOf(c), c.Param("id"), name, body, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, uploadResponse{Document: toContractDocument(out.Document), Extracted: out.Extracted, Unreadable: out.Unreadable, Changed: out.Changed})
}

func (s *Server) listContractDocuments(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := models.GetContract(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	ds, err := models.ContractDocuments(ctx, s.deps.DB.Gorm, ct.ID)
	if err != nil {
		return err
	}
	out := make([]contractDocumentResponse, 0, len(ds))
	for i := range ds {
		out = append(out, toContractDocument(&ds[i]))
	}
	return c.JSON(http.StatusOK, map[string][]contractDocumentResponse{"items": out})
}

type contractDocumentParam struct {
	ID         string `path:"id"`
	DocumentID string `path:"document_id"`
}

func (s *Server) getContractDocument(c echo.Context) error {
	d, err := models.GetContractDocument(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("document_id"))
	if err != nil {
		return err
	}
	out := contractDocumentText{contractDocumentResponse: toContractDocument(d), Text: d.Text, PageStarts: []int{}}
	if !d.NeedsOCR {
		out.Unreadable = terms.Unreadable(d.Text)
	}
	_ = json.Unmarshal([]byte(d.PageStarts), &out.PageStarts)
	return c.JSON(http.StatusOK, out)
}

func (s *Server) downloadContractDocument(c echo.Context) error {
	d, err := models.GetContractDocument(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("document_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, d.StorageKey, d.Filename, d.ContentType, d.Size, d.Sha256)
}

// contractTermResponse is one key term: the value in force (proposed, or
// as the reviewer confirmed or corrected it), its evidence, and how it
// compares with the playbook.
type contractTermResponse struct {
	Key            string            `json:"key"`
	Label          string            `json:"label"`
	Found          bool              `json:"found"`
	Value          string            `json:"value"`
	Normalized     map[string]any    `json:"normalized"`
	Confidence     float64           `json:"confidence"`
	Evidence       []terms.Evidence  `json:"evidence"`
	Conflicts      []terms.Candidate `json:"conflicts"`
	ExtractedFound bool              `json:"extracted_found" description:"what extraction proposed, kept when a reviewer corrects it"`
	ExtractedValue string            `json:"extracted_value"`
	ReviewState    string            `json:"review_state" enum:"proposed,confirmed,corrected"`
	ReviewedBy     *string           `json:"reviewed_by"`
	ReviewedAt     *time.Time        `json:"reviewed_at"`
	Note           string            `json:"note"`
	FindingID      *string           `json:"finding_id"`
	DocumentID     *string           `json:"document_id" description:"the document the evidence offsets point into"`
	Check          *contracts.Check  `json:"check" description:"the playbook's verdict; null when no rule covers the term"`
	Version        int64             `json:"version"`
}

func toContractTerm(t *models.ContractTerm, check *contracts.Check) contractTermResponse {
	out := contractTermResponse{Key: t.TermKey, Label: contracts.TermLabel(t.TermKey), Found: t.Found, Value: t.Value, Confidence: t.Confidence,
		ExtractedFound: t.ExtractedFound, ExtractedValue: t.ExtractedValue, ReviewState: t.ReviewState, ReviewedBy: t.ReviewedBy,
		ReviewedAt: t.ReviewedAt, Note: t.Note, FindingID: t.FindingID, DocumentID: t.DocumentID, Check: check, Version: t.Version,
		Evidence: []terms.Evidence{}, Conflicts: []terms.Candidate{}}
	_ = json.Unmarshal([]byte(t.Normalized), &out.Normalized)
	_ = json.Unmarshal([]byte(t.Evidence), &out.Evidence)
	_ = json.Unmarshal([]byte(t.Conflicts), &out.Conflicts)
	return out
}

type contractTermsResponse struct {
	Items           []contractTermResponse `json:"items" description:"every key term, in a fixed order; a term with no proposal yet is absent"`
	PlaybookVersion int64                  `json:"playbook_version" description:"0 is the built-in default playbook"`
	VendorTier      int64                  `json:"vendor_tier"`
	Summary         contracts.CheckSummary `json:"summary"`
	SignOff         signOffState           `json:"sign_off"`
}

// signOffState tells the review page whether sign-off would succeed now and,
// if not, why, in the words the refusal would use.
type signOffState struct {
	Ready     bool       `json:"ready"`
	Reason    string     `json:"reason" description:"why sign-off is refused now; empty when ready"`
	OpenTerms []termName `json:"open_terms" description:"the key terms still waiting for confirmation or correction, in order"`
}

type termName struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

func toSignOffState(ct *models.Contract, ts map[string]models.ContractTerm) signOffState {
	_, reason := contracts.SignOffBlocker(ct, ts)
	out := signOffState{Ready: reason == "", Reason: reason, OpenTerms: []termName{}}
	for _, k := range contracts.OpenTerms(ts) {
		out.OpenTerms = append(out.OpenTerms, termName{Key: k, Label: contracts.TermLabel(k)})
	}
	return out
}

func (s *Server) listContractTerms(c echo.Context) error {
	out, err := s.contractTerms(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// contractTerms is every key term of a contract with its verdict.
func (s *Server) contractTerms(ctx context.Context, id string) (contractTermsResponse, error) {
	ct, err := models.GetContract(ctx, s.deps.DB.Gorm, id)
	if err != nil {
		return contractTermsResponse{}, err
	}
	ev, err := s.contractService().Evaluate(ctx, ct)
	if err != nil {
		return contractTermsResponse{}, err
	}
	out := contractTermsResponse{Items: []contractTermResponse{}, PlaybookVersion: ev.PlaybookVersion, VendorTier: ev.VendorTier, Summary: ev.Summary,
		SignOff: toSignOffState(ct, ev.Terms)}
	for _, k := range terms.Keys {
		if t, ok := ev.Terms[k]; ok {
			out.Items = append(out.Items, toContractTerm(&t, ev.Checks[k]))
		}
	}
	return out, nil
}

type reviewTermRequest struct {
	ID         string         `json:"-" path:"id"`
	Key        string         `json:"-" path:"key"`
	Version    int64          `json:"version" validate:"required,gte=1"`
	Action     string         `json:"action" validate:"required" enum:"confirm,correct"`
	Found      *bool          `json:"found" description:"correct: whether the contract has the term"`
	Value      *string        `json:"value" validate:"omitempty,max=500" description:"correct: the value in words"`
	Normalized map[string]any `json:"normalized" description:"correct: the value in the term's normalized form (see docs/contract-extraction.md)"`
	Note       *string        `json:"note" validate:"omitempty,max=2000"`
}

// reviewContractTerm confirms or corrects one term; the change is audited.
func (s *Server) reviewContractTerm(c echo.Context) error {
	var req reviewTermRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.contractService().ReviewTerm(ctx, principalOf(c), c.Param("id"), c.Param("key"), contracts.TermReview{Version: req.Version,
		Action: req.Action, Found: req.Found, Value: req.Value, Normalized: req.Normalized, Note: req.Note}, s.origin(c))
	if err != nil {
		if t != nil {
			return conflictWith(err, toContractTerm(t, nil))
		}
		return err
	}
	return s.termWithCheck(c, t, http.StatusOK)
}

type termVersion struct {
	Key     string `json:"key" validate:"required"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

type confirmMeetingRequest struct {
	ID    string        `json:"-" path:"id"`
	Terms []termVersion `json:"terms" validate:"required,min=1,max=50,dive" description:"the proposed terms the reviewer saw meeting the playbook, each with the version shown"`
}

type confirmMeetingResponse struct {
	Confirmed []string              `json:"confirmed" description:"the keys confirmed, in the order given"`
	Terms     contractTermsResponse `json:"terms" description:"every key term after the confirmations"`
}

// confirmMeetingTerms confirms in one call the proposed terms that meet the
// playbook; a stale list answers 409 with the current terms.
func (s *Server) confirmMeetingTerms(c echo.Context) error {
	var req confirmMeetingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	want := make([]contracts.TermVersion, len(req.Terms))
	for i, t := range req.Terms {
		want[i] = contracts.TermVersion{Key: t.Key, Version: t.Version}
	}
	ctx := c.Request().Context()
	confirmed, err := s.contractService().ConfirmMeeting(ctx, principalOf(c), c.Param("id"), want, s.origin(c))
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return err
	}
	ts, lerr := s.contractTerms(ctx, c.Param("id"))
	if lerr != nil {
		return lerr
	}
	if err != nil {
		return conflictWith(err, ts)
	}
	return c.JSON(http.StatusOK, confirmMeetingResponse{Confirmed: confirmed, Terms: ts})
}

// termWithCheck answers with one term and its playbook verdict.
func (s *Server) termWithCheck(c echo.Context, t *models.ContractTerm, status int) error {
	ctx := c.Request().Context()
	ct, err := models.GetContract(ctx, s.deps.DB.Gorm, t.ContractID)
	if err != nil {
		return err
	}
	ev, err := s.contractService().Evaluate(ctx, ct)
	if err != nil {
		return err
	}
	return c.JSON(status, toContractTerm(t, ev.Checks[t.TermKey]))
}

type termFindingRequest struct {
	ID          string `json:"-" path:"id"`
	Key         string `json:"-" path:"key"`
	Severity    string `json:"severity" enum:"critical,high,medium,low" description:"default: the playbook rule's severity"`
	Description string `json:"description" validate:"max=5000"`
}

// raiseTermFinding turns a deviating or missing term into a finding.
func (s *Server) raiseTermFinding(c echo.Context) error {
	var req termFindingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	svc := s.contractService()
	if req.Severity == "" {
		ct, err := models.GetContract(ctx, s.deps.DB.Gorm, c.Param("id"))
		if err != nil {
			return err
		}
		ev, err := svc.Evaluate(ctx, ct)
		if err != nil {
			return err
		}
		req.Severity = "medium"
		if ch := ev.Checks[c.Param("key")]; ch != nil && ch.Severity != "" {
			req.Severity = ch.Severity
		}
	}
	f, err := svc.RaiseFinding(ctx, principalOf(c), c.Param("id"), c.Param("key"), req.Severity, req.Description, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toFinding(f))
}

type reviewMoveRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	Reason  string `json:"reason" validate:"max=2000" description:"reopen: why the signed-off terms must change (required); sign-off: why it goes ahead although the record disagrees with the confirmed terms (required only then)"`
}

func (s *Server) signOffContract(c echo.Context) error {
	var req reviewMoveRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ct, err := s.contractService().SignOff(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Reason, s.origin(c))
	return s.contractAnswer(c, ct, err)
}

func (s *Server) reopenContract(c echo.Context) error {
	var req reviewMoveRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ct, err := s.contractService().Reopen(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Reason, s.origin(c))
	return s.contractAnswer(c, ct, err)
}

// contractAnswer answers a change of a contract: 409 with the current one
// on a stale version.
func (s *Server) contractAnswer(c echo.Context, ct *models.Contract, err error) error {
	if err != nil {
		if ct != nil {
			return conflictWith(err, toContract(ct))
		}
		return err
	}
	return c.JSON(http.StatusOK, toContract(ct))
}

type contractCommentResponse struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

type contractCommentRequest struct {
	ID   string `json:"-" path:"id"`
	Body string `json:"body" validate:"required,max=5000"`
}

func (s *Server) listContractComments(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := models.GetContract(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	cs, err := models.ContractComments(ctx, s.deps.DB.Gorm, ct.ID)
	if err != nil {
		return err
	}
	out := make([]contractCommentResponse, 0, len(cs))
	for _, cm := range cs {
		out = append(out, contractCommentResponse{ID: cm.ID, AuthorID: cm.AuthorID, Body: cm.Body, CreatedAt: cm.CreatedAt})
	}
	return c.JSON(http.StatusOK, map[string][]contractCommentResponse{"items": out})
}

func (s *Server) commentContract(c echo.Context) error {
	var req contractCommentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cm, err := s.contractService().Comment(c.Request().Context(), principalOf(c), c.Param("id"), req.Body, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, contractCommentResponse{ID: cm.ID, AuthorID: cm.AuthorID, Body: cm.Body, CreatedAt: cm.CreatedAt})
}

// contractRecord sets the record beside its latest document and its
// confirmed terms.
func (s *Server) contractRecord(c echo.Context) error {
	out, err := s.contractService().CheckRecord(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type acceptRecordRequest struct {
	ID      string   `json:"-" path:"id"`
	Version int64    `json:"version" validate:"required,gte=1"`
	Fields  []string `json:"fields" validate:"required,min=1,max=6,dive,oneof=effective_date initial_term auto_renewal renewal_term notice value" description:"the record fields to take from the latest document"`
}

// acceptContractRecord copies chosen fields from the latest document into
// the record; the values come from the server's reading, never the client.
func (s *Server) acceptContractRecord(c echo.Context) error {
	var req acceptRecordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ct, err := s.contractService().AcceptRecord(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Fields, s.origin(c))
	return s.contractAnswer(c, ct, err)
}
