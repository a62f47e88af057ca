package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/app/storage"
	"rampart/models"
)

type templateDetail struct {
	templateResponse
	Version int64 `json:"version"`
	// Problems keep a draft from being published; empty when it can be.
	Problems []questionnaire.Problem `json:"problems"`
	// Source is the file this revision was imported from, when it was.
	Source *templateSource `json:"source"`
}

type templateSource struct {
	Filename   string    `json:"filename"`
	Format     string    `json:"format"`
	Size       int64     `json:"size"`
	Sha256     string    `json:"sha256"`
	UploadedAt time.Time `json:"uploaded_at"`
}

func (s *Server) writeTemplate(c echo.Context, status int, t *models.QuestionnaireTemplate) error {
	content, err := assessments.Content(t)
	if err != nil {
		return err
	}
	out := templateDetail{templateResponse: templateResponse{templateSummary: toTemplateSummary(t), Sections: content.Sections},
		Version: t.Version, Problems: assessments.Problems(t)}
	src, err := models.GetTemplateSource(c.Request().Context(), s.deps.DB.Gorm, t.ID)
	if err != nil {
		return err
	}
	if src != nil {
		out.Source = &templateSource{Filename: src.Filename, Format: src.Format, Size: src.Size, Sha256: src.Sha256, UploadedAt: src.CreatedAt}
	}
	return c.JSON(status, out)
}

