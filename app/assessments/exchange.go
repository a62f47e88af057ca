package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/models"
)

// maxComment is the longest comment an answer keeps, as in the portal.
const maxComment = 5000

// RowNote is one row of an answer file that was not taken, or was taken
// with a change worth knowing, and where it is.
type RowNote struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Cell    string `json:"cell" description:"the cell as a spreadsheet names it: Answers!C14, or C14 in a CSV file"`
	Key     string `json:"key" description:"the question ID as the row gives it"`
	Message string `json:"message"`
}

// SheetReport says whether one sheet of the file was read, and what it gave.
type SheetReport struct {
	Name       string `json:"name"`
	Hidden     bool   `json:"hidden"`
	Read       bool   `json:"read"`
	HeadingRow int    `json:"heading_row" description:"1-based row of the headings; 0 when the sheet was not read"`
	Answers    int    `json:"answers" description:"rows taken from this sheet"`
	Note       string `json:"note" description:"why the sheet was not read"`
}

// AnswerImport summarises importing a filled-in questionnaire.
type AnswerImport struct {
	DryRun    bool          `json:"dry_run"`
	ValidOnly bool          `json:"valid_only" description:"rows that could not be read were left out and the valid ones saved"`
	Committed bool          `json:"committed" description:"the answers were saved (also when nothing had changed)"`
	Sheets    []SheetReport `json:"sheets"`
	Matched   int           `json:"matched" description:"rows whose answer can be taken"`
	Changed   int           `json:"changed" description:"of those, answers that differ from what is stored"`
	Saved     int           `json:"saved" description:"answers written; 0 on a dry run"`
	Unmatched []RowNote     `json:"unmatched" description:"rows whose ID matches no question: never saved"`
	Invalid   []RowNote     `json:"invalid" description:"rows whose answer cannot be taken: nothing is saved while there are any, unless valid_only"`
	Notes     []RowNote     `json:"notes" description:"rows taken with a change: an ID matched ignoring case or spaces, a worded answer split into answer and comment"`
}

// ImportOptions say whether an import saves, and what it does with rows
// it cannot take.
type ImportOptions struct {
	DryRun bool
	// ValidOnly saves the rows that can be taken when others cannot;
	// otherwise any such row refuses the whole import.
	ValidOnly bool
}

// planned is one answer an import would write.
type planned struct {
	key     string
	value   json.RawMessage
	comment string
	cell    string
}

// ImportAnswers reads a vendor's filled-in spreadsheet into an assessment
// that has not been submitted. Every visible sheet with a heading row (a
// question ID column and an answer column) is read, as HECVAT and SIG
// spread their answers over many tabs; rows are matched to questions by
// their ID and answers read per question type. Nothing is saved on a dry
// run; otherwise any row that cannot be taken refuses the import (a
// validation error naming the rows) unless ValidOnly saves the rest.
func (s *Service) ImportAnswers(ctx context.Context, p *auth.Principal, id string, data []byte, opt ImportOptions, o auth.Origin) (*AnswerImport, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if err := refuseClosed(a); err != nil {
		return nil, err
	}
	if !answersImportable(a.Status) {
		return nil, models.Invalid("file", "answers can be imported only before the vendor submits")
	}
	st, err := s.Load(ctx, s.DB, a)
	if err != nil {
		return nil, err
	}
	sheets, err := sheet.Read(data)
	if err != nil {
		return nil, models.Invalid("file", err.Error())
	}
	format, _ := sheet.Detect(data)
	rd := newAnswerReader(st.Content, format == sheet.CSV)
	for i := range sheets {
		rd.res.Sheets = append(rd.res.Sheets, rd.sheet(&sheets[i]))
	}
	res := rd.res
	if !slices.ContainsFunc(res.Sheets, func(r SheetReport) bool { return r.Read }) {
		return nil, models.Invalid("file", "no visible sheet has, in its first 50 rows, headings for the question ID (ID, Question ID, Ref, #) and the answer (Answer, Response, Vendor Response)")
	}
	res.DryRun, res.ValidOnly = opt.DryRun, opt.ValidOnly && len(res.Invalid) > 0
	changes := st.changes(rd.plan)
	res.Changed = len(changes)
	if opt.DryRun {
		return res, nil
	}
	if len(res.Invalid) > 0 && !opt.ValidOnly {
		return nil, refusal(res)
	}
	if len(changes) > 0 {
		if err := s.saveImported(ctx, p, id, changes, res, o); err != nil {
			return nil, err
		}
	}
	res.Saved, res.Committed = len(changes), true
	return res, nil
}

