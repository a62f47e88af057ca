package handlers

import (
	"encoding/json"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
)

type intakeForm struct {
	ID   string                `path:"id"`
	File *multipart.FileHeader `formData:"file" description:"the vendor's own answered questionnaire: XLSX or CSV (every visible sheet, headings for the question or ID and the answer within the first 50 rows), Word (.docx), PDF, Markdown or text; at most 20 MB"`
}

// intakeAnswers proposes answers from a vendor's own questionnaire file.
func (s *Server) intakeAnswers(c echo.Context) error {
	data, name, err := uploadedNamedFile(c, "file", assessments.IntakeLimit)
	if err != nil {
		return err
	}
	prop, err := s.assessmentService().Intake(c.Request().Context(), c.Param("id"), data, name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, prop)
}

type intakeReuseRequest struct {
	ID               string `json:"-" path:"id"`
	FromAssessmentID string `json:"from_assessment_id" validate:"required,max=64" description:"an earlier submitted assessment of the same vendor"`
}

// reuseAnswers proposes an earlier assessment's answers for this one.
func (s *Server) reuseAnswers(c echo.Context) error {
	var req intakeReuseRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	prop, err := s.assessmentService().ReuseProposal(c.Request().Context(), c.Param("id"), req.FromAssessmentID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, prop)
}

type intakeMatch struct {
	QuestionKey string          `json:"question_key" validate:"required,max=100"`
	Value       json.RawMessage `json:"value" description:"the answer as the question stores it (a choice value, a list of them, a number, a date, text); leave it out to have answer_text read for the question"`
	AnswerText  *string         `json:"answer_text" validate:"omitempty,max=10000" description:"the vendor's words, read for the question's type when value is absent (a pair moved to another question)"`
	Comment     string          `json:"comment" validate:"max=5000"`
	SourceQuote string          `json:"source_quote" validate:"max=1000" description:"the vendor's question and answer as quoted in the proposal; saved as the answer's source"`
}

type intakeConfirmRequest struct {
	ID               string        `json:"-" path:"id"`
	Origin           string        `json:"origin" validate:"omitempty,oneof=document reuse" enum:"document,reuse" description:"document (default): the vendor's own file; reuse: an earlier assessment, named by from_assessment_id"`
	FromAssessmentID string        `json:"from_assessment_id" validate:"max=64"`
	Version          int64         `json:"version" validate:"gte=0" description:"optional: the assessment's version the proposal was made on; 409 if it changed"`
	Matches          []intakeMatch `json:"matches" validate:"required,min=1,max=2000,dive"`
}

// confirmIntake saves the answers the reviewer confirmed from a proposal.
func (s *Server) confirmIntake(c echo.Context) error {
	var req intakeConfirmRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := assessments.IntakeConfirmation{Origin: req.Origin, FromAssessmentID: req.FromAssessmentID, Version: req.Version}
	for _, m := range req.Matches {
		in.Matches = append(in.Matches, assessments.ConfirmedAnswer{QuestionKey: m.QuestionKey, Value: m.Value, AnswerText: m.AnswerText,
			Comment: m.Comment, SourceQuote: m.SourceQuote})
	}
	res, cur, err := s.assessmentService().ConfirmIntake(c.Request().Context(), principalOf(c), c.Param("id"), in, s.origin(c))
	if err != nil {
		if cur != nil {
			return conflictWith(err, toAssessmentSummary(cur))
		}
		return err
	}
	return c.JSON(http.StatusOK, res)
}
