package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"
	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"
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
	for _, rt := range routes {
		oc, err := r.NewOperationContext(rt.method, openAPIPath(rt.path))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", rt.method, rt.path, err)
		}
		oc.SetID(rt.op.id)
		oc.SetSummary(rt.op.summary)
		oc.SetTags(rt.op.tag)
		if rt.op.request != nil {
			oc.AddReqStructure(rt.op.request)
		}
		if rt.op.response != nil {
			oc.AddRespStructure(rt.op.response, openapi.WithHTTPStatus(rt.op.status))
		} else {
			oc.AddRespStructure(nil, openapi.WithHTTPStatus(rt.op.status))
		}
		for _, st := range append(rt.op.problems, http.StatusInternalServerError) {
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