// downloadTemplateSource sends the file a revision was imported from.
func (s *Server) downloadTemplateSource(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := models.GetTemplate(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	src, err := models.GetTemplateSource(ctx, s.deps.DB.Gorm, t.ID)
	if err != nil {
		return err
	}
	if src == nil {
		return models.ErrNotFound
	}
	return s.serveFile(c, src.StorageKey, src.Filename, src.ContentType, src.Size, src.Sha256)
}

type createTemplateRequest struct {
	Key         string                  `json:"key" validate:"max=80" description:"lower-case words joined by hyphens; made from the name when empty"`
	Name        string                  `json:"name" validate:"required,max=200"`
	Description string                  `json:"description" validate:"max=2000"`
	Sections    []questionnaire.Section `json:"sections" validate:"max=100"`
}

func (s *Server) createTemplate(c echo.Context) error {
	var req createTemplateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.assessmentService().CreateTemplate(c.Request().Context(), principalOf(c), questionnaire.Template{Key: req.Key, Name: req.Name,
		Description: req.Description, Content: questionnaire.Content{Sections: req.Sections}}, nil, s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusCreated, t)
}

type updateTemplateRequest struct {
	ID          string                   `json:"-" path:"id"`
	Version     int64                    `json:"version" validate:"required,gte=1"`
	Name        *string                  `json:"name" validate:"omitempty,max=200"`
	Description *string                  `json:"description" validate:"omitempty,max=2000"`
	Sections    *[]questionnaire.Section `json:"sections" validate:"omitempty,max=100"`
}

func (s *Server) updateTemplate(c echo.Context) error {
	var req updateTemplateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	var content *questionnaire.Content
	if req.Sections != nil {
		content = &questionnaire.Content{Sections: *req.Sections}
	}
	t, err := s.assessmentService().UpdateDraft(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Name, req.Description, content, s.origin(c))
	if err != nil {
		if t != nil {
			return conflictWith(err, toTemplateSummary(t))
		}
		return err
	}
	return s.writeTemplate(c, http.StatusOK, t)
}

type templateVersionRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

func (s *Server) publishTemplate(c echo.Context) error {
	var req templateVersionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.assessmentService().Publish(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusOK, t)
}

func (s *Server) reviseTemplate(c echo.Context) error {
	t, err := s.assessmentService().Revise(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusCreated, t)
}

type templateImport struct {
	File *multipart.FileHeader `formData:"file" description:"a questionnaire as JSON (the built-in library's format); becomes a draft"`
}

// importTemplate reads a JSON questionnaire and saves it as a draft. A
// file that is not valid JSON is refused with the line and column.
func (s *Server) importTemplate(c echo.Context) error {
	data, err := uploadedFile(c, "file", 5<<20)
	if err != nil {
		return err
	}
	t, err := decodeTemplate(data)
	if err != nil {
		return err
	}
	row, err := s.assessmentService().CreateTemplate(c.Request().Context(), principalOf(c), t, nil, s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusCreated, row)
}

// decodeTemplate parses a questionnaire strictly; rule violations are
// left for the draft's problems list, but broken JSON is refused here.
func decodeTemplate(data []byte) (questionnaire.Template, error) {
	var t questionnaire.Template
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	dec.DisallowUnknownFields()
	err := dec.Decode(&t)
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case err == nil:
		return t, nil
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset)
		return t, models.Invalid("file", fmt.Sprintf("is not valid JSON at line %d, column %d: %s", line, col, syntax.Error()))
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		return t, models.Invalid("file", fmt.Sprintf("at line %d, column %d: %s must be %s, not %s", line, col, typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return t, models.Invalid("file", "has "+strings.TrimPrefix(err.Error(), "json: ")+"; see the built-in questionnaires for the format")
	}
	return t, models.Invalid("file", "is not a questionnaire: "+err.Error())
}

// exportTemplate writes a questionnaire revision as a spreadsheet, one row
// per question.
func (s *Server) exportTemplate(c echo.Context) error {
	t, err := models.GetTemplate(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	content, err := assessments.Content(t)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-r%d.xlsx"`, t.Key, t.Revision))
	c.Response().WriteHeader(http.StatusOK)
	return questionnaire.ExportXLSX(c.Response(), questionnaire.Template{Key: t.Key, Name: t.Name, Description: t.Description, Content: *content})
}

type sheetImportForm struct {
	Preview string                `query:"preview" enum:"true,false" description:"true (default): the report of what would be imported; false: create the draft"`
	File    *multipart.FileHeader `formData:"file" description:"the questionnaire as published: XLSX or CSV (CAIQ, HECVAT, SIG-style or home-made), VSAQ or CAIQ JSON, or Rampart's own export (XLSX or JSON)"`
	Mapping string                `formData:"mapping" description:"JSON Mapping (sheet, sheets, header_row, and 0-based columns id, section, question, type, choices, answer, help, required, weight, compliant, show_if, frameworks); guessed when absent"`
	Name    string                `formData:"name" description:"name of the new draft (default: the questionnaire's own name, else the file name)"`
}

// importTemplateSheet turns an uploaded questionnaire into a draft. The
// preview is the report: sheets, the guessed (or given) column mapping,
// the first rows, the questions, every skipped row and every change made
// on the way in; the user adjusts the mapping and imports. The uploaded
// file is kept with the draft.
func (s *Server) importTemplateSheet(c echo.Context) error {
	q := parseQuery(c, "preview")
	pv := q.boolean("preview")
	if err := q.err(); err != nil {
		return err
	}
	preview := pv == nil || *pv
	data, err := uploadedFile(c, "file", importLimit)
	if err != nil {
		return err
	}
	var mapping *questionnaire.Mapping
	if raw := c.FormValue("mapping"); raw != "" {
		mapping = &questionnaire.Mapping{}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(mapping); err != nil {
			return models.Invalid("mapping", "is not a valid mapping: "+err.Error())
		}
		if err := refuseNULInJSON([]byte(raw), "mapping"); err != nil {
			return err
		}
	}
	fileName := ""
	if fh, err := c.FormFile("file"); err == nil {
		fileName = storage.CleanName(fh.Filename)
	}
	imp, err := readQuestionnaire(data, mapping)
	if err != nil {
		return err
	}
	if preview {
		return c.JSON(http.StatusOK, imp)
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if strings.ContainsRune(name, 0) {
		return nulError("name")
	}
	if name == "" {
		name = imp.Name
	}
	if name == "" {
		name = strings.TrimSuffix(fileName, filepath.Ext(fileName))
	}
	t, err := s.assessmentService().ImportTemplate(c.Request().Context(), s.deps.Files, principalOf(c), name, fileName, data, imp, s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusCreated, t)
}

// readQuestionnaire reads an upload in any format it knows: JSON (VSAQ,
// CAIQ or Rampart's own) or a workbook. Refusals name the file's problem
// in words.
func readQuestionnaire(data []byte, mapping *questionnaire.Mapping) (*questionnaire.Import, error) {
	if trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '/') {
		var (
			imp *questionnaire.Import
			err error
		)
		switch format := questionnaire.SniffJSON(data); {
		case format == "" && json.Valid(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))):
			return nil, models.Invalid("file", "is JSON but not a questionnaire Rampart knows: a Google VSAQ questionnaire, CSA CAIQ v4 JSON (domains, controls, questions) or Rampart's own format (sections of questions)")
		case format == "vsaq":
			imp, err = questionnaire.FromVSAQ(data)
		case format == "caiq":
			imp, err = questionnaire.FromCAIQJSON(data)
		default:
			// Rampart's own format; a broken file is refused with its line
			// and column.
			t, err := decodeTemplate(data)
			if err != nil {
				return nil, err
			}
			imp = questionnaire.NewImport("rampart")
			imp.Name, imp.Description, imp.Content = t.Name, t.Description, t.Content
		}
		if err != nil {
			return nil, models.Invalid("file", err.Error())
		}
		return imp, nil
	}
	sheets, err := sheet.Read(data)
	if err != nil {
		return nil, models.Invalid("file", err.Error())
	}
	imp, err := questionnaire.FromSheets(sheets, mapping)
	if err != nil {
		return nil, models.Invalid("mapping", err.Error())
	}
	return imp, nil
}
