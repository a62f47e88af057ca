package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/models"
)

type templateDetail struct {
	templateResponse
	Version int64 `json:"version"`
	// Problems keep a draft from being published; empty when it can be.
	Problems []questionnaire.Problem `json:"problems"`
}

func (s *Server) writeTemplate(c echo.Context, status int, t *models.QuestionnaireTemplate) error {
	content, err := assessments.Content(t)
	if err != nil {
		return err
	}
	return c.JSON(status, templateDetail{templateResponse: templateResponse{templateSummary: toTemplateSummary(t), Sections: content.Sections},
		Version: t.Version, Problems: assessments.Problems(t)})
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
		Description: req.Description, Content: questionnaire.Content{Sections: req.Sections}}, s.origin(c))
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
	row, err := s.assessmentService().CreateTemplate(c.Request().Context(), principalOf(c), t, s.origin(c))
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
	x, err := sheet.NewXLSX("Questionnaire")
	if err != nil {
		return err
	}
	if err := x.Write([]any{"section", "key", "question", "help", "type", "required", "weight", "choices (value=label=score)", "expected", "show_if", "frameworks"}); err != nil {
		return err
	}
	for _, sec := range content.Sections {
		for _, q := range sec.Questions {
			var choices []string
			for _, ch := range q.Choices {
				score := "n/a"
				if ch.Score != nil {
					score = strconv.FormatFloat(*ch.Score, 'f', -1, 64)
				}
				choices = append(choices, ch.Value+"="+ch.Label+"="+score)
			}
			showIf := ""
			if q.ShowIf != nil {
				showIf = q.ShowIf.Question + " in " + strings.Join(q.ShowIf.Equals, "|")
			}
			if err := x.Write([]any{sec.Title, q.Key, questionnaire.PlainText(q.Text), questionnaire.PlainText(q.Help), q.Type, q.Required, q.Weight, strings.Join(choices, "; "),
				strings.Join(q.Expected, "; "), showIf, strings.Join(q.Frameworks, "; ")}); err != nil {
				return err
			}
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-r%d.xlsx"`, t.Key, t.Revision))
	c.Response().WriteHeader(http.StatusOK)
	return x.Finish(c.Response())
}

type sheetImportForm struct {
	Preview string                `query:"preview" enum:"true,false" description:"true (default): show what would be imported; false: create the draft"`
	File    *multipart.FileHeader `formData:"file" description:"XLSX or CSV questionnaire"`
	Mapping string                `formData:"mapping" description:"JSON Mapping (sheet, header_row, and 0-based columns id, section, question, type, choices, help, required, weight); guessed when absent"`
	Name    string                `formData:"name" description:"name of the new draft (default: the file name)"`
}

// importTemplateSheet turns a spreadsheet questionnaire into a draft. The
// preview shows the guessed (or given) column mapping, the questions and
// every skipped row with its reason; the user adjusts the mapping and
// imports.
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
	sheets, err := sheet.Read(data)
	if err != nil {
		return models.Invalid("file", err.Error())
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
	imp, err := questionnaire.FromSheets(sheets, mapping)
	if err != nil {
		return models.Invalid("mapping", err.Error())
	}
	if preview {
		return c.JSON(http.StatusOK, imp)
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if strings.ContainsRune(name, 0) {
		return nulError("name")
	}
	if name == "" {
		if fh, err := c.FormFile("file"); err == nil {
			name = strings.TrimSuffix(strings.TrimSuffix(fh.Filename, ".xlsx"), ".csv")
		}
	}
	if len(imp.Content.Questions()) == 0 {
		return models.Invalid("file", "no question rows were found; check the mapping")
	}
	t, err := s.assessmentService().CreateTemplate(c.Request().Context(), principalOf(c),
		questionnaire.Template{Name: name, Content: imp.Content}, s.origin(c))
	if err != nil {
		return err
	}
	return s.writeTemplate(c, http.StatusCreated, t)
}
