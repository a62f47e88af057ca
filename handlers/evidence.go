package handlers

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/evidence"
	"rampart/app/risk"
	"rampart/models"
)

// A vendor's evidence library: documents in every version, their review,
// and the required kinds of the vendor's tier.

type evidenceVersionResponse struct {
	Number       int64      `json:"number"`
	Filename     string     `json:"filename"`
	ContentType  string     `json:"content_type"`
	Size         int64      `json:"size"`
	Sha256       string     `json:"sha256"`
	Issuer       string     `json:"issuer" description:"plain text, shown as written"`
	PeriodFrom   string     `json:"period_from"`
	PeriodTo     string     `json:"period_to"`
	ExpiresOn    string     `json:"expires_on" description:"YYYY-MM-DD; empty when the document does not expire"`
	Scope        string     `json:"scope" description:"plain text"`
	Status       string     `json:"status" enum:"received,in_review,accepted,rejected"`
	RejectReason string     `json:"reject_reason"`
	ReviewerID   *string    `json:"reviewer_id"`
	ReviewerName string     `json:"reviewer_name"`
	ReviewedAt   *time.Time `json:"reviewed_at"`
	UploadedBy   string     `json:"uploaded_by"`
	UploaderName string     `json:"uploaded_by_name"`
	CreatedAt    time.Time  `json:"created_at"`
	// Read is what app/soc2 read from a SOC report, with quotes; null
	// when the file was not read.
	Read *evidence.Read `json:"read"`
	// URL downloads this version's file.
	URL string `json:"url"`
}

