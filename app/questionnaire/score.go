package questionnaire

import (
	"math"
	"time"
)

// Review marks a reviewer puts on an answer.
const (
	ReviewPending  = ""
	ReviewAccepted = "accepted"
	ReviewFollowUp = "follow_up"
	ReviewFinding  = "finding"
)

// QuestionResult is how one question counted.
type QuestionResult struct {
	Visible bool     `json:"visible"`
	Counted bool     `json:"counted"`
	Score   *float64 `json:"score"`
	Weight  int      `json:"weight"`
}

// SectionResult is a section's control effectiveness.
type SectionResult struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Score    *float64 `json:"score"`
	Weight   int      `json:"weight"`   // sum of the counted questions' weights
	Counted  int      `json:"counted"`  // questions that counted
	Visible  int      `json:"visible"`  // questions shown
	Answered int      `json:"answered"` // shown questions answered
}

// Result is control effectiveness overall and per section, with what
// each question contributed, so any score can be explained.
type Result struct {
	Overall   *float64                  `json:"overall"`
	Sections  []SectionResult           `json:"sections"`
	Questions map[string]QuestionResult `json:"questions"`
	// Answered and Visible give the completion progress; Required counts
	// shown required questions still unanswered.
	Answered, Visible, MissingRequired int
}

// Effectiveness computes control effectiveness (0-100) as the weighted
// average of the scores of shown, answered, applicable questions. A
// reviewer's "finding" mark scores the answer 0 (the control failed
// review); "follow_up" leaves it out until it is answered again.
func Effectiveness(c *Content, answers map[string]Answer, reviews map[string]string, today time.Time) Result {
	res := Result{Questions: map[string]QuestionResult{}}
	var totalScore, totalWeight float64
	for _, s := range c.Sections {
		sr := SectionResult{Key: s.Key, Title: s.Title}
		var secScore float64
		for i := range s.Questions {
			q := &s.Questions[i]
			qr := QuestionResult{Visible: Visible(q, answers), Weight: q.Weight}
			if !qr.Visible {
				res.Questions[q.Key] = qr
				continue
			}
			sr.Visible++
			res.Visible++
			a := answers[q.Key]
			if Answered(q, a) {
				sr.Answered++
				res.Answered++
			} else if q.Required {
				res.MissingRequired++
			}
			score, ok := Score(q, a, today)
			// A finding scores the control 0; so does a follow-up until the
			// vendor answers it again: asking for more must never raise the
			// score, as leaving a weak answer out of the average would.
			switch reviews[q.Key] {
			case ReviewFinding, ReviewFollowUp:
				score, ok = 0, q.Scored()
			}
			if ok {
				qr.Counted, qr.Score = true, round(score)
				w := float64(q.Weight)
				secScore += score * w
				sr.Weight += q.Weight
				sr.Counted++
				totalScore += score * w
				totalWeight += w
			}
			res.Questions[q.Key] = qr
		}
		if sr.Weight > 0 {
			sr.Score = round(secScore / float64(sr.Weight))
		}
		res.Sections = append(res.Sections, sr)
	}
	if totalWeight > 0 {
		res.Overall = round(totalScore / totalWeight)
	}
	return res
}

func round(f float64) *float64 {
	r := math.Round(f*10) / 10
	return &r
}