func answersImportable(status string) bool {
	return slices.Contains([]string{"draft", "sent", "in_progress"}, status)
}

// changes keeps the planned answers that differ from those stored, or
// confirm a prefilled one. A row with a comment but no answer keeps the
// answer already given.
func (st *State) changes(plan []planned) []planned {
	var out []planned
	for _, pl := range plan {
		prev := st.Answers[pl.key]
		if pl.value == nil && prev != nil {
			pl.value = json.RawMessage(prev.Value)
		}
		if prev == nil || !prev.Confirmed || prev.Value != string(orNull(pl.value)) || prev.Comment != pl.comment {
			out = append(out, pl)
		}
	}
	return out
}

// saveImported writes the answers on the locked assessment, whose status
// is checked again: a submission that overtook the import wins.
func (s *Service) saveImported(ctx context.Context, p *auth.Principal, id string, changes []planned, res *AnswerImport, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.LockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseClosed(a); err != nil {
			return err
		}
		if !answersImportable(a.Status) {
			return ErrChangedMeanwhile
		}
		for _, pl := range changes {
			if err := models.SaveAnswer(ctx, tx, &models.AssessmentAnswer{AssessmentID: id, QuestionKey: pl.key, Value: string(orNull(pl.value)), Comment: pl.comment}); err != nil {
				return err
			}
		}
		read := 0
		for _, sh := range res.Sheets {
			if sh.Read {
				read++
			}
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.import_answers", ObjectType: "assessment", ObjectID: id,
			Detail: fmt.Sprintf("%d answers saved from a spreadsheet (%d of %d sheets read); %d rows not taken, %d matched no question",
				len(changes), read, len(res.Sheets), len(res.Invalid), len(res.Unmatched))})
	})
}

// maxRefusalRows bounds the rows a refusal names; the dry run lists all.
const maxRefusalRows = 100

// refusal is the validation error of an import refused for its bad rows:
// one message on what to do, then one per row.
func refusal(res *AnswerImport) error {
	n := len(res.Invalid)
	errs := []models.FieldError{{Field: "file", Message: fmt.Sprintf(
		"%d %s could not be taken, so nothing was saved: correct %s and import again, or save only the %d valid answers (valid_only=true)",
		n, plural(n, "row", "rows"), plural(n, "it", "them"), res.Matched)}}
	for i, r := range res.Invalid {
		if i == maxRefusalRows {
			errs = append(errs, models.FieldError{Field: "file", Message: fmt.Sprintf("and %d more rows", n-i)})
			break
		}
		errs = append(errs, models.FieldError{Field: "file", Message: fmt.Sprintf("%s (question %s): %s", r.Cell, r.Key, r.Message)})
	}
	return &models.ValidationError{Errors: errs}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func cellAt(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}

// ExportRows lays an assessment out as spreadsheet rows: the questions,
// the answers as people read them, scores and review marks.
func ExportRows(st *State) [][]any {
	rows := [][]any{{"section", "key", "question", "type", "answer", "comment", "score", "review", "review comment", "evidence files"}}
	for _, sec := range st.Content.Sections {
		for i := range sec.Questions {
			q := &sec.Questions[i]
			var answer, comment, review, reviewComment string
			if a := st.Answers[q.Key]; a != nil {
				answer = questionnaire.AnswerText(q, json.RawMessage(a.Value))
				comment, review, reviewComment = a.Comment, a.ReviewStatus, a.ReviewComment
			}
			score := ""
			if qr := st.Result.Questions[q.Key]; qr.Score != nil {
				score = fmt.Sprintf("%g", *qr.Score)
			}
			rows = append(rows, []any{sec.Title, q.Key, questionnaire.PlainText(q.Text), q.Type, answer, comment, score, review, reviewComment, st.Files[q.Key]})
		}
	}
	return rows
}
