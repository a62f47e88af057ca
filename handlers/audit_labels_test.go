package handlers

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// TestEveryRecordedActionHasALabel reads the source of app/ and handlers/:
// every `Action: "..."` literal, and every string that looks like an action
// of a known family ("contract.something"), must be in models.AuditFamilies,
// so the Activity filter and labels cannot forget an action. Actions built
// by concatenation would hide from this check and are refused.
func TestEveryRecordedActionHasALabel(t *testing.T) {
	prefixes := map[string]bool{}
	seen := map[string]string{}
	for _, f := range models.AuditFamilies {
		for _, a := range f.Actions {
			prefixes[strings.SplitN(a.Value, ".", 2)[0]] = true
			if other, dup := seen[a.Value]; dup {
				t.Errorf("%s is in families %s and %s", a.Value, other, f.Value)
			}
			seen[a.Value] = f.Value
			if a.Label == "" || a.Label == a.Value {
				t.Errorf("%s has no label", a.Value)
			}
		}
	}
	actionLike := regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)
	found := 0
	for _, dir := range []string{"../app", "."} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				if d != nil && d.IsDir() && filepath.Base(path) == "authz" {
					return filepath.SkipDir // permissions, not audit actions ("vendors.write")
				}
				return err
			}
			file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Action" {
						if _, concat := n.Value.(*ast.BinaryExpr); concat {
							t.Errorf("%s: an audit action built by concatenation; write each action as a full literal", path)
						}
						if lit, ok := n.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							found++
							if !models.AuditKnownAction(v) {
								t.Errorf("%s: action %q has no label in models.AuditFamilies", path, v)
							}
						}
					}
				case *ast.BasicLit:
					if n.Kind != token.STRING {
						return true
					}
					v, _ := strconv.Unquote(n.Value)
					// Kinds of notice ("finding.due") share the families' names
					// but are not audit actions; an Action: literal is still
					// checked above whatever it says.
					if _, notice := notify.KindByKey(v); notice {
						return true
					}
					// So do webhook event types ("contract.cancel_by_approaching").
					if models.WebhookEventKnown(v) {
						return true
					}
					if actionLike.MatchString(v) && prefixes[strings.SplitN(v, ".", 2)[0]] {
						found++
						if !models.AuditKnownAction(v) {
							t.Errorf("%s: action %q has no label in models.AuditFamilies", path, v)
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 40 {
		t.Fatalf("found only %d actions in the source: is the scan still looking in the right places?", found)
	}
}

// TestAuditEventsNamed: each event carries its label and its object's
// name, looked up with one query per object type for the whole page; the
// family filter selects every action of the family.
func TestAuditEventsNamed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, legal, auditor := f.as(models.RoleRiskManager), f.as(models.RoleLegal), f.as(models.RoleAuditor)
		var vendorIDs []string
		for _, name := range []string{"Acme Cloud", "Beta Services", "Gamma Hosting"} {
			v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"`+name+`","category":"saas"}`))
			vendorIDs = append(vendorIDs, v.ID)
		}
		for _, title := range []string{"Master services agreement", "Data processing agreement"} {
			if r := f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+vendorIDs[0]+`","title":"`+title+`","type":"msa"}`); r.Code != 201 {
				t.Fatalf("contract: %d %s", r.Code, r.Body)
			}
		}
		// A vendor that is gone keeps its id as the only name there is.
		gone := models.NewID()
		if err := models.AppendAudit(context.Background(), db.Gorm, &models.AuditEvent{ActorType: models.ActorSystem, Action: "vendor.archive", ObjectType: "vendor", ObjectID: gone}); err != nil {
			t.Fatal(err)
		}

		var queries atomic.Int64
		if err := db.Gorm.Callback().Query().Before("gorm:query").Register("count_audit_queries", func(*gorm.DB) { queries.Add(1) }); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = db.Gorm.Callback().Query().Remove("count_audit_queries") }()
		base := queries.Load()
		all := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?limit=200", ""))
		perPage := queries.Load() - base

		names := map[string]string{}
		for _, e := range all.Items {
			if e.ActionLabel == "" || e.ActionLabel == e.Action {
				t.Errorf("%s has no label: %+v", e.Action, e)
			}
			if e.ObjectType != "" {
				names[e.ObjectLabel] = e.ObjectType
			}
		}
		for name, typ := range map[string]string{"Acme Cloud": "vendor", "Beta Services": "vendor", "Master services agreement": "contract",
			"Data processing agreement": "contract", "The legal": "user"} {
			if names[name] != typ {
				t.Errorf("no %s named %q among %v", typ, name, names)
			}
		}
		for _, e := range all.Items {
			if e.ObjectID == gone && e.ObjectLabel != "" {
				t.Errorf("a deleted vendor is named %q", e.ObjectLabel)
			}
		}
		// Session, count, page, then one name lookup per object type (user, vendor, contract).
		base = queries.Load()
		f.call(&auditor, "GET", "/api/v1/audit-events?limit=1", "")
		one := queries.Load() - base
		if perPage > one+2 {
			t.Errorf("a page of %d events took %d queries, one event %d: names are looked up per event", len(all.Items), perPage, one)
		}

		contracts := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?family=contract", ""))
		if contracts.Total != 2 {
			t.Fatalf("family=contract: %+v", contracts)
		}
		for _, e := range contracts.Items {
			if e.Action != "contract.create" || e.ActionLabel != "Added contract" {
				t.Errorf("family=contract returned %+v", e)
			}
		}
		if r := f.call(&auditor, "GET", "/api/v1/audit-events?family=nothing", ""); r.Code != 422 {
			t.Errorf("unknown family: %d", r.Code)
		}
		cat := decode[auditActionsResponse](t, f.call(&auditor, "GET", "/api/v1/audit-events/actions", ""))
		fams := map[string]bool{}
		for _, fam := range cat.Families {
			fams[fam.Value] = len(fam.Actions) > 0
		}
		for _, want := range []string{"auth", "user", "vendor", "request", "contract", "assessment", "finding", "exception", "portal"} {
			if !fams[want] {
				t.Errorf("the catalogue has no %s family: %v", want, fams)
			}
		}
	})
}
