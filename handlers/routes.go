package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// route is one API endpoint: what Echo serves and what the OpenAPI
// document says about it come from this one declaration.
type route struct {
	method  string
	path    string // Echo pattern, e.g. /api/v1/vendors/:id
	handler echo.HandlerFunc
	op      operation
}

// operation documents a route in the OpenAPI document.
type operation struct {
	id       string
	summary  string
	tag      string
	request  any   // request body DTO (or a struct of path/query parameters), nil if none
	response any   // success body, nil for 204
	status   int   // success status
	problems []int // statuses answered with a problem besides 500
}

func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", s.healthz, operation{
			id: "healthz", tag: "health", summary: "Liveness: the process is up",
			response: statusResponse{}, status: http.StatusOK,
		}},
		{http.MethodGet, "/readyz", s.readyz, operation{
			id: "readyz", tag: "health", summary: "Readiness: the database answers and every migration is applied",
			response: readyResponse{}, status: http.StatusOK, problems: []int{http.StatusServiceUnavailable},
		}},
		{http.MethodGet, "/api/v1/meta", s.meta, operation{
			id: "getMeta", tag: "meta", summary: "Product name, version and whether this is a demo instance",
			response: metaResponse{}, status: http.StatusOK,
		}},
		{http.MethodGet, "/api/v1/openapi.json", s.openapi, operation{
			id: "getOpenAPI", tag: "meta", summary: "This OpenAPI 3.1 document",
			response: map[string]any{}, status: http.StatusOK,
		}},
	}
}
