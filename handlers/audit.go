package handlers

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/sheet"
	"rampart/models"
)

type auditEventResponse struct {
	ID          string          `json:"id"`
	Seq         int64           `json:"seq"`
	OccurredAt  time.Time       `json:"occurred_at"`
	ActorType   string          `json:"actor_type"`
	ActorID     string          `json:"actor_id"`
	ActorLabel  string          `json:"actor_label"`
	Action      string          `json:"action"`
	ActionLabel string          `json:"action_label"`
	ObjectType  string          `json:"object_type"`
	ObjectID    string          `json:"object_id"`
	ObjectLabel string          `json:"object_label" description:"the object's name (vendor name, contract title, user name...), empty when it is gone or has no name"`
	Outcome     string          `json:"outcome"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	Detail      string          `json:"detail"`
	RequestID   string          `json:"request_id"`
	ClientIP    string          `json:"client_ip"`
}

func rawJSON(s *string) json.RawMessage {
	if s == nil || !json.Valid([]byte(*s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

// auditView renders events with their action labels and the object names
// looked up for the whole page.
func auditView(names map[string]string) func(e *models.AuditEvent) auditEventResponse {
	return func(e *models.AuditEvent) auditEventResponse {
		return auditEventResponse{
			ID: e.ID, Seq: e.Seq, OccurredAt: e.OccurredAt, ActorType: e.ActorType, ActorID: e.ActorID, ActorLabel: e.ActorLabel,
			Action: e.Action, ActionLabel: models.AuditActionLabel(e.Action),
			ObjectType: e.ObjectType, ObjectID: e.ObjectID, ObjectLabel: names[models.AuditObjectKey(e.ObjectType, e.ObjectID)],
			Outcome: e.Outcome, Before: rawJSON(e.BeforeData), After: rawJSON(e.AfterData), Detail: e.Detail,
			RequestID: e.RequestID, ClientIP: e.ClientIP,
		}
	}
}

type auditQuery struct {
	ActorID    string `query:"actor_id"`
	Action     string `query:"action"`
	Family     string `query:"family" description:"a family from /audit-events/actions: only its actions"`
	ObjectType string `query:"object_type"`
	ObjectID   string `query:"object_id"`
	From       string `query:"from" description:"date or RFC 3339 time, inclusive"`
	To         string `query:"to" description:"date or RFC 3339 time, exclusive"`
	Limit      int    `query:"limit"`
	Cursor     string `query:"cursor"`
}

func auditFilter(c echo.Context) (models.AuditFilter, error) {
	q := parseQuery(c, "actor_id", "action", "family", "object_type", "object_id", "from", "to")
	f := models.AuditFilter{
		ActorID: q.str("actor_id", 100), Action: q.str("action", 100), ObjectType: q.str("object_type", 100),
		ObjectID: q.str("object_id", 100), From: q.time("from"), To: q.time("to"), Limit: q.limit(),
	}
	if v := q.values.Get("family"); v != "" {
		actions, ok := models.AuditFamilyActions(v)
		if !ok {
			q.fail("family", "is not an event family")
		}
		f.Actions = actions
	}
	if v := q.values.Get("sort"); v != "" && v != "-seq" {
		q.fail("sort", "must be -seq (newest first)")
	}
	if v := q.values.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			q.fail("cursor", "is not a cursor this list returned")
		}
		f.BeforeSeq = n
	}
	return f, q.err()
}

func (s *Server) listAudit(c echo.Context) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	return s.writeAuditPage(c, f)
}

func (s *Server) writeAuditPage(c echo.Context, f models.AuditFilter) error {
	events, total, err := models.ListAudit(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	page := models.Page[models.AuditEvent]{Items: events, Total: total}
	if len(events) == f.Limit && events[len(events)-1].Seq > 1 {
		page.NextCursor = strconv.FormatInt(events[len(events)-1].Seq, 10)
	}
	names, err := models.AuditObjectNames(c.Request().Context(), s.deps.DB.Gorm, events)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, auditView(names)))
}

type auditActionsResponse struct {
	Families []models.AuditFamily `json:"families"`
}

// auditActions is the catalogue of event families and actions with their
// labels, so the Activity filter offers exactly what the server records.
func (s *Server) auditActions(c echo.Context) error {
	return c.JSON(http.StatusOK, auditActionsResponse{Families: models.AuditFamilies})
}

type verifyResponse = models.VerifyResult

// refuseScopedAudit refuses a person scoped to business units the
// routes that speak for the whole chain (verify, checkpoint, export):
// verifying or exporting only their units' events would show gaps that
// look like a broken chain, and the whole chain is not theirs to read.
func refuseScopedAudit(c echo.Context) error {
	if units, ok := models.ScopedUnits(c.Request().Context()); ok && units != nil {
		return echo.NewHTTPError(http.StatusForbidden, "People scoped to business units read their units' events only; verifying and exporting the whole audit trail is for people who are not scoped.")
	}
	return nil
}

func (s *Server) verifyAudit(c echo.Context) error {
	if err := refuseScopedAudit(c); err != nil {
		return err
	}
	res, err := models.VerifyAudit(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) auditCheckpoint(c echo.Context) error {
	if err := refuseScopedAudit(c); err != nil {
		return err
	}
	if s.deps.AuditKey == nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "This server has no checkpoint signing key.")
	}
	cp, err := models.SignAuditHead(c.Request().Context(), s.deps.DB.Gorm, s.deps.AuditKey, s.deps.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

// exportColumns are the CSV export's columns.
var exportColumns = []string{"seq", "occurred_at", "actor_type", "actor_id", "actor", "action", "object_type", "object_id",
	"outcome", "before", "after", "detail", "request_id", "client_ip", "hash"}

// exportAudit streams every matching event as CSV, newest first. The last
// row is a signed checkpoint of the whole trail's head as the export began
// (whatever the filter), so a copy kept elsewhere can later show that the
// trail was cut off or rewritten (`rampart audit verify --checkpoint`).
func (s *Server) exportAudit(c echo.Context) error {
	if err := refuseScopedAudit(c); err != nil {
		return err
	}
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	var checkpoint []byte
	if s.deps.AuditKey != nil {
		cp, err := models.SignAuditHead(c.Request().Context(), s.deps.DB.Gorm, s.deps.AuditKey, s.deps.Now())
		if err != nil {
			return err
		}
		checkpoint, _ = json.Marshal(cp)
		c.Response().Header().Set("Rampart-Audit-Checkpoint", string(checkpoint))
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="rampart-audit-events.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write(exportColumns)
	f.Limit = models.MaxLimit
	for {
		events, _, err := models.ListAudit(c.Request().Context(), s.deps.DB.Gorm, f)
		if err != nil {
			// Headers are sent; the truncated file ends with the reason.
			_ = w.Write([]string{"error", "export interrupted: " + http.StatusText(http.StatusInternalServerError)})
			w.Flush()
			return nil
		}
		for _, e := range events {
			_ = w.Write(sheet.Defuse([]string{
				strconv.FormatInt(e.Seq, 10), e.OccurredAt.UTC().Format(time.RFC3339Nano), e.ActorType, e.ActorID, e.ActorLabel,
				e.Action, e.ObjectType, e.ObjectID, e.Outcome, deref(e.BeforeData), deref(e.AfterData), e.Detail,
				e.RequestID, e.ClientIP, e.Hash,
			}))
		}
		if len(events) < f.Limit {
			if checkpoint != nil {
				row := make([]string, len(exportColumns))
				row[0], row[1] = "checkpoint", string(checkpoint)
				_ = w.Write(row)
			}
			w.Flush()
			return w.Error()
		}
		w.Flush()
		f.BeforeSeq = events[len(events)-1].Seq
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