type evidenceResponse struct {
	ID        string `json:"id"`
	VendorID  string `json:"vendor_id"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Title     string `json:"title"`
	// Expiry: "expired", "expiring" (within 30 days) or "" (current or
	// no expiry), of the current version.
	Expiry    string                    `json:"expiry" enum:",expiring,expired"`
	Current   evidenceVersionResponse   `json:"current"`
	Versions  []evidenceVersionResponse `json:"versions,omitempty" description:"every version, newest first (one document's GET only)"`
	Version   int64                     `json:"version" description:"send back to update (409 when stale)"`
	CreatedAt time.Time                 `json:"created_at"`
	UpdatedAt time.Time                 `json:"updated_at"`
}

type evidenceListResponse struct {
	Items []evidenceResponse `json:"items"`
	// Required is the vendor's tier's required kinds and what it lacks.
	Required risk.EvidenceGaps   `json:"required"`
	Tier     int                 `json:"tier"`
	Kinds    []risk.EvidenceKind `json:"kinds"`
	// OpenRequests are the documents asked of the vendor and not yet
	// uploaded, oldest first, so a missing kind can say it was requested.
	OpenRequests []evidenceRequestResponse `json:"open_requests"`
}

type evidenceUpload struct {
	ID         string                `path:"id"`
	File       *multipart.FileHeader `formData:"file" description:"PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 25 MB; the type is detected from the content"`
	Kind       string                `formData:"kind" description:"soc2_type2, soc2_type1, soc1, iso27001, iso27701, pci_dss_aoc, pentest_summary, insurance_certificate, policy, other; may be left empty for a SOC report, which is then read"`
	Title      string                `formData:"title"`
	Issuer     string                `formData:"issuer"`
	PeriodFrom string                `formData:"period_from" description:"YYYY-MM-DD"`
	PeriodTo   string                `formData:"period_to" description:"YYYY-MM-DD"`
	ExpiresOn  string                `formData:"expires_on" description:"YYYY-MM-DD"`
	Scope      string                `formData:"scope"`
}

type evidenceVersionUpload struct {
	evidenceUpload
	DocumentID string `path:"document_id"`
	Version    string `formData:"version" description:"the document's version as read (409 when stale)"`
}

type evidenceParam struct {
	ID         string `path:"id"`
	DocumentID string `path:"document_id"`
}

type evidenceFileParam struct {
	evidenceParam
	Number int64 `path:"number"`
}

type updateEvidenceRequest struct {
	ID           string  `json:"-" path:"id"`
	DocumentID   string  `json:"-" path:"document_id"`
	Version      int64   `json:"version" validate:"required,gte=1"`
	Title        *string `json:"title"`
	Issuer       *string `json:"issuer"`
	PeriodFrom   *string `json:"period_from"`
	PeriodTo     *string `json:"period_to"`
	ExpiresOn    *string `json:"expires_on"`
	Scope        *string `json:"scope"`
	Status       *string `json:"status" enum:"received,in_review,accepted,rejected"`
	RejectReason *string `json:"reject_reason" description:"required when rejecting"`
}

func (s *Server) evidenceService() *evidence.Service {
	return &evidence.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now, Reverdict: s.assessmentService().RescoreCiting, Notify: s.deps.Notify, BaseURL: s.deps.BaseURL}
}

func expiry(expires string, today time.Time) string {
	if expires == "" {
		return ""
	}
	day := today.UTC().Format(time.DateOnly)
	switch {
	case expires < day:
		return "expired"
	case expires <= today.UTC().AddDate(0, 0, 30).Format(time.DateOnly):
		return "expiring"
	}
	return ""
}

func toEvidenceVersion(vendorID string, v *models.EvidenceVersion, names map[string]string) evidenceVersionResponse {
	out := evidenceVersionResponse{Number: v.Number, Filename: v.Filename, ContentType: v.ContentType, Size: v.Size, Sha256: v.Sha256,
		Issuer: v.Issuer, PeriodFrom: v.PeriodFrom, PeriodTo: v.PeriodTo, ExpiresOn: v.ExpiresOn, Scope: v.Scope, Status: v.Status,
		RejectReason: v.RejectReason, ReviewerID: v.ReviewerID, ReviewedAt: v.ReviewedAt, UploadedBy: v.UploadedBy,
		UploaderName: names[v.UploadedBy], CreatedAt: v.CreatedAt,
		URL: "/api/v1/vendors/" + vendorID + "/evidence/" + v.DocumentID + "/versions/" + strconv.FormatInt(v.Number, 10) + "/file"}
	if v.ReviewerID != nil {
		out.ReviewerName = names[*v.ReviewerID]
	}
	if v.Extracted != "" {
		var r evidence.Read
		if json.Unmarshal([]byte(v.Extracted), &r) == nil {
			out.Read = &r
		}
	}
	return out
}

func (s *Server) toEvidence(it *models.EvidenceItem, names map[string]string) evidenceResponse {
	return evidenceResponse{ID: it.ID, VendorID: it.VendorID, Kind: it.Kind, KindLabel: risk.EvidenceLabel(it.Kind), Title: it.Title,
		Expiry: expiry(it.Current.ExpiresOn, s.deps.Now()), Current: toEvidenceVersion(it.VendorID, &it.Current, names),
		Version: it.Version, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt}
}

func (s *Server) evidenceNames(c echo.Context, vs ...models.EvidenceVersion) (map[string]string, error) {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.UploadedBy)
		if v.ReviewerID != nil {
			ids = append(ids, *v.ReviewerID)
		}
	}
	return models.UserNames(c.Request().Context(), s.deps.DB.Gorm, ids)
}

func (s *Server) listEvidence(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	items, err := models.VendorEvidence(ctx, s.deps.DB.Gorm, v.ID)
	if err != nil {
		return err
	}
	vs := make([]models.EvidenceVersion, len(items))
	for i := range items {
		vs[i] = items[i].Current
	}
	names, err := s.evidenceNames(c, vs...)
	if err != nil {
		return err
	}
	out := evidenceListResponse{Items: make([]evidenceResponse, 0, len(items)), Kinds: risk.EvidenceKinds}
	for i := range items {
		out.Items = append(out.Items, s.toEvidence(&items[i], names))
	}
	out.Required, out.Tier, err = evidence.Requirements(ctx, s.deps.DB.Gorm, v, s.deps.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return err
	}
	open, err := models.OpenEvidenceRequests(ctx, s.deps.DB.Gorm, v.ID)
	if err != nil {
		return err
	}
	out.OpenRequests = make([]evidenceRequestResponse, 0, len(open))
	for i := range open {
		out.OpenRequests = append(out.OpenRequests, s.toEvidenceRequest(&open[i]))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) evidenceDetail(c echo.Context, it *models.EvidenceItem) (evidenceResponse, error) {
	vs, err := models.EvidenceVersions(c.Request().Context(), s.deps.DB.Gorm, it.ID)
	if err != nil {
		return evidenceResponse{}, err
	}
	names, err := s.evidenceNames(c, vs...)
	if err != nil {
		return evidenceResponse{}, err
	}
	out := s.toEvidence(it, names)
	out.Versions = make([]evidenceVersionResponse, 0, len(vs))
	for i := range vs {
		out.Versions = append(out.Versions, toEvidenceVersion(it.VendorID, &vs[i], names))
	}
	return out, nil
}

func (s *Server) getEvidence(c echo.Context) error {
	it, err := models.GetEvidence(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("document_id"))
	if err != nil {
		return err
	}
	out, err := s.evidenceDetail(c, it)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// formMeta reads the metadata fields of an upload form; a field not sent
// stays nil.
func formMeta(c echo.Context) (evidence.Meta, error) {
	var m evidence.Meta
	form := c.Request().MultipartForm
	if form == nil {
		return m, nil
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"kind", &m.Kind}, {"title", &m.Title}, {"issuer", &m.Issuer}, {"period_from", &m.PeriodFrom},
		{"period_to", &m.PeriodTo}, {"expires_on", &m.ExpiresOn}, {"scope", &m.Scope}} {
		if vs, ok := form.Value[f.name]; ok && len(vs) > 0 {
			v := vs[0]
			*f.dst = &v
		}
	}
	return m, nil
}

func (s *Server) uploadEvidence(c echo.Context) error {
	return s.addEvidence(c, "")
}

func (s *Server) uploadEvidenceVersion(c echo.Context) error {
	return s.addEvidence(c, c.Param("document_id"))
}

func (s *Server) addEvidence(c echo.Context, documentID string) error {
	data, name, err := uploadedNamedFile(c, "file", evidence.MaxFile)
	if err != nil {
		return err
	}
	meta, err := formMeta(c)
	if err != nil {
		return err
	}
	var version int64
	if documentID != "" {
		version, err = strconv.ParseInt(c.FormValue("version"), 10, 64)
		if err != nil || version < 1 {
			return models.Invalid("version", "is required: the document's version as you read it")
		}
	}
	p := principalOf(c)
	up, err := s.evidenceService().Add(c.Request().Context(), s.deps.Files, p, c.Param("id"), documentID, version, name, bytes.NewReader(data), meta, s.origin(c))
	if err != nil {
		if up != nil && up.Item != nil {
			cur, derr := s.evidenceDetail(c, up.Item)
			if derr == nil {
				return conflictWith(err, cur)
			}
		}
		return err
	}
	out, err := s.evidenceDetail(c, up.Item)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) updateEvidence(c echo.Context) error {
	var req updateEvidenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ch := evidence.Change{Meta: evidence.Meta{Title: req.Title, Issuer: req.Issuer, PeriodFrom: req.PeriodFrom, PeriodTo: req.PeriodTo,
		ExpiresOn: req.ExpiresOn, Scope: req.Scope}, Status: req.Status, RejectReason: req.RejectReason}
	it, err := s.evidenceService().Update(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("document_id"), req.Version, ch, s.origin(c))
	if err != nil {
		if it != nil {
			cur, derr := s.evidenceDetail(c, it)
			if derr == nil {
				return conflictWith(err, cur)
			}
		}
		return err
	}
	out, err := s.evidenceDetail(c, it)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// downloadVendorEvidence serves one version's file, always as a download and
// sandboxed if a browser renders it.
func (s *Server) downloadVendorEvidence(c echo.Context) error {
	ctx := c.Request().Context()
	it, err := models.GetEvidence(ctx, s.deps.DB.Gorm, c.Param("id"), c.Param("document_id"))
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	v, err := models.EvidenceVersionByNumber(ctx, s.deps.DB.Gorm, it.ID, n)
	if err != nil {
		return err
	}
	return s.serveFile(c, v.StorageKey, v.Filename, v.ContentType, v.Size, v.Sha256)
}
