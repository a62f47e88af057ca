package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"
	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"

	"rampart/app/authz"
	"rampart/models"
)

var echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// openAPIPath turns an Echo pattern into an OpenAPI path template.
func openAPIPath(echoPath string) string {
	return echoParam.ReplaceAllString(echoPath, "{$1}")
}

// buildOpenAPI reflects the route table into an OpenAPI 3.1 document.
func buildOpenAPI(routes []route, version string) ([]byte, error) {
	r := openapi31.NewReflector()
	r.Spec.Info.WithTitle("Rampart API").WithVersion(version).
		WithDescription("Vendor and third-party risk management. Errors are RFC 9457 problem details (application/problem+json).")
	r.Spec.SetAPIKeySecurity("session", "rampart_session", openapi.InCookie,
		"Browser session from POST /api/v1/auth/login; unsafe methods also need the X-CSRF-Token header.")
	r.Spec.SetHTTPBearerTokenSecurity("token", "", "API token created under /api/v1/api-tokens (Authorization: Bearer rmp_...).")
	for _, rt := range routes {
		oc, err := r.NewOperationContext(rt.method, openAPIPath(rt.path))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", rt.method, rt.path, err)
		}
		oc.SetID(rt.op.id)
		oc.SetSummary(rt.op.summary)
		oc.SetTags(rt.op.tag)
		if rt.op.request != nil {
			if rt.op.consumes != "" {
				oc.AddReqStructure(rt.op.request, openapi.WithContentType(rt.op.consumes))
			} else {
				oc.AddReqStructure(rt.op.request)
			}
		}
		if rt.op.produces != "" {
			oc.AddRespStructure(rt.op.response, openapi.WithHTTPStatus(rt.op.status), openapi.WithContentType(rt.op.produces))
		} else {
			oc.AddRespStructure(rt.op.response, openapi.WithHTTPStatus(rt.op.status))
		}
		problems := rt.op.problems
		if rt.perm != authz.Public {
			oc.AddSecurity("session")
			oc.AddSecurity("token")
			problems = append(problems, http.StatusUnauthorized, http.StatusForbidden)
		}
		for _, st := range append(problems, http.StatusInternalServerError) {
			oc.AddRespStructure(Problem{}, openapi.WithHTTPStatus(st), openapi.WithContentType(problemJSON))
		}
		if err := r.AddOperation(oc); err != nil {
			return nil, fmt.Errorf("%s %s: %w", rt.method, rt.path, err)
		}
	}
	if err := addWebhooks(r); err != nil {
		return nil, err
	}
	return json.MarshalIndent(r.Spec, "", "  ")
}

// webhookHeaders are the headers of every delivery, for the document.
type webhookHeaders struct {
	Signature string `header:"Rampart-Signature" required:"true" description:"t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the endpoint's secret>; refuse a t more than 5 minutes from now"`
	Event     string `header:"Rampart-Event" required:"true" description:"the event type"`
	Delivery  string `header:"Rampart-Delivery" required:"true" description:"this delivery's id (the same on each retry)"`
	models.WebhookPayload
}

// addWebhooks documents each event type as an OpenAPI webhook: what
// Rampart posts to a subscribed endpoint, and that any 2xx answer is taken.
func addWebhooks(r *openapi31.Reflector) error {
	types := append([]models.WebhookEventType{{Type: models.WebhookPing, Label: "Test event",
		Description: "Sent only when an admin asks for a test delivery"}}, models.WebhookEventTypes...)
	for _, t := range types {
		oc, err := r.NewOperationContext(http.MethodPost, t.Type)
		if err != nil {
			return err
		}
		oc.SetID("webhook." + t.Type)
		oc.SetSummary(t.Label)
		oc.SetDescription(t.Description + ". Any 2xx answer is success; anything else, or no answer in 10 s, is tried again with exponential backoff for a day.")
		oc.SetTags("webhooks")
		oc.AddReqStructure(webhookHeaders{})
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(http.StatusOK))
		if err := r.AddWebhook(oc); err != nil {
			return fmt.Errorf("webhook %s: %w", t.Type, err)
		}
	}
	return nil
}

func (s *Server) openapi(c echo.Context) error {
	doc, err := s.openAPIDoc()
	if err != nil {
		return fmt.Errorf("openapi: %w", err)
	}
	return c.JSONBlob(http.StatusOK, doc)
}
