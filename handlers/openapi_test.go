package handlers

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// TestOpenAPIDescribesEveryRoute fails when a registered route is missing
// from the document or the document names a route that does not exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	r := do(t, s, "GET", "/api/v1/openapi.json", nil)
	if r.Code != 200 {
		t.Fatalf("openapi.json: %d", r.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			var op struct {
				OperationID string                     `json:"operationId"`
				Summary     string                     `json:"summary"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s: no operationId or summary", key)
			}
			if res, ok := op.Responses["500"]; !ok || !strings.Contains(string(res), problemJSON) {
				t.Errorf("%s: the 500 problem response is not documented", key)
			}
		}
	}
	registered := map[string]bool{}
	for _, rt := range s.Echo().Routes() {
		if rt.Path == "/*" || rt.Path == scimBase+"/*" || strings.HasPrefix(rt.Method, "echo_") {
			continue // the SPA catch-all is not part of the API, nor SCIM, which describes itself (/scim/v2/Schemas)
		}
		registered[rt.Method+" "+openAPIPath(rt.Path)] = true
	}
	var missing, stale []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from the OpenAPI document: %v", missing)
	}
	if len(stale) > 0 {
		t.Errorf("documented routes that do not exist: %v", stale)
	}
	if len(registered) < 4 {
		t.Fatalf("only %d routes registered; the route walk is broken", len(registered))
	}
}

func TestOpenAPIPath(t *testing.T) {
	if got := openAPIPath("/api/v1/vendors/:id/contracts/:contract_id"); got != "/api/v1/vendors/{id}/contracts/{contract_id}" {
		t.Fatal(got)
	}
}

func TestOpenAPIUploadsAreMultipart(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	body := do(t, s, "GET", "/api/v1/openapi.json", nil).Body.String()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/vendors/import", "/api/v1/requests/{id}/attachments", "/api/v1/portal/{token}/files"} {
		if _, ok := doc.Paths[p]["post"].RequestBody.Content["multipart/form-data"]; !ok {
			t.Errorf("%s: request body not described as multipart/form-data: %v", p, doc.Paths[p]["post"].RequestBody.Content)
		}
	}
}
