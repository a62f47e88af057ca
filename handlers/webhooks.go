package handlers

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/webhooks"
	"rampart/models"
)

// Webhooks, for admins: endpoints, their delivery log, redelivery and a
// test event. The secret is shown once, when made.

type webhookResponse struct {
	ID                  string           `json:"id"`
	URL                 string           `json:"url"`
	Description         string           `json:"description"`
	Events              []string         `json:"events"`
	Active              bool             `json:"active"`
	AllowPrivate        bool             `json:"allow_private" description:"may deliver to loopback, link-local or private addresses"`
	DisabledReason      string           `json:"disabled_reason" description:"why Rampart turned the endpoint off, when it did"`
	DisabledAt          *time.Time       `json:"disabled_at"`
	ConsecutiveFailures int64            `json:"consecutive_failures"`
	LastDeliveryAt      *time.Time       `json:"last_delivery_at"`
	Counts              map[string]int64 `json:"counts" description:"deliveries by status (pending, delivered, failed)"`
	Version             int64            `json:"version"`
	CreatedAt           time.Time        `json:"created_at"`
	UpdatedAt           time.Time        `json:"updated_at"`
	// Secret is set only in the answers that make one.
	Secret string `json:"secret,omitempty" description:"the signing secret: only in the answer that creates the endpoint or rotates its secret"`
}

