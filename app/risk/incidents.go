package risk

import (
	"fmt"
	"strings"
)

// DefaultIncidentPoints are the residual points per open incident by
// severity when the model does not set its own (models published before
// incidents existed).
var DefaultIncidentPoints = map[string]int{"critical": 25, "high": 15, "medium": 8, "low": 3}

// DefaultMaxIncidentPoints caps the incident points when the model does
// not.
const DefaultMaxIncidentPoints = 40

// IncidentFactor adds the open-incidents factor to a residual score: points
// per incident still open or contained, by severity, capped. A vendor with
// no open incident gets no factor line, so its explanation reads as before
// incidents existed; the line going away is told by the history's changes.
func (m *Model) IncidentFactor(r Residual, open map[string]int) Residual {
	points := m.IncidentPoints
	if points == nil {
		points = DefaultIncidentPoints
	}
	limit := m.MaxIncidentPoints
	if limit == 0 {
		limit = DefaultMaxIncidentPoints
	}
	pts := 0
	var parts []string
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		if n := open[sev]; n > 0 {
			pts += n * points[sev]
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) == 0 {
		return r
	}
	pts = min(pts, limit)
	value := strings.Join(parts, ", ")
	r.Factors = append(r.Factors, Factor{Key: "incidents", Label: "Open incidents", Value: value, Text: value + " (open or contained)", Points: pts})
	r.Score = min(max(r.Score+pts, 0), 100)
	if open["critical"] > 0 || open["high"] > 0 {
		r.Likelihood = clamp(r.Likelihood+1, 1, 5)
	}
	return r
}
