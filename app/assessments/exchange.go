package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/models"
)

// Spreadsheet headings for answer files: ours (export) and the usual ones.
var (
	keyHeadings     = []string{"key", "id", "#", "ref", "reference", "question id", "control id", "no", "no."}
	answerHeadings  = []string{"answer", "response", "vendor response", "your answer", "vendor answer", "answers"}
	commentHeadings = []string{"comment", "comments", "notes", "remarks", "vendor comment", "explanation"}
)

// RowNote explains what happened to one row of an answer file.
type RowNote struct {
	Row     int    `json:"row"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

// AnswerImport summarises importing a filled-in questionnaire.
type AnswerImport struct {
	DryRun    bool      `json:"dry_run"`
	Committed bool      `json:"committed"`
	Sheet     string    `json:"sheet"`
	Matched   int       `json:"matched"`
	Changed   int       `json:"changed"`
	Unmatched []RowNote `json:"unmatched"`
	Invalid   []RowNote `json:"invalid"`
}

func findColumn(row []string, names []string) int {
	for i, c := range row {
		if slices.Contains(names, strings.ToLower(strings.Join(strings.Fields(c), " "))) {
			return i
		}
	}
	return -1
}

// ImportAnswers reads a vendor's filled-in spreadsheet into an assessment
// that has not been submitted: rows are matched to questions by their key,
// answers are read per question type, and rows that match nothing or hold
// an invalid answer are reported. Nothing is saved on a dry run or when
// any answer is invalid.
func (s *Service) ImportAnswers(ctx context.Context, p *auth.Principal, id string, data []byte, dryRun bool, o auth.Origin) (*AnswerImport, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains([]string{"draft", "sent", "in_progress"}, a.Status) {
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
	res := &AnswerImport{DryRun: dryRun, Unmatched: []RowNote{}, Invalid: []RowNote{}}
	type planned struct {
		key   string
		value json.RawMessage
		note  string
	}
	var plan []planned
	found := false
	for _, sh := range sheets {
		if sh.Hidden {
			continue
		}
		for h := 0; h < len(sh.Rows) && h < 30 && !found; h++ {
			keyCol, ansCol := findColumn(sh.Rows[h], keyHeadings), findColumn(sh.Rows[h], answerHeadings)
			if keyCol < 0 || ansCol < 0 {
				continue
			}
			found, res.Sheet = true, sh.Name
			noteCol := findColumn(sh.Rows[h], commentHeadings)
			for r := h + 1; r < len(sh.Rows); r++ {
				row := sh.Rows[r]
				key := strings.TrimSpace(cellAt(row, keyCol))
				answer := cellAt(row, ansCol)
				if key == "" {
					continue
				}
				q := st.Content.Find(key)
				if q == nil {
					res.Unmatched = append(res.Unmatched, RowNote{Row: r + 1, Key: key, Message: "no question has this key"})
					continue
				}
				v, err := questionnaire.ParseAnswer(q, answer)
				if err != nil {
					res.Invalid = append(res.Invalid, RowNote{Row: r + 1, Key: key, Message: err.Error()})
					continue
				}
				if v == nil && cellAt(row, noteCol) == "" {
					continue
				}
				res.Matched++
				plan = append(plan, planned{key: key, value: v, note: strings.TrimSpace(cellAt(row, noteCol))})
			}
		}
	}
	if !found {
		return nil, models.Invalid("file", "no visible sheet has headings for the question key (Key, ID, Ref) and the answer (Answer, Response)")
	}
	for _, pl := range plan {
		prev := st.Answers[pl.key]
		if prev == nil || prev.Value != string(orNull(pl.value)) || prev.Comment != pl.note {
			res.Changed++
		}
	}
	if dryRun || len(res.Invalid) > 0 || res.Changed == 0 {
		return res, nil
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, pl := range plan {
			if err := models.SaveAnswer(ctx, tx, &models.AssessmentAnswer{AssessmentID: id, QuestionKey: pl.key, Value: string(orNull(pl.value)), Comment: pl.note}); err != nil {
				return err
			}
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.import_answers", ObjectType: "assessment", ObjectID: id,
			Detail: fmt.Sprintf("%d answers from a spreadsheet, %d rows unmatched", res.Matched, len(res.Unmatched))})
	})
	if err != nil {
		return nil, err
	}
	res.Committed = true
	return res, nil
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