func toWebhookResponse(e *models.WebhookEndpoint, counts map[string]int64) webhookResponse {
	c := map[string]int64{models.WebhookPending: 0, models.WebhookDelivered: 0, models.WebhookFailed: 0}
	for k, v := range counts {
		c[k] = v
	}
	events := []string(e.Events)
	if events == nil {
		events = []string{}
	}
	return webhookResponse{ID: e.ID, URL: e.URL, Description: e.Description, Events: events, Active: e.Active, AllowPrivate: e.AllowPrivate,
		DisabledReason: e.DisabledReason, DisabledAt: e.DisabledAt, ConsecutiveFailures: e.ConsecutiveFailures, LastDeliveryAt: e.LastDeliveryAt,
		Counts: c, Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

type webhooksQuery struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

type webhookIDParam struct {
	ID string `path:"id"`
}

type webhookCreateRequest struct {
	URL          string   `json:"url" validate:"required" description:"http or https; private addresses are refused unless allow_private"`
	Description  string   `json:"description"`
	Events       []string `json:"events" validate:"required" description:"event types to receive (GET /api/v1/webhooks/event-types)"`
	Active       *bool    `json:"active" description:"default true"`
	AllowPrivate bool     `json:"allow_private"`
}

type webhookUpdateRequest struct {
	ID           string    `json:"-" path:"id"`
	Version      int64     `json:"version" validate:"required,gte=1"`
	URL          *string   `json:"url"`
	Description  *string   `json:"description"`
	Events       *[]string `json:"events"`
	Active       *bool     `json:"active" description:"turning an endpoint on again sends what it missed, in order"`
	AllowPrivate *bool     `json:"allow_private"`
}

func (s *Server) webhookService() *webhooks.Service {
	return &webhooks.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now}
}

func (s *Server) webhookView(c echo.Context, e *models.WebhookEndpoint) (webhookResponse, error) {
	counts, err := models.WebhookDeliveryCounts(c.Request().Context(), s.deps.DB.Gorm, []string{e.ID})
	if err != nil {
		return webhookResponse{}, err
	}
	return toWebhookResponse(e, counts[e.ID]), nil
}

func (s *Server) listWebhooks(c echo.Context) error {
	q := parseQuery(c)
	if q.values.Get("sort") != "" {
		q.fail("sort", "is not supported: endpoints come oldest first")
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := models.ListWebhookEndpoints(ctx, s.deps.DB.Gorm, q.values.Get("cursor"), q.limit())
	if err != nil {
		return err
	}
	ids := make([]string, len(page.Items))
	for i, e := range page.Items {
		ids[i] = e.ID
	}
	counts, err := models.WebhookDeliveryCounts(ctx, s.deps.DB.Gorm, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(e *models.WebhookEndpoint) webhookResponse { return toWebhookResponse(e, counts[e.ID]) }))
}

func (s *Server) createWebhook(c echo.Context) error {
	var req webhookCreateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.webhookService().Create(c.Request().Context(), principalOf(c),
		webhooks.Fields{URL: &req.URL, Description: &req.Description, Events: &req.Events, Active: req.Active, AllowPrivate: &req.AllowPrivate}, s.origin(c))
	if err != nil {
		return err
	}
	out := toWebhookResponse(e, nil)
	out.Secret = e.Secret
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) getWebhook(c echo.Context) error {
	e, err := models.GetWebhookEndpoint(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out, err := s.webhookView(c, e)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updateWebhook(c echo.Context) error {
	var req webhookUpdateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.webhookService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version,
		webhooks.Fields{URL: req.URL, Description: req.Description, Events: req.Events, Active: req.Active, AllowPrivate: req.AllowPrivate}, s.origin(c))
	if err != nil {
		if e != nil {
			if cur, verr := s.webhookView(c, e); verr == nil {
				return conflictWith(err, cur)
			}
		}
		return err
	}
	out, err := s.webhookView(c, e)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) deleteWebhook(c echo.Context) error {
	if err := s.webhookService().Delete(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) rotateWebhookSecret(c echo.Context) error {
	e, err := s.webhookService().RotateSecret(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c))
	if err != nil {
		return err
	}
	out, err := s.webhookView(c, e)
	if err != nil {
		return err
	}
	out.Secret = e.Secret
	return c.JSON(http.StatusOK, out)
}

type webhookPingResponse struct {
	EventID string `json:"event_id"`
}

func (s *Server) pingWebhook(c echo.Context) error {
	ev, err := s.webhookService().Ping(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, webhookPingResponse{EventID: ev.ID})
}

type webhookEventTypesResponse struct {
	Items []models.WebhookEventType `json:"items"`
}

func (s *Server) webhookEventTypes(c echo.Context) error {
	return c.JSON(http.StatusOK, webhookEventTypesResponse{Items: models.WebhookEventTypes})
}

type webhookDeliverySummary struct {
	ID             string     `json:"id"`
	EventID        string     `json:"event_id"`
	EventType      string     `json:"event_type"`
	Status         string     `json:"status" enum:"pending,delivered,failed"`
	Attempts       int64      `json:"attempts"`
	NextAttemptAt  *time.Time `json:"next_attempt_at" description:"when the next try goes, while pending"`
	LastStatusCode int64      `json:"last_status_code" description:"the receiver's last HTTP status; 0 when it did not answer"`
	LastError      string     `json:"last_error"`
	DeliveredAt    *time.Time `json:"delivered_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

func toDeliverySummary(d *models.WebhookDelivery) webhookDeliverySummary {
	out := webhookDeliverySummary{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Status: d.Status, Attempts: d.Attempts,
		LastStatusCode: d.LastStatusCode, LastError: d.LastError, DeliveredAt: d.DeliveredAt, CreatedAt: d.CreatedAt}
	if d.Status == models.WebhookPending {
		next := d.NextAttemptAt
		out.NextAttemptAt = &next
	}
	return out
}

type webhookDeliveriesQuery struct {
	ID     string `path:"id"`
	Status string `query:"status" enum:"pending,delivered,failed"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

var webhookStatuses = []string{models.WebhookPending, models.WebhookDelivered, models.WebhookFailed}

func (s *Server) listWebhookDeliveries(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := models.GetWebhookEndpoint(ctx, s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	q := parseQuery(c, "status")
	if q.values.Get("sort") != "" {
		q.fail("sort", "is not supported: deliveries come newest first")
	}
	f := models.WebhookDeliveryFilter{EndpointID: c.Param("id"), Status: q.oneOf("status", webhookStatuses...), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListWebhookDeliveries(ctx, s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, toDeliverySummary))
}

type webhookDeliveryParam struct {
	ID         string `path:"id"`
	DeliveryID string `path:"delivery_id"`
}

type webhookAttemptResponse struct {
	At         time.Time `json:"at"`
	Instance   string    `json:"instance"`
	StatusCode int64     `json:"status_code"`
	Error      string    `json:"error"`
	Response   string    `json:"response" description:"the start of the receiver's answer (1,000 bytes at most)"`
	DurationMS int64     `json:"duration_ms"`
}

type webhookDeliveryDetail struct {
	webhookDeliverySummary
	Payload json.RawMessage          `json:"payload" description:"the JSON body sent (WebhookPayload)"`
	Log     []webhookAttemptResponse `json:"log" description:"every try, oldest first"`
}

func (s *Server) getWebhookDelivery(c echo.Context) error {
	d, ev, log, err := models.GetWebhookDelivery(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		return err
	}
	out := webhookDeliveryDetail{webhookDeliverySummary: toDeliverySummary(d), Payload: json.RawMessage(ev.Payload), Log: []webhookAttemptResponse{}}
	for _, a := range log {
		out.Log = append(out.Log, webhookAttemptResponse{At: a.CreatedAt, Instance: a.Instance, StatusCode: a.StatusCode, Error: a.Error,
			Response: a.Response, DurationMS: a.DurationMS})
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) redeliverWebhook(c echo.Context) error {
	if err := s.webhookService().Redeliver(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("delivery_id"), s.origin(c)); err != nil {
		return err
	}
	return s.getWebhookDelivery(c)
}
