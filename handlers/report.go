package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"rampart/app/contracts"
	"rampart/app/contracts/terms"
	"rampart/app/questionnaire"
	"rampart/models"
)

// reportContract is a contract with its key terms as the report prints them.
type reportContract struct {
	contractResponse
	Terms []reportTerm `json:"terms" description:"key terms in force (proposed, confirmed or corrected) with their playbook verdict"`
}

type reportTerm struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Found       bool   `json:"found"`
	Value       string `json:"value"`
	ReviewState string `json:"review_state" enum:"proposed,confirmed,corrected"`
	Check       string `json:"check" description:"meets, deviates, missing, not_applicable or empty when no rule covers the term"`
}

// vendorReportHandler returns, in one call, everything the printable
// vendor risk report shows: profile, tier with its reasons, the latest
// completed assessment with its section scores, open findings,
// exceptions and contracts.
func (s *Server) vendorReportHandler(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := vendorReport{Vendor: toVendorResponse(v), Findings: []findingResponse{}, Exceptions: []exceptionResponse{}, Contracts: []reportContract{}}
	if out.Risk, err = s.riskOf(ctx, v); err != nil {
		return err
	}
	if last, err := models.LatestCompleted(ctx, s.deps.DB.Gorm, v.ID); err != nil {
		return err
	} else if last != nil {
		sum := toAssessmentSummary(last)
		out.Assessment = &sum
		var r questionnaire.Result
		if json.Unmarshal([]byte(last.Result), &r) == nil {
			out.Sections = r.Sections
		}
	}
	fs, err := models.ListFindings(ctx, s.deps.DB.Gorm, models.FindingFilter{VendorID: v.ID, Statuses: []string{"open", "in_progress", "risk_accepted"}, Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	for i := range fs.Items {
		out.Findings = append(out.Findings, s.toFinding(&fs.Items[i]))
	}
	es, err := models.ListExceptions(ctx, s.deps.DB.Gorm, models.ExceptionFilter{VendorID: v.ID, Statuses: []string{"requested", "approved"}, Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	if out.Exceptions, err = s.namedExceptions(ctx, principalOf(c), es.Items); err != nil {
		return err
	}
	cs, err := models.ListContracts(ctx, s.deps.DB.Gorm, models.ContractFilter{VendorID: v.ID, Limit: models.MaxLimit})
	if err != nil {
		return err
	}
	evs, err := s.contractService().EvaluateMany(ctx, cs.Items)
	if err != nil {
		return err
	}
	for i := range cs.Items {
		rc := reportContract{contractResponse: toContract(&cs.Items[i]), Terms: []reportTerm{}}
		if ev := evs[rc.ID]; ev != nil && len(ev.Terms) > 0 {
			rc.Playbook = &ev.Summary
			for _, k := range terms.Keys {
				t, ok := ev.Terms[k]
				if !ok {
					continue
				}
				rt := reportTerm{Key: k, Label: contracts.TermLabel(k), Found: t.Found, Value: t.Value, ReviewState: t.ReviewState}
				if ch := ev.Checks[k]; ch != nil {
					rt.Check = ch.Status
				}
				rc.Terms = append(rc.Terms, rt)
			}
		}
		out.Contracts = append(out.Contracts, rc)
	}
	if out.SOCReview, err = s.reportSOCReview(ctx, v.ID); err != nil {
		return err
	}
	out.GeneratedAt = s.deps.Now().UTC()
	return c.JSON(http.StatusOK, out)
}
