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
	return json.MarshalIndent(r.Spec, "", "  ")
}

func (s *Server) openapi(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, s.openAPIDoc)
}
